"""The partnership application's steps, declared once.

The applicant's page shows the submit button, the secretariat's review page offers the decisions, and the API's
`submit` and `decision` endpoints accept a step, all by asking APPLICATION_WORKFLOW; the services (the writers)
ask it too and move the application with core.workflow.move.

    draft, changes_requested --submit (the applicant's administrators)--> submitted
    submitted --approve / request_changes / reject (the secretariat)--> approved / changes_requested / rejected

Submitting again after the secretariat asked for changes is the same step as the first submission. Completeness
is not a requirement of the step: the button is offered with the list of what is still missing, and the service
refuses an incomplete application with that list (the API's 400).
"""

from django.utils.translation import gettext_lazy as _

from os2hub.core.workflow import Step, Workflow

from .models import SupplierApplication

Status = SupplierApplication.Status


def applicant(roles, application) -> bool:
    """The applying organisation's administrators submit its application."""
    return roles.admin(application.organisation_id)


def secretariat(roles, application) -> bool:
    """The OS2 secretariat decides on a submitted application."""
    return roles.secretariat


APPLICATION_WORKFLOW = Workflow(
    Step("submit", (Status.DRAFT, Status.CHANGES_REQUESTED), Status.SUBMITTED, who=applicant),
    Step("approve", (Status.SUBMITTED,), Status.APPROVED, who=secretariat),
    Step("request_changes", (Status.SUBMITTED,), Status.CHANGES_REQUESTED, who=secretariat),
    Step("reject", (Status.SUBMITTED,), Status.REJECTED, who=secretariat),
)

# The secretariat's decisions, in the order the review page offers them, with their labels.
DECISIONS = {
    "approve": _("Approve"),
    "request_changes": _("Ask for changes"),
    "reject": _("Reject"),
}

# Decisions the supplier must be told the reason for.
NEEDS_COMMENT = frozenset({"request_changes", "reject"})


def available_steps(application, roles) -> list[str]:
    """The steps this person may take on the application now (the page's buttons)."""
    return APPLICATION_WORKFLOW.available(application, roles)


def available_decisions(application, roles) -> list[str]:
    """The decisions this person may record on the application now (the review page's choices)."""
    return [name for name in DECISIONS if APPLICATION_WORKFLOW.allowed(name, application, roles)]
