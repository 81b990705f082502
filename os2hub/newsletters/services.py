"""The writers of the newsletters app (ARCHITECTURE rule 1): subscriptions with double opt-in and one-click
unsubscribe, issues, the snapshot of an issue's recipients, and sending in resumable batches."""

import datetime
import hashlib
import logging
import smtplib
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from os2hub.core.mail import send_now, send_templated_mail_on_commit
from os2hub.core.markdown import render_markdown
from os2hub.core.text import check_text, text_errors
from os2hub.core.workflow import TransitionConflict, move
from os2hub.suppliers.models import ContactPerson, SupplierApplication

from . import segments
from .models import SUPPLIER_TOPIC_SLUG, Delivery, Issue, Subscription, Topic
from .rendering import IssueMail
from .tokens import confirm_token_hash, new_confirm_token

log = logging.getLogger(__name__)

CONFIRM_DAYS = getattr(settings, "NEWSLETTER_CONFIRM_DAYS", 7)
BATCH_SIZE = getattr(settings, "NEWSLETTER_BATCH_SIZE", 200)
# After this many hard failures in a row of issues, an address is stopped (status "bounced") everywhere.
BOUNCE_LIMIT = getattr(settings, "NEWSLETTER_BOUNCE_LIMIT", 3)
# A worker holds a claimed batch this long; if it dies, another worker takes the batch over after it.
CLAIM_MINUTES = getattr(settings, "NEWSLETTER_CLAIM_MINUTES", 10)
# Confirmation mails per address per hour, so the form cannot be used to flood someone's inbox.
CONFIRMATIONS_PER_HOUR = 3
MAX_BODY = 100_000

SUBSCRIBE_CONSENT_TEXT = gettext_lazy(
    "I want to receive OS2's newsletter “%(topic)s” at this e-mail address. I can unsubscribe at any time with "
    "the link in every issue."
)

Status = Subscription.Status


def consent_wording(topic) -> str:
    return str(SUBSCRIBE_CONSENT_TEXT) % {"topic": topic.name}


def _normalise(email: str) -> str:
    return (email or "").strip().lower()


# --- Subscriptions ----------------------------------------------------------------------------------------------


def _locked(topic, email):
    """The subscription row of (topic, address), locked, created when missing (two requests at once create one)."""
    email = _normalise(email)
    try:
        with transaction.atomic():
            Subscription.objects.get_or_create(topic=topic, email=email, defaults={"status": Status.PENDING})
    except IntegrityError:
        pass
    return Subscription.objects.select_for_update().get(topic=topic, email=email)


def _throttled(email: str) -> bool:
    key = "newsletter-confirm:" + hashlib.sha256(_normalise(email).encode()).hexdigest()
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        count = 1
    return count > CONFIRMATIONS_PER_HOUR


def subscription_request(*, topic: Topic, email: str, language: str) -> str:
    """Someone asks, on the public form, to get `topic` at `email`: a confirmation mail with a link that expires
    (double opt-in). The answer the page gives is the same whatever the address's state, so the form tells nobody
    who subscribes; returns what happened ("sent", "confirmed" (already subscribed: no mail), "throttled")."""
    if not topic.public:
        raise ValidationError({"topic": [_("This newsletter cannot be subscribed to here.")]})
    check_text({"email": email}, single_line=("email",))
    email = _normalise(email)
    if _throttled(email):
        return "throttled"
    with transaction.atomic():
        sub = _locked(topic, email)
        if sub.status == Status.CONFIRMED:
            return "confirmed"
        token, token_hash = new_confirm_token()
        now = timezone.now()
        sub.confirm_token_hash = token_hash
        sub.confirm_expires_at = now + datetime.timedelta(days=CONFIRM_DAYS)
        sub.confirm_sent_at = now
        sub.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        # The wording shown on the form; recorded as the consent when the link is followed.
        sub.consent_text = consent_wording(topic)
        if sub.status == Status.PENDING:
            sub.source = Subscription.Source.FORM
        sub.updated_at = now
        sub.save()
        link = f"{settings.SITE_URL}{reverse('newsletters:confirm', args=[token])}"
        send_templated_mail_on_commit(
            template="newsletter_confirm",
            context={"topic": topic, "link": link, "days": CONFIRM_DAYS},
            to=[_Recipient(email, sub.language)],
        )
    return "sent"


