"""Official levels from public facts through the decision log; fictional evaluation rounds, self-assessments,
evaluations and follow-or-explain entries (texts in data/governance.yaml)."""

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
from django.utils import formats, timezone, translation

from os2hub.accounts.models import User
from os2hub.governance import services as governance_services
from os2hub.governance.models import Round, SelfAssessment
from os2hub.products.models import Product

GOVERNANCE_FILE = Path(__file__).parent / "data" / "governance.yaml"
# Fictional governance data is labelled like the rest of the demo: Markdown texts end with this note, and every
# answer's documentation and every grounds text with DEMO_MARK.
GOVERNANCE_NOTE = (
    "\n\n*Demodata: selvevalueringer, vurderinger og følg-eller-forklar-registret på OS2hub's demoside er fiktive.*"
)
DEMO_MARK = " (Demodata.)"
LEVEL_WORDS = {"sandkasse": "sandkasse", "1": "niveau 1", "2": "niveau 2", "3": "niveau 3"}


def _danish_date(day: date) -> str:
    with translation.override("da"):
        return formats.date_format(day, "DATE_FORMAT")


def official_level(product, level_fact: dict, secretariat):
    """A public fact enters through the decision log, the only way an official level changes. The date and what
    the secretariat's assessment did come from the fact's note; the log entry's wording is ours and says so."""
    level = str(level_fact["value"])
    note = level_fact.get("note", "")
    found = re.search(r"\d{4}-\d{2}-\d{2}", note)
    words = LEVEL_WORDS[level]
    if found is None:
        decided_on = timezone.localdate()
        decision, reference = words.capitalize(), ""
        grounds = f"{product.name} er på {words}.\n\nDemodata: niveauet er et offentligt faktum uden dato."
    else:
        decided_on = date.fromisoformat(found.group())
        assessment = f"OS2-sekretariatets vurdering af {_danish_date(decided_on)}"
        # The level before is not among the demo's facts, so the log starts here: "lowered" and "kept" are said in
        # the grounds, not in a decision that would read "none -> 1".
        if "lowering" in note:
            outcome = f"anbefalede at sænke niveauet til {words}. Niveauet før vurderingen er ikke med i demodata."
        elif "kept" in note:
            outcome = f"fastholdt {words}. Niveauet før vurderingen er ikke med i demodata."
        else:
            outcome = f"anbefalede {words}."
        decision = f"{words.capitalize()} efter sekretariatets vurdering af {_danish_date(decided_on)}"
        grounds, reference = f"{assessment} {outcome}", assessment
        grounds += (
            "\n\nDemodata: niveauet og datoen er offentlige fakta; ordlyden i denne logpost er OS2hub's gengivelse."
        )
    governance_services.decision_record(
        product=product,
        user=secretariat,
        decided_on=decided_on,
        level=level,
        decision=decision,
        grounds=grounds,
        made_by="OS2-sekretariatet",
        reference=reference,
    )


