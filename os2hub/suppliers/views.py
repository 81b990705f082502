from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.accounts.models import Organisation
from os2hub.core.forms import add_service_errors
from os2hub.core.htmx import wants_fragment
from os2hub.core.roles import is_secretariat, roles_for
from os2hub.core.workflow import TransitionConflict

from . import services
from .forms import (
    CodeOfConductForm,
    CommitDomainForm,
    CompanyForm,
    ContactForm,
    DecisionForm,
    DirectoryFilterForm,
    FilesForm,
    PriceForm,
)
from .getters import (
    can_manage_commit_domains,
    can_verify_commit_domains,
    get_application_for_user,
    get_own_application,
    get_public_profile,
)
from .models import ApplicationEvent, CommitDomain, Competence, ContactPerson, SupplierApplication
from .selectors import application_list, partner_list
from .workflow import available_decisions, available_steps

Status = SupplierApplication.Status


# --- Public directory -----------------------------------------------------------------------------------


def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = partner_list(competence=filters.get("competence"), q=filters.get("q"))
    page = Paginator(qs.order_by("organisation_name"), 24).get_page(request.GET.get("side"))
    context = {"form": form, "page": page, "competences": Competence.choices}
    template = "suppliers/directory.html#results" if wants_fragment(request) else "suppliers/directory.html"
    return render(request, template, context)


def profile(request, slug):
    application = get_public_profile(slug)
    prices = application.current_prices()
    history = sorted(application.prices.all(), key=lambda p: (p.competence, p.valid_from), reverse=True)
    contacts = [c for c in application.contacts.all() if c.is_public]
    return render(
        request,
        "suppliers/profile.html",
        {
            "supplier": application,
            "prices": prices,
            "price_history": history,
            "contacts": contacts,
            "commit_domains": [d for d in application.commit_domains.all() if d.is_verified],
            "can_manage_commit_domains": can_manage_commit_domains(request.user, application),
        },
    )


def _serve_upload(field, *, content_type, download_name=None, headers=None):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=bool(download_name), filename=download_name or ""
    )
    response["X-Content-Type-Options"] = "nosniff"
    for key, value in (headers or {}).items():
        response[key] = value
    return response


LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


def _logo_application(request, slug):
    """Approved partners' logos are public; otherwise only the applicant and the secretariat see them."""
    application = (
        SupplierApplication.objects.select_related("organisation")
        .filter(organisation__slug=slug)
        .exclude(status=Status.REJECTED)
        .first()
    )
    if application is None:
        raise Http404
    if not application.is_approved:
        application = get_application_for_user(request.user, application.pk)
    return application


def logo(request, slug):
    application = _logo_application(request, slug)
    ext = application.logo.name.rsplit(".", 1)[-1] if application.logo else ""
    return _serve_upload(
        application.logo,
        content_type=LOGO_TYPES.get(ext, "application/octet-stream"),
        headers={"Cache-Control": "public, max-age=3600"},
    )


def vector_logo(request, slug):
    application = _logo_application(request, slug)
    # Even a checked SVG is served with a policy that forbids scripts, in case a check is ever missed.
    return _serve_upload(
        application.vector_logo,
        content_type="image/svg+xml",
        headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            "Cache-Control": "public, max-age=3600",
        },
    )


@login_required
def agreement(request, pk):
    application = get_application_for_user(request.user, pk)
    return _serve_upload(
        application.agreement,
        content_type="application/pdf",
        download_name=f"partneraftale-{application.organisation.slug}.pdf",
    )


# --- The supplier's own application ---------------------------------------------------------------------


def _own_application(request, *, editable=True):
    org, application = get_own_application(request.user)
    if org is None:
        raise PermissionDenied(_("Only an administrator of a supplier organisation can apply for a partnership."))
    if application is None or application.status == Status.REJECTED:
        return org, None
    if editable and not application.is_editable:
        messages.warning(
            request,
            _("The application cannot be changed in its current state (%(status)s).")
            % {"status": application.get_status_display()},
        )
        return org, None
    return org, application


def _without_supplier(request):
    """Where "Become an OS2 partner" leads a person who administers no supplier: to creating one, and back here.
    A member (not administrator) of a supplier is told that its administrators apply."""
    if roles_for(request.user).organisation_ids(Organisation.Kind.SUPPLIER):
        raise PermissionDenied(_("Only an administrator of a supplier organisation can apply for a partnership."))
    messages.info(
        request,
        _(
            "To apply for a partnership, first create your company on OS2hub (or ask to join it, if a colleague "
            "has created it already). Then you come back here."
        ),
    )
    create = reverse("accounts:organisation_create", args=["leverandoer"])
    return redirect(f"{create}?{urlencode({'next': reverse('suppliers:application')})}")