class _Recipient:
    def __init__(self, email, language):
        self.email, self.preferred_language = email, language


def subscription_for_token(token: str) -> Subscription | None:
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    return Subscription.objects.select_related("topic").filter(confirm_token_hash=confirm_token_hash(token)).first()


def subscription_confirm(*, token: str) -> tuple[Subscription | None, str]:
    """(subscription, outcome) for a confirmation link: "confirmed", "expired" or "unknown" (forged, or used
    already: a used token is forgotten)."""
    found = subscription_for_token(token)
    if found is None:
        return None, "unknown"
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().select_related("topic").get(pk=found.pk)
        if sub.confirm_token_hash != confirm_token_hash(token):
            return None, "unknown"
        now = timezone.now()
        if sub.confirm_expires_at is None or sub.confirm_expires_at < now:
            return sub, "expired"
        sub.status = Status.CONFIRMED
        sub.confirm_token_hash = ""
        sub.confirm_expires_at = None
        sub.confirmed_at = sub.consent_at = now
        sub.consent_text = sub.consent_text or consent_wording(sub.topic)
        sub.unsubscribed_at = None
        sub.updated_at = now
        sub.save()
    return sub, "confirmed"


def subscription_unsubscribe(*, topic: Topic, email: str, source=Subscription.Source.UNSUBSCRIBE) -> bool:
    """Leave `email` out of every later issue of `topic`. Idempotent; returns False when it was unsubscribed
    already. Works for people reached by a relation too: the row records that they do not want the topic."""
    with transaction.atomic():
        sub = _locked(topic, email)
        if sub.status == Status.UNSUBSCRIBED:
            return False
        now = timezone.now()
        if sub.status != Status.BOUNCED:
            sub.status = Status.UNSUBSCRIBED
        sub.unsubscribed_at = sub.updated_at = now
        sub.confirm_token_hash = ""
        sub.confirm_expires_at = None
        if sub.source == Subscription.Source.FORM and sub.confirmed_at is None:
            sub.source = source
        sub.save()
    return True


def subscribable_topics(user=None):
    """The topics a person may subscribe to: public ones, and any they have a subscription row for."""
    query = Q(public=True)
    if user is not None and user.is_authenticated:
        query |= Q(subscriptions__email=_normalise(user.email))
    return Topic.objects.filter(query).distinct().order_by("name")


def subscriptions_set(*, user, topic_ids, source=Subscription.Source.ACCOUNT) -> dict[str, list[Topic]]:
    """A signed-in person's choice on their own page (or the API): subscribed to exactly `topic_ids` among the
    topics they may choose. Their address is verified by their account, so there is no confirmation mail; the
    consent is recorded with the time and the wording shown. Returns {"subscribed": [...], "unsubscribed": [...]}."""
    email = _normalise(user.email)
    allowed = {t.pk: t for t in subscribable_topics(user)}
    wanted = set()
    for pk in topic_ids:
        if pk not in allowed:
            raise ValidationError({"topics": [_("There is no newsletter with the id %(id)s.") % {"id": pk}]})
        wanted.add(pk)
    current = {s.topic_id: s for s in Subscription.objects.filter(email=email, topic__in=allowed.values())}
    changed: dict[str, list[Topic]] = {"subscribed": [], "unsubscribed": []}
    now = timezone.now()
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    for pk, topic in allowed.items():
        before = current.get(pk)
        subscribed = before is not None and before.status == Status.CONFIRMED
        if pk in wanted and not subscribed:
            with transaction.atomic():
                sub = _locked(topic, email)
                sub.status, sub.source, sub.user = Status.CONFIRMED, source, user
                sub.language = language
                sub.consent_at = sub.confirmed_at = sub.updated_at = now
                sub.consent_text = consent_wording(topic)
                sub.unsubscribed_at, sub.confirm_token_hash, sub.confirm_expires_at = None, "", None
                sub.save()
            changed["subscribed"].append(topic)
        elif pk not in wanted and before is not None and before.status in (Status.CONFIRMED, Status.PENDING):
            subscription_unsubscribe(topic=topic, email=email, source=source)
            changed["unsubscribed"].append(topic)
    return changed


def supplier_topic() -> Topic:
    topic, _created = Topic.objects.get_or_create(
        slug=SUPPLIER_TOPIC_SLUG,
        defaults={"name": "Nyhedsbrev for leverandører", "description": "OS2's nyhedsbrev til leverandørpartnere."},
    )
    return topic


def supplier_consents_sync() -> None:
    """The partner application's newsletter consent is the subscription to the supplier topic: every approved
    partner's contact with a consent is a confirmed subscriber (with that consent's time and wording), unless the
    address unsubscribed after giving it; a subscription that came from a consent now withdrawn ends. The suppliers
    app knows nothing of newsletters, so this is read from its contacts whenever recipients are counted or sent."""
    topic = supplier_topic()
    consents: dict[str, ContactPerson] = {}
    for contact in ContactPerson.objects.filter(
        application__status=SupplierApplication.Status.APPROVED, newsletter_consent_at__isnull=False
    ).order_by("newsletter_consent_at"):
        consents[_normalise(contact.email)] = contact
    existing = {s.email: s for s in Subscription.objects.filter(topic=topic)}
    now = timezone.now()
    new = []
    for email, contact in consents.items():
        sub = existing.get(email)
        if sub is None:
            new.append(
                Subscription(
                    topic=topic,
                    email=email,
                    status=Status.CONFIRMED,
                    source=Subscription.Source.SUPPLIER,
                    consent_at=contact.newsletter_consent_at,
                    consent_text=contact.newsletter_consent_text,
                    confirmed_at=contact.newsletter_consent_at,
                )
            )
        elif (
            sub.status == Status.UNSUBSCRIBED
            and sub.unsubscribed_at
            and sub.unsubscribed_at < contact.newsletter_consent_at
        ):
            Subscription.objects.filter(pk=sub.pk, status=Status.UNSUBSCRIBED).update(
                status=Status.CONFIRMED,
                source=Subscription.Source.SUPPLIER,
                consent_at=contact.newsletter_consent_at,
                consent_text=contact.newsletter_consent_text,
                confirmed_at=contact.newsletter_consent_at,
                unsubscribed_at=None,
                updated_at=now,
            )
    if new:
        Subscription.objects.bulk_create(new, ignore_conflicts=True)
    withdrawn = [
        s.pk
        for email, s in existing.items()
        if s.source == Subscription.Source.SUPPLIER and s.status == Status.CONFIRMED and email not in consents
    ]
    if withdrawn:
        Subscription.objects.filter(pk__in=withdrawn).update(
            status=Status.UNSUBSCRIBED, unsubscribed_at=now, updated_at=now
        )


def product_topic_ensure(*, product) -> Topic:
    """The product's own newsletter topic, created the first time its coordinator writes an issue."""
    found = Topic.objects.filter(product=product).first()
    if found:
        return found
    slug = slugify(product.slug)[:70] or f"produkt-{product.pk}"
    if Topic.objects.filter(slug=slug).exists():
        slug = f"{slug}-{product.pk}"
    try:
        with transaction.atomic():
            return Topic.objects.create(
                product=product,
                name=_("News from %(product)s") % {"product": product.name},
                slug=slug,
                description=product.summary,
            )
    except IntegrityError:
        return Topic.objects.get(product=product)


# --- Issues -----------------------------------------------------------------------------------------------------


def _check_issue(*, user, data, writable) -> dict:
    """The issue's fields, checked against what the writer may do (writable: getters.Writable)."""
    errors: dict[str, list[str]] = {}
    title = (data.get("title") or "").strip()
    body = data.get("body") or ""
    text_problems = check_text_errors({"title": title, "body": body})
    errors.update(text_problems)
    if not title:
        errors.setdefault("title", []).append(_("Give the issue a title."))
    if len(title) > 200:
        errors.setdefault("title", []).append(_("The title can be at most 200 characters."))
    if not body.strip():
        errors.setdefault("body", []).append(_("Write the text of the issue."))
    if len(body) > MAX_BODY:
        errors.setdefault("body", []).append(_("The text can be at most %(n)s characters.") % {"n": MAX_BODY})
    topic = data.get("topic")
    if topic is None or topic.pk not in writable.topic_ids:
        errors.setdefault("topic", []).append(_("Choose a newsletter you may write for."))
    keys = list(dict.fromkeys(data.get("segments") or ()))
    bad = [k for k in keys if segments.parse(k) is None or not writable.may_use(k)]
    if bad:
        errors.setdefault("segments", []).append(_("You cannot send to one or more of the chosen recipient groups."))
    if not keys:
        errors.setdefault("segments", []).append(_("Choose at least one group of recipients."))
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": body, "topic": topic, "segments": keys}


