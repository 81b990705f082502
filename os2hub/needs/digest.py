"""The weekly e-mail digest of new opportunities for supplier partners (manage.py send_digests, run from cron; see
docs/operations.md).

Each subscriber gets one plain-text e-mail in their language (templates/emails/needs_digest.*) with what is new
since their last digest (or the last seven days): the open calls their partner's competences answer, open needs,
and development requests waiting for estimates - the supplier dashboard's lists. Someone who had a digest less than
six days ago gets none (unless forced), so a second run the same day sends nothing; a subscriber with nothing new
gets none and keeps the period for the next run; someone who left the supplier, or whose supplier is no longer an
approved partner, gets none. Sent at once rather than after a commit: the command is the whole unit of work, and a
failed address gives its period back."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from os2hub.core.mail import recipient_language, render_mail, send_now
from os2hub.core.roles import is_member
from os2hub.suppliers.selectors import approved_partnership

from . import getters
from .models import DigestSubscription

MIN_INTERVAL = timedelta(days=6)
FIRST_PERIOD = timedelta(days=7)
LIMIT = 20


@dataclass
class DigestOutcome:
    """What happened to one subscription: `status` is "sent", "empty" (nothing new), "skipped" (no longer a
    member, or the partner no longer approved), "taken" (another run claimed it first) or "failed" (`error`).
    A dry run reports "sent" with the message it would have sent."""

    status: str
    subject: str = ""
    body: str = ""
    error: Exception | None = None


def digest_subscriptions_due(*, now: datetime, force: bool = False) -> QuerySet:
    """The subscriptions a run at `now` looks at: those without a digest in the last six days, or all if forced."""
    subscriptions = DigestSubscription.objects.select_related("user", "organisation").order_by("pk")
    if not force:
        subscriptions = subscriptions.filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - MIN_INTERVAL))
    return subscriptions


def still_subscribed(subscription) -> bool:
    """Still a member of the organisation, and the organisation still an approved supplier partner."""
    user = subscription.user
    return bool(
        user.is_active
        and user.email
        and is_member(user, subscription.organisation)
        and approved_partnership(subscription.organisation) is not None
    )


def _link(name, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def digest_render(*, subscription, found: dict, since: datetime) -> tuple[str, str]:
    """The subject and plain-text body of one digest, in the subscriber's language."""
    subject, body, _html = digest_render_mail(subscription=subscription, found=found, since=since)
    return subject, body


def digest_render_mail(*, subscription, found: dict, since: datetime) -> tuple[str, str, str]:
    """The subject, text body and HTML body of one digest, in the subscriber's language."""
    calls, needs, requests = found["calls"], found["needs"], found["requests"]
    context = {
        "user": subscription.user,
        "organisation": subscription.organisation,
        "since": since,
        "count": len(calls) + len(needs) + len(requests),
        "calls": [{"call": call, "link": _link("needs:call", call.pk)} for call in calls],
        "needs": [{"need": need, "link": _link("needs:detail", need.pk)} for need in needs],
        "requests": [{"request": request, "link": _link("development:detail", request.pk)} for request in requests],
        "more": LIMIT in (len(calls), len(needs), len(requests)),
        "dashboard": _link("web:dashboard"),
    }
    return render_mail("needs_digest", context, recipient_language(subscription.user))


def digest_send_one(*, subscription, now: datetime, since: datetime | None = None, dry_run=False) -> DigestOutcome:
    """Compose and send one subscriber's digest of what is new since `since` (by default since their last digest,
    or the last seven days). Whether the subscription is due is the caller's choice (digest_subscriptions_due)."""
    if not still_subscribed(subscription):
        return DigestOutcome("skipped")
    since = since or subscription.last_sent_at or now - FIRST_PERIOD
    found = getters.supplier_opportunities(subscription.organisation, since=since, limit=LIMIT)
    if not (found["calls"] or found["needs"] or found["requests"]):
        return DigestOutcome("empty")
    subject, body, html = digest_render_mail(subscription=subscription, found=found, since=since)
    if dry_run:
        return DigestOutcome("sent", subject, body)
    # Claimed before sending, so two runs at once send one digest; released if sending fails.
    claimed = DigestSubscription.objects.filter(pk=subscription.pk, last_sent_at=subscription.last_sent_at).update(
        last_sent_at=now
    )
    if not claimed:
        return DigestOutcome("taken", subject, body)
    try:
        send_now(subject, body, html, [subscription.user.email])
    except Exception as exc:  # noqa: BLE001 - one failed address must not stop the others
        DigestSubscription.objects.filter(pk=subscription.pk, last_sent_at=now).update(
            last_sent_at=subscription.last_sent_at
        )
        return DigestOutcome("failed", subject, body, error=exc)
    return DigestOutcome("sent", subject, body)
