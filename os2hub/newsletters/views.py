from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors
from os2hub.core.markdown import render_markdown
from os2hub.core.workflow import TransitionConflict

from . import segments, selectors, services
from .forms import IssueForm, SubscribeForm, SubscriptionsForm
from .getters import Writable, get_issue_for_user, get_topic
from .models import Topic
from .tokens import read_unsubscribe_token

PER_PAGE = 20


# --- Public: archive, issues, subscribing -----------------------------------------------------------------------


def archive(request):
    topic = None
    if request.GET.get("emne"):
        topic = get_topic(request.GET["emne"])
    page = Paginator(selectors.archive(topic), PER_PAGE).get_page(request.GET.get("side"))
    return render(
        request,
        "newsletters/archive.html",
        {
            "page": page,
            "topic": topic,
            "topics": selectors.public_topics(),
            "can_write": request.user.is_authenticated and Writable(request.user).any,
        },
    )


def issue_detail(request, pk):
    issue = get_issue_for_user(request.user, pk)
    context = {"issue": issue, "body": render_markdown(issue.body)}
    writable = Writable(request.user) if request.user.is_authenticated else None
    if writable is not None and writable.may_edit(issue):
        # Its writers see the draft's recipients and steps, or how the sending goes.
        context |= {
            "writer_view": True,
            "segment_labels": segments.labels(issue.segments),
            "counts": selectors.delivery_counts(issue),
            "can_send": issue.is_draft and writable.may_send(issue),
        }
    return render(request, "newsletters/issue.html", context)


