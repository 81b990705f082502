from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.accounts.models import Organisation
from os2hub.core.forms import add_service_errors
from os2hub.core.htmx import wants_fragment
from os2hub.core.workflow import TransitionConflict
from os2hub.scanner import publiccode as standard_publiccode
from os2hub.scanner.messages import render as render_message

from . import contributions, publiccode, selectors, services
from .forms import (
    AgreementForm,
    CatalogueFilterForm,
    GroupForm,
    GroupMemberForm,
    ProductForm,
    PublicCodeSourceForm,
    RepositoryForm,
    SupplierRoleForm,
)
from .getters import (
    agreement_authorities,
    authority_for_admin,
    can_appoint_coordinator,
    can_create_product,
    can_edit_product,
    can_see_agreement_amounts,
    get_group_for_user,
    get_product,
    get_product_for_user,
    get_publiccode_import_for_user,
    product_roles,
    suggestion_organisations,
    visible_agreements,
)
from .models import GroupMember, JoiningAgreement, Product, Repository, SupplierRole, WikiPage, dependency_lines

# --- Catalogue and product page -----------------------------------------------------------------------------


GROUP_ORDER = {"steering_group": 0, "coordination_group": 1, "faggruppe": 2}


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.catalogue(**{k: v for k, v in filters.items() if v})
    page = Paginator(qs, 20).get_page(request.GET.get("side"))
    context = {"form": form, "page": page, "can_create": can_create_product(request.user)}
    return render(
        request, "products/catalogue.html#results" if wants_fragment(request) else "products/catalogue.html", context
    )


def _detail_product(slug):
    product = get_product(slug)
    return (
        Product.objects.filter(pk=product.pk)
        .select_related("coordinator")
        .prefetch_related(
            "categories",
            "repositories",
            "adoptions__organisation",
            Prefetch("supplier_roles", queryset=SupplierRole.objects.select_related("supplier")),
            Prefetch("groups__members", queryset=GroupMember.objects.select_related("user", "organisation")),
            Prefetch("agreements", queryset=JoiningAgreement.objects.select_related("organisation")),
            "documents",
            Prefetch("wiki_pages", queryset=WikiPage.objects.defer("body")),
            Prefetch("groups__wiki_pages", queryset=WikiPage.objects.defer("body")),
        )
        .get()
    )


def detail(request, slug):
    product = _detail_product(slug)
    user = request.user
    can_edit = can_edit_product(user, product)
    authority = authority_for_admin(user)
    adopted = authority is not None and any(a.organisation_id == authority.pk for a in product.adoptions.all())
    agreements = visible_agreements(user, product, product.agreements.all())
    return render(
        request,
        "products/detail.html",
        {
            "product": product,
            "can_edit": can_edit,
            "roles": product_roles(user, product),
            "concentration": selectors.concentration(product),
            # Steering group first, then the coordination group, then the professional groups.
            "groups": sorted(product.groups.all(), key=lambda g: (GROUP_ORDER.get(g.kind, 9), g.name)),
            "checklist": selectors.readiness(product),
            # What the apps above products show here (scans: the latest scan of each repository).
            **contributions.detail_context(user, product),
            "authority": authority,
            "adopted": adopted,
            # Members contribute: the coordinator sees what waits, partners and users may suggest new texts.
            "suggestions_waiting": selectors.text_suggestions_waiting(user, product).count() if can_edit else 0,
            "can_suggest": not can_edit and bool(suggestion_organisations(user, product)),
            "agreements": agreements,
            # Who uses the product is public: adopters and the authorities with a joining agreement.
            "users": sorted(
                (
                    {a.organisation.name: False for a in product.adoptions.all()}
                    | {a.organisation.name: True for a in product.agreements.all()}
                ).items()
            ),
        },
    )