@login_required
def application(request):
    org, app = get_own_application(request.user)
    if org is None:
        return _without_supplier(request)
    if app is None:
        return render(request, "suppliers/application_start.html", {"organisation": org})
    steps = [
        (
            _("Company data and competences"),
            "suppliers:company",
            bool(app.cvr and app.street and app.competences.exists() and app.core_competences.strip()),
        ),
        (_("Contact persons"), "suppliers:contacts", app.contacts.exists()),
        (_("Price list"), "suppliers:prices", bool(app.prices.exists())),
        (_("Logo and partner agreement"), "suppliers:files", bool(app.logo and app.agreement)),
        (_("Code of Conduct"), "suppliers:code_of_conduct", bool(app.coc_accepted_at)),
    ]
    events = list(app.events.select_related("actor"))
    # The workflow's steps this person may take now: the page shows a button for each (today only "submit").
    available = available_steps(app, roles_for(request.user))
    return render(
        request,
        "suppliers/application.html",
        {
            "application": app,
            "organisation": org,
            "steps": steps,
            "available_steps": available,
            "missing": app.missing_for_submission() if "submit" in available else [],
            "events": events,
            "last_event": events[-1] if events else None,
        },
    )


@login_required
def application_start(request):
    """Start an application with the organisation's data; the first step is the company form."""
    org, app = get_own_application(request.user)
    if org is None:
        return _without_supplier(request)
    if app is not None and app.status != Status.REJECTED:
        return redirect("suppliers:company")
    # What the organisation knows already (its address too, when it was created with a CVR lookup).
    form = CompanyForm(
        request.POST or None,
        initial={
            "organisation_name": org.name,
            "cvr": org.cvr or "",
            "website": org.website,
            "street": org.street,
            "postcode": org.postcode,
            "city": org.city,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_create(organisation=org, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your application is saved as a draft. Continue with the next steps."))
            return redirect("suppliers:application")
    return render(request, "suppliers/company.html", {"form": form, "organisation": org, "starting": True})


@login_required
def company(request):
    org, app = _own_application(request)
    if app is None:
        return redirect("suppliers:application" if org else "web:home")
    form = CompanyForm(request.POST or None, instance=app)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(application=app, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            app.refresh_from_db()
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Company data saved."))
            priced = {p.competence for p in app.current_prices()}
            if app.is_approved and set(app.competence_keys()) - priced:
                messages.warning(request, _("Set an hourly rate for each new competence: prices must be transparent."))
                return redirect("suppliers:prices")
            return redirect("suppliers:application")
    return render(request, "suppliers/company.html", {"form": form, "application": app})


@login_required
def contacts(request):
    org, app = _own_application(request)
    if app is None:
        return redirect("suppliers:application")
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(application=app, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact person added."))
            return redirect("suppliers:contacts")
    return render(
        request, "suppliers/contacts.html", {"form": form, "application": app, "contacts": app.contacts.all()}
    )


def _own_contact(request, pk):
    org, app = _own_application(request)
    if app is None:
        raise Http404
    return app, get_object_or_404(ContactPerson, pk=pk, application=app)


@login_required
def contact_edit(request, pk):
    app, contact = _own_contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(application=app, user=request.user, data=form.cleaned_data, contact=contact)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact person saved."))
            return redirect("suppliers:contacts")
    return render(request, "suppliers/contact_edit.html", {"form": form, "application": app, "contact": contact})


@login_required
@require_POST
def contact_delete(request, pk):
    app, contact = _own_contact(request, pk)
    services.contact_delete(application=app, user=request.user, contact=contact)
    messages.success(request, _("Contact person removed."))
    return redirect("suppliers:contacts")


@login_required
def prices(request):
    org, app = _own_application(request)
    if app is None:
        return redirect("suppliers:application")
    if not app.competences.exists():
        messages.info(request, _("Choose the competences you offer first; then set a rate for each."))
        return redirect("suppliers:company")
    form = PriceForm(request.POST or None, application=app)
    if request.method == "POST" and form.is_valid():
        try:
            services.prices_set(
                application=app,
                user=request.user,
                rates=form.rates(),
                valid_from=form.cleaned_data["valid_from"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Price list saved."))
            return redirect("suppliers:application")
    history = app.prices.all() if app.is_approved else []
    return render(request, "suppliers/prices.html", {"form": form, "application": app, "history": history})


@login_required
def files(request):
    org, app = _own_application(request)
    if app is None:
        return redirect("suppliers:application")
    form = FilesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_set_files(application=app, user=request.user, uploads=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Files saved."))
            return redirect("suppliers:application")
    return render(request, "suppliers/files.html", {"form": form, "application": app})


@login_required
def code_of_conduct(request):
    org, app = _own_application(request)
    if app is None:
        return redirect("suppliers:application")
    form = CodeOfConductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.application_accept_code_of_conduct(application=app, user=request.user)
        messages.success(request, _("Thank you. Your acceptance of the Code of Conduct is recorded."))
        return redirect("suppliers:application")
    return render(request, "suppliers/code_of_conduct.html", {"form": form, "application": app})


@login_required
@require_POST
def submit(request):
    org, app = get_own_application(request.user)
    if app is None:
        raise Http404
    try:
        services.application_submit(application=app, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your application is submitted. The OS2 secretariat will reply by e-mail."))
    return redirect("suppliers:application")


# --- Commit domains: the e-mail domains a partner commits from ----------------------------------------------


@login_required
def commit_domains(request):
    """The partner's domains, verified or waiting for the secretariat, and a form to add one."""
    org, app = _own_application(request)
    if app is None:
        return redirect("suppliers:application")
    form = CommitDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.commit_domain_add(application=app, user=request.user, domain=form.cleaned_data["domain"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(domain)s is added. Scans count it once the OS2 secretariat has verified it.")
                % {"domain": added.display_domain},
            )
            return redirect("suppliers:commit_domains")
    return render(
        request,
        "suppliers/commit_domains.html",
        {"form": form, "application": app, "domains": app.commit_domains.select_related("verified_by")},
    )


@login_required
def commit_domain_remove(request, pk):
    """Asks first (a verified domain stops counting in scans), then removes the partner's domain."""
    org, app = _own_application(request)
    if app is None:
        raise Http404
    found = get_object_or_404(CommitDomain, pk=pk, application=app)
    back = reverse("suppliers:commit_domains")
    if request.method == "POST":
        services.commit_domain_remove(application=app, user=request.user, commit_domain=found)
        messages.success(request, _("%(domain)s is removed.") % {"domain": found.display_domain})
        return redirect(back)
    return render(request, "suppliers/commit_domain_remove.html", {"domain": found, "application": app, "back": back})


def _reviewed_commit_domain(request, pk, domain_pk):
    """The secretariat's door to a partner's domain; anyone else learns nothing (404)."""
    if not is_secretariat(request.user):
        raise Http404
    app = get_application_for_user(request.user, pk)
    return app, get_object_or_404(CommitDomain, pk=domain_pk, application=app)


def _review_domains_url(app):
    return reverse("suppliers:review", args=[app.pk]) + "#commit-domains"


@login_required
@require_POST
def commit_domain_verify(request, pk, domain_pk):
    app, found = _reviewed_commit_domain(request, pk, domain_pk)
    try:
        services.commit_domain_verify(application=app, user=request.user, commit_domain=found)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(domain)s is verified: scans count its commits as %(partner)s's.")
            % {"domain": found.display_domain, "partner": app.organisation_name},
        )
    return redirect(_review_domains_url(app))


@login_required
def review_commit_domain_remove(request, pk, domain_pk):
    """The secretariat removes a domain that is not the partner's (after asking)."""
    app, found = _reviewed_commit_domain(request, pk, domain_pk)
    if request.method == "POST":
        services.commit_domain_remove(application=app, user=request.user, commit_domain=found)
        messages.success(request, _("%(domain)s is removed.") % {"domain": found.display_domain})
        return redirect(_review_domains_url(app))
    return render(
        request,
        "suppliers/commit_domain_remove.html",
        {"domain": found, "application": app, "back": _review_domains_url(app)},
    )


# --- The secretariat --------------------------------------------------------------------------------------


def _require_secretariat(request):
    if not request.user.is_authenticated:
        raise Http404
    if not is_secretariat(request.user):
        raise PermissionDenied


@login_required
def review_queue(request):
    _require_secretariat(request)
    status = request.GET.get("status", Status.SUBMITTED)
    if status not in Status.values and status != "all":
        status = Status.SUBMITTED
    qs = application_list(user=request.user, status=None if status == "all" else status)
    page = Paginator(qs.order_by("submitted_at", "organisation_name"), 50).get_page(request.GET.get("side"))
    return render(request, "suppliers/review_queue.html", {"page": page, "status": status, "statuses": Status.choices})


@login_required
def review(request, pk):
    if not is_secretariat(request.user):
        # Another supplier must not even learn that an application with this number exists.
        raise Http404
    app = get_application_for_user(request.user, pk)
    app = (
        SupplierApplication.objects.select_related("organisation", "coc_accepted_by")
        .prefetch_related(
            "competences",
            "contacts",
            "prices",
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
            Prefetch("commit_domains", queryset=CommitDomain.objects.select_related("verified_by")),
        )
        .get(pk=app.pk)
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(
                application=app,
                user=request.user,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect("suppliers:review", pk=app.pk)
        else:
            messages.success(
                request,
                _("Decision recorded: %(status)s. The supplier is told by e-mail.")
                % {"status": app.get_status_display()},
            )
            return redirect("suppliers:review_queue")
    # The decisions the workflow lets this person take now; the form is shown only when there is one.
    decisions = available_decisions(app, roles_for(request.user))
    form.offer(decisions)
    return render(
        request,
        "suppliers/review.html",
        {
            "application": app,
            "form": form,
            "decisions": decisions,
            "can_verify_commit_domains": can_verify_commit_domains(request.user, app),
        },
    )


@login_required
def newsletter_csv(request):
    _require_secretariat(request)
    response = HttpResponse(services.newsletter_recipients_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="leverandoer-nyhedsbrev.csv"'
    return response
