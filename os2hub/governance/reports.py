"""The evaluation as a Markdown report in the style of OS2's published governance reports
(OS2offdig/os2-product-reviews). OS2 publishes its reports in Danish, so the report is Danish whatever the
language of the person downloading it."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from . import selectors
from .models import Answer, Evaluation

# OS2's traffic lights: the emoji its reports use, and the word, so that the colour is never the only signal.
RATING_DA = {"green": "🟢 Grøn", "yellow": "🟡 Gul", "red": "🔴 Rød", "grey": "⚪ Grå", "": "Ikke vurderet"}


def cell(text) -> str:
    """Text made safe for one cell of a Markdown table: a `|` would end the cell and a line break the row."""
    text = str(text or "").strip().replace("|", "\\|")
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "<br>".join(line for line in lines if line) or "–"


def _date(value) -> str:
    if value is None:
        return "–"
    if hasattr(value, "tzinfo"):
        value = timezone.localdate(value)
    return date_format(value, "DATE_FORMAT")


def _level(version, key) -> str:
    return version.level_name(key) if key else "Intet niveau"


def _person(user) -> str:
    # Never an e-mail address in a public report.
    return (user.name or "OS2-sekretariatet") if user is not None else "–"


def _answer(row) -> str:
    answer = row.answer
    if answer is None or not answer.answer:
        return "Ikke besvaret"
    label = Answer(answer.answer).label
    documentation = answer.documentation
    if answer.links:
        documentation = f"{documentation}\n{answer.links}"
    return f"{label}\n{documentation}" if documentation.strip() else label


def evaluation_markdown(evaluation: Evaluation) -> str:
    with override("da"):
        return _markdown(evaluation)


def _markdown(evaluation: Evaluation) -> str:
    version = evaluation.criteria_version
    report = selectors.evaluation_report(evaluation)
    assessment = evaluation.self_assessment
    lines = [f"# Governancerapport: {evaluation.product.name}", ""]
    meta = [("Kravversion", version.version)]
    meta.append(("Evalueringsrunde", evaluation.round.name if evaluation.round else "–"))
    if evaluation.is_published:
        meta.append(("Offentliggjort", f"{_date(evaluation.published_at)} af {_person(evaluation.published_by)}"))
    else:
        meta.append(("Status", "Kladde – ikke offentliggjort"))
    if assessment is not None:
        filled = assessment.filled_by or "–"
        meta.append(("Selvevaluering", f"indsendt {_date(assessment.submitted_at)}, udfyldt af {filled}"))
    else:
        meta.append(("Selvevaluering", "ingen indsendt"))
    lines += [f"> **{label}:** {' '.join(str(value).split())}<br/>" for label, value in meta]
    lines += ["", "## Resumé", "", evaluation.summary.strip() or "Intet resumé.", ""]

    lines += ["## Anbefalet niveau", ""]
    lines.append(f"- **Beregnet niveau:** {_level(version, evaluation.computed_level)}")
    lines.append(f"- **Anbefalet niveau:** {_level(version, evaluation.recommended_level)}")
    if evaluation.level_reason:
        lines.append(f"- **Begrundelse:** {' '.join(evaluation.level_reason.split())}")
    lines.append("")

    lines += ["## Optælling af vurderinger pr. niveau", ""]
    columns = [RATING_DA[key] for key in selectors.COUNT_COLUMNS]
    lines.append("| Niveau / Vurdering | " + " | ".join(columns) + " | I alt |")
    lines.append("|---" * (len(columns) + 2) + "|")
    for row in report["counts"]:
        name = row.name if row.level else "**I alt**"
        lines.append(f"| {name} | " + " | ".join(str(n) for n in row.counts) + f" | {row.total} |")
    lines.append("")

    for theme in report["themes"]:
        lines += [f"## {theme.name}", ""]
        lines.append("| Krav | Beskrivelse | Selvevaluering | Vurdering | Vurderingsgrundlag |")
        lines.append("|---|---|---|---|---|")
        for row in theme.rows:
            criterion = row.criterion
            text = criterion.text_da + (" (anbefaling)" if criterion.recommendation else "")
            level = version.level_name(criterion.level)
            lines.append(
                f"| {cell(criterion.code)} | {cell(text)} ({cell(level)}) | {cell(_answer(row))} "
                f"| {RATING_DA.get(row.rating, RATING_DA[''])} | {cell(row.grounds)} |"
            )
        lines.append("")

    lines += [
        "## Hvad betyder farverne?",
        "",
        "- 🟢 **Grøn**: kravet er opfyldt.",
        "- 🟡 **Gul**: kravet er delvist opfyldt; der er mangler, som bør rettes.",
        "- 🔴 **Rød**: kravet er ikke opfyldt.",
        "- ⚪ **Grå**: kravet er ikke relevant for produktet.",
        "",
        "Krav markeret (anbefaling) er anbefalinger og blokerer ikke et niveau.",
        "",
    ]
    return "\n".join(lines)
