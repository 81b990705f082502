"""Reads for governance that need care: an evaluation's rows grouped by theme with the self-assessment beside
them and the count table (the report page, the rating form and the Markdown report share them), and the
round dashboard in a constant number of queries whatever the number of products."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery

from os2hub.products.models import Product

from . import levels
from .models import (
    Criterion,
    Evaluation,
    EvaluationRating,
    Rating,
    Round,
    SelfAssessment,
    SelfAssessmentAnswer,
)


def round_products():
    """The products a round asks for a self-assessment: all but ideas and retired products."""
    return Product.objects.exclude(status__in=[Product.Status.RETIRED, Product.Status.IDEA])


# The columns of the count table, in OS2's order; "" is a criterion not rated yet.
COUNT_COLUMNS = [*Rating.values, ""]


# --- One evaluation ------------------------------------------------------------------------------------------


@dataclass
class EvaluationRow:
    criterion: Criterion
    rating: str  # a Rating key, "" when not rated yet
    grounds: str
    answer: SelfAssessmentAnswer | None  # the self-assessment's answer to the criterion, if any
    level_name: str = ""  # the name of the criterion's level, in the active language

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label if self.rating else ""

    @property
    def answer_label(self) -> str:
        """The self-assessment's answer as the interface shows it; "" when there is none."""
        if self.answer is None or not self.answer.answer:
            return ""
        return getattr(self.answer, "label", None) or self.answer.get_answer_display()


@dataclass
class ThemeSection:
    key: str
    name: str
    rows: list[EvaluationRow] = field(default_factory=list)


@dataclass
class CountRow:
    level: str
    name: str
    counts: list[int]  # in COUNT_COLUMNS order
    total: int


def evaluation_rows(evaluation: Evaluation) -> list[EvaluationRow]:
    """Every criterion of the evaluation in criteria order, with its rating and the self-assessment's answer.
    Two queries."""
    ratings = EvaluationRating.objects.filter(evaluation=evaluation).select_related("criterion")
    answers = {}
    if evaluation.self_assessment_id:
        answers = {
            a.criterion.code: a
            for a in SelfAssessmentAnswer.objects.filter(
                self_assessment_id=evaluation.self_assessment_id
            ).select_related("criterion")
        }
    version = evaluation.criteria_version
    return [
        EvaluationRow(
            criterion=r.criterion,
            rating=r.rating,
            grounds=r.grounds,
            answer=answers.get(r.criterion.code),
            level_name=version.level_name(r.criterion.level),
        )
        for r in ratings.order_by("criterion__position")
    ]


def by_theme(version, rows: list[EvaluationRow]) -> list[ThemeSection]:
    """The rows grouped by theme in the version's order (a theme the version does not list comes last)."""
    sections = {t["key"]: ThemeSection(t["key"], version.theme_name(t["key"])) for t in version.themes}
    for row in rows:
        key = row.criterion.theme
        if key not in sections:
            sections[key] = ThemeSection(key, version.theme_name(key))
        sections[key].rows.append(row)
    return [s for s in sections.values() if s.rows]


def level_counts(version, rows: list[EvaluationRow]) -> list[CountRow]:
    """Per level of the version (lowest first) the number of criteria per colour and unrated, then a total
    row with level "" ."""
    table = {key: [0] * len(COUNT_COLUMNS) for key in version.level_keys}
    for row in rows:
        counts = table.get(row.criterion.level)
        if counts is not None:
            counts[COUNT_COLUMNS.index(row.rating if row.rating in Rating.values else "")] += 1
    result = [CountRow(key, version.level_name(key), counts, sum(counts)) for key, counts in table.items()]
    totals = [sum(r.counts[i] for r in result) for i in range(len(COUNT_COLUMNS))]
    return [*result, CountRow("", "", totals, sum(totals))]


def evaluation_report(evaluation: Evaluation) -> dict:
    """What the report page and the Markdown report show besides the evaluation itself."""
    version = evaluation.criteria_version
    rows = evaluation_rows(evaluation)
    return {
        "rows": rows,
        "themes": by_theme(version, rows),
        "counts": level_counts(version, rows),
        "count_columns": [(key, Rating(key).label if key else None) for key in COUNT_COLUMNS],
    }


def published_evaluations(product):
    return Evaluation.objects.filter(product=product, status=Evaluation.Status.PUBLISHED).order_by(
        "-published_at", "-pk"
    )


# --- The round dashboard -------------------------------------------------------------------------------------