def check_text_errors(data):
    return text_errors(data, single_line=("title",))


def issue_create(*, user, data: dict, writable) -> Issue:
    clean = _check_issue(user=user, data=data, writable=writable)
    topic = clean["topic"]
    return Issue.objects.create(
        topic=topic,
        product=topic.product,
        title=clean["title"],
        body=clean["body"],
        segments=clean["segments"],
        author=user,
    )


def issue_update(*, issue: Issue, user, data: dict, writable) -> Issue:
    clean = _check_issue(user=user, data=data, writable=writable)
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status != Issue.Status.DRAFT:
            raise TransitionConflict(_("The issue has been sent and cannot be changed."))
        topic = clean["topic"]
        Issue.objects.filter(pk=issue.pk).update(
            topic=topic,
            product=topic.product,
            title=clean["title"],
            body=clean["body"],
            segments=clean["segments"],
            updated_at=timezone.now(),
        )
    issue.refresh_from_db()
    return issue


def issue_delete(*, issue: Issue, user) -> None:
    deleted, _rows = Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).delete()
    if not deleted:
        raise TransitionConflict(_("The issue has been sent and cannot be deleted."))


def issue_recipients(issue: Issue) -> dict[str, str]:
    """The addresses the issue would go to now (see segments.recipients)."""
    if any(k == f"topic:{issue.topic_id}" for k in issue.segments) and issue.topic.slug == SUPPLIER_TOPIC_SLUG:
        supplier_consents_sync()
    return segments.recipients(issue.segments, topic=issue.topic)


def _refusal(status):
    return _("The issue is being sent or was sent already.") if status != Issue.Status.DRAFT else _("Try again.")


def issue_send(*, issue: Issue, user, writable) -> int:
    """Send the issue: its recipients are written as deliveries in one transaction (the snapshot), the issue is
    moved to "sending", and the sending task is started after the commit. Refused when the segments match
    nobody. Returns the number of recipients."""
    if not writable.may_send(issue):
        raise PermissionDenied
    recipients = issue_recipients(issue)
    if not recipients:
        raise ValidationError(
            {"segments": [_("The chosen recipient groups match nobody, so the issue cannot be sent.")]}
        )
    with transaction.atomic():
        now = timezone.now()
        move(
            issue,
            sources=(Issue.Status.DRAFT,),
            to=Issue.Status.SENDING,
            actor=user,
            refusal=_refusal,
            sent_at=now,
            recipient_count=len(recipients),
        )
        Delivery.objects.bulk_create(
            [Delivery(issue=issue, email=email, language=language) for email, language in sorted(recipients.items())],
            batch_size=1000,
        )
        transaction.on_commit(lambda: _enqueue(issue.pk))
    return len(recipients)


def _enqueue(issue_id: int) -> None:
    from .tasks import send_issue

    send_issue.enqueue(issue_id)


# --- Sending ----------------------------------------------------------------------------------------------------

# What a mail server says about one recipient (the address does not exist, the mailbox is full or refused), and
# an address the mail library cannot write (ValueError): that delivery fails, the others go on. Anything else (the
# server is gone, the login fails) stops the batch, to be resumed.
RECIPIENT_ERRORS = (smtplib.SMTPRecipientsRefused, ValueError)


def _claim(issue_id: int, size: int) -> list[Delivery]:
    """Up to `size` pending deliveries nobody else holds, claimed for CLAIM_MINUTES. On PostgreSQL concurrent
    workers skip each other's locked rows; on SQLite there is one writer at a time anyway."""
    now = timezone.now()
    with transaction.atomic():
        query = Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.PENDING).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True)
        batch = list(query.order_by("pk")[:size])
        if batch:
            Delivery.objects.filter(pk__in=[d.pk for d in batch]).update(
                claimed_until=now + datetime.timedelta(minutes=CLAIM_MINUTES)
            )
    return batch


