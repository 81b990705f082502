"""Members take part in a product's groups themselves: joining an open group, asking to join a closed one (the
chair answers), handing the chair over and leaving - through the pages, as each persona."""

import pytest
from django.core import mail
from django.urls import reverse

from os2hub.core.roles import in_group
from os2hub.products.models import Adoption, Group, GroupJoinRequest, GroupMember, Product
from os2hub.products.selectors import group_join_requests_waiting

from .personas import OrganisationFactory, UserFactory, member


@pytest.fixture(autouse=True)
def english(client):
    """The pages in English, so the tests read the texts they were written with, whatever the catalogues say."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def world(people):
    coordinator = UserFactory(email="tovholder@example.dk", name="Tove Tovholder")
    product = Product.objects.create(name="OS2mo", slug="os2mo", summary="Organisation.", coordinator=coordinator)
    Adoption.objects.create(product=product, organisation=people.authority)
    steering = Group.objects.create(product=product, kind=Group.Kind.STEERING, name="Styregruppen")
    chair = member(UserFactory(email="formand@example.dk", name="Frida Formand"), people.authority2, role="member")
    GroupMember.objects.create(group=steering, user=chair, organisation=people.authority2, role="chair")
    faggruppe = Group.objects.create(
        product=product, kind=Group.Kind.PROFESSIONAL, name="Faggruppen for løn", is_open=True
    )
    return {
        "product": product,
        "coordinator": coordinator,
        "steering": steering,
        "faggruppe": faggruppe,
        "chair": chair,
    }


def group_url(group, name="products:group", *extra):
    return reverse(name, args=[group.product.slug, group.pk, *extra])


def test_groups_are_closed_unless_the_coordinator_opens_them(login, world):
    # The migration and the model make every group closed: steering and coordination groups hold a mandate.
    assert not Group.objects.create(product=world["product"], kind=Group.Kind.COORDINATION, name="K").is_open
    coordinator = login(world["coordinator"])
    coordinator.post(
        reverse("products:group_edit", args=["os2mo", world["steering"].pk]),
        {"kind": "steering_group", "name": "Styregruppen", "kommissorium": "", "is_open": "on"},
    )
    world["steering"].refresh_from_db()
    assert world["steering"].is_open
    page = coordinator.get(group_url(world["steering"])).content.decode()
    assert "Open group" in page


def test_a_member_of_an_authority_joins_an_open_group_at_once_and_leaves_after_confirming(login, people, world):
    group = world["faggruppe"]
    client = login(people.authority_admin)
    page = client.get(group_url(group)).content.decode()
    assert group_url(group, "products:group_join") in page
    response = client.post(group_url(group, "products:group_join"))
    assert response.status_code == 302
    seat = GroupMember.objects.get(group=group, user=people.authority_admin)
    assert (seat.role, seat.organisation) == ("member", people.authority)
    assert in_group(people.authority_admin, world["product"], Group.Kind.PROFESSIONAL)
    # The product page and the group page list the new member.
    assert people.authority_admin.get_full_name() in client.get(group_url(group)).content.decode()

    # Leaving asks first; nothing changes until the confirmation is posted.
    confirm = client.get(group_url(group, "products:group_leave"))
    assert confirm.status_code == 200 and GroupMember.objects.filter(pk=seat.pk).exists()
    client.post(group_url(group, "products:group_leave"))
    assert not GroupMember.objects.filter(group=group, user=people.authority_admin).exists()


def test_who_may_join_follows_the_groups_kind(login, people, world):
    # An approved supplier partner may join a professional group, not a steering group (the authorities' own).
    partner = login(people.supplier_admin)
    assert partner.post(group_url(world["steering"], "products:group_join")).status_code == 403
    assert partner.post(group_url(world["faggruppe"], "products:group_join")).status_code == 302
    assert GroupMember.objects.get(group=world["faggruppe"], user=people.supplier_admin).organisation == (
        people.supplier_org
    )
    # A supplier that is not a partner, an outsider and an authority the secretariat has not confirmed may not.
    pending_org = OrganisationFactory(name="Ny Kommune", slug="ny", status="pending")
    waiting = member(UserFactory(email="ny@example.dk"), pending_org)
    for person in (people.new_supplier_admin, people.outsider, waiting):
        client = login(person)
        page = client.get(group_url(world["faggruppe"])).content.decode()
        assert group_url(world["faggruppe"], "products:group_join") not in page
        assert client.post(group_url(world["faggruppe"], "products:group_join")).status_code == 403
    assert world["faggruppe"].members.count() == 1


def test_a_closed_group_takes_a_request_that_the_chair_approves(
    login, client, people, world, django_capture_on_commit_callbacks
):
    group = world["steering"]
    asker = login(people.authority_admin)
    # A closed group is asked to join, not joined directly.
    page = asker.get(group_url(group)).content.decode()
    assert "Ask to join" in page and "Join the group" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = asker.post(group_url(group, "products:group_join"), {"message": "Jeg er it-chef i Aarhus."})
    assert response.status_code == 302
    join_request = GroupJoinRequest.objects.get()
    assert (join_request.status, join_request.organisation) == ("pending", people.authority)
    assert not group.members.filter(user=people.authority_admin).exists()
    assert [m.to for m in mail.outbox] == [["formand@example.dk"]]
    assert "Jeg er it-chef i Aarhus." in mail.outbox[0].body
    # Asking twice is refused.
    again = asker.post(group_url(group, "products:group_join"), {"message": ""})
    assert GroupJoinRequest.objects.count() == 1 and again.status_code in (200, 302)

    # The chair sees the request on the group's page and in the list of what waits for them.
    client.logout()
    chair = login(world["chair"])
    page = chair.get(group_url(group)).content.decode()
    assert "Jeg er it-chef i Aarhus." in page and people.authority_admin.email in page
    assert list(group_join_requests_waiting(world["chair"])) == [join_request]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        chair.post(
            group_url(group, "products:group_join_decide", join_request.pk),
            {f"request-{join_request.pk}-decision": "approve"},
        )
    join_request.refresh_from_db()
    assert join_request.status == "approved" and join_request.decided_by == world["chair"]
    seat = group.members.get(user=people.authority_admin)
    assert (seat.role, seat.organisation) == ("member", people.authority)
    assert [m.to for m in mail.outbox] == [["kommune@example.dk"]]
    assert list(group_join_requests_waiting(world["chair"])) == []


def test_declining_needs_a_reason_which_the_person_gets(login, people, world, django_capture_on_commit_callbacks):
    group = world["steering"]
    join_request = GroupJoinRequest.objects.create(
        group=group, user=people.authority_admin, organisation=people.authority
    )
    chair = login(world["chair"])
    url = group_url(group, "products:group_join_decide", join_request.pk)
    prefix = f"request-{join_request.pk}"
    response = chair.post(url, {f"{prefix}-decision": "decline", f"{prefix}-reason": "  "})
    assert response.status_code == 200 and "Give a reason" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        chair.post(url, {f"{prefix}-decision": "decline", f"{prefix}-reason": "Gruppen er fuldtallig."})
    join_request.refresh_from_db()
    assert (join_request.status, join_request.reason) == ("declined", "Gruppen er fuldtallig.")
    assert not group.members.filter(user=people.authority_admin).exists()
    assert mail.outbox[-1].to == ["kommune@example.dk"] and "Gruppen er fuldtallig." in mail.outbox[-1].body
    # Answered already: a second decision changes nothing and says so.
    response = chair.post(url, {f"{prefix}-decision": "approve"}, follow=True)
    assert "answered already" in response.content.decode()
    assert not group.members.filter(user=people.authority_admin).exists()


def test_only_the_chair_the_coordinator_and_the_secretariat_answer(login, people, world):
    group = world["steering"]
    ordinary = member(UserFactory(email="medlem@example.dk"), people.authority2, role="member")
    GroupMember.objects.create(group=group, user=ordinary, organisation=people.authority2)
    requests = [
        GroupJoinRequest.objects.create(group=group, user=u, organisation=people.authority)
        for u in (people.authority_admin, UserFactory(email="a@example.dk"), UserFactory(email="b@example.dk"))
    ]
    decide = lambda client, r: client.post(  # noqa: E731
        group_url(group, "products:group_join_decide", r.pk), {f"request-{r.pk}-decision": "approve"}
    )
    for person in (ordinary, people.supplier_admin, people.outsider):
        assert decide(login(person), requests[0]).status_code == 404
        assert "join-requests" not in login(person).get(group_url(group)).content.decode()
    # A request of another group cannot be answered through this one.
    assert decide(login(world["chair"]), requests[0]).status_code == 302
    other = Group.objects.create(product=world["product"], kind=Group.Kind.COORDINATION, name="K")
    assert (
        login(world["chair"])
        .post(
            reverse("products:group_join_decide", args=["os2mo", other.pk, requests[1].pk]),
            {f"request-{requests[1].pk}-decision": "approve"},
        )
        .status_code
        == 404
    )
    assert decide(login(world["coordinator"]), requests[1]).status_code == 302
    assert decide(login(people.secretariat), requests[2]).status_code == 302
    assert group.members.count() == 5


def test_the_last_chair_hands_over_before_leaving(login, people, world):
    group = world["steering"]
    GroupMember.objects.create(group=group, user=people.authority_admin, organisation=people.authority)
    chair = login(world["chair"])
    page = chair.get(group_url(group, "products:group_leave")).content.decode()
    assert "only chair" in page and "Yes, leave the group" not in page
    chair.post(group_url(group, "products:group_leave"))
    assert group.members.filter(user=world["chair"], role="chair").exists()

    new_chair = group.members.get(user=people.authority_admin)
    chair.post(group_url(group, "products:group_chair_hand_over"), {"member": new_chair.pk})
    assert dict(group.members.values_list("user__email", "role")) == {
        "formand@example.dk": "member",
        "kommune@example.dk": "chair",
    }
    chair.post(group_url(group, "products:group_leave"))
    assert list(group.members.values_list("user__email", flat=True)) == ["kommune@example.dk"]
    # Only a chair hands over; a forged member of another group is refused.
    assert chair.post(group_url(group, "products:group_chair_hand_over"), {"member": new_chair.pk}).status_code == 404


def test_a_person_withdraws_a_request_and_hostile_input_is_refused(login, people, world):
    group = world["steering"]
    client = login(people.authority_admin)
    response = client.post(group_url(group, "products:group_join"), {"message": "Hej\x0bmed"})
    assert response.status_code == 200 and "control character" in response.content.decode()
    response = client.post(group_url(group, "products:group_join"), {"message": "x" * 1001})
    assert response.status_code == 200 and not GroupJoinRequest.objects.exists()
    # Taking part for an organisation that is not one's own is refused (with two to choose from, the field shows).
    member(people.authority_admin, people.authority2, role="member")
    response = client.post(group_url(group, "products:group_join"), {"organisation": people.supplier_org.pk})
    assert response.status_code == 200 and not GroupJoinRequest.objects.exists()
    client.post(group_url(group, "products:group_join"), {"organisation": people.authority2.pk, "message": "Hej"})
    join_request = GroupJoinRequest.objects.get()
    assert join_request.organisation == people.authority2
    assert "Withdraw the request" in client.get(group_url(group)).content.decode()
    client.post(group_url(group, "products:group_join_withdraw"))
    join_request.refresh_from_db()
    assert join_request.status == "withdrawn"
    assert client.get(reverse("products:group", args=["os2mo", 999999])).status_code == 404


def test_the_group_page_costs_the_same_with_many_members_and_requests(
    login, people, world, django_assert_max_num_queries
):
    group = world["steering"]

    def add(n, start):
        for i in range(start, start + n):
            person = member(UserFactory(email=f"p{i}@example.dk"), people.authority, role="member")
            GroupMember.objects.create(group=group, user=person, organisation=people.authority)
            asker = member(UserFactory(email=f"q{i}@example.dk"), people.authority, role="member")
            GroupJoinRequest.objects.create(group=group, user=asker, organisation=people.authority)

    chair = login(world["chair"])
    add(2, 0)
    chair.get(group_url(group))  # warm the session and the caches
    with django_assert_max_num_queries(20) as few:
        assert chair.get(group_url(group)).status_code == 200
    add(20, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = chair.get(group_url(group)).content.decode()
    assert page.count('class="join-request"') == 22
