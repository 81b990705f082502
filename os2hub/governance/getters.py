"""One door per permission for governance: who may answer a product's self-assessment, who evaluates, and
which self-assessment and evaluations a person may see."""

from django.http import Http404

from os2hub.accounts.models import Organisation
from os2hub.core.roles import roles_for
from os2hub.products.getters import get_product

from .models import Evaluation, SelfAssessment
from .workflow import EVALUATION, answers_for, evaluates


def can_answer(user, product) -> bool:
    """The coordinator, the steering group's members and the secretariat answer the self-assessment."""
    return answers_for(roles_for(user), product)


def can_evaluate(user) -> bool:
    """The secretariat evaluates products, records decisions and runs rounds."""
    return evaluates(roles_for(user))


def may_request_development(user) -> bool:
    """Development requests (from a criterion that blocks a level) are filed by members of an authority or a
    supplier, not by the secretariat as such."""
    roles = roles_for(user)
    kinds = (Organisation.Kind.AUTHORITY, Organisation.Kind.SUPPLIER)
    return any(roles.organisation_ids(kind) for kind in kinds)


def can_edit_practices(user, product) -> bool:
    return can_answer(user, product)


def get_product_for_assessor(user, slug):
    """The product, if the user may answer its self-assessment; 404 otherwise (nothing to learn)."""
    product = get_product(slug)
    if not can_answer(user, product):
        raise Http404
    return product


def get_product_for_evaluator(user, slug):
    product = get_product(slug)
    if not can_evaluate(user):
        raise Http404
    return product


def latest_submitted(product) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(product=product, status=SelfAssessment.Status.SUBMITTED)
        .select_related("criteria_version")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def visible_self_assessment(user, product) -> SelfAssessment | None:
    """Those who answer see their draft (when there is one); everyone sees the latest submitted one."""
    if can_answer(user, product):
        draft = (
            SelfAssessment.objects.filter(product=product, status=SelfAssessment.Status.DRAFT)
            .select_related("criteria_version")
            .first()
        )
        if draft is not None:
            return draft
    return latest_submitted(product)


def visible_evaluations(user, product):
    """Published evaluations are public; drafts are the secretariat's."""
    qs = Evaluation.objects.filter(product=product)
    if not can_evaluate(user):
        qs = qs.filter(status=Evaluation.Status.PUBLISHED)
    return qs


def get_evaluation_for_user(user, product, pk, *, write=False) -> Evaluation:
    evaluation = visible_evaluations(user, product).filter(pk=pk).select_related("criteria_version").first()
    # write=True: the rating form, offered while the workflow lets the person rate it (a draft, the secretariat).
    if evaluation is None or (write and not EVALUATION.allowed("rate", evaluation, roles_for(user))):
        raise Http404
    return evaluation


def latest_published_evaluation(product) -> Evaluation | None:
    return (
        Evaluation.objects.filter(product=product, status=Evaluation.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
