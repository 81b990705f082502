from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.numbers import clean_cvr
from os2hub.core.forms import AmountField

from .models import Competence, ContactPerson, SupplierApplication
from .services import NEWSLETTER_CONSENT_TEXT, PUBLIC_CONSENT_TEXT
from .workflow import DECISIONS, NEEDS_COMMENT


class CompanyForm(forms.ModelForm):
    competences = forms.MultipleChoiceField(
        label=_("Competences you offer"),
        choices=Competence.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one competence.")},
    )

    class Meta:
        model = SupplierApplication
        fields = ["organisation_name", "cvr", "street", "postcode", "city", "website", "core_competences"]
        widgets = {"core_competences": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"cvr": _("8 digits, e.g. 13748136."), "postcode": _("4 digits.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("street", "postcode", "city", "core_competences"):
            self.fields[name].required = True
        self.fields["cvr"].validators = []
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"
        self.fields["postcode"].widget.attrs.update(autocomplete="postal-code", inputmode="numeric")
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        self.fields["cvr"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk and not self.is_bound:
            self.initial["competences"] = self.instance.competence_keys()

    def clean_cvr(self):
        return clean_cvr(self.cleaned_data.get("cvr", ""))

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "").strip()
        if not (value.isdigit() and len(value) == 4):
            raise forms.ValidationError(_("A Danish postcode has 4 digits."))
        return value

    def _post_clean(self):
        # Model validation (CVR uniqueness across organisations) is done by the service, all or nothing.
        pass


class ContactForm(forms.ModelForm):
    show_publicly = forms.BooleanField(label=PUBLIC_CONSENT_TEXT, required=False)
    newsletter = forms.BooleanField(label=NEWSLETTER_CONSENT_TEXT, required=False)

    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_publicly"].help_text = _(
            "The person must agree to this. The wording is stored with the time."
        )
        self.fields["newsletter"].help_text = _("The person must agree to this. The wording is stored with the time.")
        if self.instance.pk and not self.is_bound:
            self.initial["show_publicly"] = self.instance.is_public
            self.initial["newsletter"] = self.instance.wants_newsletter
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        digits = phone.replace(" ", "").replace("+", "").replace("-", "")
        if phone and (not digits.isdigit() or not 8 <= len(digits) <= 15):
            raise forms.ValidationError(_("Enter a phone number of 8 to 15 digits, e.g. +45 12 34 56 78."))
        return phone

    def _post_clean(self):
        pass


class PriceForm(forms.Form):
    """One hourly rate per offered competence, plus the date the rates take effect."""

    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the hourly rates take effect."),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        current = {p.competence: p.hourly_rate_dkk for p in application.current_prices()}
        drafts = {p.competence: p.hourly_rate_dkk for p in application.prices.all()}
        for key in application.competence_keys():
            self.fields[f"rate_{key}"] = AmountField(
                label=_("%(competence)s, kr. per hour excl. VAT") % {"competence": Competence(key).label},
                min_value=0,
                max_value=9999999,
                decimal_places=2,
                max_digits=9,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.initial.setdefault(f"rate_{key}", current.get(key, drafts.get(key)))
        self.initial.setdefault("valid_from", timezone.localdate())

    def rates(self):
        return {name[5:]: value for name, value in self.cleaned_data.items() if name.startswith("rate_")}


class FilesForm(forms.Form):
    # Each file may be uploaded on its own, but the application cannot be submitted without these.
    required_for_step = ("logo", "agreement")

    logo = forms.FileField(
        label=_("Logo (PNG, JPEG or WebP, exactly 800×800 pixels)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    vector_logo = forms.FileField(
        label=_("Vector logo (SVG)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/svg+xml"}),
        help_text=_("No scripts, event handlers or references to external files."),
    )
    agreement = forms.FileField(
        label=_("Signed partner agreement (PDF, at most 10 MB)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})

    def clean(self):
        data = super().clean()
        if not any(data.get(f) for f in ("logo", "vector_logo", "agreement")):
            raise forms.ValidationError(_("Choose at least one file to upload."))
        return data


class CodeOfConductForm(forms.Form):
    accept = forms.BooleanField(
        label=_("We have read OS2's Code of Conduct and will follow it"),
        error_messages={"required": _("You must accept the Code of Conduct to become a partner.")},
    )


class DecisionForm(forms.Form):
    """The secretariat's decision. The choices are the decisions of the application's workflow; `offer()` keeps
    those the reviewer may take now (the page offers exactly what the service would accept)."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=list(DECISIONS.items()))
    comment = forms.CharField(
        label=_("Comment to the supplier"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you ask for changes or reject."),
    )

    def offer(self, decisions) -> None:
        self.fields["decision"].choices = [(name, DECISIONS[name]) for name in decisions]

    def clean(self):
        data = super().clean()
        if data.get("decision") in NEEDS_COMMENT and not data.get("comment", "").strip():
            self.add_error("comment", _("Explain to the supplier why, in a comment."))
        return data


class DirectoryFilterForm(forms.Form):
    hide_optional_marker = True  # every filter is optional; saying so on each would be noise
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    competence = forms.ChoiceField(
        label=_("Competence"), required=False, choices=[("", _("All competences")), *Competence.choices]
    )


class CommitDomainForm(forms.Form):
    """A domain the partner commits code from; the service normalises and checks it (services._clean_commit_domain)."""

    domain = forms.CharField(
        label=_("Domain"),
        max_length=300,
        help_text=_(
            "The part after @ in the e-mail addresses your developers commit with, for example magenta.dk. "
            "It includes its subdomains (udvikling.magenta.dk)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )
