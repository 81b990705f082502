"""Governance (API.md "Products and governance"): the criteria, a product's self-assessment (answer, import and
export OS2's JSON, submit), its level, published evaluations and the decision log.

Endpoints parse input, look the product up through os2hub.governance.getters, call os2hub.governance.services
and shape the answer; the rules (who may answer, what a level needs, what OS2's format allows) live there.
"""

import copy
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict
from os2hub.governance import levels, services
from os2hub.governance.exchange import ANSWER_TO_WORD, MAX_IMPORT_BYTES, WORD_TO_ANSWER
from os2hub.governance.getters import (
    get_product_for_assessor,
    latest_published_evaluation,
    visible_evaluations,
    visible_self_assessment,
)
from os2hub.governance.models import (
    CriteriaVersion,
    EvaluationRating,
    Round,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from os2hub.governance.workflow import SELF_ASSESSMENT
from os2hub.products.getters import get_product

from .auth import token_auth
from .errors import ErrorOut
from .schemas import LimitOffset

router = Router(tags=["governance"])

ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)
PUBLIC_ERRORS = dict.fromkeys((400, 404, 422), ErrorOut)
# The words of OS2's form, in the form's order; the API speaks them, as OS2's JSON does.
ANSWER_WORDS = list(WORD_TO_ANSWER)
# A token is optional on the level: OpenAPI's way of saying "anonymous, or with the bearer token".
OPTIONAL_TOKEN = {"security": [{}, {"TokenAuth": []}]}


def _level(value: str | None) -> str | None:
    """Levels are stored as "" for none; the API says null."""
    return value or None


# --- Criteria -----------------------------------------------------------------------------------------------


class NamedKeyOut(Schema):
    key: str
    name_da: str
    name_en: str


class CriterionOut(Schema):
    id: str = Field(alias="code")
    theme: str
    level: str
    recommendation: bool = Field(description="An “(anbefaling)” criterion: it never blocks a level.")
    text_da: str
    text_en: str


class CriteriaOut(Schema):
    version: str
    levels: list[NamedKeyOut] = Field(description="Lowest first.")
    themes: list[NamedKeyOut]
    criteria: list[CriterionOut]


@router.get(
    "criteria",
    auth=None,
    response={200: CriteriaOut, **PUBLIC_ERRORS},
    summary="The governance criteria (the current version, or ?version=)",
)
def criteria(request, version: str | None = None):
    """The newest loaded criteria version, or the one named by `version` (e.g. 1.1.0); 404 when it is not
    loaded."""
    if version is not None and "\x00" in version:
        raise Http404
    found = (
        CriteriaVersion.objects.filter(version=version).first() if version is not None else CriteriaVersion.current()
    )
    if found is None:
        raise Http404
    return {
        "version": found.version,
        "levels": found.levels,
        "themes": found.themes,
        "criteria": services.criteria_of(found),
    }


# --- Self-assessment ----------------------------------------------------------------------------------------


class AnswerOut(Schema):
    criterion: str
    answer: str | None = Field(description="Ja, Nej, Ikke relevant, Ved ikke, or null (not answered).")
    documentation: str
    links: list[str]


class SelfAssessmentOut(Schema):
    product: str = Field(description="The product's slug.")
    criteria_version: str
    status: str = Field(description="draft or submitted.")
    round: str | None = Field(description="The evaluation round's name, if any.")
    filled_by: str
    filled_date: date | None
    submitted_at: datetime | None
    submitted_by: str | None = Field(description="The name of the person who submitted it.")
    self_declared_level: str | None
    next_level: str | None
    blockers: list[str] = Field(description="Criteria that keep these answers from next_level.")
    answers: list[AnswerOut] = Field(description="In criteria order.")


class AnswerIn(Schema):
    criterion: str = Field(max_length=20, description="A criterion id, e.g. F6.")
    answer: str | None = Field(description="Ja, Nej, Ikke relevant, Ved ikke, or null for no answer.")
    documentation: str | None = Field(None, description="Left out: kept as it is. null: emptied.")
    links: list[str] | None = Field(None, description="Public https addresses. Left out: kept as they are.")


class AnswersIn(Schema):
    answers: list[AnswerIn] = Field(max_length=500)


