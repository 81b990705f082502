"""Writes for governance: loading criteria versions, self-assessments (answer, import, submit), evaluations
(rate, publish), the decision log (the only way the official level changes), rounds with reminders, and the
follow-or-explain register. Views, the API and commands call these; each checks who may do it."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from os2hub.accounts.models import Membership, Organisation, User
from os2hub.core.addresses import validate_public_url
from os2hub.core.mail import send_templated_mail_on_commit
from os2hub.core.text import check_text, text_errors
from os2hub.core.workflow import TransitionConflict
from os2hub.products.models import Group, GroupMember, Level, Product

from . import criteria as criteria_file
from . import exchange, levels
from .getters import can_answer, can_edit_practices, can_evaluate, latest_submitted
from .models import (
    Answer,
    CriteriaVersion,
    Criterion,
    Decision,
    Evaluation,
    EvaluationRating,
    GovernanceEvent,
    Practice,
    Rating,
    Round,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from .workflow import EVALUATION, ROUND, SELF_ASSESSMENT

MAX_DOCUMENTATION = exchange.MAX_DOCUMENTATION
MAX_LINKS = 20


def _event(kind, *, actor=None, product=None, round=None, obj=None, note=""):
    """The history row of a transition (house rule: one per transition, in the same transaction)."""
    GovernanceEvent.objects.create(
        kind=kind, actor=actor, product=product, round=round, object_id=getattr(obj, "pk", None), note=note[:300]
    )


# --- Criteria versions --------------------------------------------------------------------------------------


def criteria_version_load(parsed: dict, *, version_model=CriteriaVersion, criterion_model=Criterion):
    """Store a parsed criteria file (criteria.parse). Loading the same file again changes nothing; a different
    file under a version that exists is refused, since assessments made with it must keep meaning the same.
    Returns (version, created). The model arguments let a data migration use its historical models."""
    existing = version_model.objects.filter(version=parsed["version"]).first()
    if existing is not None:
        if existing.sha256 != parsed["sha256"]:
            raise ValidationError(
                _("Criteria version %(version)s is already loaded with other content; give the new file a new version.")
                % {"version": parsed["version"]}
            )
        return existing, False
    with transaction.atomic():
        version = version_model.objects.create(
            version=parsed["version"],
            sort_key=criteria_file.version_sort_key(parsed["version"]),
            released=parsed["released"],
            levels=parsed["levels"],
            themes=parsed["themes"],
            sha256=parsed["sha256"],
        )
        criterion_model.objects.bulk_create(
            criterion_model(version=version, position=n, **item) for n, item in enumerate(parsed["criteria"])
        )
    return version, True


def criteria_of(version) -> list[Criterion]:
    return list(Criterion.objects.filter(version=version).order_by("position"))


# --- Self-assessment ----------------------------------------------------------------------------------------


def _require_answerer(user, product):
    if not can_answer(user, product):
        raise PermissionDenied


def self_assessment_draft(*, product, user) -> SelfAssessment:
    """The product's draft, started when there is none: with the open round's criteria version (else the
    newest), and the answers of the latest submitted self-assessment carried over, so a round starts from the
    last one."""
    _require_answerer(user, product)
    draft = SelfAssessment.objects.filter(product=product, status=SelfAssessment.Status.DRAFT).first()
    if draft is not None:
        return draft
    open_round = Round.open_round()
    version = open_round.criteria_version if open_round else CriteriaVersion.current()
    if version is None:
        raise ValidationError(_("No criteria are loaded; run manage.py load_criteria."))
    previous = latest_submitted(product)
    carried = {}
    if previous is not None:
        for answer in previous.answers.select_related("criterion"):
            carried[answer.criterion.code] = answer
    try:
        with transaction.atomic():
            draft = SelfAssessment.objects.create(
                product=product,
                criteria_version=version,
                round=open_round,
                created_by=user,
                filled_by=previous.filled_by if previous else "",
            )
            rows = []
            for criterion in criteria_of(version):
                old = carried.get(criterion.code)
                same_version = old is not None and old.criterion.version_id == version.pk
                rows.append(
                    SelfAssessmentAnswer(
                        self_assessment=draft,
                        criterion=criterion,
                        answer=old.answer if old else "",
                        documentation=old.documentation if old else "",
                        links=old.links if old else "",
                        source=old.source if same_version else [],
                        position=old.position if same_version else 1000 + criterion.position,
                    )
                )
            SelfAssessmentAnswer.objects.bulk_create(rows)
            _event(GovernanceEvent.Kind.SELF_ASSESSMENT_STARTED, actor=user, product=product, obj=draft)
    except IntegrityError:
        # Someone started the draft at the same moment: use theirs.
        return SelfAssessment.objects.get(product=product, status=SelfAssessment.Status.DRAFT)
    return draft


def _lock_draft(assessment) -> SelfAssessment:
    """The draft, locked for answering (the workflow's "answer" step)."""
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status not in SELF_ASSESSMENT["answer"].sources:
        raise TransitionConflict(_("The self-assessment has been submitted and can no longer be changed."))
    return locked


def _clean_answer(code: str, value: dict) -> dict:
    answer = value.get("answer") or ""
    documentation = value.get("documentation") or ""
    links = value.get("links") or []
    if isinstance(links, str):
        links = links.splitlines()
    links = [str(link).strip() for link in links if str(link).strip()]
    errors = {}
    if answer and answer not in Answer.values:
        errors[code] = [_("Choose Ja, Nej, Ikke relevant or Ved ikke.")]
    if not isinstance(documentation, str) or len(documentation) > MAX_DOCUMENTATION:
        errors[f"{code}.documentation"] = [
            _("Documentation must be text of at most %(max)s characters.") % {"max": MAX_DOCUMENTATION}
        ]
    else:
        errors.update(text_errors({f"{code}.documentation": documentation}))
    link_errors = []
    if len(links) > MAX_LINKS:
        link_errors.append(_("Give at most %(max)s links.") % {"max": MAX_LINKS})
    for link in links[:MAX_LINKS]:
        if any(ch.isspace() or not ch.isprintable() for ch in link):
            link_errors.append(
                _("%(link)s: a link cannot contain spaces, line breaks or control characters.")
                % {"link": link[:100].encode("unicode_escape").decode()}
            )
            continue
        try:
            validate_public_url(link)
        except ValidationError as exc:
            link_errors.append(f"{link[:100]}: {exc.messages[0]}")
    if link_errors:
        errors[f"{code}.links"] = link_errors
    if errors:
        raise ValidationError(errors)
    return {"answer": answer, "documentation": documentation.strip(), "links": "\n".join(links)}


def self_assessment_save(*, assessment, user, answers: dict, expected: dict | None = None) -> SelfAssessment:
    """Save answers: {criterion code: {answer, documentation, links}}; codes not given stay as they are.
    `expected` (code -> answer_fingerprint of the values the person started from) refuses overwriting what
    someone else saved in the meantime, criterion by criterion. All or nothing (the API's contract)."""
    locked, _changed, _errors = _save_answers(assessment, user, answers, expected, keep_valid=False)
    return locked


def self_assessment_save_valid(
    *, assessment, user, answers: dict, expected: dict | None = None
) -> tuple[SelfAssessment, list[str], dict]:
    """Save answers criterion by criterion, as the pages do: the answers that pass are saved and those refused
    (a bad link, someone else's save in between) stay as they were. Returns (assessment, codes changed, errors
    of the refused criteria keyed like self_assessment_save's: "R1", "R1.links")."""
    return _save_answers(assessment, user, answers, expected, keep_valid=True)


def _code_of(key: str) -> str:
    return key.partition(".")[0]


def _save_answers(assessment, user, answers, expected, *, keep_valid):
    _require_answerer(user, assessment.product)
    errors = {}
    cleaned = {}
    for code, value in answers.items():
        try:
            cleaned[code] = _clean_answer(code, value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    with transaction.atomic():
        locked = _lock_draft(assessment)
        rows = {
            a.criterion.code: a
            for a in SelfAssessmentAnswer.objects.filter(self_assessment=locked).select_related("criterion")
        }
        for code in cleaned:
            if code not in rows:
                errors[code] = [
                    _("%(id)s is not a criterion of criteria version %(version)s.")
                    % {"id": code[:20], "version": locked.criteria_version.version}
                ]
        for code, before in (expected or {}).items():
            row = rows.get(code)
            if code in cleaned and row is not None and answer_fingerprint(*_values(row)) != before:
                errors.setdefault(code, []).append(
                    _("Someone else changed this answer while you were editing it. Check it and save again.")
                )
        if errors and not keep_valid:
            raise ValidationError(errors)
        refused = {_code_of(key) for key in errors}
        changed = []
        for code, values in cleaned.items():
            if code in refused:
                continue
            row = rows[code]
            if _values(row) == (values["answer"], values["documentation"], values["links"]):
                continue
            row.answer, row.documentation, row.links = values["answer"], values["documentation"], values["links"]
            row.updated_by = user
            changed.append(row)
        if changed:
            SelfAssessmentAnswer.objects.bulk_update(changed, ["answer", "documentation", "links", "updated_by"])
            locked.content_at = timezone.now()
            locked.save(update_fields=["content_at"])
    return locked, [row.criterion.code for row in changed], errors


def _values(row):
    return (row.answer, row.documentation, row.links)


def answer_fingerprint(answer: str, documentation: str, links: str) -> str:
    """A short fingerprint of one answer as a person saw it, to notice someone else's save in between."""
    links = "\n".join(line.strip() for line in (links or "").splitlines() if line.strip())
    raw = "\x1f".join([answer or "", (documentation or "").strip(), links])
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def self_assessment_import(*, product, user, data) -> SelfAssessment:
    """Import OS2's self-assessment JSON into the product's draft (started if needed). The whole file or
    nothing: every refused item is named in the error, and a refused file leaves no draft behind."""
    _require_answerer(user, product)
    payload = exchange.load_json(data)
    with transaction.atomic():
        draft = self_assessment_draft(product=product, user=user)
        version = draft.criteria_version
        by_code = {c.code: c for c in criteria_of(version)}
        parsed = exchange.parse(
            payload, product_name=product.name, product_slug=product.slug, version=version, criteria=by_code
        )
        locked = _lock_draft(draft)
        rows = {
            a.criterion_id: a
            for a in SelfAssessmentAnswer.objects.filter(self_assessment=locked).select_related("criterion")
        }
        for row in rows.values():
            # Not in the file: no answer, after the file's items.
            row.answer, row.documentation, row.links, row.source = "", "", "", []
            row.position, row.updated_by = 1000 + row.criterion.position, user
        for item in parsed["items"]:
            row = rows[by_code[item["code"]].pk]
            row.answer, row.documentation = item["answer"], item["documentation"]
            row.source, row.position = item["source"], item["position"]
        SelfAssessmentAnswer.objects.bulk_update(
            list(rows.values()), ["answer", "documentation", "links", "source", "position", "updated_by"]
        )
        locked.imported_meta = parsed["meta"]
        locked.filled_by = parsed["filled_by"]
        locked.filled_date = parsed["filled_date"]
        locked.content_at = parsed["content_at"] or timezone.now()
        locked.save(update_fields=["imported_meta", "filled_by", "filled_date", "content_at"])
        _event(GovernanceEvent.Kind.SELF_ASSESSMENT_IMPORTED, actor=user, product=product, obj=locked)
    return locked


def self_assessment_export(assessment) -> dict:
    answers = SelfAssessmentAnswer.objects.filter(self_assessment=assessment).select_related("criterion")
    return exchange.build(assessment, answers.order_by("position", "criterion__position"))


def self_assessment_submit(*, assessment, user) -> SelfAssessment:
    """Lock the self-assessment: records who and when, and the round open now. Of two people submitting at
    once, one succeeds and the other gets TransitionConflict."""
    _require_answerer(user, assessment.product)
    now = timezone.now()
    open_round = Round.open_round()
    step = SELF_ASSESSMENT["submit"]
    with transaction.atomic():
        updated = SelfAssessment.objects.filter(pk=assessment.pk, status__in=step.sources).update(
            status=step.target,
            submitted_at=now,
            submitted_by=user,
            round=open_round if open_round else assessment.round,
        )
        if not updated:
            raise TransitionConflict(_("The self-assessment has already been submitted."))
        assessment.refresh_from_db()
        assessment.declared_level = self_declared_report(assessment).level or ""
        changed = ["declared_level"]
        if not assessment.filled_by:
            organisation = Membership.objects.filter(user=user).select_related("organisation").first()
            assessment.filled_by = (
                f"{user.name or user.email}, {organisation.organisation.name}"
                if organisation
                else user.name or user.email
            )[:200]
            changed.append("filled_by")
        if not assessment.filled_date:
            assessment.filled_date = timezone.localdate()
            changed.append("filled_date")
        assessment.save(update_fields=changed)
        _event(
            GovernanceEvent.Kind.SELF_ASSESSMENT_SUBMITTED,
            actor=user,
            product=assessment.product,
            round=assessment.round,
            obj=assessment,
        )
    send_templated_mail_on_commit(
        template="governance_self_assessment_submitted",
        context={
            "assessment": assessment,
            "person": user,
            "link": settings.SITE_URL + reverse("governance:level", args=[assessment.product.slug]),
        },
        to=User.objects.filter(memberships__organisation__kind=Organisation.Kind.SECRETARIAT),
    )
    return assessment


def self_declared_report(assessment) -> levels.LevelReport | None:
    if assessment is None:
        return None
    answers = dict(
        SelfAssessmentAnswer.objects.filter(self_assessment=assessment).values_list("criterion__code", "answer")
    )
    version = assessment.criteria_version
    return levels.self_declared(version.level_keys, criteria_of(version), answers)


# --- Evaluation ---------------------------------------------------------------------------------------------


def _require_evaluator(user):
    if not can_evaluate(user):
        raise PermissionDenied


def evaluation_start(*, product, user) -> Evaluation:
    """The secretariat's draft evaluation of the product, started from its latest submitted self-assessment."""
    _require_evaluator(user)
    draft = Evaluation.objects.filter(product=product, status=Evaluation.Status.DRAFT).first()
    if draft is not None:
        return draft
    assessment = latest_submitted(product)
    open_round = Round.open_round()
    version = (
        assessment.criteria_version
        if assessment
        else (open_round.criteria_version if open_round else CriteriaVersion.current())
    )
    if version is None:
        raise ValidationError(_("No criteria are loaded; run manage.py load_criteria."))
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                product=product,
                criteria_version=version,
                round=open_round,
                self_assessment=assessment,
                created_by=user,
            )
            EvaluationRating.objects.bulk_create(
                EvaluationRating(evaluation=evaluation, criterion=c) for c in criteria_of(version)
            )
            _event(
                GovernanceEvent.Kind.EVALUATION_STARTED, actor=user, product=product, round=open_round, obj=evaluation
            )
    except IntegrityError:
        return Evaluation.objects.get(product=product, status=Evaluation.Status.DRAFT)
    return evaluation


LEVEL_AS_COMPUTED = "computed"
NO_LEVEL = "none"


def evaluation_save(
    *, evaluation, user, ratings: dict, summary: str | None = None, level: str = LEVEL_AS_COMPUTED, level_reason=""
) -> Evaluation:
    """ratings: {criterion code: {rating, grounds}}; level: "computed", "none" or a level key. A level other
    than the computed one needs a written reason."""
    _require_evaluator(user)
    errors = {}
    check_text({"summary": summary or "", "level_reason": level_reason or ""})
    for code, value in ratings.items():
        rating, grounds = value.get("rating") or "", value.get("grounds") or ""
        if rating and rating not in Rating.values:
            errors[code] = [_("Choose green, yellow, red or grey.")]
        elif not isinstance(grounds, str) or len(grounds) > MAX_DOCUMENTATION:
            errors[code] = [_("The grounds must be text of at most %(max)s characters.") % {"max": MAX_DOCUMENTATION}]
        elif refused := text_errors({code: grounds}):
            errors.update(refused)
    if level not in (LEVEL_AS_COMPUTED, NO_LEVEL, *Level.values):
        errors["level"] = [_("Choose a level.")]
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status not in EVALUATION["rate"].sources:
            raise TransitionConflict(_("The evaluation has been published and can no longer be changed."))
        rows = {
            r.criterion.code: r for r in EvaluationRating.objects.filter(evaluation=locked).select_related("criterion")
        }
        for code in ratings:
            if code not in rows:
                errors[code] = [_("%(id)s is not a criterion of this evaluation.") % {"id": code[:20]}]
        if errors:
            raise ValidationError(errors)
        changed = []
        for code, value in ratings.items():
            row = rows[code]
            row.rating, row.grounds = value.get("rating") or "", (value.get("grounds") or "").strip()
            changed.append(row)
        EvaluationRating.objects.bulk_update(changed, ["rating", "grounds"])
        computed = _computed_level(locked, {code: row.rating for code, row in rows.items()})
        locked.computed_level = computed or ""
        chosen = {LEVEL_AS_COMPUTED: computed or "", NO_LEVEL: ""}.get(level, level)
        reason = (level_reason or "").strip()
        if chosen != locked.computed_level and not reason:
            raise ValidationError(
                {
                    "level_reason": _(
                        "Give the reason for recommending another level than the computed one (%(level)s)."
                    )
                    % {"level": locked.criteria_version.level_name(locked.computed_level)}
                }
            )
        locked.recommended_level = chosen
        locked.level_reason = reason if chosen != locked.computed_level else ""
        if summary is not None:
            locked.summary = summary.strip()
        locked.save()
    return locked


def _computed_level(evaluation, ratings: dict) -> str | None:
    version = evaluation.criteria_version
    return levels.recommended(version.level_keys, criteria_of(version), ratings).level


def evaluation_level_choice(evaluation) -> str:
    """The value of the level field for an evaluation as stored."""
    if evaluation.recommended_level == evaluation.computed_level:
        return LEVEL_AS_COMPUTED
    return evaluation.recommended_level or NO_LEVEL


def evaluation_publish(*, evaluation, user) -> Evaluation:
    """Publish the report: every criterion rated, grounds for every yellow and red rating, a summary, and a
    reason when the recommended level is not the computed one."""
    _require_evaluator(user)
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status not in EVALUATION["publish"].sources:
            raise TransitionConflict(_("The evaluation has already been published."))
        errors = {}
        rows = list(EvaluationRating.objects.filter(evaluation=locked).select_related("criterion"))
        for row in rows:
            if not row.rating:
                errors[row.criterion.code] = [_("Rate %(id)s.") % {"id": row.criterion.code}]
            elif row.rating in (Rating.YELLOW, Rating.RED) and not row.grounds:
                errors[row.criterion.code] = [
                    _("Give the grounds for rating %(id)s yellow or red.") % {"id": row.criterion.code}
                ]
        if not locked.summary:
            errors["summary"] = [_("Write a summary.")]
        computed = _computed_level(locked, {row.criterion.code: row.rating for row in rows}) or ""
        if locked.recommended_level != computed and not locked.level_reason:
            errors["level_reason"] = [
                _("Give the reason for recommending another level than the computed one (%(level)s).")
                % {"level": locked.criteria_version.level_name(computed)}
            ]
        if errors:
            raise ValidationError(errors)
        locked.computed_level = computed
        locked.status = EVALUATION["publish"].target
        locked.published_at = timezone.now()
        locked.published_by = user
        locked.save()
        _event(
            GovernanceEvent.Kind.EVALUATION_PUBLISHED,
            actor=user,
            product=locked.product,
            round=locked.round,
            obj=locked,
        )
    product = locked.product
    send_templated_mail_on_commit(
        template="governance_evaluation_published",
        context={
            "evaluation": locked,
            "link": settings.SITE_URL + reverse("governance:evaluation", args=[product.slug, locked.pk]),
        },
        to=_product_people(product),
    )
    return locked


def _product_people(product) -> list:
    """The coordinator and the steering group: those who answer for the product."""
    people = list(
        User.objects.filter(
            group_memberships__group__product=product, group_memberships__group__kind=Group.Kind.STEERING
        )
    )
    if product.coordinator_id:
        people.append(product.coordinator)
    return people


# --- Decision log -------------------------------------------------------------------------------------------


def decision_check(
    *, product, user, decided_on, level: str, decision: str, grounds: str, made_by: str, reference="", evaluation=None
) -> Decision:
    """The decision as it would be recorded, checked but not saved (the page shows it for confirmation first).
    Raises ValidationError naming each problem, as decision_record does."""
    _require_evaluator(user)
    data = {
        "decision": (decision or "").strip(),
        "grounds": (grounds or "").strip(),
        "made_by": (made_by or "").strip(),
        "reference": (reference or "").strip(),
    }
    check_text(data, single_line=("decision", "made_by", "reference"))
    errors = {}
    for field, message in (
        ("decision", _("Say what was decided.")),
        ("grounds", _("Give the grounds for the decision.")),
        ("made_by", _("Say who made the decision.")),
    ):
        if not data[field]:
            errors[field] = [message]
    if level not in ("", *Level.values):
        errors["level"] = [_("Choose a level.")]
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = [_("Enter the date of the decision.")]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("A decision cannot be dated in the future.")]
    if evaluation is not None and (evaluation.product_id != product.pk or not evaluation.is_published):
        errors["evaluation"] = [_("Choose a published evaluation of this product.")]
    if errors:
        raise ValidationError(errors)
    entry = Decision(
        product=product, decided_on=decided_on, level=level, recorded_by=user, evaluation=evaluation, **data
    )
    entry.full_clean(exclude=["product", "evaluation", "recorded_by", "previous_level"])
    entry.previous_level = product.official_level
    return entry