@never_cache
def subscribe(request, slug):
    topic = get_topic(slug)
    wording = services.consent_wording(topic)
    form = SubscribeForm(request.POST or None, consent_text=wording)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.subscription_request(
                topic=topic, email=form.cleaned_data["email"], language=get_language()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if outcome == "throttled":
                form.add_error(
                    "email", _("Too many confirmation mails have been sent to this address. Try again in an hour.")
                )
            else:
                return render(
                    request, "newsletters/subscribe_sent.html", {"topic": topic, "email": form.cleaned_data["email"]}
                )
    return render(request, "newsletters/subscribe.html", {"topic": topic, "form": form, "days": services.CONFIRM_DAYS})


@never_cache
def confirm(request, token):
    """GET shows a button (mail scanners follow links; a GET never changes anything); POST confirms. An expired
    link offers a new mail."""
    sub = services.subscription_for_token(token)
    if sub is None:
        return render(request, "newsletters/confirm.html", {"outcome": "unknown"}, status=404)
    if request.method == "POST":
        if request.POST.get("action") == "resend":
            services.subscription_request(topic=sub.topic, email=sub.email, language=sub.language or get_language())
            return render(request, "newsletters/subscribe_sent.html", {"topic": sub.topic, "email": sub.email})
        sub, outcome = services.subscription_confirm(token=token)
        if outcome == "unknown":
            return render(request, "newsletters/confirm.html", {"outcome": "unknown"}, status=404)
        return render(request, "newsletters/confirm.html", {"outcome": outcome, "subscription": sub})
    expired = sub.confirm_expires_at is None or sub.confirm_expires_at < services.timezone.now()
    return render(
        request,
        "newsletters/confirm.html",
        {"outcome": "expired" if expired else "ask", "subscription": sub, "token": token},
    )


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST here without a session; the signed token is the proof
def unsubscribe(request, token):
    found = read_unsubscribe_token(token)
    topic = Topic.objects.filter(pk=found[0]).first() if found else None
    if topic is None:
        return render(request, "newsletters/unsubscribe.html", {"outcome": "unknown"}, status=400)
    email = found[1]
    if request.method == "POST":
        changed = services.subscription_unsubscribe(topic=topic, email=email)
        return render(
            request,
            "newsletters/unsubscribe.html",
            {"outcome": "done" if changed else "already", "topic": topic, "email": email},
        )
    already = topic.subscriptions.filter(email=email, status="unsubscribed").exists()
    return render(
        request,
        "newsletters/unsubscribe.html",
        {"outcome": "already" if already else "ask", "topic": topic, "email": email, "token": token},
    )


@never_cache
@login_required
def mine(request):
    topics = list(services.subscribable_topics(request.user))
    own = selectors.own_subscriptions(request.user)
    subscribed = [str(t.pk) for t in topics if own.get(t.pk) and own[t.pk].status == "confirmed"]
    data = request.POST if request.method == "POST" else None
    form = SubscriptionsForm(data, topics=topics, initial={"topics": subscribed})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.subscriptions_set(
                user=request.user, topic_ids=[int(pk) for pk in form.cleaned_data["topics"]]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changed["subscribed"] or changed["unsubscribed"]:
                messages.success(request, _("Your newsletters are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("newsletters:mine")
    rows = [(t, own.get(t.pk), services.consent_wording(t)) for t in topics]
    return render(request, "newsletters/mine.html", {"form": form, "rows": rows})


# --- Writers: the secretariat and product coordinators ----------------------------------------------------------


def _writable(request) -> Writable:
    writable = Writable(request.user)
    if not writable.any:
        raise Http404
    return writable


@login_required
def issues(request):
    writable = _writable(request)
    page = Paginator(selectors.issues_for_writer(writable), PER_PAGE).get_page(request.GET.get("side"))
    page.object_list = selectors.with_delivery_counts(page.object_list)
    return render(request, "newsletters/issues.html", {"page": page})


def _issue_form_page(request, *, issue=None):
    writable = _writable(request)
    if not writable.secretariat:
        for product in writable.products:
            services.product_topic_ensure(product=product)
        writable = Writable(request.user)
    form = IssueForm(request.POST if request.method == "POST" else None, writable=writable, issue=issue)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                if issue is None:
                    issue = services.issue_create(user=request.user, data=form.cleaned_data, writable=writable)
                else:
                    issue = services.issue_update(
                        issue=issue, user=request.user, data=form.cleaned_data, writable=writable
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except TransitionConflict as exc:
                messages.error(request, str(exc))
                return redirect(issue.get_absolute_url())
            else:
                messages.success(request, _("The draft is saved. Check it, then send it."))
                return redirect(issue.get_absolute_url())
    return render(request, "newsletters/issue_form.html", {"form": form, "issue": issue, "preview": preview})


@login_required
def issue_create(request):
    return _issue_form_page(request)


@login_required
def issue_edit(request, pk):
    issue = get_issue_for_user(request.user, pk, write=True)
    return _issue_form_page(request, issue=issue)


@login_required
@require_POST
def issue_delete(request, pk):
    issue = get_issue_for_user(request.user, pk, write=True)
    try:
        services.issue_delete(issue=issue, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
        return redirect(issue.get_absolute_url())
    messages.success(request, _("The draft is deleted."))
    return redirect("newsletters:issues")


@login_required
def issue_send(request, pk):
    """GET: who the issue goes to and how many, and a button that sends it. POST: send."""
    issue = get_issue_for_user(request.user, pk, write=True)
    writable = Writable(request.user)
    if not writable.may_send(issue):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            count = services.issue_send(issue=issue, user=request.user, writable=writable)
        except ValidationError as exc:
            error = " ".join(m for messages_ in exc.message_dict.values() for m in messages_)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect(issue.get_absolute_url())
        else:
            messages.success(
                request,
                ngettext(
                    "The issue is being sent to %(count)s recipient.",
                    "The issue is being sent to %(count)s recipients.",
                    count,
                )
                % {"count": count},
            )
            return redirect(issue.get_absolute_url())
    count = len(services.issue_recipients(issue))
    return render(
        request,
        "newsletters/issue_send.html",
        {"issue": issue, "count": count, "segment_labels": segments.labels(issue.segments), "error": error},
        status=422 if error else 200,
    )
