from django import forms
from django.utils.translation import gettext_lazy as _

from os2hub.core.forms import FastSelect, Options

from .models import Event, NewsPost

# A native date-and-time picker; the ISO value it sends is read in the site's time zone (Europe/Copenhagen).
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class NewsForm(forms.ModelForm):
    class Meta:
        model = NewsPost
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"body": _("Markdown: **bold**, *italic*, [link](https://…), lists and headings.")}

    def _post_clean(self):
        # The model is validated by the service, all or nothing.
        pass


class NewsProposeForm(NewsForm):
    """A partner's or an authority's post: on behalf of which of the person's organisations."""

    organisation = forms.TypedChoiceField(label=_("On behalf of"), coerce=int)

    class Meta(NewsForm.Meta):
        fields = ["organisation", "title", "body"]

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "description",
            "signup",
            "capacity",
            "signup_deadline",
            "registration_url",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "signup_deadline": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 8}),
            "capacity": forms.NumberInput(attrs={"min": 1, "max": 100000, "inputmode": "numeric"}),
        }
        help_texts = {
            "starts_at": _("Danish time."),
            "ends_at": _("Danish time."),
            "description": _("Markdown: what happens, the programme, who it is for."),
            "registration_url": _("Only if participants sign up somewhere other than OS2hub."),
        }

    def _post_clean(self):
        pass


class EventProposeForm(EventForm):
    """An event proposed for OS2 as a whole, a product or one of its groups, on behalf of an organisation."""

    organisation = forms.TypedChoiceField(label=_("Organiser"), coerce=int)
    scope = forms.ChoiceField(
        label=_("The event is for"),
        required=False,
        widget=FastSelect,
        help_text=_("OS2 as a whole, a product's community or one of its groups."),
    )

    class Meta(EventForm.Meta):
        fields = ["organisation", "scope", *EventForm.Meta.fields]

    def __init__(self, *args, organisations=(), scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["scope"].choices = Options([("", _("OS2 as a whole")), *scopes])
        self.order_fields(["organisation", "scope", *EventForm.Meta.fields])


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the people concerned."),
    )


class CoHostForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, widget=FastSelect)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = Options(
            [("", _("Choose an authority or a partner")), *((o.pk, o.name) for o in organisations)]
        )


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    pitch = forms.TypedChoiceField(
        label=_("Pitch marked for a community meeting"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional. Without a title, the pitch's title is used."),
    )

    def __init__(self, *args, pitches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pitch"].choices = [("", _("No pitch"))] + [
            (p.pk, f"{p.title} ({p.supplier.name})") for p in pitches
        ]
