"""Writes on products and their communities: the product itself, repositories, supplier roles, adoptions,
joining agreements and groups.

Whoever changes a product's texts keeps its search document up to date (`search.index_products`): the model
knows nothing of search, so the writes here index what they saved."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from os2hub.accounts.models import Organisation
from os2hub.accounts.services import DANISH_LETTERS
from os2hub.core.roles import forget
from os2hub.core.text import check_text
from os2hub.core.workflow import TransitionConflict
from os2hub.suppliers.models import SupplierApplication
from os2hub.suppliers.uploads import check_pdf

from . import publiccode
from .getters import (
    can_appoint_coordinator,
    can_create_product,
    can_edit_product,
    can_record_agreement,
    is_authority_admin,
)
from .models import (
    Adoption,
    Group,
    GroupMember,
    JoiningAgreement,
    Product,
    PublicCodeImport,
    Repository,
    SupplierRole,
)
from .search import index_products

PRODUCT_FIELDS = (
    "name",
    "summary",
    "purpose",
    "value",
    "target_group",
    "getting_started",
    "help_support",
    "cost",
    "status",
    "licence",
    "website",
    "coordinator",
    # For publiccode.yml (products/publiccode.py).
    "summary_en",
    "purpose_en",
    "features",
    "features_en",
    "screenshots",
    "logo_url",
    "platforms",
    "dependencies",
    "maintenance_type",
    "development_status",
    "software_type",
)


def _require_editor(product, user):
    if not can_edit_product(user, product):
        raise PermissionDenied


# Paths under /products/ that are not products.
RESERVED_SLUGS = {"new"}


def product_slug(name: str) -> str:
    base = slugify(name.translate(DANISH_LETTERS))[:70] or "produkt"
    if base in RESERVED_SLUGS:
        base = f"{base}-produkt"
    slug, n = base, 2
    while Product.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def product_create(*, user, data: dict, categories=None) -> Product:
    """The secretariat adds a product to the catalogue."""
    if not can_create_product(user):
        raise PermissionDenied
    return _save_product(Product(slug=product_slug(data.get("name", ""))), user, data, categories)


def product_update(*, product, user, data: dict, categories=None) -> Product:
    _require_editor(product, user)
    return _save_product(product, user, data, categories)


def _save_product(product, user, data, categories) -> Product:
    check_text(data)
    for field in PRODUCT_FIELDS:
        if field == "coordinator" and not can_appoint_coordinator(user):
            continue  # only the secretariat appoints the coordinator
        if field in data:
            setattr(product, field, data[field])
    product.full_clean()
    with transaction.atomic():
        if product._state.adding:
            product.save()
        else:
            # Only the edited fields: the official level is written by the decision log alone, and a page
            # edited while a decision is recorded must not write the old level back.
            product.save(update_fields=[*(f for f in PRODUCT_FIELDS if f in data), "updated_at"])
        if categories is not None:
            product.categories.set(categories)
        # The texts may have changed: the catalogue search reads them from the search document.
        index_products(Product.objects.filter(pk=product.pk))
    return product


# How long a started import waits for its accept; older ones are deleted when someone starts a new one.
PUBLICCODE_IMPORT_KEPT = timedelta(days=2)


def publiccode_import_start(*, product, user, text: str, source: str = "") -> PublicCodeImport:
    """Keep a publiccode.yml (already fetched or pasted, at most publiccode.MAX_BYTES) for the coordinator to
    compare and accept: the accept writes from this row, never from what the browser sends back."""
    _require_editor(product, user)
    publiccode.check_size(text)
    check_text({"text": text})
    with transaction.atomic():
        PublicCodeImport.objects.filter(
            Q(created_at__lt=timezone.now() - PUBLICCODE_IMPORT_KEPT) | Q(product=product, created_by=user)
        ).delete()
        return PublicCodeImport.objects.create(product=product, created_by=user, text=text, source=source[:300])


def product_import_publiccode(
    *, product, user, proposal: dict, fields, fingerprint: str | None = None, contractors=()
) -> Product:
    """Write the chosen fields of a publiccode.yml's proposal (publiccode.proposal) in one transaction, and make
    the chosen contractors (approved supplier partners, publiccode.contractors) supplier roles in development.
    With `fingerprint`, refuses (TransitionConflict) when the product changed since the diff was made: a
    coordinator never overwrites an edit they have not seen."""
    _require_editor(product, user)
    data = {field: proposal[field] for field in fields if field in publiccode.FIELDS and field in proposal}
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        if fingerprint is not None and publiccode.fingerprint(locked) != fingerprint:
            raise TransitionConflict(
                _("The product was changed after the comparison was made. Look at the comparison again.")
            )
        if data:
            _save_product(locked, user, data, None)
        today = timezone.localdate()
        for contractor in contractors:
            supplier, until = contractor["partner"], contractor.get("until")
            ends_on = until if until and until >= today else None
            already = SupplierRole.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=today),
                product=locked,
                supplier=supplier,
                role=SupplierRole.Role.DEVELOPMENT,
            )
            if not already.exists():
                supplier_role_add(
                    product=locked,
                    user=user,
                    supplier=supplier,
                    role=SupplierRole.Role.DEVELOPMENT,
                    starts_on=today,
                    ends_on=ends_on,
                )
    product.refresh_from_db()
    return locked


def repository_add(*, product, user, url: str) -> Repository:
    _require_editor(product, user)
    url = (url or "").strip()
    repository = Repository(product=product, url=url, position=product.repositories.count())
    repository.full_clean(exclude=["product"])
    if product.repositories.filter(url=url).exists():
        raise ValidationError({"url": _("This repository is already listed.")})
    try:
        with transaction.atomic():
            repository.save()
    except IntegrityError:
        raise ValidationError({"url": _("This repository is already listed.")}) from None
    return repository


def repository_remove(*, product, user, repository: Repository) -> None:
    _require_editor(product, user)
    repository.delete()


def supplier_role_add(*, product, user, supplier: Organisation, role: str, starts_on, ends_on=None) -> SupplierRole:
    """Attach an approved supplier partner to the product in a role."""
    _require_editor(product, user)
    if not SupplierApplication.objects.approved().filter(organisation=supplier).exists():
        raise ValidationError({"supplier": _("Only approved supplier partners can have a role on a product.")})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period cannot end before it starts.")})
    supplier_role = SupplierRole(product=product, supplier=supplier, role=role, starts_on=starts_on, ends_on=ends_on)
    supplier_role.full_clean(exclude=["product", "supplier"])
    overlapping = SupplierRole.objects.filter(product=product, supplier=supplier, role=role).exclude(
        ends_on__lt=starts_on
    )
    if ends_on:
        overlapping = overlapping.exclude(starts_on__gt=ends_on)
    if overlapping.exists():
        raise ValidationError(
            {"role": _("%(supplier)s already has this role in that period.") % {"supplier": supplier.name}}
        )
    supplier_role.save()
    return supplier_role


def supplier_role_end(*, product, user, supplier_role: SupplierRole, ends_on) -> SupplierRole:
    _require_editor(product, user)
    if ends_on < supplier_role.starts_on:
        raise ValidationError({"ends_on": _("The period cannot end before it starts.")})
    supplier_role.ends_on = ends_on
    supplier_role.save(update_fields=["ends_on"])
    return supplier_role


def _require_authority_admin(user, organisation):
    if not is_authority_admin(user, organisation):
        raise PermissionDenied


def adoption_add(*, product, user, organisation) -> Adoption:
    """An authority admin records that the authority uses the product. Once per authority."""
    _require_authority_admin(user, organisation)
    try:
        with transaction.atomic():
            return Adoption.objects.create(product=product, organisation=organisation, created_by=user)
    except IntegrityError:
        raise ValidationError(
            _("%(org)s already uses %(product)s.") % {"org": organisation.name, "product": product.name}
        ) from None


def adoption_remove(*, product, user, organisation) -> None:
    _require_authority_admin(user, organisation)
    Adoption.objects.filter(product=product, organisation=organisation).delete()


def agreement_add(*, product, user, organisation, data: dict, document=None) -> JoiningAgreement:
    """Record a joining agreement. The authority's own admins and the secretariat may."""
    if not can_record_agreement(user, organisation):
        raise PermissionDenied
    if organisation.kind != Organisation.Kind.AUTHORITY:
        raise ValidationError({"organisation": _("Joining agreements are made with public authorities.")})
    agreement = JoiningAgreement(product=product, organisation=organisation, created_by=user, **data)
    agreement.full_clean(exclude=["product", "organisation", "document"])
    if agreement.ends_on and agreement.ends_on < agreement.starts_on:
        raise ValidationError({"ends_on": _("The period cannot end before it starts.")})
    if document:
        check_pdf(document)
        agreement.document.save(f"{get_random_string(16)}.pdf", ContentFile(document.read()), save=False)
    with transaction.atomic():
        agreement.save()
        # A joining agreement means the authority uses the product.
        Adoption.objects.get_or_create(product=product, organisation=organisation, defaults={"created_by": user})
    return agreement


def group_save(
    *,
    product,
    user,
    kind: str,
    name: str,
    kommissorium: str = "",
    is_open: bool | None = None,
    group: Group | None = None,
) -> Group:
    """Create or change a group. `is_open` None keeps what the group has (closed for a new one)."""
    _require_editor(product, user)
    check_text({"name": name, "kommissorium": kommissorium})
    group = group or Group(product=product)
    group.kind, group.name, group.kommissorium = kind, name.strip(), kommissorium
    if is_open is not None:
        group.is_open = bool(is_open)
    group.full_clean(exclude=["product"])
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise ValidationError({"kind": _("The product already has a group of this kind.")}) from None
    return group


def group_member_add(*, group, user, member_user, organisation=None, role="member") -> GroupMember:
    _require_editor(group.product, user)
    try:
        with transaction.atomic():
            member = GroupMember.objects.create(group=group, user=member_user, organisation=organisation, role=role)
    except IntegrityError:
        raise ValidationError({"email": _("%(person)s is already in the group.") % {"person": member_user}}) from None
    forget(member_user)  # the person's roles on the product changed
    return member


def group_member_remove(*, group, user, member: GroupMember) -> None:
    _require_editor(group.product, user)
    member.delete()
    forget(member.user)