@dataclass
class RoundRow:
    product: Product
    assessment: SelfAssessment | None  # the self-assessment that speaks for the round: submitted, else a draft
    self_declared: str | None  # level key of the latest submitted self-assessment (any round)
    self_declared_name: str
    has_submitted: bool  # any submitted self-assessment at all (else there is no self-declared level)
    draft_evaluation: Evaluation | None
    published_evaluation: Evaluation | None  # the latest published in the round

    @property
    def state(self) -> str:
        """ "none", "draft" or "submitted": the self-assessment's state in the round."""
        return self.assessment.status if self.assessment is not None else "none"


@dataclass
class RoundOverview:
    rows: list[RoundRow]
    total: int
    submitted: int
    drafts: int
    evaluations_published: int


def round_overview(round: Round) -> RoundOverview:
    """One row per product in the round (round_products). A constant number of queries: products, the round's
    self-assessments, the latest submitted self-assessments, their answers, their criteria (once per criteria
    version, normally one) and the evaluations."""
    submitted_status = SelfAssessment.Status.SUBMITTED
    latest = (
        SelfAssessment.objects.filter(product=OuterRef("pk"), status=submitted_status)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    products = list(
        round_products()
        .select_related("coordinator")
        # Only what a row shows: the product texts are long and a round covers every product.
        .only("name", "slug", "status", "official_level", "coordinator__name", "coordinator__email")
        .annotate(latest_submitted_pk=Subquery(latest))
        .order_by("name", "pk")
    )
    is_open = round.status == Round.Status.OPEN

    # The self-assessment of the round: submitted in it; while it is open, the product's draft counts too
    # (a draft started before the round opened carries no round until it is submitted).
    in_round = Q(round=round)
    if is_open:
        in_round |= Q(status=SelfAssessment.Status.DRAFT)
    assessments = {}
    for a in SelfAssessment.objects.filter(in_round).order_by("submitted_at", "pk"):
        current = assessments.get(a.product_id)
        # Submitted beats draft; of two submitted, the later one.
        if current is None or a.status == submitted_status or current.status != submitted_status:
            assessments[a.product_id] = a

    # The self-declared level of each product's latest submitted self-assessment, computed in Python.
    latest_pks = [p.latest_submitted_pk for p in products if p.latest_submitted_pk]
    latest_assessments = {
        a.pk: a for a in SelfAssessment.objects.filter(pk__in=latest_pks).select_related("criteria_version")
    }
    answers: dict[int, dict[str, str]] = {pk: {} for pk in latest_pks}
    for assessment_pk, code, answer in SelfAssessmentAnswer.objects.filter(
        self_assessment_id__in=latest_pks
    ).values_list("self_assessment_id", "criterion__code", "answer"):
        answers[assessment_pk][code] = answer
    versions = {a.criteria_version_id: a.criteria_version for a in latest_assessments.values()}
    criteria: dict[int, list[Criterion]] = {pk: [] for pk in versions}
    if versions:
        for criterion in Criterion.objects.filter(version_id__in=versions).order_by("position"):
            criteria[criterion.version_id].append(criterion)

    drafts, published = {}, {}
    evaluation_filter = Q(round=round, status=Evaluation.Status.PUBLISHED)
    if is_open:
        evaluation_filter |= Q(status=Evaluation.Status.DRAFT)
    for e in Evaluation.objects.filter(evaluation_filter).order_by("published_at", "pk"):
        (drafts if e.status == Evaluation.Status.DRAFT else published)[e.product_id] = e

    rows = []
    for product in products:
        latest_assessment = latest_assessments.get(product.latest_submitted_pk)
        level = None
        name = ""
        if latest_assessment is not None:
            version = versions[latest_assessment.criteria_version_id]
            level = levels.self_declared(
                version.level_keys, criteria[version.pk], answers.get(latest_assessment.pk, {})
            ).level
            name = version.level_name(level)
        rows.append(
            RoundRow(
                product=product,
                assessment=assessments.get(product.pk),
                self_declared=level,
                self_declared_name=name,
                has_submitted=latest_assessment is not None,
                draft_evaluation=drafts.get(product.pk),
                published_evaluation=published.get(product.pk),
            )
        )
    return RoundOverview(
        rows=rows,
        total=len(rows),
        submitted=sum(1 for r in rows if r.state == submitted_status),
        drafts=sum(1 for r in rows if r.state == SelfAssessment.Status.DRAFT),
        evaluations_published=sum(1 for r in rows if r.published_evaluation is not None),
    )