def _self_assessment_out(assessment: SelfAssessment) -> dict:
    assessment = SelfAssessment.objects.select_related("product", "criteria_version", "round", "submitted_by").get(
        pk=assessment.pk
    )
    rows = (
        SelfAssessmentAnswer.objects.filter(self_assessment=assessment)
        .select_related("criterion")
        .order_by("criterion__position")
    )
    report = services.self_declared_report(assessment)
    submitter = assessment.submitted_by
    return {
        "product": assessment.product.slug,
        "criteria_version": assessment.criteria_version.version,
        "status": assessment.status,
        "round": assessment.round.name if assessment.round else None,
        "filled_by": assessment.filled_by,
        "filled_date": assessment.filled_date,
        "submitted_at": assessment.submitted_at,
        "submitted_by": (submitter.name or None) if submitter else None,
        "self_declared_level": report.level,
        "next_level": report.next_level,
        "blockers": [criterion.code for criterion in report.blockers],
        "answers": [
            {
                "criterion": row.criterion.code,
                "answer": ANSWER_TO_WORD.get(row.answer),
                "documentation": row.documentation,
                "links": row.link_list,
            }
            for row in rows
        ],
    }


def _visible(request, slug) -> SelfAssessment:
    # Public: an absent or unknown token is an anonymous visitor, who sees the latest submitted one.
    user = token_auth(request) or AnonymousUser()
    assessment = visible_self_assessment(user, get_product(slug))
    if assessment is None:
        raise Http404
    return assessment


def _allowed(step: str, assessment, user, product) -> bool:
    """Does the self-assessment workflow (governance/workflow.py, which the pages ask too) allow the step?"""
    assessment.product = product  # already loaded
    return SELF_ASSESSMENT.allowed(step, assessment, roles_for(user))


def _refuse_when_submitted(user, product) -> None:
    """Answers go into the draft. Once the self-assessment is submitted there is none until someone starts
    the next one explicitly (POST .../self-assessment/draft), so a late PUT or import cannot quietly open a
    new draft on top of what was just submitted."""
    current = visible_self_assessment(user, product)
    if current is not None and not _allowed("answer", current, user, product):
        raise TransitionConflict(
            _(
                "The self-assessment has been submitted and can no longer be changed. Start the next one with "
                "POST /api/v1/products/%(slug)s/self-assessment/draft."
            )
            % {"slug": product.slug}
        )


def _answers(items: list[AnswerIn], current: dict) -> dict:
    """The API's answers -> the service's {code: {answer, documentation, links}}. Fields left out keep what
    the draft has (current: code -> SelfAssessmentAnswer)."""
    errors, answers = {}, {}
    for item in items:
        code = item.criterion
        if code in answers or code in errors:
            errors.setdefault(code, []).append(_("%(id)s appears more than once in answers.") % {"id": code})
            continue
        if item.answer is not None and item.answer not in WORD_TO_ANSWER:
            errors[code] = [
                _("%(id)s: answer must be Ja, Nej, Ikke relevant, Ved ikke or null, not “%(value)s”.")
                % {"id": code, "value": item.answer[:50]}
            ]
            continue
        row = current.get(code)
        given = item.model_fields_set
        answers[code] = {
            "answer": WORD_TO_ANSWER.get(item.answer, ""),
            "documentation": (item.documentation or "")
            if "documentation" in given
            else (row.documentation if row else ""),
            "links": (item.links or []) if "links" in given else (row.link_list if row else []),
        }
    if errors:
        raise ValidationError(errors)
    return answers


@router.get(
    "products/{slug}/self-assessment",
    auth=None,
    response={200: SelfAssessmentOut, **ERRORS},
    summary="The product's self-assessment",
    openapi_extra=OPTIONAL_TOKEN,
)
def self_assessment(request, slug: str):
    """The coordinator, the steering group and the secretariat see the draft when there is one; everyone else
    (and they, when there is no draft) sees the latest submitted one. 404 when there is none."""
    return _self_assessment_out(_visible(request, slug))


@router.put(
    "products/{slug}/self-assessment",
    response={200: SelfAssessmentOut, **ERRORS},
    summary="Answer criteria in the draft",
)
def self_assessment_answer(request, slug: str, payload: AnswersIn):
    """For the coordinator, the steering group and the secretariat (404 for others). Starts the draft when the
    product has no self-assessment yet. Criteria not sent stay as they are; all or nothing. 409 when the
    self-assessment has been submitted: start the next one with POST .../self-assessment/draft."""
    user = request.auth
    product = get_product_for_assessor(user, slug)
    _refuse_when_submitted(user, product)
    # A refused request leaves nothing behind, not even the draft it started.
    with transaction.atomic():
        draft = services.self_assessment_draft(product=product, user=user)
        current = {row.criterion.code: row for row in draft.answers.select_related("criterion")}
        services.self_assessment_save(assessment=draft, user=user, answers=_answers(payload.answers, current))
    return _self_assessment_out(draft)


