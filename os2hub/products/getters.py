"""One door per permission for products and their communities."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from os2hub.accounts.models import Membership, Organisation

from .models import Group, GroupMember, Product


def get_product(slug) -> Product:
    """Every product is public to read."""
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


def can_see_agreement_amounts(user, agreement) -> bool:
    """Fees are visible to the authority itself, the product's steering group and the secretariat."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    if Membership.objects.filter(user=user, organisation=agreement.organisation_id).exists():
        return True
    return GroupMember.objects.filter(
        user=user, group__product=agreement.product_id, group__kind=Group.Kind.STEERING
    ).exists()


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


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
