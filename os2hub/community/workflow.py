"""The steps of an event and of a news post, declared once.

An event: proposed -> published (a publisher: the secretariat, or the coordinator of the event's product or its
group's product) or rejected (a publisher, with a reason); proposed or published -> cancelled (a publisher or an
organiser; the participants are told). An event the publisher creates is published at once.

A news post by a partner or an authority: pending -> published (approve) or rejected (with a reason mailed to
the author), by the product's coordinator or the secretariat.

The pages offer a step's form exactly when `EVENT_WORKFLOW.allowed(...)` / `NEWS_WORKFLOW.allowed(...)` says so;
the services ask the same table and move the status with core.workflow.move (a compare-and-swap that writes the
history row)."""

from os2hub.core.workflow import Step, Workflow

from . import getters
from .models import Event, NewsPost

E = Event.Status
N = NewsPost.Status

PUBLISH = "publish"
REJECT = "reject"
CANCEL = "cancel"
APPROVE = "approve"


def _publisher(roles, event) -> bool:
    return getters.can_publish_event(roles.user, event)


def _manager(roles, event) -> bool:
    return getters.can_manage_event(roles.user, event)


def _reviewer(roles, post) -> bool:
    return getters.can_review_news(roles.user, post.product)


EVENT_WORKFLOW = Workflow(
    Step(PUBLISH, (E.PROPOSED,), E.PUBLISHED, who=_publisher),
    Step(REJECT, (E.PROPOSED,), E.REJECTED, who=_publisher),
    Step(CANCEL, (E.PROPOSED, E.PUBLISHED), E.CANCELLED, who=_manager),
)

NEWS_WORKFLOW = Workflow(
    Step(APPROVE, (N.PENDING,), N.PUBLISHED, who=_reviewer),
    Step(REJECT, (N.PENDING,), N.REJECTED, who=_reviewer),
)

# Steps that need a written reason (shown to the organiser or the author).
NEEDS_REASON = {REJECT, CANCEL}
