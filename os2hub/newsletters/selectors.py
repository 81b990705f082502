"""Reads shared by the pages, the feed and the API."""

from django.db.models import Count

from .models import Delivery, Issue, Subscription, Topic


def archive(topic: Topic | None = None):
    """Sent issues of public topics, newest first."""
    issues = Issue.objects.filter(status=Issue.Status.SENT, topic__public=True).select_related("topic", "product")
    if topic is not None:
        issues = issues.filter(topic=topic)
    return issues.order_by("-sent_at", "-pk")


def public_topics():
    return Topic.objects.filter(public=True).order_by("name")


def issues_for_writer(writable):
    """The drafts and sent issues a writer may see, newest first."""
    issues = Issue.objects.select_related("topic", "author")
    if not writable.secretariat:
        issues = issues.filter(topic__in=writable.topic_ids)
    return issues.order_by("-created_at", "-pk")


def with_delivery_counts(issues) -> list:
    """The issues (one page of them), each with sent_count, failed_count and pending_count, in one query over the
    (issue, status) index, whatever the number of deliveries of other issues."""
    issues = list(issues)
    counts: dict[int, dict[str, int]] = {i.pk: {} for i in issues}
    rows = (
        Delivery.objects.filter(issue__in=list(counts))
        .values_list("issue_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for issue_id, status, n in rows:
        counts[issue_id][status] = n
    for issue in issues:
        found = counts[issue.pk]
        issue.sent_count = found.get(Delivery.Status.SENT, 0)
        issue.failed_count = found.get(Delivery.Status.FAILED, 0) + found.get(Delivery.Status.BOUNCED, 0)
        issue.pending_count = found.get(Delivery.Status.PENDING, 0)
    return issues


def delivery_counts(issue) -> dict[str, int]:
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for status, n in Delivery.objects.filter(issue=issue).values_list("status").annotate(n=Count("pk")):
        counts[status] = n
    return counts


def own_subscriptions(user) -> dict[int, Subscription]:
    email = (user.email or "").lower()
    return {s.topic_id: s for s in Subscription.objects.filter(email=email).select_related("topic")}
