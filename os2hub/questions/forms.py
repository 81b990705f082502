"""Forms of the questions pages. They parse what people type; the services decide, and their ValidationErrors
land on these fields by name (core.forms.add_service_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown. Links and lists work; HTML does not."),
    )
    organisation = forms.ChoiceField(label=_("On behalf of"))

    def __init__(self, *args, organisations=(), prefix_id="ask", **kwargs):
        kwargs.setdefault("auto_id", prefix_id + "_%s")
        super().__init__(*args, **kwargs)
        self.behalf = {o.slug: o for o in organisations}
        if len(self.behalf) > 1:
            self.fields["organisation"].choices = [(o.slug, o.name) for o in organisations]
        else:
            del self.fields["organisation"]

    def chosen(self):
        """The organisation asked for: the one chosen, the only one, or None for a person without one."""
        if "organisation" in self.fields:
            return self.behalf[self.cleaned_data["organisation"]]
        return next(iter(self.behalf.values()), None)


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown. Links and lists work; HTML does not."),
    )

    def __init__(self, *args, question_id=0, **kwargs):
        kwargs.setdefault("auto_id", f"answer-{question_id}_%s")
        super().__init__(*args, **kwargs)