def load(*, secretariat):
    """Two evaluation rounds (one closed, one open), self-assessments in every state, a published and a draft
    evaluation, and follow-or-explain entries - all through the services, all fictional and labelled so."""
    texts = yaml.safe_load(GOVERNANCE_FILE.read_text(encoding="utf-8"))
    products = {p.name: p for p in Product.objects.prefetch_related("repositories")}
    coordinator = User.objects.get(email="koordinator@os2hub.example")
    chair = User.objects.get(email="kommune@os2hub.example")  # chairs the steering groups of the first products
    today = timezone.localdate()
    opens_on = today - timedelta(days=30)
    earlier = opens_on - timedelta(days=183)

    def season(day):
        return f"{'Forår' if day.month <= 6 else 'Efterår'} {day.year}"

    def answer(product, code, value):
        text = texts["documentation"][code] if value == "ja" else texts["not_met"].get(code, texts["not_met"][value])
        links = [r.url for r in product.repositories.all()] if code == "F1" and value == "ja" else []
        documentation = text.format(product=product.name, licence=product.licence or "en OSI-godkendt licens")
        return {"answer": value, "documentation": documentation + DEMO_MARK, "links": links}

    def answers(product, codes, *, nej=(), ved_ikke=(), ikke_relevant=()):
        values = dict.fromkeys(codes, "ja")
        values |= dict.fromkeys(nej, "nej") | dict.fromkeys(ved_ikke, "ved_ikke")
        values |= dict.fromkeys(ikke_relevant, "ikke_relevant")
        return {code: answer(product, code, value) for code, value in values.items()}

    def self_assessment(product, user, given, *, submit=True):
        draft = governance_services.self_assessment_draft(product=product, user=user)
        governance_services.self_assessment_save(assessment=draft, user=user, answers=given)
        if submit:
            governance_services.self_assessment_submit(assessment=draft, user=user)
        return draft

    # The spring round: two products submitted before it closed.
    spring = governance_services.round_open(
        user=secretariat, name=season(earlier), opens_on=earlier, deadline=earlier + timedelta(days=42)
    )
    codes = [c.code for c in governance_services.criteria_of(spring.criteria_version)]
    levels_of = {c.code: c.level for c in governance_services.criteria_of(spring.criteria_version)}
    mo, rollekatalog = products["OS2mo"], products["OS2rollekatalog"]
    self_assessment(
        mo,
        coordinator,
        answers(mo, codes, nej=["F13", "F14", "F21", "F22", "S5", "G11", "G12", "G13"], ved_ikke=["G5", "G10"]),
    )
    self_assessment(
        rollekatalog,
        coordinator,
        answers(rollekatalog, codes, nej=["F21", "F22", "G11", "G12", "G13"], ved_ikke=["S5"]),
    )
    governance_services.round_close(round=spring, user=secretariat)
    # Submitted and closed in the spring, so the rounds' history reads naturally (as the demo news is backdated).
    submitted = timezone.make_aware(datetime.combine(spring.deadline - timedelta(days=3), time(14, 0)))
    SelfAssessment.objects.filter(round=spring).update(
        submitted_at=submitted, content_at=submitted, filled_date=submitted.date()
    )
    Round.objects.filter(pk=spring.pk).update(closed_at=submitted + timedelta(days=17))

    # The open round: OS2mo and OS2rollekatalog start from their spring answers; OS2borgerPC submits for the
    # first time; OS2iot has only begun; the other products have no self-assessment yet.
    governance_services.round_open(
        user=secretariat, name=season(opens_on), opens_on=opens_on, deadline=today + timedelta(days=21)
    )
    mo_autumn = self_assessment(mo, coordinator, {code: answer(mo, code, "ja") for code in ("F13", "F14", "G5")})
    self_assessment(rollekatalog, coordinator, {"S5": answer(rollekatalog, "S5", "nej")})
    borgerpc, iot = products["OS2borgerPC"], products["OS2iot"]
    self_assessment(
        borgerpc,
        chair,
        answers(
            borgerpc,
            codes,
            nej=["F15", "F17", "S4", "R4", "F21", "F22", "S5", "G11", "G12", "G13"],
            ved_ikke=["S3"],
            ikke_relevant=["F19"],
        ),
    )
    first_levels = [c for c in codes if levels_of[c] in ("sandkasse", "1")]
    self_assessment(iot, chair, answers(iot, first_levels, ved_ikke=["F7"]), submit=False)

    # A published evaluation of OS2mo: the secretariat agrees with most answers, but not with F14.
    colour = {"ja": "green", "nej": "red", "ved_ikke": "yellow", "ikke_relevant": "grey"}
    given = {a.criterion.code: a.answer for a in mo_autumn.answers.select_related("criterion")}
    ratings = {}
    for code in codes:
        rating = "yellow" if code == "F14" else colour[given[code]]
        grounds = (texts["grounds"].get(code) if rating != "green" else None) or texts["grounds"][rating]
        ratings[code] = {"rating": rating, "grounds": grounds + DEMO_MARK}
    evaluation = governance_services.evaluation_start(product=mo, user=secretariat)
    governance_services.evaluation_save(
        evaluation=evaluation,
        user=secretariat,
        ratings=ratings,
        summary=(
            "OS2mo opfylder alle krav til niveau 1 og næsten alle krav til niveau 2. Udviklingen er åben, "
            "dokumentationen og driftsopsætningen er på plads, og styregruppen arbejder aktivt.\n\n"
            "- **Mangler til niveau 2:** kommunikationsmaterialet til direktionerne (F14) skal færdiggøres og "
            "godkendes af styregruppen.\n"
            "- **Anbefaling:** afklar, om alle tilsluttede kommuner har underskrevet tilslutningsaftalen (G10).\n\n"
            "Sekretariatet anbefaler niveau 1 og vurderer produktet igen i næste runde." + GOVERNANCE_NOTE
        ),
    )
    governance_services.evaluation_publish(evaluation=evaluation, user=secretariat)

    # A draft evaluation of OS2borgerPC: the secretariat has rated the sandbox criteria so far.
    draft = governance_services.evaluation_start(product=borgerpc, user=secretariat)
    governance_services.evaluation_save(
        evaluation=draft,
        user=secretariat,
        ratings={
            c: {"rating": "green", "grounds": texts["grounds"]["green"] + DEMO_MARK}
            for c in codes
            if levels_of[c] == "sandkasse"
        },
        summary="Udkast: sandkassekravene er gennemgået; resten følger." + GOVERNANCE_NOTE,
    )

    # Follow or explain (feeds F18).
    for product, entries in (
        (
            mo,
            [
                ("architecture", "Fælleskommunal rammearkitektur", "", "follows", ""),
                ("standard", "OpenAPI 3", "https://spec.openapis.org/oas/latest.html", "follows", ""),
                (
                    "standard",
                    "OIO REST",
                    "",
                    "deviates",
                    "Den nye snitflade bruger GraphQL frem for OIO REST, så integrationer kan hente præcis de data, "
                    "de skal bruge, i ét kald. Ældre integrationer bruger en overgangsadapter, der udfases, når de "
                    "tilsluttede kommuner er flyttet.",
                ),
            ],
        ),
        (
            rollekatalog,
            [
                ("standard", "OpenAPI 3", "https://spec.openapis.org/oas/latest.html", "follows", ""),
                (
                    "standard",
                    "WCAG 2.1 AA",
                    "https://www.w3.org/TR/WCAG21/",
                    "deviates",
                    "Rapportsiderne opfylder endnu ikke kravene til kontrast og tastaturbetjening. Rettelsen er "
                    "bestilt og kommer i næste version; indtil da kan rapporterne hentes som regneark.",
                ),
            ],
        ),
    ):
        for kind, name, url, status, explanation in entries:
            governance_services.practice_save(
                product=product,
                user=coordinator,
                data={
                    "kind": kind,
                    "name": name,
                    "url": url,
                    "status": status,
                    "explanation": (explanation or "Produktet følger standarden.") + GOVERNANCE_NOTE,
                },
            )
