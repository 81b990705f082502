from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Issue, Topic


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    consent = forms.BooleanField(
        label="", error_messages={"required": _("Tick the box to agree, or the newsletter cannot be sent to you.")}
    )

    def __init__(self, *args, consent_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)


class IssueForm(forms.Form):
    """The issue's topic, title, text and recipients. The recipients are segment keys; the template groups them
    in fieldsets (segment_groups)."""

    topic = forms.ModelChoiceField(label=_("Newsletter"), queryset=Topic.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists and headings."),
    )
    segments = forms.MultipleChoiceField(
        label=_("Recipients"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each person gets the issue once, even if they are in several groups. Anyone who unsubscribed from the "
            "newsletter is left out."
        ),
        error_messages={"required": _("Choose at least one group of recipients.")},
    )

    def __init__(self, *args, writable, issue: Issue | None = None, **kwargs):
        if issue is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "topic": issue.topic_id,
                "title": issue.title,
                "body": issue.body,
                "segments": issue.segments,
            }
        super().__init__(*args, **kwargs)
        self.groups = writable.choices()
        self.fields["topic"].queryset = Topic.objects.filter(pk__in=writable.topic_ids).order_by("name")
        self.fields["segments"].choices = [choice for _label, choices in self.groups for choice in choices]

    def segment_groups(self):
        chosen = set(self["segments"].value() or ())
        return [
            (
                index,
                label,
                [(key, text, key in chosen, f"id_segments_{index}_{n}") for n, (key, text) in enumerate(choices)],
            )
            for index, (label, choices) in enumerate(self.groups)
        ]


class SubscriptionsForm(forms.Form):
    topics = forms.MultipleChoiceField(label=_("Newsletters"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(str(t.pk), t.name) for t in topics]