def _record_failure(delivery: Delivery, issue: Issue, error: Exception) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, error=str(error)[:300], claimed_until=None
    )
    # An address that failed in the last BOUNCE_LIMIT issues it was in is stopped for every topic.
    last = list(
        Delivery.objects.filter(email=delivery.email)
        .exclude(status=Delivery.Status.PENDING)
        .order_by("-pk")
        .values_list("status", flat=True)[:BOUNCE_LIMIT]
    )
    if len(last) >= BOUNCE_LIMIT and all(s in (Delivery.Status.FAILED, Delivery.Status.BOUNCED) for s in last):
        with transaction.atomic():
            sub = _locked(issue.topic, delivery.email)
            if sub.status != Status.BOUNCED:
                if sub.status == Status.PENDING and sub.confirmed_at is None:
                    sub.source = Subscription.Source.BOUNCE
                sub.status, sub.updated_at = Status.BOUNCED, timezone.now()
                sub.save()
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.BOUNCED)


def deliveries_send(*, issue_id: int, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> dict:
    """Send the issue's pending deliveries, batch by batch, one backend connection per batch. Each delivery is
    marked sent as soon as the backend accepted it (its own short write), so whatever stops the process, a
    resumed send neither repeats nor skips anyone. A backend error that is not about one recipient releases the
    rest of the batch and is raised: the task fails and can be resumed (`manage.py send_newsletters`)."""
    issue = Issue.objects.select_related("topic").get(pk=issue_id)
    counts = {"sent": 0, "failed": 0}
    if issue.status != Issue.Status.SENDING:
        return counts
    mail = IssueMail(issue)
    batches = 0
    with _fast_commits():
        while max_batches is None or batches < max_batches:
            if not _send_batch(issue, mail, batch_size, counts):
                break
            batches += 1
    issue_finish_if_done(issue)
    return counts


@contextmanager
def _fast_commits():
    """On PostgreSQL, the "sent" marks are committed without waiting for the disk (synchronous_commit off, for
    this connection while it sends): a commit then costs a round trip instead of a flush, about ten times more
    messages a second. What this risks is narrow: if the database server itself (not the worker) crashes, the
    marks of its last fraction of a second may be lost and those few recipients would get the issue again. A
    worker that dies loses nothing, since the server has every mark already."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:  # an aborted transaction: its rollback undoes the SET anyway
            log.warning("Could not reset synchronous_commit", exc_info=True)


def _send_batch(issue, mail, batch_size, counts) -> bool:
    """Claim and send one batch; False when nothing was left to claim."""
    batch = _claim(issue.pk, batch_size)
    if not batch:
        return False
    backend = get_connection()
    remaining = {d.pk for d in batch}
    try:
        backend.open()
        for delivery in batch:
            subject, text, html, headers = mail.for_recipient(delivery.email, delivery.language)
            try:
                send_now(subject, text, html, [delivery.email], headers=headers, connection=backend)
            except RECIPIENT_ERRORS as exc:
                remaining.discard(delivery.pk)
                _record_failure(delivery, issue, exc)
                counts["failed"] += 1
                continue
            remaining.discard(delivery.pk)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), claimed_until=None
            )
            counts["sent"] += 1
    finally:
        if remaining:  # stopped mid-batch: the rest may be claimed again at once
            Delivery.objects.filter(pk__in=remaining, status=Delivery.Status.PENDING).update(claimed_until=None)
        try:
            backend.close()
        except Exception:  # noqa: BLE001 - a connection that cannot even close is already gone
            log.warning("Closing the mail connection failed", exc_info=True)
    return True


def issue_finish_if_done(issue: Issue) -> bool:
    """Move the issue to "sent" once no delivery is pending; the one worker that moves it wins."""
    if Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING).exists():
        return False
    try:
        move(
            issue,
            sources=(Issue.Status.SENDING,),
            to=Issue.Status.SENT,
            actor=None,
            refusal=_refusal,
            finished_at=timezone.now(),
        )
    except TransitionConflict:
        return False
    return True


def issues_resume() -> list[int]:
    """Issues still sending (a worker stopped, or the task failed): start their task again."""
    ids = list(Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True))
    for pk in ids:
        _enqueue(pk)
    return ids


def preview_html(body: str):
    return render_markdown(body)
