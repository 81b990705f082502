"""One door per permission for news posts and events, and the questions of who may do what with them.

- Everyone reads published (and cancelled) events and published news.
- The secretariat publishes, rejects and cancels any event; a product's coordinator those of the product and of
  its groups ("publishers").
- An event's organisers are the members of its organising organisation and of the co-hosts that accepted; they,
  the publishers and an invited co-host see an event before it is published. Organisers edit the event, invite
  co-hosts, put items on the agenda and see the list of participants.
- News: the product's coordinator and the secretariat write and review; partners with a supplier role on the
  product and authorities that adopt it propose posts, which wait for review.
A write that is not the person's is a 404, as for the product itself."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from os2hub.accounts.models import Organisation
from os2hub.core.roles import AUTHORITY, SECRETARIAT, SUPPLIER, roles_for
from os2hub.products.getters import can_edit_product
from os2hub.products.models import Adoption, Product, SupplierRole
from os2hub.suppliers.models import SupplierApplication

from .models import CoHost, Event, NewsPost, Registration

# --- News -----------------------------------------------------------------------------------------------------


def can_review_news(user, product) -> bool:
    """The coordinator and the secretariat write news directly and review what others propose."""
    return can_edit_product(user, product)


def news_author_organisation_ids(user, product) -> set[int]:
    """The user's organisations that may propose news for the product: approved partners with a current supplier
    role on it, and authorities that adopt it."""
    roles = roles_for(user)
    if not roles.authenticated:
        return set()
    partners = roles.partner_organisations()
    authorities = roles.organisation_ids(AUTHORITY)
    found = set()
    if partners:
        today = timezone.localdate()
        found |= set(
            SupplierRole.objects.filter(product=product, supplier__in=partners, starts_on__lte=today)
            .exclude(ends_on__lt=today)
            .values_list("supplier_id", flat=True)
        )
    if authorities:
        found |= set(
            Adoption.objects.filter(product=product, organisation__in=authorities).values_list(
                "organisation_id", flat=True
            )
        )
    return found


def can_see_news(user, post) -> bool:
    if post.status == NewsPost.Status.PUBLISHED:
        return True
    if not user.is_authenticated:
        return False
    return can_review_news(user, post.product) or (
        post.organisation_id is not None and roles_for(user).member(post.organisation_id)
    )


def get_news_for_user(user, product, pk, *, write=False) -> NewsPost:
    """A post of the product. Unpublished posts only for their author organisation and the reviewers; write=True
    needs the coordinator or the secretariat."""
    post = NewsPost.objects.filter(product=product, pk=pk).select_related("author", "organisation").first()
    if post is None:
        raise Http404
    post.product = product  # already loaded; saves a query in get_absolute_url
    if (write and not can_edit_product(user, product)) or not can_see_news(user, post):
        raise Http404
    return post


# --- Events ---------------------------------------------------------------------------------------------------


def _product_of(event) -> Product | None:
    if event.product_id:
        return event.product
    if event.group_id:
        return event.group.product
    return None


def can_publish_event(user, event) -> bool:
    """The secretariat for any event; the product's coordinator for the product's and its groups' events."""
    roles = roles_for(user)
    if roles.secretariat:
        return True
    product = _product_of(event)
    return product is not None and roles.coordinator(product)


def organiser_organisation_ids(event) -> set[int]:
    """The organising organisation and the co-hosts that accepted (one query, kept on the event)."""
    if not hasattr(event, "_organiser_ids"):
        ids = {event.organisation_id} if event.organisation_id else set()
        ids |= set(event.cohosts.filter(status=CoHost.Status.ACCEPTED).values_list("organisation_id", flat=True))
        event._organiser_ids = ids
    return event._organiser_ids


def is_organiser(user, event) -> bool:
    """A member of the organising organisation or of a co-host that accepted."""
    roles = roles_for(user)
    return roles.authenticated and bool(roles.organisation_ids() & organiser_organisation_ids(event))


def can_manage_event(user, event) -> bool:
    """Edit the event, invite co-hosts, put items on the agenda, see and download the participants: the
    organisers, the product's coordinator and the secretariat."""
    return is_organiser(user, event) or can_publish_event(user, event)


def invited_cohost(user, event) -> CoHost | None:
    """The invitation the user may answer for one of their organisations, if any."""
    roles = roles_for(user)
    own = roles.organisation_ids()
    if not own:
        return None
    return (
        event.cohosts.filter(organisation__in=own, status=CoHost.Status.INVITED).select_related("organisation").first()
    )


def can_see_event(user, event) -> bool:
    if event.status in (Event.Status.PUBLISHED, Event.Status.CANCELLED):
        return True
    if not user.is_authenticated:
        return False
    if can_manage_event(user, event):
        return True
    return bool(roles_for(user).organisation_ids() & set(event.cohosts.values_list("organisation_id", flat=True)))


def _event_queryset():
    return Event.objects.select_related("product", "group", "group__product", "organisation")


def get_event_for_user(user, product, pk, *, write=False) -> Event:
    """An event under a product's address (product None: an event of any scope under /events/). write=True
    needs someone who manages the event; an unpublished event is visible only to the people concerned."""
    if "\x00" in str(pk):
        raise Http404
    events = _event_queryset().filter(pk=pk)
    if product is not None:
        events = events.filter(product=product)
    event = events.first()
    if event is None or not can_see_event(user, event) or (write and not can_manage_event(user, event)):
        raise Http404
    return event


def get_registration_for_user(user, event) -> Registration | None:
    """The user's own sign-up for the event, if any (cancelled ones too)."""
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def organiser_choices(user) -> list[Organisation]:
    """For whom the user may propose an event: their authorities, their approved supplier partners and the
    secretariat."""
    roles = roles_for(user)
    if not roles.authenticated:
        return []
    ids = roles.organisation_ids(AUTHORITY) | roles.partner_organisations() | roles.organisation_ids(SECRETARIAT)
    return list(Organisation.objects.filter(pk__in=ids).order_by("kind", "name")) if ids else []


def can_propose_event(user) -> bool:
    roles = roles_for(user)
    return roles.authenticated and bool(
        roles.organisation_ids(AUTHORITY) | roles.partner_organisations() | roles.organisation_ids(SECRETARIAT)
    )


def cohost_candidates(event):
    """Organisations that may be invited: confirmed authorities and approved supplier partners, not the organiser
    and not invited already."""
    taken = set(event.cohosts.values_list("organisation_id", flat=True))
    if event.organisation_id:
        taken.add(event.organisation_id)
    partners = SupplierApplication.objects.filter(
        organisation=OuterRef("pk"), status=SupplierApplication.Status.APPROVED
    )
    return (
        Organisation.objects.filter(
            Q(kind=AUTHORITY, status=Organisation.Status.CONFIRMED) | Q(Exists(partners), kind=SUPPLIER)
        )
        .exclude(pk__in=taken)
        .order_by("name")
        .only("pk", "name", "slug", "kind")
    )
