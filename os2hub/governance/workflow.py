"""The governance workflows, declared once: a self-assessment is answered as a draft and submitted; the
secretariat's evaluation is rated as a draft and published; an evaluation round is open (reminders go out)
until it is closed.

The pages show a step's form exactly when `allowed(...)` says so, the API asks the same table before it accepts
a step, and the services take the statuses a step starts from and leads to from here while they decide
atomically (compare-and-swap or a row lock), so a button is offered exactly when the step would be accepted.
Who may take a step is said once, on core.roles: `answers_for` and `evaluates`, which getters.py builds on.

Starting a new draft (of a self-assessment or an evaluation) and recording a decision create a row rather than
move one, so they are not steps here; getters.can_answer and getters.can_evaluate decide them.
"""

from os2hub.core.workflow import Step, Workflow
from os2hub.products.models import Group

from .models import Evaluation, Round, SelfAssessment


def answers_for(roles, product) -> bool:
    """The coordinator, the steering group's members and the secretariat answer a product's self-assessment."""
    return roles.coordinator(product) or roles.secretariat or roles.in_group(product, Group.Kind.STEERING)


def evaluates(roles) -> bool:
    """The secretariat evaluates products, records decisions and runs the evaluation rounds."""
    return roles.secretariat


def _answerer(roles, assessment) -> bool:
    return answers_for(roles, assessment.product)


def _evaluator(roles, _obj) -> bool:
    return evaluates(roles)


SELF_ASSESSMENT = Workflow(
    # Save answers or import OS2's file into the draft.
    Step("answer", sources=(SelfAssessment.Status.DRAFT,), who=_answerer),
    Step("submit", sources=(SelfAssessment.Status.DRAFT,), target=SelfAssessment.Status.SUBMITTED, who=_answerer),
)

EVALUATION = Workflow(
    # Rate the criteria, write the summary, choose the level.
    Step("rate", sources=(Evaluation.Status.DRAFT,), who=_evaluator),
    Step("publish", sources=(Evaluation.Status.DRAFT,), target=Evaluation.Status.PUBLISHED, who=_evaluator),
)

ROUND = Workflow(
    Step("remind", sources=(Round.Status.OPEN,), who=_evaluator),
    Step("close", sources=(Round.Status.OPEN,), target=Round.Status.CLOSED, who=_evaluator),
)
