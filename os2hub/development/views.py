"""Pages for development requests: the lists (across OS2 and per product), filing and qualifying a request, its
page with the steps the viewer may take, a product's board, and a draft made from a criterion the product misses.
The views parse and render; the services decide and check again (rule 1), and a step that no longer fits
(TransitionConflict) is told as a message, never a server error."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors
from os2hub.core.htmx import wants_fragment
from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict
from os2hub.governance.models import Criterion
from os2hub.products.documents import download_name, download_response
from os2hub.products.getters import get_product
from os2hub.suppliers.selectors import published_rate

from . import attachments, getters, services
from .forms import (
    BOARD_STATUSES,
    AcceptForm,
    AttachmentForm,
    BoardFilterForm,
    ChooseEstimateForm,
    CommentForm,
    EstimateForm,
    PledgeForm,
    RequestFilterForm,
    RequestForm,
    SprintForm,
    StartForm,
)
from .getters import (
    ESTIMATING_COMPETENCE,
    estimating_suppliers,
    get_draft_for_requester,
    get_request_for_user,
    pledging_authorities,
    requester_organisations,
)
from .models import Attachment, DevelopmentRequest, Pledge
from .selectors import request_list as requests_for
from .workflow import (
    ACCEPT,
    DELIVER,
    ESTIMATE,
    OPEN_FUNDING,
    ORDER,
    PLEDGE,
    REJECT,
    REQUEST_WORKFLOW,
    SEND_BACK,
    START,
    SUBMIT,
    WITHDRAW,
)

Status = DevelopmentRequest.Status
PAGE_SIZE = 25
# A board column shows its newest cards; accepted requests pile up over the years, and the rest are in the list.
BOARD_CARDS = 20
BOARD_CARD_FIELDS = (
    "title",
    "status",
    "price_dkk",
    "pledged_dkk",
    "created_at",
    "requester__name",
    "sprint__name",
)


def _detail_url(dev_request) -> str:
    return reverse("development:detail", args=[dev_request.pk])


# --- Lists ------------------------------------------------------------------------------------------------------


LONG_FIELDS = (
    "description",
    "user_stories",
    "acceptance_criteria",
    "documentation_requirements",
    "work_links",
    "acceptance_results",
)


def request_list(request):
    return _list(request, None)


def product_requests(request, slug):
    return _list(request, get_product(slug))


def _list(request, product):
    """The requests the viewer may see, filtered, 25 a page, in a constant number of queries."""
    form = RequestFilterForm(request.GET or None, product=product, user=request.user)
    # An empty choice does not filter.
    filters = {name: value for name, value in form.cleaned_data.items() if value} if form.is_valid() else {}
    if product is not None:
        filters["product"] = product
    # A list row shows no long texts: leave them in the database.
    requests = (
        requests_for(user=request.user, **filters).select_related("product", "requester", "sprint").defer(*LONG_FIELDS)
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("side"))
    context = {
        "form": form,
        "page": page,
        "product": product,
        "can_file": product is not None and bool(requester_organisations(request.user)),
        "action_url": (
            reverse("development:product_list", args=[product.slug]) if product else reverse("development:list")
        ),
    }
    template = "development/list.html"
    return render(request, f"{template}#results" if wants_fragment(request) else template, context)


# --- Filing and qualifying -----------------------------------------------------------------------------------


@login_required
def request_new(request, slug):
    product = get_product(slug)
    organisations = requester_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = RequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            dev_request = services.request_create(
                user=request.user,
                organisation=form.chosen_organisation(),
                product=product,
                data=form.request_data(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved. Complete it and submit it when it is ready."))
            return redirect("development:edit", dev_request.pk)
    return render(request, "development/request_form.html", {"form": form, "product": product, "draft": None})


def _form_data(dev_request) -> dict:
    """The draft as submitted form data, to show what submitting misses on its fields."""
    return {
        "title": dev_request.title,
        "description": dev_request.description,
        "user_stories": "\n".join(dev_request.user_stories),
        "acceptance_criteria": "\n".join(dev_request.acceptance_criteria),
        "documentation_requirements": dev_request.documentation_requirements,
        "funding": dev_request.funding,
    }


@login_required
def request_edit(request, pk):
    """Change the draft; "Save and submit" saves it and submits it, or shows what is missing."""
    draft = get_draft_for_requester(request.user, pk)
    form = RequestForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("action") == "submit"
        try:
            services.request_update(request=draft, user=request.user, data=form.request_data())
            if submitting:
                services.request_submit(request=draft, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect(_detail_url(draft))
        else:
            if submitting:
                messages.success(request, _("The request is submitted. Supplier partners can now estimate it."))
                return redirect(_detail_url(draft))
            messages.success(request, _("The draft is saved."))
            return redirect("development:edit", draft.pk)
    return _edit_page(request, draft, form)


def _edit_page(request, draft, form, attachment_form=None):
    context = {
        "form": form,
        "product": draft.product,
        "draft": draft,
        "attachment_form": attachment_form or AttachmentForm(),
    }
    return render(request, "development/request_form.html", context)


# --- Attachments --------------------------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request, pk):
    draft = get_draft_for_requester(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = attachments.attachment_add(
                request=draft, user=request.user, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect(_detail_url(draft))
        else:
            messages.success(request, _("The attachment “%(title)s” is added.") % {"title": attachment.title})
            return redirect(reverse("development:edit", args=[draft.pk]) + "#attachments")
    return _edit_page(request, draft, RequestForm(instance=draft), attachment_form=form)


def attachment_download(request, pk, attachment_pk):
    dev_request = get_request_for_user(request.user, pk)
    attachment = attachments.get_attachment(dev_request, attachment_pk)
    return download_response(
        attachment,
        filename=download_name(attachment),
        content_type=Attachment.KINDS.get(attachment.kind, "application/octet-stream"),
    )


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    dev_request = get_request_for_user(request.user, pk)
    attachment = attachments.get_attachment(dev_request, attachment_pk)
    try:
        attachments.attachment_delete(attachment=attachment, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
        return redirect(_detail_url(dev_request))
    messages.success(request, _("The attachment “%(title)s” is removed.") % {"title": attachment.title})
    if getters.can_change_attachments(request.user, dev_request):
        return redirect(reverse("development:edit", args=[dev_request.pk]) + "#attachments")
    return redirect(_detail_url(dev_request))


@login_required
@require_POST
def request_submit(request, pk):
    draft = get_draft_for_requester(request.user, pk)
    try:
        services.request_submit(request=draft, user=request.user)
    except ValidationError as exc:
        form = RequestForm(_form_data(draft), instance=draft)
        form.is_valid()
        add_service_errors(form, exc)
        return _edit_page(request, draft, form)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The request is submitted. Supplier partners can now estimate it."))
    return redirect(_detail_url(draft))


# --- The request's page and its steps --------------------------------------------------------------------------


def _form(name, dev_request, user, data=None):
    """The form of one step, empty for the page or bound to what was posted."""
    estimates = dev_request.estimates.all()
    if name == ESTIMATE:
        suppliers = estimating_suppliers(user)
        rate = published_rate(suppliers[0][1], ESTIMATING_COMPETENCE) if suppliers else None
        return EstimateForm(data, suppliers=suppliers, rate=rate)
    if name in (ORDER, OPEN_FUNDING):
        return ChooseEstimateForm(data, estimates=estimates, prefix_id=name)
    if name == PLEDGE:
        return PledgeForm(data, authorities=pledging_authorities(user))
    if name == START:
        return StartForm(data, sprints=dev_request.product.sprints.all())
    if name == ACCEPT:
        return AcceptForm(data, criteria=dev_request.acceptance_criteria)
    if name in (REJECT, SEND_BACK):
        return CommentForm(data, name=name, required=True)
    return CommentForm(data, name=name)


def request_detail(request, pk):
    return _detail_page(request, get_request_for_user(request.user, pk))


def _detail_page(request, dev_request, bound=None, bound_name=""):
    """The request with the steps the workflow table allows the viewer now: a form each (submitting is the
    draft's button)."""
    user = request.user
    steps = REQUEST_WORKFLOW.available(dev_request, roles_for(user))
    forms = {
        name: (bound if name == bound_name else _form(name, dev_request, user)) for name in steps if name != SUBMIT
    }
    pledges = dev_request.active_pledges
    # While the request is open for funding, the pledging authority's admins may withdraw its pledges.
    own = getters.pledging_authority_ids(user) if dev_request.status == Status.FUNDING else set()
    context = {
        # An authority waiting for the secretariat's confirmation is told why it cannot pledge yet.
        "pledge_refusal": getters.pledge_refusal(user)
        if dev_request.status == Status.FUNDING and "pledge" not in forms and user.is_authenticated
        else "",
        "dev_request": dev_request,
        "product": dev_request.product,
        "forms": forms,
        "error_form": bound if bound is not None and bound.errors else None,
        "can_submit": SUBMIT in steps,
        "estimates": list(dev_request.estimates.all()),
        "pledges": pledges,
        "own_pledges": {p.pk for p in pledges if p.organisation_id in own},
        "pledgers": len({p.organisation_id for p in pledges}),
        "events": list(dev_request.events.all()),
        "missing": services.missing_for_submission(dev_request) if dev_request.status == Status.DRAFT else {},
        "attachments": list(dev_request.attachments.all()),
        "can_remove_attachments": getters.can_remove_attachments(user, dev_request),
        "can_link": dev_request.status in getters.LINKABLE and getters.can_link(user, dev_request),
    }
    return render(request, "development/detail.html", context)


SUCCESS = {
    ESTIMATE: gettext_lazy("Your estimate is saved. The requester and the coordination group are told."),
    ORDER: gettext_lazy("The request is ordered from the chosen supplier."),
    OPEN_FUNDING: gettext_lazy("Funding is open: authorities can now pledge to the request."),
    REJECT: gettext_lazy("The request is rejected."),
    PLEDGE: gettext_lazy("Your pledge is recorded. Thank you."),
    START: gettext_lazy("The work has started."),
    DELIVER: gettext_lazy("The delivery is reported and can now be checked against the acceptance criteria."),
    ACCEPT: gettext_lazy("The delivery is accepted."),
    SEND_BACK: gettext_lazy("The delivery is sent back to the supplier."),
    WITHDRAW: gettext_lazy("The request is withdrawn."),
}


def _run(name, dev_request, user, form):
    data = form.cleaned_data
    comment = data.get("comment", "")
    if name == ESTIMATE:
        supplier = form.chosen_supplier()
        if supplier is None:
            raise PermissionDenied
        return services.estimate_save(request=dev_request, user=user, supplier=supplier, data=form.estimate_data())
    if name == ORDER:
        return services.request_order(request=dev_request, user=user, estimate=form.chosen_estimate())
    if name == OPEN_FUNDING:
        return services.funding_open(request=dev_request, user=user, estimate=form.chosen_estimate(), comment=comment)
    if name == PLEDGE:
        organisation = form.chosen_organisation()
        if organisation is None:
            raise PermissionDenied
        return services.pledge_create(
            request=dev_request, user=user, organisation=organisation, amount=data["amount_dkk"]
        )
    if name == START:
        return services.request_start(request=dev_request, user=user, sprint=form.chosen_sprint(), comment=comment)
    if name == DELIVER:
        return services.request_deliver(request=dev_request, user=user, comment=comment)
    if name == ACCEPT:
        return services.request_accept(request=dev_request, user=user, checklist=form.checklist(), comment=comment)
    if name == SEND_BACK:
        return services.request_send_back(request=dev_request, user=user, comment=comment)
    if name == REJECT:
        return services.request_reject(request=dev_request, user=user, comment=comment)
    if name == WITHDRAW:
        return services.request_withdraw(request=dev_request, user=user, comment=comment)
    raise Http404


@login_required
@require_POST
def request_step(request, pk, step):
    """One step on the request's page. A refused form is shown again on the page with its errors; a step that no
    longer fits the request's state is told as a message."""
    step = step.replace("-", "_")  # the URL says open-funding and send-back
    if step not in REQUEST_WORKFLOW or step == SUBMIT:  # a draft is submitted from its own address
        raise Http404
    dev_request = get_request_for_user(request.user, pk)
    form = _form(step, dev_request, request.user, data=request.POST)
    if form.is_valid():
        try:
            _run(step, dev_request, request.user, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect(_detail_url(dev_request))
        else:
            dev_request.refresh_from_db()
            message = SUCCESS[step]
            if step == PLEDGE and dev_request.status == Status.ORDERED:
                message = _("Your pledge completed the funding: the request is ordered.")
            messages.success(request, message)
            return redirect(_detail_url(dev_request))
    # Shown again with the errors; the request as it is now.
    return _detail_page(request, get_request_for_user(request.user, pk), bound=form, bound_name=step)


@login_required
@require_POST
def pledge_withdraw(request, pk, pledge_pk):
    dev_request = get_request_for_user(request.user, pk)
    pledge = Pledge.objects.filter(request=dev_request, pk=pledge_pk).select_related("organisation").first()
    if pledge is None:
        raise Http404
    try:
        services.pledge_withdraw(pledge=pledge, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The pledge is withdrawn."))
    return redirect(_detail_url(dev_request))


# --- A product's board ------------------------------------------------------------------------------------------


def board(request, slug, sprint_form=None):
    """A column per status with its newest cards (BOARD_CARDS at most) and how many there are in all; the rest are
    a link away in the product's filtered list. Five queries, however many requests the product has."""
    product = get_product(slug)
    sprints = list(product.sprints.all())
    form = BoardFilterForm(request.GET or None, sprints=sprints)
    filters = form.cleaned_data if form.is_valid() else {}
    statuses = [s for s in BOARD_STATUSES if not filters.get("status") or s == filters["status"]]
    requests = DevelopmentRequest.objects.filter(product=product, status__in=statuses)
    if filters.get("sprint") == "none":
        requests = requests.filter(sprint__isnull=True)
    elif filters.get("sprint"):
        requests = requests.filter(sprint_id=filters["sprint"])
    counts = dict(requests.order_by().values_list("status").annotate(n=Count("pk")))
    newest = Window(RowNumber(), partition_by=F("status"), order_by=[F("created_at").desc(), F("pk").desc()])
    cards = (
        requests.select_related("requester", "sprint")
        .only(*BOARD_CARD_FIELDS)
        .annotate(rank=newest)
        .filter(rank__lte=BOARD_CARDS)
        .order_by("-created_at", "-pk")
    )
    by_status = {s: [] for s in statuses}
    for card in cards:
        by_status[card.status].append(card)
    list_url = reverse("development:product_list", args=[product.slug])
    columns = [
        {
            "status": s.value,
            "label": s.label,
            "cards": by_status[s],
            "count": counts.get(s.value, 0),
            "more_url": f"{list_url}?status={s.value}",
        }
        for s in statuses
    ]
    can_plan = getters.is_coordination(request.user, product)
    context = {
        "product": product,
        "form": form,
        "columns": columns,
        "can_plan": can_plan,
        "sprints": sprints,
        "sprint_form": sprint_form or (SprintForm() if can_plan else None),
    }
    template = "development/board.html"
    return render(request, f"{template}#board" if wants_fragment(request) else template, context)


@login_required
@require_POST
def sprint_new(request, slug):
    product = get_product(slug)
    if not getters.is_coordination(request.user, product):
        raise PermissionDenied
    form = SprintForm(request.POST)
    if form.is_valid():
        try:
            sprint = services.sprint_create(product=product, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The sprint %(name)s is added.") % {"name": sprint.name})
            return redirect("development:board", product.slug)
    request.GET = request.GET.copy()  # the board unfiltered, with the refused form
    return board(request, slug, sprint_form=form)


# --- From a gap in the product's level to a request -------------------------------------------------------------


def _criterion(code) -> Criterion:
    """The criterion in the newest criteria version that has it."""
    criterion = None
    if "\x00" not in code:
        criterion = Criterion.objects.filter(code=code).order_by("-version__sort_key").first()
    if criterion is None:
        raise Http404
    return criterion


@login_required
@require_POST
def from_criterion(request, slug, code):
    """A draft for a criterion that keeps the product from its next level, prefilled, filed on behalf of the
    user's first authority (or supplier)."""
    product = get_product(slug)
    criterion = _criterion(code)
    organisations = requester_organisations(request.user)
    if not organisations:
        messages.error(request, _("Development requests are filed by members of an authority or a supplier."))
        return redirect("governance:level", product.slug)
    text = " ".join(criterion.text.split())
    description = _("The product does not yet meet the criterion %(code)s of OS2's product levels:") % {
        "code": criterion.code
    }
    description += f"\n\n> {text}"
    if criterion.guideline:
        guideline = "\n> ".join(criterion.guideline.strip().splitlines())
        description += "\n\n" + _("The guideline says:") + f"\n\n> {guideline}"
    data = {
        "title": (_("Meet the criterion %(code)s: %(text)s") % {"code": criterion.code, "text": text})[:200],
        "description": description,
        "acceptance_criteria": [
            (_("The product meets %(code)s: %(text)s") % {"code": criterion.code, "text": text})[:1000]
        ],
    }
    try:
        draft = services.request_create(user=request.user, organisation=organisations[0], product=product, data=data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("governance:level", product.slug)
    messages.success(request, _("A draft request for %(code)s is made. Complete it and submit it.") % {"code": code})
    return redirect("development:edit", draft.pk)