@router.post(
    "products/{slug}/self-assessment/draft",
    response={200: SelfAssessmentOut, 201: SelfAssessmentOut, **ERRORS},
    summary="Start the next self-assessment",
)
def self_assessment_start(request, slug: str):
    """Starts a draft with the answers of the latest submitted self-assessment (201); when there is a draft
    already, returns it (200). Criteria version: the open round's, else the newest."""
    user = request.auth
    product = get_product_for_assessor(user, slug)
    existing = visible_self_assessment(user, product)
    draft = services.self_assessment_draft(product=product, user=user)
    created = existing is None or existing.pk != draft.pk
    return Status(201 if created else 200, _self_assessment_out(draft))


# OS2's format as the form writes it, for the OpenAPI document only: the endpoint reads the raw body, so that
# key order and nulls survive to the export.
OS2_FORMAT = {
    "type": "object",
    "required": ["productName", "krav"],
    "properties": {
        "productName": {"type": "string"},
        "filledBy": {"type": ["string", "null"]},
        "filledDate": {"type": ["string", "null"], "format": "date"},
        "generatedAt": {"type": ["string", "null"], "format": "date-time"},
        "krav": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "kategori": {"type": "string"},
                    "krav": {"type": "string"},
                    "produktniveau": {"type": "string"},
                    "retningslinjer": {"type": "string"},
                    "efterlevet": {"type": ["string", "null"], "enum": [*ANSWER_WORDS, None]},
                    "dokumentation": {"type": ["string", "null"]},
                },
            },
        },
    },
}


@router.post(
    "products/{slug}/self-assessment/import",
    response={200: SelfAssessmentOut, 413: ErrorOut, **ERRORS},
    summary="Import OS2's self-assessment JSON into the draft",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": copy.deepcopy(OS2_FORMAT)}}}
    },
)
def self_assessment_import(request, slug: str):
    """The body is the JSON file of OS2's self-assessment form (at most 1 MB). The whole file or nothing: 400
    names every refused item (`productName`, `krav.3`, ...; null for the body as a whole). Criteria the file
    leaves out are left unanswered. 409 when the self-assessment has been submitted."""
    user = request.auth
    product = get_product_for_assessor(user, slug)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_IMPORT_BYTES:
        raise RequestDataTooBig
    raw = request.body
    if len(raw) > MAX_IMPORT_BYTES:
        raise RequestDataTooBig
    _refuse_when_submitted(user, product)
    try:
        with transaction.atomic():
            assessment = services.self_assessment_import(product=product, user=user, data=raw)
    except ValidationError as exc:
        # The service speaks of an uploaded file; here the file is the request body.
        if hasattr(exc, "error_dict") and "file" in exc.error_dict:
            raise ValidationError({NON_FIELD_ERRORS: exc.error_dict["file"]}) from None
        raise
    return _self_assessment_out(assessment)


@router.get(
    "products/{slug}/self-assessment/export",
    auth=None,
    response={200: dict, **ERRORS},
    summary="The self-assessment in OS2's JSON format",
    openapi_extra={
        **OPTIONAL_TOKEN,
        "responses": {200: {"content": {"application/json": {"schema": copy.deepcopy(OS2_FORMAT)}}}},
    },
)
def self_assessment_export(request, slug: str):
    """The self-assessment the caller sees (as GET .../self-assessment), in the format of OS2's form. After an
    import and before any change, it is the imported file again (keys, order, texts and nulls)."""
    return services.self_assessment_export(_visible(request, slug))


@router.post(
    "products/{slug}/self-assessment/submit",
    response={200: SelfAssessmentOut, **ERRORS},
    summary="Submit the draft to the secretariat",
)
def self_assessment_submit(request, slug: str):
    """Locks the draft. 409 when it has already been submitted; 404 when there is none."""
    user = request.auth
    product = get_product_for_assessor(user, slug)
    assessment = visible_self_assessment(user, product)
    if assessment is None:
        raise Http404
    if not _allowed("submit", assessment, user, product):
        raise TransitionConflict(_("The self-assessment has already been submitted."))
    services.self_assessment_submit(assessment=assessment, user=user)
    return _self_assessment_out(assessment)


# --- Level --------------------------------------------------------------------------------------------------


