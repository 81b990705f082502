"""Questions and answers on development requests, calls and needs, through the pages, the API and the mail:
who sees a question (a bidder's question on a call is private until the caller publishes it, without naming
the asker), who answers and marks the answer, and who is told - with an unsubscribe link that works without
signing in and refuses a forged token."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from os2hub.accounts.services import api_token_issue
from os2hub.development.models import DevelopmentRequest
from os2hub.needs.models import Call, Follow, Need, Offer
from os2hub.products.models import Group, GroupMember, Product
from os2hub.questions.models import Answer, Question, QuestionFollow
from os2hub.questions.unsubscribe import make_token

from .personas import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

SCRIPT = "Hvad med <script>alert('x')</script> og [link](javascript:alert(1))?"


class World:
    def __init__(self, people):
        self.people = people
        self.product = Product.objects.create(name="OS2mo", slug="os2mo", summary="x", status="product")
        group = Group.objects.create(product=self.product, kind=Group.Kind.COORDINATION, name="Koordinationsgruppen")
        self.coordinator = UserFactory(email="koordination@example.dk", name="Koordinator Kaj")
        GroupMember.objects.create(group=group, user=self.coordinator)
        # A second supplier bidding on the same call.
        self.rival_org = OrganisationFactory(name="Konkurrenten ApS", slug="konkurrenten", kind="supplier")
        self.rival = member(UserFactory(email="rival@konkurrenten.dk", name="Rita Rival"), self.rival_org)
        self.call = Call.objects.create(
            kind="code-review",
            title="Code review af OS2mo 12.0",
            description="Gennemgang af release 12.0.",
            product=self.product,
            organisation=people.authority,
            deadline=timezone.localdate() + timedelta(days=14),
        )
        self.request = DevelopmentRequest.objects.create(
            product=self.product,
            requester=people.authority,
            title="Eksport til CSV",
            description="Vi vil eksportere.",
            status="submitted",
        )
        self.need = Need.objects.create(
            title="Overblik over sager",
            problem="Fem systemer.",
            desired_outcome="Ét overblik.",
            organisation=people.authority,
        )


@pytest.fixture
def world(people, client):
    # The pages in English, so the assertions on their wording hold once the Danish catalogue has them.
    client.cookies["django_language"] = "en"
    return World(people)


def api(client, user):
    token = api_token_issue(user=user, name="test")[1] if user is not None else None
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def call(method, path, data=None):
        kwargs = {"content_type": "application/json", **headers}
        if data is not None:
            kwargs["data"] = data
        return getattr(client, method)(f"/api/v1/{path}", **kwargs)

    return call


def ask(client, user, kind, pk, body, **extra):
    client.force_login(user)
    return client.post(reverse("questions:ask", args=[kind, pk]), {"body": body, **extra})


def test_a_suppliers_question_on_a_call_is_private_to_its_organisation_the_caller_and_the_secretariat(
    client, people, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, people.supplier_admin, "call", world.call.pk, "Må vi bruge **egne** værktøjer?")
    question = Question.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#question-{question.pk}")
    assert question.visibility == "private" and question.organisation == people.supplier_org
    # The caller side is told (and may read it); the rival is not.
    assert [m.to for m in mail.outbox] == [[people.authority_admin.email]]
    assert "egne" in mail.outbox[0].body

    call_page = reverse("needs:call", args=[world.call.pk])
    for user in (people.supplier_member, people.authority_admin, people.secretariat):
        client.force_login(user)
        assert f'id="question-{question.pk}"' in client.get(call_page).content.decode(), user
    for user in (world.rival, people.outsider, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        page = client.get(call_page).content.decode()
        assert "egne" not in page and f"question-{question.pk}" not in page
        # Not by its own address, not as a fragment, not through the API.
        assert client.get(reverse("questions:detail", args=[question.pk])).status_code == 404
        assert client.get(reverse("questions:detail", args=[question.pk]), HTTP_HX_REQUEST="true").status_code == 404
        answer = client.post(reverse("questions:answer", args=[question.pk]), {"body": "x"})
        assert answer.status_code in (302, 404) and not Answer.objects.exists()
        listed = api(client, user)("get", f"calls/{world.call.pk}/questions").json()
        assert listed["count"] == 0
        assert api(client, user)("get", f"questions/{question.pk}").status_code == 404


def test_the_caller_answers_and_publishes_the_question_to_all_bidders_without_naming_the_asker(
    client, people, world, django_capture_on_commit_callbacks
):
    Offer.objects.create(call=world.call, supplier=world.rival_org, price_dkk=1000, approach="x", hours=1)
    ask(client, people.supplier_admin, "call", world.call.pk, "Hvor lang tid har vi til rapporten?")
    question = Question.objects.get()

    # The rival cannot publish it (it cannot even see it), nor can the asker.
    client.force_login(people.supplier_admin)
    assert client.post(reverse("questions:publish", args=[question.pk]), {"confirm": "yes"}).status_code == 403

    client.force_login(people.authority_admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("questions:answer", args=[question.pk]), {"body": "To uger efter tildeling."})
    # The asker follows the question and gets the answer, with an unsubscribe link and RFC 8058 headers.
    assert [m.to for m in mail.outbox] == [[people.supplier_admin.email]]
    assert "To uger" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/questions/unsubscribe/" in mail.outbox[0].extra_headers["List-Unsubscribe"]

    # A confirm step says what becomes visible; publishing needs confirm=yes.
    confirm = client.get(reverse("questions:publish", args=[question.pk]))
    assert "cannot be undone" in confirm.content.decode()
    client.post(reverse("questions:publish", args=[question.pk]))
    question.refresh_from_db()
    assert question.visibility == "private"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("questions:publish", args=[question.pk]), {"confirm": "yes"})
    question.refresh_from_db()
    assert question.visibility == "public" and question.published_at is not None
    # The bidders are told, and the mail does not name the asker.
    told = sorted(address for m in mail.outbox for address in m.to)
    assert told == sorted([people.supplier_admin.email, people.supplier_member.email, world.rival.email])
    assert all("Kodekammeret" not in m.body and "To uger" in m.body for m in mail.outbox)

    # Everyone who can see the call sees the question and its answer now, without the asker's name.
    client.force_login(world.rival)
    page = client.get(reverse("needs:call", args=[world.call.pk])).content.decode()
    assert "Hvor lang tid" in page and "To uger efter tildeling" in page
    assert "Question from a bidder" in page and "Kodekammeret" not in page and "Lene Leverandør" not in page
    listed = api(client, None)("get", f"calls/{world.call.pk}/questions").json()
    assert listed["count"] == 1 and listed["items"][0]["asker"] is None
    assert listed["items"][0]["answers"][0]["body"] == "To uger efter tildeling."
    # The asker still sees that it was theirs.
    client.force_login(people.supplier_member)
    assert "Question from Kodekammeret ApS" in client.get(reverse("needs:call", args=[world.call.pk])).content.decode()


def test_markdown_with_script_is_made_safe_and_control_characters_are_refused(client, people, world):
    ask(client, people.authority2_admin, "need", world.need.pk, SCRIPT)
    page = client.get(reverse("needs:detail", args=[world.need.pk])).content.decode()
    assert "Hvad med &lt;script&gt;alert" in page and "<script>alert" not in page
    assert 'href="javascript' not in page

    response = ask(client, people.authority2_admin, "need", world.need.pk, "Hej\x07 med dig")
    assert response.status_code == 200
    assert "U+0007" in response.content.decode()
    assert 'id="error-summary"' in response.content.decode()
    # With htmx, the section comes back with the errors in place.
    response = client.post(
        reverse("questions:ask", args=["need", world.need.pk]), {"body": "   "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert Question.objects.count() == 1
    client.force_login(people.authority2_admin)
    answer = api(client, people.authority2_admin)("post", f"needs/{world.need.pk}/questions", {"body": "x\x00y"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "body"


def test_only_the_people_involved_answer_and_one_answer_is_marked_as_the_answer(client, people, world):
    ask(client, people.supplier_admin, "request", world.request.pk, "Skal eksporten kunne filtreres?")
    question = Question.objects.get()
    assert question.visibility == "public"
    # A stranger to the request may not answer.
    client.force_login(world.rival)
    assert client.post(reverse("questions:answer", args=[question.pk]), {"body": "Nej"}).status_code == 403
    assert api(client, world.rival)("post", f"questions/{question.pk}/answers", {"body": "Nej"}).status_code == 403
    # The requester and the coordination group do.
    client.force_login(people.authority_admin)
    client.post(reverse("questions:answer", args=[question.pk]), {"body": "Ja, på dato."})
    reply = api(client, world.coordinator)("post", f"questions/{question.pk}/answers", {"body": "Og på status."})
    assert reply.status_code == 201 and len(reply.json()["answers"]) == 2
    first, second = Answer.objects.order_by("pk")
    # The asker marks one; marking the other moves the mark.
    client.force_login(people.supplier_admin)
    client.post(reverse("questions:accept", args=[question.pk, first.pk]))
    accepted = api(client, world.coordinator)("post", f"questions/{question.pk}/answers/{second.pk}/accept")
    assert accepted.status_code == 200
    assert [a["is_accepted"] for a in accepted.json()["answers"]] == [False, True]
    assert list(Answer.objects.filter(is_accepted=True)) == [second]
    # Someone else may not mark.
    client.force_login(world.rival)
    client.post(reverse("questions:accept", args=[question.pk, first.pk]))
    assert list(Answer.objects.filter(is_accepted=True)) == [second]
    refused = api(client, world.rival)("post", f"questions/{question.pk}/answers/{first.pk}/accept")
    assert refused.status_code == 403 and refused.json()["detail"]


def test_questions_on_a_draft_are_not_offered_and_not_found(client, people, world):
    world.request.status = "draft"
    world.request.save()
    client.force_login(people.supplier_admin)
    assert client.get(reverse("questions:ask", args=["request", world.request.pk])).status_code == 404
    assert (
        api(client, people.supplier_admin)("get", f"development-requests/{world.request.pk}/questions").status_code
        == 404
    )
    client.force_login(people.authority_admin)
    page = client.get(reverse("development:detail", args=[world.request.pk])).content.decode()
    assert "once the development request is submitted" in page and 'id="ask"' not in page


def test_followers_of_a_need_get_answers_and_unsubscribe_with_the_link_without_signing_in(
    client, people, world, django_capture_on_commit_callbacks
):
    Follow.objects.create(need=world.need, user=world.rival)
    ask(client, people.authority2_admin, "need", world.need.pk, "Hvilke systemer?")
    question = Question.objects.get()
    client.force_login(people.authority_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("questions:answer", args=[question.pk]), {"body": "KMD og SBSYS."})
    by_address = {m.to[0]: m for m in mail.outbox if "KMD" in m.body}
    assert set(by_address) == {people.authority2_admin.email, world.rival.email}
    link = re.search(r"(/questions/unsubscribe/[^ \n]+/)", by_address[world.rival.email].body).group(1)

    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Overblik over sager" in page.content.decode()
    assert Follow.objects.filter(user=world.rival).exists()  # a GET (a link scanner) changes nothing
    # RFC 8058 one-click: a POST without a session or CSRF token.
    assert Client(enforce_csrf_checks=True).post(link, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Follow.objects.filter(user=world.rival).exists()

    # The asker's own link stops the thread's mail.
    asker_link = re.search(r"(/questions/unsubscribe/[^ \n]+/)", by_address[people.authority2_admin.email].body)
    client.post(asker_link.group(1))
    assert not QuestionFollow.objects.filter(user=people.authority2_admin).exists()

    # A forged or changed token is refused and changes nothing.
    QuestionFollow.objects.create(question=question, user=people.outsider)
    token = make_token(people.outsider, question=question)
    client.cookies["django_language"] = "en"  # logging out forgot the language; the assertion reads English
    for bad in (token[:-2] + "xx", "bm90LWEtdG9rZW4", token.replace(token.split(":")[0], "WzEsInEiLDFd", 1)):
        response = client.post(f"/questions/unsubscribe/{bad}/")
        assert response.status_code == 400 and "not valid" in response.content.decode()
    assert QuestionFollow.objects.filter(user=people.outsider).exists()


def test_private_questions_are_mailed_only_to_those_who_may_read_them(
    client, people, world, django_capture_on_commit_callbacks
):
    ask(client, people.supplier_admin, "call", world.call.pk, "Privat spørgsmål")
    question = Question.objects.get()
    # The rival somehow follows it (e.g. followed before it was asked privately): it still gets nothing.
    QuestionFollow.objects.create(question=question, user=world.rival)
    mail.outbox.clear()
    client.force_login(people.authority_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("questions:answer", args=[question.pk]), {"body": "Privat svar"})
    assert [m.to for m in mail.outbox] == [[people.supplier_admin.email]]
    # Nor can the rival follow it.
    client.force_login(world.rival)
    assert client.post(reverse("questions:follow", args=[question.pk, "follow"])).status_code == 404


def test_htmx_posts_answer_the_section_in_place(client, people, world):
    client.force_login(people.authority2_admin)
    response = client.post(
        reverse("questions:ask", args=["need", world.need.pk]), {"body": "Via htmx"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="questions"')
    assert "Via htmx" in html and 'role="status"' in html


def test_waiting_questions_and_the_lists_cost_the_same_with_more_questions(client, people, world):
    def add(n):
        for i in range(n):
            q = Question.objects.create(
                call=world.call,
                author=people.supplier_admin,
                organisation=people.supplier_org,
                body=f"Spørgsmål {i}",
                visibility="private",
            )
            Question.objects.create(need=world.need, author=people.authority2_admin, body=f"Behovsspørgsmål {i}")
            Question.objects.create(development_request=world.request, author=people.supplier_admin, body=f"Ønske {i}")
            Answer.objects.create(question=q, author=people.authority_admin, body="Svar")

    add(2)
    client.force_login(people.authority_admin)
    page = client.get(reverse("questions:waiting")).content.decode()
    assert (
        "Behovsspørgsmål 0" in page and "Ønske 1" in page and "Spørgsmål" not in page
    )  # answered ones are not waiting
    client.force_login(world.rival)
    assert "Behovsspørgsmål" not in client.get(reverse("questions:waiting")).content.decode()

    def counts():
        client.force_login(people.authority_admin)
        found = []
        for path in (
            reverse("questions:waiting"),
            reverse("needs:call", args=[world.call.pk]),
            reverse("needs:detail", args=[world.need.pk]),
            reverse("development:detail", args=[world.request.pk]),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            assert api(client, None)("get", f"calls/{world.call.pk}/questions").status_code == 200
        found.append(len(queries))
        return found

    before = counts()
    add(8)
    assert counts() == before


def test_the_api_is_in_the_openapi_document_and_answers_bad_input_in_the_error_shape(client, people, world):
    paths = client.get("/api/openapi.json").json()["paths"]
    for on in ("development-requests", "calls", "needs"):
        operations = paths[f"/api/v1/{on}/{{id}}/questions"]
        assert operations["get"]["description"] and operations["post"]["description"]
    for path in ("/api/v1/questions/{id}", "/api/v1/questions/{id}/answers", "/api/v1/questions/{id}/publish"):
        assert path in paths
    as_supplier = api(client, people.supplier_admin)
    missing = as_supplier("post", f"calls/{world.call.pk}/questions", {})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body"
    unknown = as_supplier("post", f"calls/{world.call.pk}/questions", {"body": "x", "organisation": "findes-ikke"})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "organisation"
    foreign = as_supplier("post", f"calls/{world.call.pk}/questions", {"body": "x", "organisation": "konkurrenten"})
    assert foreign.status_code == 400 and foreign.json()["errors"][0]["field"] == "organisation"
    assert as_supplier("get", "calls/999999/questions").status_code == 404
    assert api(client, None)("post", f"calls/{world.call.pk}/questions", {"body": "x"}).status_code == 401
    asked = as_supplier("post", f"calls/{world.call.pk}/questions", {"body": "Hvor *længe*?"})
    assert asked.status_code == 201
    body = asked.json()
    assert body["visibility"] == "private" and body["on"] == "calls" and body["on_id"] == world.call.pk
    assert body["asker"]["organisation"]["slug"] == "kodekammeret"
    # Publishing is the caller's; a second time is 400.
    assert as_supplier("post", f"questions/{body['id']}/publish").status_code == 403
    as_caller = api(client, people.authority_admin)
    published = as_caller("post", f"questions/{body['id']}/publish")
    assert published.status_code == 200 and published.json()["visibility"] == "public"
    again = as_caller("post", f"questions/{body['id']}/publish")
    assert again.status_code == 400 and again.json()["detail"]
    # A closed call takes no more questions.
    Call.objects.filter(pk=world.call.pk).update(status="cancelled")
    closed = as_supplier("post", f"calls/{world.call.pk}/questions", {"body": "Stadig?"})
    assert closed.status_code == 403 and closed.json()["detail"]
