from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactAnswer, ContactMessage, SecretariatPerson


class ContactForm(forms.ModelForm):
    """The contact page's form. `website` is a trap for robots: hidden from people (and from screen readers), so
    only a program that fills in every field fills it in; such a message is not filed."""

    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = ContactMessage
        fields = ["sender_name", "sender_email", "organisation", "subject", "body"]
        labels = {"sender_name": _("Your name"), "sender_email": _("Your e-mail address")}
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "sender_email": _("We send a receipt and our answer to this address."),
            "organisation": _("Optional: the authority or company you write from."),
            "body": _("At most 5,000 characters."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["body"].widget.attrs["maxlength"] = 5000
        if user is not None and user.is_authenticated:
            # Someone signed in writes as themselves: the answer also shows under "My messages".
            del self.fields["sender_name"], self.fields["sender_email"]

    @property
    def is_trap(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def _post_clean(self):
        # The model is validated by the service, all or nothing.
        pass


class AnswerForm(forms.ModelForm):
    class Meta:
        model = ContactAnswer
        fields = ["body"]
        labels = {"body": _("Your answer")}
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"body": _("E-mailed to the sender and kept with the message.")}

    def _post_clean(self):
        pass


class PersonForm(forms.ModelForm):
    class Meta:
        model = SecretariatPerson
        fields = ["name", "role_da", "role_en", "email", "phone", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "role_en": _("Shown on the English page; the Danish role is shown when it is empty."),
            "description": _("Optional: what to contact this person about. At most 500 characters."),
        }

    def _post_clean(self):
        pass
