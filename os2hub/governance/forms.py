"""Forms for the self-assessment and the follow-or-explain register."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .exchange import MAX_DOCUMENTATION, MAX_IMPORT_BYTES
from .models import ANSWER_LABELS, Answer, Practice
from .services import answer_fingerprint


class SelfAssessmentForm(forms.Form):
    """One answer, documentation and links per criterion; field names carry the criterion id (answer_R1)."""

    hide_optional_marker = True

    def __init__(self, *args, criteria, answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [("", _("Not answered")), *((value, ANSWER_LABELS[value]) for value in Answer.values)]
        for criterion in criteria:
            code = criterion.code
            row = answers.get(code)
            current = (row.answer, row.documentation, row.links) if row else ("", "", "")
            self.fields[f"answer_{code}"] = forms.ChoiceField(
                label=_("Answer to %(id)s") % {"id": code},
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=current[0],
            )
            self.fields[f"documentation_{code}"] = forms.CharField(
                label=_("Documentation for %(id)s") % {"id": code},
                required=False,
                max_length=MAX_DOCUMENTATION,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=current[1],
                help_text=criterion.guideline,
            )
            self.fields[f"links_{code}"] = forms.CharField(
                label=_("Links for %(id)s") % {"id": code},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current[2],
                help_text=_("One web address per line."),
            )
            self.fields[f"base_{code}"] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=answer_fingerprint(*current)
            )

    def groups(self):
        """(criterion, answer field, documentation field, links field, base field) in criteria order."""
        return [
            (
                c,
                self[f"answer_{c.code}"],
                self[f"documentation_{c.code}"],
                self[f"links_{c.code}"],
                self[f"base_{c.code}"],
            )
            for c in self.criteria
        ]

    def changes(self):
        """(answers, expected): only the criteria this person changed, and the fingerprint each started from."""
        answers, expected = {}, {}
        for criterion in self.criteria:
            code = criterion.code
            values = (
                self.cleaned_data.get(f"answer_{code}") or "",
                self.cleaned_data.get(f"documentation_{code}") or "",
                self.cleaned_data.get(f"links_{code}") or "",
            )
            base = self.cleaned_data.get(f"base_{code}") or ""
            if answer_fingerprint(*values) == base:
                continue
            answers[code] = {"answer": values[0], "documentation": values[1], "links": values[2]}
            expected[code] = base
        return answers, expected

    def after_save(self, codes):
        """The form as posted, with the criteria in `codes` marked as saved (their fingerprints are what is
        stored now), so that saving the page again after correcting a refused criterion does not take the
        saved ones for someone else's change."""
        data = self.data.copy()
        for code in codes:
            data[f"base_{code}"] = answer_fingerprint(
                *(self.cleaned_data.get(f"{part}_{code}") or "" for part in ("answer", "documentation", "links"))
            )
        form = type(self)(data, criteria=self.criteria, answers={})
        form.is_valid()
        return form

    def add_service_errors(self, exc):
        """A service error per criterion id goes on that criterion's answer field."""
        if isinstance(exc, dict):
            exc = ValidationError(exc)
        for key, errors in exc.message_dict.items():
            code, _dot, part = key.partition(".")
            field = f"{part or 'answer'}_{code}"
            self.add_error(field if field in self.fields else None, errors)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("OS2's self-assessment file (JSON)"),
        help_text=_("The JSON file that OS2's self-assessment form produces. At most 1 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB; a self-assessment is far smaller."))
        return upload


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["kind", "name", "url", "status", "explanation"]
        widgets = {
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "explanation": forms.Textarea(attrs={"rows": 4}),
        }

    def practice_data(self):
        return {key: self.cleaned_data.get(key) or "" for key in self.Meta.fields}
