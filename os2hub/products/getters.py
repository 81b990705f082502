"""One door per permission for products and their communities."""

from django.http import Http404

from os2hub.accounts.models import Membership, Organisation

from .models import Group, GroupMember, Product


def get_product(slug) -> Product:
    """Every product is public to read."""
    if "\x00" in str(slug):
        raise Http404  # PostgreSQL cannot even compare with a NUL character
    product = Product.objects.filter(slug=slug).select_related("coordinator").first()
    if product is None:
        raise Http404
    return product


def product_roles(user, product) -> set[str]:
    """The user's roles on the product: coordinator, steering_group, coordination_group, faggruppe."""
    if not user.is_authenticated:
        return set()
    roles = set(GroupMember.objects.filter(user=user, group__product=product).values_list("group__kind", flat=True))
    if product.coordinator_id == user.pk:
        roles.add("coordinator")
    return roles


def can_edit_product(user, product) -> bool:
    return user.is_authenticated and (product.coordinator_id == user.pk or user.is_secretariat)


def get_product_for_user(user, slug, *, write=False) -> Product:
    """The product, for reading by anyone; write=True needs its coordinator or the secretariat (else 404,
    so that nobody learns more than the public page shows)."""
    product = get_product(slug)
    if write and not can_edit_product(user, product):
        raise Http404
    return product


def can_edit_group(user, group: Group) -> bool:
    """Group members edit their group's wiki pages; the coordinator and the secretariat edit every group."""
    if not user.is_authenticated:
        return False
    if can_edit_product(user, group.product):
        return True
    return group.members.filter(user=user).exists()


def get_group_for_user(user, product, pk, *, write=False) -> Group:
    group = Group.objects.filter(product=product, pk=pk).first()
    if group is None or (write and not can_edit_group(user, group)):
        raise Http404
    return group


def visible_agreements(user, product, agreements) -> list:
    """The product's agreements whose fees the user may see: the authority's own, all for the product's
    steering group and the secretariat. At most two queries, however many agreements there are."""
    if not user.is_authenticated:
        return []
    if (
        user.is_secretariat
        or GroupMember.objects.filter(user=user, group__product=product, group__kind=Group.Kind.STEERING).exists()
    ):
        return list(agreements)
    own = set(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    return [a for a in agreements if a.organisation_id in own]


def can_see_agreement_amounts(user, agreement) -> bool:
    return bool(visible_agreements(user, agreement.product_id, [agreement]))


def authority_for_admin(user) -> Organisation | None:
    """The authority the user administers (the first, if several)."""
    if not user.is_authenticated:
        return None
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.AUTHORITY, memberships__user=user, memberships__role=Membership.Role.ADMIN
        )
        .order_by("name")
        .first()
    )
