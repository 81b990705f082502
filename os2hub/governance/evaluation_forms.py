"""Forms of the secretariat's governance work: the rating form of an evaluation, the decision log and rounds.
The services validate; these forms only parse what a person typed."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from os2hub.products.forms import DATE
from os2hub.products.models import Level

from . import services
from .models import Evaluation, Rating

NO_LEVEL = "none"  # the value of "no level" in the decision form ("" would read as "nothing chosen")


class EvaluationForm(forms.Form):
    """One rating (radio group) and grounds per criterion, as fields `rating_<id>` and `grounds_<id>`, then the
    summary and the recommended level. `rows` are selectors.evaluation_rows of the evaluation."""

    # Grounds, summary and reason are needed only in some cases (the help texts say when), never "optional".
    hide_optional_marker = True

    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Required before the report is published."),
    )
    level = forms.ChoiceField(label=_("Recommended level"), widget=forms.Select(attrs={"class": "input-width-xl"}))
    level_reason = forms.CharField(
        label=_("Reason for recommending another level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the recommended level is not the computed one."),
    )

    def __init__(self, *args, evaluation, rows, **kwargs):
        super().__init__(*args, **kwargs)
        version = evaluation.criteria_version
        self.codes = [row.criterion.code for row in rows]
        for row in rows:
            code = row.criterion.code
            self.fields[f"rating_{code}"] = forms.ChoiceField(
                label=gettext("Rating of %(id)s") % {"id": code},
                choices=Rating.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=row.rating or None,
            )
            self.fields[f"grounds_{code}"] = forms.CharField(
                label=gettext("Grounds for %(id)s") % {"id": code},
                required=False,
                max_length=services.MAX_DOCUMENTATION,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=row.grounds,
            )
        # In the page's order: the criteria first, then the summary and the level (also in the error summary).
        self.order_fields([name for name in self.fields if name.startswith(("rating_", "grounds_"))])
        computed = version.level_name(evaluation.computed_level)
        self.fields["level"].choices = [
            (
                services.LEVEL_AS_COMPUTED,
                gettext("As computed (now: %(level)s)") % {"level": computed},
            ),
            (services.NO_LEVEL, gettext("No level")),
            *((key, version.level_name(key)) for key in version.level_keys),
        ]
        self.initial.setdefault("summary", evaluation.summary)
        self.initial.setdefault("level", services.evaluation_level_choice(evaluation))
        self.initial.setdefault("level_reason", evaluation.level_reason)

    @classmethod
    def stored(cls, *, evaluation, rows):
        """The form bound to the evaluation as stored: for showing the errors of publishing what was saved."""
        unbound = cls(evaluation=evaluation, rows=rows)
        data = {name: unbound.get_initial_for_field(field, name) or "" for name, field in unbound.fields.items()}
        return cls(data, evaluation=evaluation, rows=rows)

    def bound_rows(self, rows):
        """(row, rating field, grounds field) for the template, in the rows' order."""
        return [(row, self[f"rating_{row.criterion.code}"], self[f"grounds_{row.criterion.code}"]) for row in rows]

    def ratings(self) -> dict:
        """{id: {rating, grounds}} for every criterion given a rating or grounds (the service refuses grounds
        without a rating, and leaves criteria not given as they are)."""
        result = {}
        for code in self.codes:
            rating = self.cleaned_data.get(f"rating_{code}") or ""
            grounds = self.cleaned_data.get(f"grounds_{code}") or ""
            if rating or grounds:
                result[code] = {"rating": rating, "grounds": grounds}
        return result

    def add_service_errors(self, exc) -> None:
        """A service's errors next to their fields: a criterion's error goes to its grounds when those are what
        is missing, otherwise to its rating."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            if key in self.codes:
                rating = self.data.get(f"rating_{key}", "")
                grounds = (self.data.get(f"grounds_{key}") or "").strip()
                missing_grounds = rating in (Rating.YELLOW, Rating.RED) and not grounds
                self.add_error(f"grounds_{key}" if missing_grounds else f"rating_{key}", errors)
            else:
                self.add_error(key if key in self.fields else None, errors)


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    level = forms.ChoiceField(label=_("Level decided"))
    decision = forms.CharField(
        label=_("Decision"),
        max_length=300,
        help_text=_("One line, for example “OS2mo is approved at level 2”."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 5}))
    made_by = forms.CharField(label=_("Made by"), max_length=200, help_text=_("Who decided, e.g. “OS2's bestyrelse”."))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=300,
        required=False,
        help_text=_("Minutes, case number or web address."),
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
    )
    evaluation = forms.ModelChoiceField(
        label=_("The evaluation the decision rests on"),
        queryset=Evaluation.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args, evaluations, latest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(NO_LEVEL, gettext("No level")), *Level.choices]
        self.fields["evaluation"].queryset = evaluations
        self.fields["evaluation"].label_from_instance = _evaluation_label
        self.fields["decided_on"].initial = timezone.localdate()
        if latest is not None:
            self.fields["evaluation"].initial = latest.pk
            self.fields["level"].initial = latest.recommended_level or NO_LEVEL

    def decision_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["level"] = "" if data["level"] == NO_LEVEL else data["level"]
        return data


def _evaluation_label(evaluation) -> str:
    published = date_format(timezone.localtime(evaluation.published_at), "DATE_FORMAT")
    level = evaluation.criteria_version.level_name(evaluation.recommended_level)
    return gettext("Published %(date)s, recommended level: %(level)s") % {"date": published, "level": level}


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example “Efterår 2026”."))
    opens_on = forms.DateField(label=_("Opens"), widget=DATE)
    deadline = forms.DateField(label=_("Self-assessments due"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opens_on"].initial = timezone.localdate()
