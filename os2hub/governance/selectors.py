"""Reads for governance that need care: an evaluation's rows grouped by theme with the self-assessment beside
them and the count table (the report page, the rating form and the Markdown report share them), and the
round dashboard in a constant number of queries whatever the number of products."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from os2hub.products.models import Group, GroupMember, Product

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
    page: object  # the Django Page of products shown
    total: int
    submitted: int
    drafts: int
    evaluations_published: int


def round_overview(round: Round, *, page_number=1, per_page=25) -> RoundOverview:
    """The counts over every product in the round (round_products) and one page of rows. A constant number of
    queries whatever the number of products: the counts, the page of products (with the self-declared level
    stored on their latest submitted self-assessment), and the page's self-assessments and evaluations."""
    submitted_status = SelfAssessment.Status.SUBMITTED
    is_open = round.status == Round.Status.OPEN
    # The self-assessment of the round: submitted in it; while it is open, the product's draft counts too
    # (a draft started before the round opened carries no round until it is submitted).
    # One query for the counts, with each condition an IN (subquery) that PostgreSQL hashes once; a correlated
    # EXISTS per product made the same aggregate take hundreds of milliseconds with 1,000 products.
    submitted_products = SelfAssessment.objects.filter(round=round, status=submitted_status).values("product_id")
    draft_products = SelfAssessment.objects.filter(status=SelfAssessment.Status.DRAFT).values("product_id")
    published_products = Evaluation.objects.filter(round=round, status=Evaluation.Status.PUBLISHED).values("product_id")
    counts = round_products().aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(pk__in=submitted_products)),
        drafts=Count("pk", filter=Q(pk__in=draft_products) & ~Q(pk__in=submitted_products)),
        evaluations_published=Count("pk", filter=Q(pk__in=published_products)),
    )
    if not is_open:
        counts["drafts"] = 0
    latest = SelfAssessment.objects.filter(product=OuterRef("pk"), status=submitted_status).order_by(
        "-submitted_at", "-pk"
    )
    products = (
        round_products()
        .select_related("coordinator")
        # Only what a row shows: the product texts are long and a round covers every product.
        .only("name", "slug", "status", "official_level", "coordinator__name", "coordinator__email")
        .annotate(
            latest_submitted_pk=Subquery(latest.values("pk")[:1]),
            latest_declared_level=Subquery(latest.values("declared_level")[:1]),
        )
        .order_by("name", "pk")
    )
    paginator = Paginator(products, per_page)
    paginator.count = counts["total"]  # known from the aggregate above: no second count query
    page = paginator.get_page(page_number)
    page_products = list(page.object_list)
    ids = [p.pk for p in page_products]

    in_round = Q(round=round)
    if is_open:
        in_round |= Q(status=SelfAssessment.Status.DRAFT)
    assessments = {}
    for a in (
        SelfAssessment.objects.filter(in_round, product_id__in=ids)
        .only("pk", "product_id", "status", "submitted_at")
        .order_by("submitted_at", "pk")
    ):
        current = assessments.get(a.product_id)
        # Submitted beats draft; of two submitted, the later one.
        if current is None or a.status == submitted_status or current.status != submitted_status:
            assessments[a.product_id] = a

    drafts, published = {}, {}
    evaluation_filter = Q(round=round, status=Evaluation.Status.PUBLISHED)
    if is_open:
        evaluation_filter |= Q(status=Evaluation.Status.DRAFT)
    for e in (
        Evaluation.objects.filter(evaluation_filter, product_id__in=ids)
        .only("pk", "product_id", "status", "published_at")
        .order_by("published_at", "pk")
    ):
        (drafts if e.status == Evaluation.Status.DRAFT else published)[e.product_id] = e

    version = round.criteria_version
    rows = []
    for product in page_products:
        level = product.latest_declared_level or None
        rows.append(
            RoundRow(
                product=product,
                assessment=assessments.get(product.pk),
                self_declared=level,
                self_declared_name=version.level_name(level) if level else "",
                has_submitted=product.latest_submitted_pk is not None,
                draft_evaluation=drafts.get(product.pk),
                published_evaluation=published.get(product.pk),
            )
        )
    return RoundOverview(rows=rows, page=page, **counts)


# --- The self-assessment, theme by theme ----------------------------------------------------------------------


@dataclass
class ThemeProgress:
    """How far a self-assessment is in one theme: its criteria in order and those without an answer yet."""

    key: str
    name: str
    criteria: list[Criterion]
    missing: list[Criterion]

    @property
    def total(self) -> int:
        return len(self.criteria)

    @property
    def answered(self) -> int:
        return self.total - len(self.missing)

    @property
    def complete(self) -> bool:
        return not self.missing


def self_assessment_progress(version, criteria: list[Criterion], answers: dict) -> list[ThemeProgress]:
    """Per theme in the version's order (a theme the version does not list comes last): its criteria and the
    ones not answered. answers: criterion code -> SelfAssessmentAnswer (a missing code is not answered).
    No queries: the caller has the criteria and the answers."""
    themes = {t["key"]: ThemeProgress(t["key"], version.theme_name(t["key"]), [], []) for t in version.themes}
    for criterion in criteria:
        key = criterion.theme
        if key not in themes:
            themes[key] = ThemeProgress(key, version.theme_name(key), [], [])
        themes[key].criteria.append(criterion)
        row = answers.get(criterion.code)
        if row is None or not row.answer:
            themes[key].missing.append(criterion)
    return [theme for theme in themes.values() if theme.criteria]


def unanswered(progress: list[ThemeProgress]) -> list[Criterion]:
    return [criterion for theme in progress for criterion in theme.missing]


# --- The personal overview ---------------------------------------------------------------------------------------


def products_answered_by(user, *, round: Round | None = None):
    """The products whose self-assessment the person answers as their coordinator or in their steering group
    (the secretariat may answer every product, which is no list of work), by name. Each has `has_draft` (a
    self-assessment is being filled in) and, with a round, `submitted_in_round`. One query."""
    if not user.is_authenticated:
        return Product.objects.none()
    steering = GroupMember.objects.filter(user=user, group__product=OuterRef("pk"), group__kind=Group.Kind.STEERING)
    products = (
        Product.objects.filter(Q(coordinator=user) | Exists(steering))
        .only("name", "slug", "status", "official_level", "coordinator_id")
        .annotate(
            has_draft=Exists(SelfAssessment.objects.filter(product=OuterRef("pk"), status=SelfAssessment.Status.DRAFT))
        )
        .order_by("name", "pk")
    )
    if round is not None:
        submitted = SelfAssessment.objects.filter(
            product=OuterRef("pk"), round=round, status=SelfAssessment.Status.SUBMITTED
        )
        products = products.annotate(submitted_in_round=Exists(submitted))
    return products
