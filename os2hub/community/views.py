"""Pages of news and events. Thin: find what is named through the getters, call a service, render.

Events live at /events/<pk>/ (OS2-wide and group events) and, for a product's events, also at
/products/<slug>/events/<pk>/ (their canonical address, as before). Everything done to an event (publish, sign
up, co-hosts, agenda, participants) posts to /events/<pk>/..."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.accounts.models import Organisation
from os2hub.core.forms import add_service_errors
from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict
from os2hub.needs.models import Pitch
from os2hub.products.getters import can_edit_product, get_product, get_product_for_user
from os2hub.products.models import Group, Product

from . import getters, selectors, services
from .forms import AgendaForm, CoHostForm, EventForm, EventProposeForm, NewsForm, NewsProposeForm, ReasonForm
from .getters import get_event_for_user, get_news_for_user
from .models import AgendaItem, CoHost, Event, Registration
from .workflow import EVENT_WORKFLOW, NEWS_WORKFLOW

PER_PAGE = 20


def _conflict(request, exc) -> None:
    messages.error(request, str(exc))


# --- News -------------------------------------------------------------------------------------------------


def news_list(request, slug):
    product = get_product(slug)
    page = Paginator(product.news.published().select_related("author", "organisation"), PER_PAGE).get_page(
        request.GET.get("side")
    )
    can_review = getters.can_review_news(request.user, product)
    return render(
        request,
        "community/news_list.html",
        {
            "product": product,
            "page": page,
            "can_edit": can_edit_product(request.user, product),
            "pending": list(selectors.pending_news(product)) if can_review else [],
            "can_propose": not can_review and bool(getters.news_author_organisation_ids(request.user, product)),
        },
    )


def news_detail(request, slug, pk):
    product = get_product(slug)
    post = get_news_for_user(request.user, product, pk)
    roles = roles_for(request.user)
    return render(
        request,
        "community/news_detail.html",
        {
            "product": product,
            "post": post,
            "can_edit": can_edit_product(request.user, product),
            "steps": NEWS_WORKFLOW.available(post, roles),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def news_create(request, slug):
    product = get_product_for_user(request.user, slug, write=True)
    form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.news_create(product=product, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The news post is published."))
            return redirect(post.get_absolute_url())
    return render(request, "community/news_form.html", {"product": product, "form": form})


@login_required
def news_propose(request, slug):
    """A partner working on the product or an authority using it proposes a post for the coordinator's review."""
    product = get_product(slug)
    ids = getters.news_author_organisation_ids(request.user, product)
    if not ids:
        raise Http404
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    form = NewsProposeForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        try:
            post = services.news_propose(
                product=product, user=request.user, organisation=organisation, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The news post is sent for review. You get an e-mail when it is decided."))
            return redirect(post.get_absolute_url())
    return render(request, "community/news_form.html", {"product": product, "form": form, "proposing": True})


@login_required
@require_POST
def news_review(request, slug, pk, step):
    product = get_product(slug)
    post = get_news_for_user(request.user, product, pk)
    if not NEWS_WORKFLOW.allowed(step, post, roles_for(request.user)):
        raise Http404
    try:
        services.news_review(post=post, user=request.user, step=step, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    except TransitionConflict as exc:
        _conflict(request, exc)
    else:
        if step == "approve":
            messages.success(request, _("The news post is published; the author is told."))
        else:
            messages.success(request, _("The news post is rejected; the author gets your reason."))
    return redirect(post.get_absolute_url())


@login_required
def news_edit(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    post = get_news_for_user(request.user, product, pk, write=True)
    form = NewsForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_update(post=post, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            post = get_news_for_user(request.user, product, pk, write=True)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The news post is saved."))
            return redirect(post.get_absolute_url())
    return render(request, "community/news_form.html", {"product": product, "form": form, "post": post})


@login_required
@require_POST
def news_delete(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    post = get_news_for_user(request.user, product, pk, write=True)
    services.news_delete(post=post, user=request.user)
    messages.success(request, _("The news post is deleted."))
    return redirect("community:news_list", slug=product.slug)


# --- Events: lists ----------------------------------------------------------------------------------------


def _scope_choices():
    """(value, label) for the scope select: products, then their groups ("p:<slug>", "g:<id>")."""
    products = [(f"p:{slug}", name) for slug, name in Product.objects.order_by("name").values_list("slug", "name")]
    groups = [
        (f"g:{pk}", f"{product} – {name}")
        for pk, name, product in Group.objects.order_by("product__name", "kind", "name").values_list(
            "pk", "name", "product__name"
        )
    ]
    return products + groups


def upcoming_events(request):
    """The community's events page: every published event, filtered by scope (OS2-wide or a product), upcoming
    or past, with what waits for the person (decisions, co-host invitations, their proposals)."""
    scope = request.GET.get("omfang", "")
    past = request.GET.get("tidligere") == "1"
    q = (request.GET.get("q") or "").strip()[:100].replace("\x00", "")
    product = None
    if scope and scope != selectors.SCOPE_OS2:
        product = Product.objects.filter(slug=scope).first()
        if product is None:
            scope = ""
    events = selectors.event_list(
        scope=scope if scope == selectors.SCOPE_OS2 else None, product=product, past=past, q=q or None
    )
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("side"))
    user = request.user
    context = {
        "page": page,
        "past": past,
        "scope": scope,
        "q": q,
        "products": Product.objects.order_by("name").values_list("slug", "name"),
        "can_propose": getters.can_propose_event(user),
    }
    if user.is_authenticated:
        context.update(
            awaiting=list(selectors.awaiting_decision(user)),
            invitations=list(selectors.my_invitations(user)),
            proposals=list(selectors.my_proposals(user)),
        )
    return render(request, "community/upcoming_events.html", context)


def event_list(request, slug):
    product = get_product(slug)
    past = request.GET.get("tidligere") == "1"
    page = Paginator(selectors.event_list(product=product, past=past), PER_PAGE).get_page(request.GET.get("side"))
    return render(
        request,
        "community/event_list.html",
        {
            "product": product,
            "page": page,
            "past": past,
            "can_edit": can_edit_product(request.user, product),
            "can_propose": getters.can_propose_event(request.user),
        },
    )


@login_required
def my_registrations(request):
    registrations = list(selectors.my_registrations(request.user))
    return render(request, "community/my_registrations.html", {"registrations": registrations})


# --- Events: one event ------------------------------------------------------------------------------------


def _detail(request, event, product=None):
    user = request.user
    roles = roles_for(user)
    manage = getters.can_manage_event(user, event)
    cohosts = list(event.cohosts.select_related("organisation"))
    context = {
        "product": product or event.product,
        "event": event,
        "manage": manage,
        "can_publish": getters.can_publish_event(user, event),
        "steps": EVENT_WORKFLOW.available(event, roles),
        "reason_form": ReasonForm(),
        "cohosts": [c for c in cohosts if c.status == CoHost.Status.ACCEPTED],
        "all_cohosts": cohosts if manage else [],
        "invitation": getters.invited_cohost(user, event),
        "agenda": list(event.agenda.select_related("pitch", "pitch__supplier")),
        "registration": getters.get_registration_for_user(user, event),
        "signup_open": event.signup_open(),
        "history": list(event.history.select_related("actor")) if manage else [],
    }
    if event.signup:
        counts = event.registrations.exclude(status=Registration.Status.CANCELLED).values_list("status", flat=True)
        statuses = list(counts)
        event.confirmed_count = context["confirmed_count"] = statuses.count(Registration.Status.CONFIRMED)
        context["waiting_count"] = statuses.count(Registration.Status.WAITING)
    if manage and event.status not in (Event.Status.CANCELLED, Event.Status.REJECTED):
        context["cohost_form"] = CoHostForm(organisations=getters.cohost_candidates(event))
        context["agenda_form"] = AgendaForm(pitches=_agenda_pitches(event))
    return render(request, "community/event_detail.html", context)


def _agenda_pitches(event):
    return (
        Pitch.objects.filter(marked_for_meeting_at__isnull=False)
        .exclude(agenda_items__event=event)
        .select_related("supplier")
        .order_by("-marked_for_meeting_at", "-pk")[:200]
    )


def event(request, pk):
    """Any event by its number; a product's event is shown at its product address."""
    found = get_event_for_user(request.user, None, pk)
    if found.product_id:
        return redirect(found.get_absolute_url())
    return _detail(request, found)


def event_detail(request, slug, pk):
    product = get_product(slug)
    found = get_event_for_user(request.user, product, pk)
    return _detail(request, found, product)


@login_required
def event_create(request, slug):
    product = get_product_for_user(request.user, slug, write=True)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.event_create(product=product, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is published."))
            return redirect(created.get_absolute_url())
    return render(request, "community/event_form.html", {"product": product, "form": form})


def _parse_scope(value):
    """(product, group) named by the scope select, or (None, None) for OS2 as a whole."""
    value = value or ""
    if value.startswith("p:"):
        product = Product.objects.filter(slug=value[2:]).first()
        if product is not None:
            return product, None
    elif value.startswith("g:") and value[2:].isdigit():
        group = Group.objects.select_related("product").filter(pk=int(value[2:])).first()
        if group is not None:
            return None, group
    elif not value:
        return None, None
    raise ValidationError({"scope": [_("Choose OS2 as a whole, a product or a group from the list.")]})


@login_required
def event_propose(request):
    """Propose an event (an authority, a partner, the secretariat); published at once by those who may."""
    organisations = getters.organiser_choices(request.user)
    if not organisations:
        raise Http404
    initial = {}
    if request.GET.get("produkt"):
        initial["scope"] = f"p:{request.GET['produkt'][:80]}"
    form = EventProposeForm(request.POST or None, initial=initial, organisations=organisations, scopes=_scope_choices())
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        try:
            product, group = _parse_scope(form.cleaned_data.get("scope"))
            created = services.event_propose(
                user=request.user, organisation=organisation, data=form.cleaned_data, product=product, group=group
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created.is_published:
                messages.success(request, _("The event is published."))
            else:
                messages.success(
                    request, _("The event is proposed. You get an e-mail when it is published or rejected.")
                )
            return redirect(created.get_absolute_url())
    return render(request, "community/event_form.html", {"form": form, "proposing": True})


@login_required
def event_edit(request, pk, slug=None):
    product = get_product(slug) if slug else None
    found = get_event_for_user(request.user, product, pk, write=True)
    form = EventForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=found, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            found = get_event_for_user(request.user, product, pk, write=True)
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            _conflict(request, exc)
            return redirect(found.get_absolute_url())
        else:
            messages.success(request, _("The event is saved."))
            return redirect(found.get_absolute_url())
    return render(
        request,
        "community/event_form.html",
        {
            "product": found.product,
            "form": form,
            "event": found,
            "can_delete": getters.can_publish_event(request.user, found)
            and not found.registrations.exclude(status=Registration.Status.CANCELLED).exists(),
        },
    )


@login_required
@require_POST
def event_delete(request, pk, slug=None):
    product = get_product(slug) if slug else None
    found = get_event_for_user(request.user, product, pk, write=True)
    try:
        services.event_delete(event=found, user=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    except TransitionConflict as exc:
        _conflict(request, exc)
        return redirect(found.get_absolute_url())
    messages.success(request, _("The event is deleted."))
    if found.product_id:
        return redirect("community:event_list", slug=found.product.slug)
    return redirect("community:upcoming_events")


@login_required
@require_POST
def event_step(request, pk, step):
    found = get_event_for_user(request.user, None, pk)
    if not EVENT_WORKFLOW.allowed(step, found, roles_for(request.user)):
        raise Http404
    try:
        services.event_move(event=found, user=request.user, step=step, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    except TransitionConflict as exc:
        _conflict(request, exc)
    else:
        done = {
            "publish": _("The event is published; the organiser is told."),
            "reject": _("The event is rejected; the organiser gets your reason."),
            "cancel": _("The event is cancelled; participants and organisers are told."),
        }
        messages.success(request, done[step])
    return redirect(found.get_absolute_url())


# --- Co-hosts ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def cohost_invite(request, pk):
    found = get_event_for_user(request.user, None, pk, write=True)
    candidates = getters.cohost_candidates(found)
    form = CoHostForm(request.POST, organisations=candidates)
    if not form.is_valid():
        messages.error(request, _("Choose an authority or a supplier partner that is not invited already."))
        return redirect(found.get_absolute_url())
    organisation = candidates.filter(pk=form.cleaned_data["organisation"]).first()
    try:
        if organisation is None:
            raise ValidationError(_("Choose an authority or a supplier partner that is not invited already."))
        services.cohost_invite(event=found, user=request.user, organisation=organisation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except TransitionConflict as exc:
        _conflict(request, exc)
    else:
        messages.success(
            request, _("%(org)s is invited to co-host; its members are told.") % {"org": organisation.name}
        )
    return redirect(found.get_absolute_url())


@login_required
@require_POST
def cohost_respond(request, pk, cohost_pk):
    found = get_event_for_user(request.user, None, pk)
    cohost = CoHost.objects.filter(event=found, pk=cohost_pk).select_related("organisation", "event").first()
    if cohost is None or not roles_for(request.user).member(cohost.organisation_id):
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        services.cohost_respond(cohost=cohost, user=request.user, accept=accept)
    except TransitionConflict as exc:
        _conflict(request, exc)
    else:
        if accept:
            messages.success(request, _("%(org)s co-hosts the event.") % {"org": cohost.organisation.name})
        else:
            messages.success(request, _("The invitation is declined."))
    return redirect(found.get_absolute_url())


# --- Sign-up ----------------------------------------------------------------------------------------------


@login_required
@require_POST
def signup(request, pk):
    found = get_event_for_user(request.user, None, pk)
    try:
        registration = services.registration_create(event=found, user=request.user)
    except TransitionConflict as exc:
        _conflict(request, exc)
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You have a seat. The confirmation with a calendar file is on its way."))
        else:
            messages.success(
                request, _("The event is full: you are on the waiting list. You get an e-mail if a seat is freed.")
            )
    return redirect(found.get_absolute_url())


@login_required
def signup_cancel(request, pk):
    """Asks first (a given-up seat goes to the waiting list), then cancels."""
    found = get_event_for_user(request.user, None, pk)
    registration = getters.get_registration_for_user(request.user, found)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        messages.info(request, _("You are not signed up for this event."))
        return redirect(found.get_absolute_url())
    if request.method == "POST":
        try:
            services.registration_cancel(event=found, user=request.user)
        except TransitionConflict as exc:
            _conflict(request, exc)
        else:
            messages.success(request, _("Your sign-up is cancelled."))
        return redirect(found.get_absolute_url())
    return render(request, "community/signup_cancel.html", {"event": found, "registration": registration})


# --- Organisers: participants and agenda ------------------------------------------------------------------


@login_required
def attendees(request, pk):
    found = get_event_for_user(request.user, None, pk, write=True)
    rows = services.attendees(found)
    return render(
        request,
        "community/attendees.html",
        {
            "event": found,
            "confirmed": [r for r in rows if r.status == Registration.Status.CONFIRMED],
            "waiting": [r for r in rows if r.status == Registration.Status.WAITING],
        },
    )


@login_required
def attendees_csv(request, pk):
    found = get_event_for_user(request.user, None, pk, write=True)
    response = HttpResponse(services.attendees_csv(found).encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{found.pk}-participants.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def agenda_add(request, pk):
    found = get_event_for_user(request.user, None, pk, write=True)
    pitches = list(_agenda_pitches(found))
    form = AgendaForm(request.POST, pitches=pitches)
    if form.is_valid():
        pitch = next((p for p in pitches if p.pk == form.cleaned_data.get("pitch")), None)
        try:
            services.agenda_add(event=found, user=request.user, title=form.cleaned_data["title"], pitch=pitch)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The point is on the agenda."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(found.get_absolute_url() + "#agenda")


@login_required
@require_POST
def agenda_remove(request, pk, item_pk):
    found = get_event_for_user(request.user, None, pk, write=True)
    item = AgendaItem.objects.filter(event=found, pk=item_pk).first()
    if item is None:
        raise Http404
    item.event = found
    services.agenda_remove(item=item, user=request.user)
    messages.success(request, _("The point is removed from the agenda."))
    return redirect(found.get_absolute_url() + "#agenda")
