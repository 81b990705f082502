from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation
from .numbers import clean_cvr, clean_ean


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


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

    def clean_cvr(self):
        value = self.cleaned_data.get("cvr")
        return clean_cvr(value) if value else None

    def clean_ean(self):
        return clean_ean(self.cleaned_data.get("ean", ""))
