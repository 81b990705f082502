"""Newsletters (API.md "Newsletters"): the public archive of sent issues and the caller's own subscriptions.

Reads are os2hub.newsletters.selectors', the pages' too; a change of subscriptions goes through
os2hub.newsletters.services.subscriptions_set, the service of the page "Your newsletters": the caller's address
is verified by their account, so no confirmation mail is needed, and the consent is recorded with its time and
wording. Writing and sending issues is done on the pages only."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from os2hub.core.markdown import render_markdown
from os2hub.newsletters import selectors, services
from os2hub.newsletters.models import Subscription

from .common import ERRORS, PUBLIC_ERRORS, slug_or_none
from .schemas import LimitOffset

router = Router(tags=["newsletters"])


class TopicOut(Schema):
    slug: str
    name: str
    description: str


class IssueSummaryOut(Schema):
    id: int
    title: str
    topic: TopicOut
    sent_at: datetime
    url: str = Field(description="The issue's page in the archive.")

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class IssueOut(IssueSummaryOut):
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="The Markdown as safe HTML (scripts and raw HTML removed).")

    @staticmethod
    def resolve_body_html(obj):
        return str(render_markdown(obj.body))


class SubscriptionOut(Schema):
    topic: TopicOut
    status: str = Field(description="One of: " + ", ".join(Subscription.Status.values) + ".")
    consent_at: datetime | None = Field(description="When the consent was given (none for a mere unsubscription).")
    consent_text: str = Field(description="The wording the person agreed to.")
    unsubscribed_at: datetime | None


class SubscriptionsIn(Schema):
    topics: list[str] = Field(
        max_length=200,
        description="The slugs of every newsletter the caller wants; the others they had are unsubscribed.",
    )


def _own(user) -> list[Subscription]:
    return sorted(selectors.own_subscriptions(user).values(), key=lambda s: s.topic.name)


@router.get(
    "newsletters", auth=None, response={200: list[IssueSummaryOut], **PUBLIC_ERRORS}, summary="Newsletter archive"
)
@paginate(LimitOffset)
def issue_list(request, topic: str | None = Query(None, max_length=100, description="A newsletter topic's slug.")):
    """Every sent issue of a public newsletter, newest first."""
    found = None
    if topic is not None:
        found = selectors.public_topics().filter(slug=slug_or_none(topic)).first()
        if found is None:
            raise ValidationError({"topic": [_("There is no newsletter “%(slug)s”.") % {"slug": topic[:100]}]})
    return selectors.archive(found)


@router.get(
    "newsletters/{id}", auth=None, response={200: IssueOut, **PUBLIC_ERRORS}, summary="One issue from the archive"
)
def issue_detail(request, id: int):
    issue = selectors.archive().filter(pk=id).first()
    if issue is None:
        raise Http404
    return issue


@router.get(
    "newsletter-topics", auth=None, response={200: list[TopicOut], **PUBLIC_ERRORS}, summary="Newsletter topics"
)
def topic_list(request):
    """The newsletters anyone can subscribe to."""
    return list(selectors.public_topics())


@router.get("me/subscriptions", response={200: list[SubscriptionOut], **ERRORS}, summary="Your subscriptions")
def subscription_list(request):
    """The caller's newsletter subscriptions (by their account's address), including ended ones."""
    return _own(request.auth)


@router.put("me/subscriptions", response={200: list[SubscriptionOut], **ERRORS}, summary="Choose your newsletters")
def subscription_set(request, payload: SubscriptionsIn):
    """Subscribed to exactly the named newsletters; 400 for a name that is not one the caller may choose."""
    user = request.auth
    topics = {t.slug: t.pk for t in services.subscribable_topics(user)}
    unknown = [slug for slug in payload.topics if slug not in topics]
    if unknown:
        raise ValidationError({"topics": [_("There is no newsletter “%(slug)s”.") % {"slug": str(unknown[0])[:100]}]})
    services.subscriptions_set(user=user, topic_ids=[topics[s] for s in payload.topics], source=Subscription.Source.API)
    return _own(user)
