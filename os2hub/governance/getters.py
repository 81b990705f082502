"""One door per permission for governance: who may answer a product's self-assessment, who evaluates, and
which self-assessment and evaluations a person may see."""

from django.http import Http404

from os2hub.products.getters import get_product
from os2hub.products.models import Group, GroupMember

from .models import Evaluation, SelfAssessment


def can_answer(user, product) -> bool:
    """The coordinator, the steering group's members and the secretariat answer the self-assessment."""
    if not user.is_authenticated:
        return False
    if product.coordinator_id == user.pk or user.is_secretariat:
        return True
    return GroupMember.objects.filter(user=user, group__product=product, group__kind=Group.Kind.STEERING).exists()


def can_evaluate(user) -> bool:
    return user.is_authenticated and user.is_secretariat


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
    if evaluation is None or (write and not (can_evaluate(user) and not evaluation.is_published)):
        raise Http404
    return evaluation


def latest_published_evaluation(product) -> Evaluation | None:
    return (
        Evaluation.objects.filter(product=product, status=Evaluation.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