@login_required
def product_create(request):
    if not can_create_product(request.user):
        raise PermissionDenied
    form = ProductForm(request.POST or None, can_appoint=True)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                user=request.user, data=form.product_data(), categories=form.cleaned_data["categories"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The product is added to the catalogue."))
            return redirect(product.get_absolute_url())
    return render(request, "products/edit.html", {"form": form, "creating": True})


@login_required
def product_edit(request, slug):
    product = get_product_for_user(request.user, slug, write=True)
    form = ProductForm(request.POST or None, instance=product, can_appoint=can_appoint_coordinator(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(
                product=product, user=request.user, data=form.product_data(), categories=form.cleaned_data["categories"]
            )
        except ValidationError as exc:
            product.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The product page is saved."))
            return redirect(product.get_absolute_url())
    return render(request, "products/edit.html", {"form": form, "product": product})


# --- publiccode.yml ------------------------------------------------------------------------------------------


def publiccode_export(request, slug):
    """The product's publiccode.yml, public as the product page is."""
    product = get_product_for_user(request.user, slug)
    response = HttpResponse(publiccode.export_text(product), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="publiccode.yml"'
    return response


@login_required
def publiccode_import(request, slug):
    """Step one of an import: where the file comes from. The file is fetched (or taken as pasted) and kept."""
    product = get_product_for_user(request.user, slug, write=True)
    form = PublicCodeSourceForm(request.POST or None, repositories=product.repositories.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = (data.get("repository") or data.get("url") or "").strip()
        try:
            text = data["text"] if (data.get("text") or "").strip() else publiccode.fetch(source)
            started = services.publiccode_import_start(
                product=product, user=request.user, text=text, source="" if data.get("text") else source
            )
        except publiccode.FetchError as exc:
            form.add_error("text" if (data.get("text") or "").strip() else None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("products:publiccode_diff", slug=product.slug, pk=started.pk)
    return render(request, "products/publiccode_import.html", {"product": product, "form": form})


def _shown(field, value) -> list[str]:
    """A value as lines of plain text for the comparison."""
    if value in (None, "", [], {}):
        return []
    if field == "dependencies":
        return dependency_lines(value)
    if isinstance(value, list):
        return [str(item) for item in value]
    if field in Product.CHOICE_FIELDS:
        return [str(dict(Product._meta.get_field(field).choices).get(value, value))]
    return [str(value)]


def _problem(problem) -> dict:
    """A validator problem for the page, its message in the reader's language (a Problem's text is a Message)."""
    return {"key": problem.key, "line": problem.line, "text": render_message(problem.text.as_data(), _)}


@login_required
def publiccode_diff(request, slug, pk):
    """Step two: the file's problems and, per field, the current value beside the file's; the coordinator ticks
    what to take. The accept rebuilds the proposal from the kept file and refuses when the product changed."""
    product = get_product_for_user(request.user, slug, write=True)
    started = get_publiccode_import_for_user(request.user, product, pk)
    document = standard_publiccode.validate(started.text)
    proposal = publiccode.proposal(document)
    contractors = publiccode.contractors(document)
    errors, status = [], 200
    if request.method == "POST":
        fields = request.POST.getlist("field")
        ticked = set(request.POST.getlist("contractor"))
        chosen = [c for i, c in enumerate(contractors) if c["partner"] and str(i) in ticked]
        if not [f for f in fields if f in proposal] and not chosen:
            errors.append(_("Choose at least one field to take from the file."))
            status = 400
        else:
            try:
                services.product_import_publiccode(
                    product=product,
                    user=request.user,
                    proposal=proposal,
                    fields=fields,
                    fingerprint=request.POST.get("fingerprint", ""),
                    contractors=chosen,
                )
            except TransitionConflict as exc:
                errors.append(str(exc))
                status = 409
                product.refresh_from_db()
            except ValidationError as exc:
                errors.extend(exc.messages)
                status = 400
                product.refresh_from_db()
            else:
                started.delete()
                messages.success(request, _("The chosen fields are taken from the publiccode.yml."))
                return redirect(product.get_absolute_url())
    rows = publiccode.diff(product, document)
    for row in rows:
        row["current_shown"] = _shown(row["field"], row["current"])
        row["proposed_shown"] = _shown(row["field"], row["proposed"])
    return render(
        request,
        "products/publiccode_diff.html",
        {
            "product": product,
            "started": started,
            "document_errors": [_problem(p) for p in document.problems if p.severity == "error"],
            "document_warnings": [_problem(p) for p in document.problems if p.severity != "error"],
            "rows": rows,
            "contractors": contractors,
            "used_by": publiccode.used_by(document),
            "fingerprint": publiccode.fingerprint(product),
            "errors": errors,
        },
        status=status,
    )


# --- Repositories and supplier roles ------------------------------------------------------------------------


@login_required
def repositories(request, slug):
    product = get_product_for_user(request.user, slug, write=True)
    form = RepositoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.repository_add(product=product, user=request.user, url=form.cleaned_data["url"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The repository is added."))
            return redirect("products:repositories", slug=product.slug)
    return render(
        request,
        "products/repositories.html",
        {"product": product, "form": form, "repositories": product.repositories.all()},
    )


@login_required
@require_POST
def repository_delete(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    repository = get_object_or_404(Repository, pk=pk, product=product)
    services.repository_remove(product=product, user=request.user, repository=repository)
    messages.success(request, _("The repository is removed."))
    return redirect("products:repositories", slug=product.slug)


@login_required
def supplier_roles(request, slug):
    product = get_product_for_user(request.user, slug, write=True)
    form = SupplierRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_role_add(product=product, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The supplier role is added."))
            return redirect("products:supplier_roles", slug=product.slug)
    roles = product.supplier_roles.select_related("supplier").order_by("-ends_on", "role")
    return render(request, "products/supplier_roles.html", {"product": product, "form": form, "roles": roles})


@login_required
@require_POST
def supplier_role_end(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    supplier_role = get_object_or_404(SupplierRole, pk=pk, product=product)
    try:
        services.supplier_role_end(
            product=product, user=request.user, supplier_role=supplier_role, ends_on=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role ends today."))
    return redirect("products:supplier_roles", slug=product.slug)


# --- Adoption and joining agreements ------------------------------------------------------------------------


@login_required
@require_POST
def adoption(request, slug):
    product = get_product(slug)
    authority = authority_for_admin(request.user)
    if authority is None:
        raise PermissionDenied(_("Only an administrator of a public authority can record that it uses a product."))
    try:
        if request.POST.get("action") == "remove":
            services.adoption_remove(product=product, user=request.user, organisation=authority)
            messages.success(
                request, _("%(org)s no longer uses %(product)s.") % {"org": authority.name, "product": product.name}
            )
        else:
            services.adoption_add(product=product, user=request.user, organisation=authority)
            messages.success(
                request, _("%(org)s now uses %(product)s.") % {"org": authority.name, "product": product.name}
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(product.get_absolute_url() + "#adoption")


@login_required
def agreements(request, slug):
    product = get_product(slug)
    authorities = agreement_authorities(request.user)
    can_record = authorities.exists()
    visible = visible_agreements(request.user, product, product.agreements.select_related("organisation"))
    if not can_record and not visible:
        raise Http404
    form = AgreementForm(request.POST or None, request.FILES or None, authorities=authorities)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.agreement_add(
                    product=product,
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    data=form.agreement_data(),
                    document=form.cleaned_data.get("document"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The joining agreement is recorded."))
                return redirect("products:agreements", slug=product.slug)
    return render(
        request,
        "products/agreements.html",
        {"product": product, "form": form if can_record else None, "agreements": visible},
    )


@login_required
def agreement_document(request, slug, pk):
    product = get_product(slug)
    agreement = get_object_or_404(JoiningAgreement, pk=pk, product=product)
    if not can_see_agreement_amounts(request.user, agreement) or not agreement.document:
        raise Http404
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError:
        # Gone from the storage (a restore without the media, another machine's disk): not found, not a crash.
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"tilslutningsaftale-{product.slug}-{agreement.organisation.slug}.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Groups --------------------------------------------------------------------------------------------------


@login_required
def groups(request, slug):
    product = get_product_for_user(request.user, slug, write=True)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_save(product=product, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The group is created. Add its members."))
            return redirect("products:group_edit", slug=product.slug, pk=group.pk)
    return render(
        request,
        "products/groups.html",
        {
            "product": product,
            "form": form,
            "groups": product.groups.prefetch_related(
                Prefetch("members", queryset=GroupMember.objects.select_related("user", "organisation"))
            ),
        },
    )


@login_required
def group_edit(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    group = get_group_for_user(request.user, product, pk, write=True)
    group_form = GroupForm(request.POST if "kind" in request.POST else None, instance=group, prefix=None)
    member_form = GroupMemberForm(request.POST if "email" in request.POST else None)
    if request.method == "POST":
        try:
            if group_form.is_bound and group_form.is_valid():
                services.group_save(product=product, user=request.user, group=group, **group_form.cleaned_data)
                messages.success(request, _("The group is saved."))
                return redirect("products:group_edit", slug=product.slug, pk=group.pk)
            if member_form.is_bound and member_form.is_valid():
                member_user = member_form.cleaned_data["email"]
                organisation = Organisation.objects.filter(memberships__user=member_user).order_by("name").first()
                services.group_member_add(
                    group=group,
                    user=request.user,
                    member_user=member_user,
                    organisation=organisation,
                    role=member_form.cleaned_data["role"],
                )
                messages.success(request, _("%(person)s is added to the group.") % {"person": member_user})
                return redirect("products:group_edit", slug=product.slug, pk=group.pk)
        except ValidationError as exc:
            add_service_errors(member_form if member_form.is_bound else group_form, exc)
    return render(
        request,
        "products/group_edit.html",
        {
            "product": product,
            "group": group,
            "group_form": group_form,
            "member_form": member_form,
            "members": group.members.select_related("user", "organisation"),
        },
    )


@login_required
@require_POST
def group_member_delete(request, slug, pk, member_pk):
    product = get_product_for_user(request.user, slug, write=True)
    group = get_group_for_user(request.user, product, pk, write=True)
    member = get_object_or_404(GroupMember, pk=member_pk, group=group)
    services.group_member_remove(group=group, user=request.user, member=member)
    messages.success(request, _("%(person)s is removed from the group.") % {"person": member.user})
    return redirect("products:group_edit", slug=product.slug, pk=group.pk)
