from django import forms
from django.utils.translation import gettext_lazy as _

from os2hub.core.text import text_errors

from .models import Membership, Organisation
from .numbers import clean_cvr, clean_ean
from .selectors import cvr_applied_for, cvr_taken_error


def clean_plain_text(value: str) -> str:
    """A field's text, refused with the shared text check's message (control characters and the like)."""
    errors = text_errors({"value": value})
    if errors:
        raise forms.ValidationError(errors["value"])
    return value


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)

    def clean_name(self):
        # The name goes into feeds (a news post's author) and e-mails; the page saves it without a service.
        return clean_plain_text(self.cleaned_data["name"])


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new token"),
        max_length=100,
        help_text=_("For example the integration that will use it."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your colleague"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "cvr", "ean", "website"]
        help_texts = {"cvr": _("8 digits.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind != Organisation.Kind.AUTHORITY:
            del self.fields["ean"]
        else:
            self.fields["ean"].required = True
        if self.instance.kind == Organisation.Kind.SUPPLIER:
            # A supplier's name and CVR come from its partnership application, which the secretariat reviews.
            for name in ("name", "cvr"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Change it in your partnership application.")

    def clean_name(self):
        return clean_plain_text(self.cleaned_data["name"])

    def clean_cvr(self):
        value = self.cleaned_data.get("cvr")
        if self.fields["cvr"].disabled:
            return self.instance.cvr
        value = clean_cvr(value) if value else None
        # Another organisation carrying the number is refused by the model's unique check; here the number
        # claimed by another organisation's partnership application.
        if value and cvr_applied_for(value, besides=self.instance):
            raise cvr_taken_error(value)
        return value

    def clean_ean(self):
        return clean_ean(self.cleaned_data.get("ean", ""))
