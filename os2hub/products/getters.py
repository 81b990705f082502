"""One door per permission for products and their communities.

What a person is to a product (coordinator, member of its groups, secretariat) and to an organisation comes from
core.roles, computed once per request; the rules built on it are here.
"""

from django.core.exceptions import ValidationError
from django.http import Http404

from os2hub.accounts.models import Organisation
from os2hub.core import roles as core_roles
from os2hub.core.roles import roles_for

from . import workflow
from .models import Group, GroupJoinRequest, GroupMember, Product, PublicCodeImport, TextSuggestion, WikiPage
from .selectors import current_roles_filter


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
    return roles_for(user).product_roles(product)


def can_edit_product(user, product) -> bool:
    """The coordinator and the secretariat edit the product's page, groups, repositories and supplier roles."""
    return core_roles.can_edit_product(user, product)


def can_create_product(user) -> bool:
    """The secretariat adds products to the catalogue."""
    return roles_for(user).secretariat


def can_appoint_coordinator(user) -> bool:
    """Only the secretariat appoints (or changes) a product's coordinator."""
    return roles_for(user).secretariat


def get_product_for_user(user, slug, *, write=False) -> Product:
    """The product, for reading by anyone; write=True needs its coordinator or the secretariat (else 404,
    so that nobody learns more than the public page shows)."""
    product = get_product(slug)
    if write and not can_edit_product(user, product):
        raise Http404
    return product


def get_publiccode_import_for_user(user, product, pk) -> PublicCodeImport:
    """A publiccode.yml import of the product, for the person who started it while they may still edit the
    product (else 404)."""
    found = PublicCodeImport.objects.filter(product=product, pk=pk, created_by_id=user.pk).first()
    if found is None or not can_edit_product(user, product):
        raise Http404
    return found


# --- Groups and their wiki pages ------------------------------------------------------------------------------


def can_edit_group(user, group: Group) -> bool:
    """Group members edit their group's wiki pages; the coordinator and the secretariat edit every group."""
    if not user.is_authenticated:
        return False
    if can_edit_product(user, group.product):
        return True
    # A product can have several professional groups (one kind), so core.roles' kinds cannot tell which.
    return group.members.filter(user=user).exists()


def editable_group_ids(user, product, groups) -> set[int]:
    """The groups among `groups` whose pages the user may edit, in one query instead of one per group.
    Mirrors can_edit_group."""
    if not user.is_authenticated:
        return set()
    if can_edit_product(user, product):
        return {g.pk for g in groups}
    return set(GroupMember.objects.filter(user=user, group__product=product).values_list("group_id", flat=True))


def get_group_for_user(user, product, pk, *, write=False) -> Group:
    group = Group.objects.filter(product=product, pk=pk).first()
    if group is None or (write and not can_edit_group(user, group)):
        raise Http404
    return group


def can_edit_page(user, page: WikiPage) -> bool:
    """A group's pages are edited by its members (and the coordinator and secretariat); product pages by the
    coordinator and the secretariat."""
    if page.group_id:
        return can_edit_group(user, page.group)
    return can_edit_product(user, page.product)


def get_page_for_user(user, product, slug, *, write=False) -> WikiPage:
    """Every page is public to read; write=True needs the right to edit it (else 404, like the product)."""
    page = WikiPage.objects.filter(product=product, slug=slug).select_related("product", "group__product").first()
    if page is None or (write and not can_edit_page(user, page)):
        raise Http404
    return page


# --- Adoptions and joining agreements -------------------------------------------------------------------------


def is_authority_admin(user, organisation) -> bool:
    """An administrator of this organisation, which is a public authority."""
    return organisation.kind == Organisation.Kind.AUTHORITY and roles_for(user).admin(organisation)


def can_record_agreement(user, organisation) -> bool:
    """The authority's own administrators and the secretariat record its joining agreements, once the OS2
    secretariat has confirmed the authority: for one that waits (or was not confirmed), ValidationError on
    `organisation` says why and what to do, so the form and the API show it."""
    allowed = roles_for(user).secretariat or is_authority_admin(user, organisation)
    refusal = organisation.confirmation_refusal() if allowed else ""
    if refusal:
        raise ValidationError({"organisation": [refusal]})
    return allowed


