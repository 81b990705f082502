"""The weekly e-mail digest of new opportunities for supplier partners (run from cron; see docs/operations.md).

Each subscriber gets one plain-text e-mail, in Danish, with what is new since the last digest (or the last seven
days): the open calls its partner's competences answer, open needs, and development requests waiting for
estimates - the supplier dashboard's lists. Someone who had a digest less than six days ago gets none (unless
--force), so a second run the same day sends nothing; a subscriber with nothing new gets none and keeps the
period for the next run."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from os2hub.accounts.models import Membership
from os2hub.core.money import format_dkk
from os2hub.needs import getters, services
from os2hub.needs.models import Call, DigestSubscription
from os2hub.web.mail import clean_mail

MIN_INTERVAL = timedelta(days=6)
FIRST_PERIOD = timedelta(days=7)
LIMIT = 20
# The digest is in Danish; the kinds are named here so the e-mail never depends on a missing translation.
KIND_DA = {
    Call.Kind.DEVELOPMENT: "udvikling",
    Call.Kind.CODE_REVIEW: "code review",
    Call.Kind.CONSULTING: "rådgivning",
    Call.Kind.OPERATIONS: "drift",
    Call.Kind.HOSTING: "hosting",
    Call.Kind.SUPPORT: "support",
}


def _link(name, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _day(value) -> str:
    return date_format(timezone.localtime(value).date() if isinstance(value, datetime) else value, "j. F Y")


def compose(subscription, found, since) -> tuple[str, str]:
    """The subject and plain-text body of one digest (call inside translation.override("da"))."""
    calls, needs, requests = found["calls"], found["needs"], found["requests"]
    count = len(calls) + len(needs) + len(requests)
    subject = f"OS2hub: {count} {'ny mulighed' if count == 1 else 'nye muligheder'}"
    lines = [
        f"Hej {subscription.user.name or subscription.user.email},",
        "",
        f"Her er det nye på OS2hub siden {_day(since)}, som passer til de kompetencer, "
        f"{subscription.organisation.name} tilbyder.",
    ]
    if calls:
        lines += ["", f"Forespørgsler til leverandører ({len(calls)})", ""]
        for call in calls:
            budget = f", budget op til {format_dkk(call.budget_max_dkk)}" if call.budget_max_dkk else ""
            lines += [
                f"- {call.title}",
                f"  {KIND_DA.get(call.kind, call.kind).capitalize()}, frist for tilbud {_day(call.deadline)}{budget}",
                f"  {_link('needs:call', call.pk)}",
            ]
    if needs:
        lines += ["", f"Behov fra myndighederne ({len(needs)})", ""]
        for need in needs:
            cosigners = getattr(need, "cosigner_count", 0)
            others = "1 anden myndighed har" if cosigners == 1 else f"{cosigners} andre myndigheder har"
            also = f", {others} også behovet" if cosigners else ""
            lines += [f"- {need.title} ({need.organisation.name}{also})", f"  {_link('needs:detail', need.pk)}"]
    if requests:
        lines += ["", f"Udviklingsønsker, der venter på estimater ({len(requests)})", ""]
        for request in requests:
            lines += [
                f"- {request.title} ({request.product.name}, {request.requester.name})",
                f"  {_link('development:detail', request.pk)}",
            ]
    if LIMIT in (len(calls), len(needs), len(requests)):
        lines += ["", "Der er flere på jeres overblik."]
    dashboard = _link("needs:dashboard")
    lines += [
        "",
        f"Se alle muligheder på jeres overblik: {dashboard}",
        "",
        "--",
        "Du får denne e-mail, fordi du har tilmeldt dig OS2hub's ugentlige oversigt over muligheder. "
        f"Du kan framelde den på dit overblik: {dashboard}",
    ]
    return subject, "\n".join(lines) + "\n"


def still_subscribed(subscription) -> bool:
    """Still a member of the organisation, and the organisation still an approved supplier partner."""
    user = subscription.user
    return bool(
        user.is_active
        and user.email
        and Membership.objects.filter(user=user, organisation=subscription.organisation).exists()
        and services.approved_partner(subscription.organisation) is not None
    )


class Command(BaseCommand):
    help = "E-mail the weekly digest of new opportunities to the supplier members who subscribed to it."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print the e-mails, send nothing")
        parser.add_argument(
            "--force", action="store_true", help="also to subscribers who had a digest less than six days ago"
        )

    def handle(self, *args, dry_run, force, **options):
        now = timezone.now()
        subscriptions = DigestSubscription.objects.select_related("user", "organisation").order_by("pk")
        if not force:
            subscriptions = subscriptions.filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - MIN_INTERVAL))
        sent = empty = skipped = failed = 0
        with translation.override("da"):
            for subscription in subscriptions:
                if not still_subscribed(subscription):
                    skipped += 1
                    continue
                since = subscription.last_sent_at or now - FIRST_PERIOD
                found = getters.supplier_opportunities(subscription.organisation, since=since, limit=LIMIT)
                if not (found["calls"] or found["needs"] or found["requests"]):
                    empty += 1
                    continue
                subject, body = clean_mail(*compose(subscription, found, since))
                if dry_run:
                    self.stdout.write(f"To: {subscription.user.email}\nSubject: {subject}\n\n{body}")
                    sent += 1
                    continue
                # Claimed before sending, so two runs at once send one digest; released if sending fails.
                claimed = DigestSubscription.objects.filter(
                    pk=subscription.pk, last_sent_at=subscription.last_sent_at
                ).update(last_sent_at=now)
                if not claimed:
                    continue
                try:
                    send_mail(subject, body, None, [subscription.user.email], fail_silently=False)
                except Exception as exc:  # noqa: BLE001 - one failed address must not stop the others
                    DigestSubscription.objects.filter(pk=subscription.pk, last_sent_at=now).update(
                        last_sent_at=subscription.last_sent_at
                    )
                    self.stderr.write(f"Could not send the digest to {subscription.user.email}: {exc}")
                    failed += 1
                    continue
                sent += 1
        self.stdout.write(
            f"{sent} digest(s) {'would be sent' if dry_run else 'sent'}, {empty} with nothing new, "
            f"{skipped} skipped (no longer a member or not an approved partner), {failed} failed."
        )
