"""Text suggestions: partners on a product and authorities using it suggest new text for the product page; the
coordinator accepts (the text is written) or rejects with a reason - and nothing is overwritten silently."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from os2hub.products import wiki
from os2hub.products.models import Adoption, Product, SupplierRole, TextSuggestion
from os2hub.products.selectors import text_suggestions_waiting
from os2hub.products.suggestions import fingerprint

from .personas import UserFactory

PURPOSE = "OS2mo giver overblik over organisationen.\n\nDet bruges af mange kommuner."


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def world(people):
    coordinator = UserFactory(email="tovholder@example.dk", name="Tove Tovholder")
    product = Product.objects.create(
        name="OS2mo", slug="os2mo", summary="Organisation.", purpose=PURPOSE, coordinator=coordinator
    )
    SupplierRole.objects.create(product=product, supplier=people.supplier_org, role="development")
    Adoption.objects.create(product=product, organisation=people.authority)
    return {"product": product, "coordinator": coordinator}


NEW_URL = reverse("products:suggestion_new", args=["os2mo"])


def suggest(client, text="purpose", proposed=None, comment="", base=None):
    """Open the form for `text` as a person would, then send it with the base it carried (or `base`)."""
    page = client.get(NEW_URL, {"text": text}).content.decode()
    seen = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    return client.post(
        NEW_URL,
        {"text": text, "base": base or seen, "proposed_text": proposed, "comment": comment},
    )


def test_a_partner_suggests_a_text_and_the_coordinator_accepts_it(
    login, client, people, world, django_capture_on_commit_callbacks
):
    partner = login(people.supplier_admin)
    # The product page offers the suggestion to a partner with a role on the product.
    assert NEW_URL in partner.get(world["product"].get_absolute_url()).content.decode()
    proposed = PURPOSE.replace("mange kommuner", "over 40 kommuner")
    with django_capture_on_commit_callbacks(execute=True):
        response = suggest(partner, proposed=proposed, comment="Tallet er fra 2026.")
    suggestion = TextSuggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == suggestion.get_absolute_url()
    assert (suggestion.field, suggestion.base_text, suggestion.proposed_text) == ("purpose", PURPOSE, proposed)
    assert (suggestion.author, suggestion.organisation, suggestion.status) == (
        people.supplier_admin,
        people.supplier_org,
        "pending",
    )
    assert [m.to for m in mail.outbox] == [["tovholder@example.dk"]] and "Tallet er fra 2026." in mail.outbox[0].body

    client.logout()
    coordinator = login(world["coordinator"])
    assert list(text_suggestions_waiting(world["coordinator"])) == [suggestion]
    page = coordinator.get(suggestion.get_absolute_url()).content.decode()
    assert "<del>Det bruges af mange kommuner.</del>" in page
    assert "<ins>Det bruges af over 40 kommuner.</ins>" in page
    assert "changed since" not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("products:suggestion_decide", args=["os2mo", suggestion.pk]), {"decision": "accept"})
    world["product"].refresh_from_db()
    suggestion.refresh_from_db()
    assert world["product"].purpose == proposed
    assert (suggestion.status, suggestion.decided_by) == ("accepted", world["coordinator"])
    assert [m.to for m in mail.outbox] == [["leverandoer@example.dk"]]
    assert "over 40 kommuner" in client.get(world["product"].get_absolute_url()).content.decode()
    assert list(text_suggestions_waiting(world["coordinator"])) == []


def test_who_may_suggest_and_who_decides(login, people, world):
    # An authority using the product may suggest; others are refused, and are not offered the link.
    assert login(people.authority_admin).get(NEW_URL).status_code == 200
    for person in (people.outsider, people.authority2_admin, people.new_supplier_admin):
        client = login(person)
        assert client.get(NEW_URL).status_code == 403
        assert NEW_URL not in client.get(world["product"].get_absolute_url()).content.decode()
        assert client.get(reverse("products:suggestions", args=["os2mo"])).status_code == 404
    # A supplier whose role has ended has no say any more.
    SupplierRole.objects.filter(supplier=people.supplier_org).update(starts_on="2020-01-01", ends_on="2020-12-31")
    assert login(people.supplier_admin).get(NEW_URL).status_code == 403

    suggestion = TextSuggestion.objects.create(
        product=world["product"],
        field="summary",
        base_text="Organisation.",
        proposed_text="Ny.",
        author=people.authority_admin,
    )
    decide = reverse("products:suggestion_decide", args=["os2mo", suggestion.pk])
    # Neither the author nor anyone else but the coordinator and the secretariat decides.
    assert login(people.authority_admin).post(decide, {"decision": "accept"}).status_code == 403
    assert login(people.outsider).get(suggestion.get_absolute_url()).status_code == 404
    assert login(people.outsider).post(decide, {"decision": "accept"}).status_code == 404
    assert login(people.secretariat).post(decide, {"decision": "accept"}).status_code == 302
    world["product"].refresh_from_db()
    assert world["product"].summary == "Ny."


def test_a_text_changed_since_the_suggestion_is_never_overwritten_silently(login, people, world):
    suggest(login(people.supplier_admin), proposed=PURPOSE + "\n\nNy sidste linje.")
    suggestion = TextSuggestion.objects.get()
    # Meanwhile the coordinator edits the text directly.
    edited = "Helt ny formulering af formålet."
    Product.objects.filter(pk=world["product"].pk).update(purpose=edited)
    coordinator = login(world["coordinator"])
    decide = reverse("products:suggestion_decide", args=["os2mo", suggestion.pk])

    # A decision that has not seen the current text is refused, with the difference from the current text.
    response = coordinator.post(decide, {"decision": "accept"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing is saved" in page and f"<del>{edited}</del>" in page
    world["product"].refresh_from_db()
    assert world["product"].purpose == edited and TextSuggestion.objects.get().status == "pending"

    # The page says so before the decision, and accepting from it replaces the text deliberately.
    page = coordinator.get(suggestion.get_absolute_url()).content.decode()
    assert "The text has changed since the suggestion was written" in page
    seen = re.search(r'name="seen" value="([0-9a-f]+)"', page).group(1)
    assert seen == fingerprint(edited)
    # Had the text changed once more after the page was shown, that decision would be refused too.
    Product.objects.filter(pk=world["product"].pk).update(purpose=edited + " Igen.")
    assert coordinator.post(decide, {"decision": "accept", "seen": seen}).status_code == 200
    Product.objects.filter(pk=world["product"].pk).update(purpose=edited)
    assert coordinator.post(decide, {"decision": "accept", "seen": seen}).status_code == 302
    world["product"].refresh_from_db()
    assert world["product"].purpose == PURPOSE + "\n\nNy sidste linje."


def test_a_text_changed_while_the_author_wrote_is_shown_before_sending(login, people, world):
    partner = login(people.supplier_admin)
    page = partner.get(NEW_URL, {"text": "purpose"}).content.decode()
    base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    Product.objects.filter(pk=world["product"].pk).update(purpose="Ændret imens.")
    response = partner.post(NEW_URL, {"text": "purpose", "base": base, "proposed_text": "Min tekst."})
    assert response.status_code == 200 and not TextSuggestion.objects.exists()
    page = response.content.decode()
    assert "has changed since you opened it" in page and "<del>Ændret imens.</del>" in page and "Min tekst." in page
    # The form now carries the current text's fingerprint: sending again is a deliberate choice.
    new_base = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    assert (
        partner.post(NEW_URL, {"text": "purpose", "base": new_base, "proposed_text": "Min tekst."}).status_code == 302
    )
    assert TextSuggestion.objects.get().base_text == "Ændret imens."


def test_rejecting_needs_a_reason_which_the_author_gets(login, people, world, django_capture_on_commit_callbacks):
    suggest(login(people.authority_admin), proposed="Kortere.")
    suggestion = TextSuggestion.objects.get()
    coordinator = login(world["coordinator"])
    decide = reverse("products:suggestion_decide", args=["os2mo", suggestion.pk])
    response = coordinator.post(decide, {"decision": "reject", "reason": ""})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert TextSuggestion.objects.get().status == "pending"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(decide, {"decision": "reject", "reason": "Teksten skal forklare værdien."})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason) == ("rejected", "Teksten skal forklare værdien.")
    assert mail.outbox[-1].to == ["kommune@example.dk"] and "Teksten skal forklare værdien." in mail.outbox[-1].body
    world["product"].refresh_from_db()
    assert world["product"].purpose == PURPOSE
    # Decided once: a second decision is refused and changes nothing.
    response = coordinator.post(decide, {"decision": "accept"}, follow=True)
    assert "decided already" in response.content.decode()
    world["product"].refresh_from_db()
    assert world["product"].purpose == PURPOSE


def test_accepting_one_suggestion_outdates_the_others_on_the_same_text(
    login, people, world, django_capture_on_commit_callbacks
):
    suggest(login(people.supplier_admin), proposed="Leverandørens udgave.")
    suggest(login(people.authority_admin), proposed="Kommunens udgave.")
    suggest(login(people.authority_admin), text="value", proposed="Værdien.")
    first, second, other_field = TextSuggestion.objects.order_by("pk")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        login(world["coordinator"]).post(
            reverse("products:suggestion_decide", args=["os2mo", second.pk]), {"decision": "accept"}
        )
    statuses = dict(TextSuggestion.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "outdated", second.pk: "accepted", other_field.pk: "pending"}
    assert sorted(m.to[0] for m in mail.outbox) == ["kommune@example.dk", "leverandoer@example.dk"]


def test_a_wiki_page_suggestion_is_saved_as_a_revision(login, people, world):
    page = wiki.wiki_page_save(product=world["product"], user=world["coordinator"], title="Kom i gang", body="Trin 1.")
    suggest(login(people.supplier_admin), text=f"wiki:{page.slug}", proposed="Trin 1.\nTrin 2.")
    suggestion = TextSuggestion.objects.get()
    assert (suggestion.field, suggestion.page) == ("wiki", page)
    login(world["coordinator"]).post(
        reverse("products:suggestion_decide", args=["os2mo", suggestion.pk]), {"decision": "accept"}
    )
    page.refresh_from_db()
    assert page.body == "Trin 1.\nTrin 2."
    latest = page.revisions.order_by("-pk").first()
    assert latest.author == world["coordinator"] and "Lene Leverandør" in latest.comment


def test_hostile_and_useless_suggestions_are_refused(login, people, world):
    partner = login(people.supplier_admin)
    for data, message in [
        ({"proposed": "Hej\x07"}, "control character"),
        ({"proposed": PURPOSE}, "same as the current text"),
        ({"text": "summary", "proposed": "To\nlinjer"}, "single line"),
        ({"text": "summary", "proposed": "x" * 301}, "at most 300"),
        ({"proposed": "Ok", "comment": "\x00"}, "Null characters are not allowed"),
    ]:
        response = suggest(
            partner, text=data.get("text", "purpose"), proposed=data["proposed"], comment=data.get("comment", "")
        )
        assert response.status_code == 200 and message in response.content.decode(), message
    # A forged text (a field that is not the page's, a group's wiki page, NUL) is not offered.
    for key in ("coordinator", "official_level", "wiki:nope", "purpose\x00"):
        response = partner.post(NEW_URL, {"text": key, "base": "0", "proposed_text": "x"})
        assert response.status_code == 200 and "Choose one of the product page" in response.content.decode()
    assert not TextSuggestion.objects.exists()

    # Markdown is rendered safely on the suggestion's page; the diff shows the text escaped.
    suggest(partner, proposed="<script>alert(1)</script>\n\n[klik](javascript:alert(1)) **fed**")
    suggestion = TextSuggestion.objects.get()
    page = login(world["coordinator"]).get(suggestion.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and 'href="javascript' not in page
    assert "<strong>fed</strong>" in page and "&lt;script&gt;" in page


def test_the_suggestion_list_costs_the_same_for_many_suggestions(login, people, world, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            author = people.supplier_admin if i % 2 else people.authority_admin
            TextSuggestion.objects.create(
                product=world["product"],
                field="value",
                base_text="",
                proposed_text=f"Tekst {i}",
                author=author,
                organisation=people.supplier_org,
            )

    coordinator = login(world["coordinator"])
    url = reverse("products:suggestions", args=["os2mo"])
    add(2)
    coordinator.get(url)
    with django_assert_max_num_queries(15) as few:
        assert coordinator.get(url).status_code == 200
    add(25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = coordinator.get(url).content.decode()
    assert page.count("/suggestions/") >= 27
    # The author sees their own only.
    own = login(people.supplier_admin).get(url).content.decode()
    assert own.count('href="/products/os2mo/suggestions/') - own.count("suggestions/new/") == 13