class LevelOut(Schema):
    official_level: str | None = Field(description="Decided by OS2 (the decision log).")
    self_declared_level: str | None = Field(description="From the self-assessment.")
    recommended_level: str | None = Field(description="The secretariat's, from the latest published evaluation.")
    next_level: str | None
    blockers: list[str] = Field(
        description="Non-recommendation criteria that keep the self-assessment from next_level."
    )


def _unanswered_report():
    """The level report of a self-assessment with no answers, in the criteria version a new one would use."""
    open_round = Round.open_round()
    version = open_round.criteria_version if open_round else CriteriaVersion.current()
    if version is None:
        return None
    return levels.self_declared(version.level_keys, services.criteria_of(version), {})


@router.get(
    "products/{slug}/level",
    auth=None,
    response={200: LevelOut, **PUBLIC_ERRORS},
    summary="The product's levels",
    openapi_extra=OPTIONAL_TOKEN,
)
def product_level(request, slug: str):
    """Public. The self-declared level is that of the latest submitted self-assessment; with the token of
    someone who answers it (coordinator, steering group, secretariat), that of the draft. Without a
    self-assessment, self_declared_level is null and next_level and blockers are those of no answers."""
    product = get_product(slug)
    # An absent or unknown token is an anonymous visitor here, not a 401: the endpoint is public.
    user = token_auth(request) or AnonymousUser()
    report = services.self_declared_report(visible_self_assessment(user, product)) or _unanswered_report()
    evaluation = latest_published_evaluation(product)
    return {
        "official_level": _level(product.official_level),
        "self_declared_level": report.level if report else None,
        "recommended_level": _level(evaluation.recommended_level) if evaluation else None,
        "next_level": report.next_level if report else None,
        "blockers": [criterion.code for criterion in report.blockers] if report else [],
    }


# --- Evaluations and decisions ------------------------------------------------------------------------------


class RatingOut(Schema):
    criterion: str
    rating: str | None = Field(description="green, yellow, red or grey.")
    grounds: str

    @staticmethod
    def resolve_criterion(obj):
        return obj.criterion.code

    @staticmethod
    def resolve_rating(obj):
        return obj.rating or None


class EvaluationOut(Schema):
    id: int
    round: str | None
    criteria_version: str
    published_at: datetime | None
    summary: str = Field(description="Markdown.")
    computed_level: str | None
    recommended_level: str | None
    level_reason: str
    ratings: list[RatingOut] = Field(description="In criteria order.")

    @staticmethod
    def resolve_round(obj):
        return obj.round.name if obj.round else None

    @staticmethod
    def resolve_criteria_version(obj):
        return obj.criteria_version.version

    @staticmethod
    def resolve_computed_level(obj):
        return _level(obj.computed_level)

    @staticmethod
    def resolve_recommended_level(obj):
        return _level(obj.recommended_level)

    @staticmethod
    def resolve_ratings(obj):
        return list(obj.ratings.all())


@router.get(
    "products/{slug}/evaluations",
    auth=None,
    response={200: list[EvaluationOut], **PUBLIC_ERRORS},
    summary="The secretariat's published evaluations",
)
@paginate(LimitOffset)
def evaluations(request, slug: str):
    """Published evaluations of the product, newest first."""
    product = get_product(slug)
    # Drafts are the secretariat's; the public list has published reports only, whoever asks.
    return (
        visible_evaluations(AnonymousUser(), product)
        .select_related("criteria_version", "round")
        .prefetch_related(
            Prefetch(
                "ratings", queryset=EvaluationRating.objects.select_related("criterion").order_by("criterion__position")
            )
        )
        .order_by("-published_at", "-pk")
    )


class DecisionOut(Schema):
    decided_on: date
    level: str | None
    previous_level: str | None
    decision: str
    grounds: str
    made_by: str
    reference: str
    evaluation: int | None = Field(description="The id of the evaluation the decision rests on, if any.")

    @staticmethod
    def resolve_level(obj):
        return _level(obj.level)

    @staticmethod
    def resolve_previous_level(obj):
        return _level(obj.previous_level)

    @staticmethod
    def resolve_evaluation(obj):
        return obj.evaluation_id


@router.get(
    "products/{slug}/decisions",
    auth=None,
    response={200: list[DecisionOut], **PUBLIC_ERRORS},
    summary="The decision log of the product's level",
)
@paginate(LimitOffset)
def decisions(request, slug: str):
    """Every recorded decision on the product's official level, newest first."""
    return get_product(slug).level_decisions.order_by("-decided_on", "-created_at", "-pk")
