from django import forms
from django.utils.translation import gettext_lazy as _

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


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "starts_at", "ends_at", "location", "online_url", "registration_url", "description"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "starts_at": _("Danish time."),
            "ends_at": _("Danish time."),
            "description": _("Markdown: what happens, the programme, who it is for."),
        }

    def _post_clean(self):
        pass
