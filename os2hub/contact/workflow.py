"""The steps of a message to the secretariat, declared once: the queue's buttons and the services ask this table."""

from os2hub.core.workflow import Step, Workflow

from .models import ContactMessage

Status = ContactMessage.Status


def _secretariat(roles, _message) -> bool:
    return roles.secretariat


MESSAGE = Workflow(
    # Answering again keeps the thread going; each answer is e-mailed to the sender.
    Step("answer", (Status.OPEN, Status.ANSWERED), Status.ANSWERED, who=_secretariat),
    Step("close", (Status.OPEN, Status.ANSWERED), Status.CLOSED, who=_secretariat),
    Step("reopen", (Status.CLOSED,), Status.OPEN, who=_secretariat),
)