def visible_agreements(user, product, agreements) -> list:
    """The product's agreements whose fees the user may see: the authority's own, all for the product's
    steering group and the secretariat. `product` may be the product or its id."""
    if not user.is_authenticated:
        return []
    roles = roles_for(user)
    if roles.secretariat or roles.in_group(product, Group.Kind.STEERING):
        return list(agreements)
    own = roles.organisation_ids()
    return [a for a in agreements if a.organisation_id in own]


def can_see_agreement_amounts(user, agreement) -> bool:
    return bool(visible_agreements(user, agreement.product_id, [agreement]))


def _administered_authorities(user):
    roles = roles_for(user)
    ids = {org for org in roles.organisation_ids(Organisation.Kind.AUTHORITY) if roles.admin(org)}
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def authority_for_admin(user) -> Organisation | None:
    """The authority the user administers (the first, if several)."""
    if not user.is_authenticated:
        return None
    return _administered_authorities(user).first()


def agreement_authorities(user):
    """The authorities the user may record joining agreements for: every one for the secretariat, else those
    the user administers."""
    if roles_for(user).secretariat:
        return Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY).order_by("name")
    return _administered_authorities(user)


# --- Joining groups -------------------------------------------------------------------------------------------


def group_join_organisations(user, group: Group) -> list[Organisation]:
    """The person's organisations through which they may sit in the group, as its kind allows: member
    authorities the secretariat has confirmed, and approved supplier partners. Empty for everyone else."""
    if not user.is_authenticated:
        return []
    roles = roles_for(user)
    kinds = group.joinable_kinds
    ids = set()
    if Organisation.Kind.AUTHORITY in kinds:
        ids |= roles.organisation_ids(Organisation.Kind.AUTHORITY)
    if Organisation.Kind.SUPPLIER in kinds:
        ids |= roles.partner_organisations()
    if not ids:
        return []
    return [o for o in Organisation.objects.filter(pk__in=ids).order_by("name") if not o.awaits_confirmation]


def is_chair(user, group: Group) -> bool:
    return workflow.chairs(roles_for(user), group)


def can_decide_join_requests(user, group: Group) -> bool:
    """The chair, the product's coordinator and the secretariat answer requests to join (see workflow.py)."""
    roles = roles_for(user)
    return workflow.chairs(roles, group) or workflow.edits_product(roles, group.product)


def get_join_request_for_decider(user, group: Group, pk) -> GroupJoinRequest:
    """A request to join the group, for those who answer it (else 404)."""
    join_request = GroupJoinRequest.objects.filter(group=group, pk=pk).select_related("user", "organisation").first()
    if join_request is None or not can_decide_join_requests(user, group):
        raise Http404
    join_request.group = group
    return join_request


# --- Text suggestions -----------------------------------------------------------------------------------------


def suggestion_organisations(user, product: Product) -> list[Organisation]:
    """The person's organisations that give them a say on the product's texts: approved supplier partners with a
    current role on the product, and authorities that use it. Empty for everyone else."""
    if not user.is_authenticated:
        return []
    roles = roles_for(user)
    ids = set()
    partners = roles.partner_organisations()
    if partners:
        ids |= set(
            product.supplier_roles.filter(current_roles_filter(), supplier__in=partners).values_list(
                "supplier_id", flat=True
            )
        )
    authorities = roles.organisation_ids(Organisation.Kind.AUTHORITY)
    if authorities:
        ids |= set(product.adoptions.filter(organisation__in=authorities).values_list("organisation_id", flat=True))
    if not ids:
        return []
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def can_suggest_text(user, product: Product) -> bool:
    return bool(suggestion_organisations(user, product))


def can_decide_suggestions(user, product: Product) -> bool:
    """The coordinator and the secretariat, who edit the product page, decide on suggestions for it."""
    return can_edit_product(user, product)


def get_suggestion_for_user(user, product: Product, pk) -> TextSuggestion:
    """A suggestion, for its author and for those who decide on it (else 404)."""
    suggestion = (
        TextSuggestion.objects.filter(product=product, pk=pk)
        .select_related("author", "organisation", "decided_by", "page")
        .first()
    )
    if suggestion is None or not user.is_authenticated:
        raise Http404
    if suggestion.author_id != user.pk and not can_decide_suggestions(user, product):
        raise Http404
    suggestion.product = product
    return suggestion