def decision_record(
    *, product, user, decided_on, level: str, decision: str, grounds: str, made_by: str, reference="", evaluation=None
) -> Decision:
    """Record a decision and set the product's official level to it, in one transaction."""
    entry = decision_check(
        product=product,
        user=user,
        decided_on=decided_on,
        level=level,
        decision=decision,
        grounds=grounds,
        made_by=made_by,
        reference=reference,
        evaluation=evaluation,
    )
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        entry.previous_level = locked.official_level
        entry.save()
        Product.objects.filter(pk=product.pk).update(official_level=level, updated_at=timezone.now())
        _event(GovernanceEvent.Kind.DECISION_RECORDED, actor=user, product=product, obj=entry, note=entry.decision)
    product.official_level = level
    send_templated_mail_on_commit(
        template="governance_decision_recorded",
        context={"decision": entry, "link": settings.SITE_URL + reverse("governance:level", args=[product.slug])},
        to=_product_people(product),
    )
    return entry


# --- Rounds -------------------------------------------------------------------------------------------------


def round_open(*, user, name: str, opens_on, deadline) -> Round:
    _require_evaluator(user)
    name = (name or "").strip()
    check_text({"name": name}, single_line=("name",))
    errors = {}
    if not name:
        errors["name"] = [_("Give the round a name, for example “Efterår 2026”.")]
    if opens_on and deadline and deadline < opens_on:
        errors["deadline"] = [_("The deadline cannot be before the round opens.")]
    version = CriteriaVersion.current()
    if version is None:
        errors.setdefault("name", []).append(_("No criteria are loaded; run manage.py load_criteria."))
    current = Round.open_round()
    if current is not None:
        errors.setdefault("name", []).append(
            _("The round “%(name)s” is open; close it before opening another.") % {"name": current.name}
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            opened = Round.objects.create(
                name=name, opens_on=opens_on, deadline=deadline, criteria_version=version, created_by=user
            )
            _event(GovernanceEvent.Kind.ROUND_OPENED, actor=user, round=opened)
            return opened
    except IntegrityError:
        raise ValidationError({"name": [_("Another round was opened at the same moment.")]}) from None


def round_close(*, round, user) -> Round:
    _require_evaluator(user)
    step = ROUND["close"]
    with transaction.atomic():
        updated = Round.objects.filter(pk=round.pk, status__in=step.sources).update(
            status=step.target, closed_at=timezone.now()
        )
        if not updated:
            raise TransitionConflict(_("The round is already closed."))
        _event(GovernanceEvent.Kind.ROUND_CLOSED, actor=user, round=round)
    round.refresh_from_db()
    return round


def round_remind(*, round, user=None) -> int:
    """E-mail the coordinator of every active product that has not submitted a self-assessment in the round.
    Returns the number of products reminded. `user` None: a scheduled run (manage.py remind_self_assessments)."""
    if user is not None:
        _require_evaluator(user)
    if round.status not in ROUND["remind"].sources:
        raise TransitionConflict(_("The round is closed."))
    submitted = SelfAssessment.objects.filter(round=round, status=SelfAssessment.Status.SUBMITTED).values("product_id")
    from .selectors import round_products

    products = round_products().exclude(pk__in=submitted).select_related("coordinator")
    steering = {}
    for member in GroupMember.objects.filter(
        group__product__in=products, group__kind=Group.Kind.STEERING
    ).select_related("user", "group"):
        steering.setdefault(member.group.product_id, []).append(member.user)
    count = 0
    for product in products:
        # The coordinator; a product without one reminds its steering group instead.
        to = [product.coordinator] if product.coordinator_id else steering.get(product.pk, [])
        if not to:
            continue
        send_templated_mail_on_commit(
            template="governance_self_assessment_reminder",
            context={
                "round": round,
                "product": product,
                "link": settings.SITE_URL + reverse("governance:self_assessment", args=[product.slug]),
            },
            to=to,
        )
        count += 1
    Round.objects.filter(pk=round.pk).update(reminded_at=timezone.now())
    _event(GovernanceEvent.Kind.REMINDERS_SENT, actor=user, round=round, note=str(count))
    return count


# --- Follow or explain --------------------------------------------------------------------------------------


def practice_save(*, product, user, data: dict, practice: Practice | None = None) -> Practice:
    if not can_edit_practices(user, product):
        raise PermissionDenied
    practice = practice or Practice(product=product)
    if practice.product_id != product.pk:
        raise PermissionDenied
    data = {key: (data.get(key) or "").strip() for key in ("kind", "name", "url", "status", "explanation")}
    check_text(data, single_line=("name", "url"))
    for key, value in data.items():
        setattr(practice, key, value)
    practice.updated_by = user
    practice.full_clean(exclude=["product", "updated_by"])
    if practice.status == Practice.Status.DEVIATES and not practice.explanation:
        raise ValidationError({"explanation": [_("Explain the deviation: why, and what the product does instead.")]})
    clash = Practice.objects.filter(product=product, name__iexact=practice.name).exclude(pk=practice.pk)
    if clash.exists():
        raise ValidationError({"name": [_("This standard or rule is already in the register.")]})
    try:
        with transaction.atomic():
            practice.save()
    except IntegrityError:
        raise ValidationError({"name": [_("This standard or rule is already in the register.")]}) from None
    return practice


def practice_delete(*, product, user, practice: Practice) -> None:
    if not can_edit_practices(user, product) or practice.product_id != product.pk:
        raise PermissionDenied
    practice.delete()
