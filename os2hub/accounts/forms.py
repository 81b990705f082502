import contextlib

from django import forms
from django.utils.translation import gettext_lazy as _

from os2hub.core.text import text_errors

from .models import JoinRequest, Membership, Organisation
from .numbers import clean_cvr, clean_ean, clean_email_domain
from .selectors import cvr_applied_for, cvr_taken_error
from .workflow import CONFIRMATION_DECISIONS, REJECT


def clean_plain_text(value: str) -> str:
    """A field's text, refused with the shared text check's message (control characters and the like)."""
    errors = text_errors({"value": value})
    if errors:
        raise forms.ValidationError(errors["value"])
    return value


DOMAIN_HELP = _(
    "The domain of your organisation's e-mail addresses, for example aarhus.dk. Once the OS2 secretariat has "
    "verified it, colleagues with a confirmed address there join as members without asking."
)


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
        fields = ["name", "cvr", "ean", "website", "street", "postcode", "city", "email_domain"]
        help_texts = {"cvr": _("8 digits."), "email_domain": DOMAIN_HELP}

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
        elif self.instance.kind == Organisation.Kind.AUTHORITY and self.instance.is_confirmed:
            # The secretariat confirmed the authority by its name and CVR number: a change goes through it.
            for name in ("name", "cvr"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "The secretariat confirmed the authority with this name and CVR number. "
                    "Ask the secretariat to change them."
                )

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

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_email_domain(self):
        return clean_email_domain(self.cleaned_data.get("email_domain", ""))


def clean_postcode(value: str) -> str:
    value = (value or "").strip()
    if value and not (value.isdigit() and len(value) == 4):
        raise forms.ValidationError(_("A Danish postcode has 4 digits."))
    return value


class OrganisationRegisterForm(forms.Form):
    """A person registers its organisation (authority or supplier); the service checks it all again."""

    cvr = forms.CharField(label=_("CVR number"), max_length=20, help_text=_("8 digits, e.g. 13748136."))
    name = forms.CharField(label=_("Name"), max_length=200)
    ean = forms.CharField(label=_("EAN number"), max_length=20, help_text=_("13 digits, used for public e-invoicing."))
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=4, required=False, help_text=_("4 digits."))
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email_domain = forms.CharField(label=_("E-mail domain"), max_length=253, required=False)

    def __init__(self, *args, kind: str, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Organisation.Kind.AUTHORITY:
            del self.fields["ean"]
        domain = ""
        if user is not None and "@" in getattr(user, "email", ""):
            domain = user.email.rsplit("@", 1)[-1].lower()
        self.fields["email_domain"].help_text = DOMAIN_HELP
        if domain and not self.is_bound:
            with contextlib.suppress(forms.ValidationError):  # a public mail service is not suggested
                self.initial.setdefault("email_domain", clean_email_domain(domain))
        attrs = {
            "cvr": {"inputmode": "numeric", "autocomplete": "off"},
            "name": {"autocomplete": "organization"},
            "street": {"autocomplete": "street-address"},
            "postcode": {"inputmode": "numeric", "autocomplete": "postal-code"},
            "city": {"autocomplete": "address-level2"},
            "website": {"autocomplete": "url"},
        }
        for name, values in attrs.items():
            self.fields[name].widget.attrs.update(values)

    def clean_cvr(self):
        return clean_cvr(self.cleaned_data.get("cvr", ""))

    def clean_name(self):
        return clean_plain_text(self.cleaned_data["name"].strip())

    def clean_ean(self):
        return clean_ean(self.cleaned_data.get("ean", ""))

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_email_domain(self):
        return clean_email_domain(self.cleaned_data.get("email_domain", ""))

    def keep_errors_of(self, *names) -> None:
        """Keep only these fields' errors: looking a CVR number up checks the number, not the rest."""
        for name in list(self.errors):
            if name not in names:
                del self.errors[name]


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or CVR number of your organisation"),
        max_length=200,
        required=False,
        help_text=_("For example Aarhus Kommune or 55133018."),
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the administrators"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and what you work with, so they know you. At most 1,000 characters."),
    )

    def clean_message(self):
        return clean_plain_text(self.cleaned_data.get("message", ""))


class JoinDecisionForm(forms.Form):
    """An administrator's answer to a request to join; the reason is sent to the person."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    reason = forms.CharField(
        label=_("Reason (sent to the person, optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, join_request: JoinRequest, **kwargs):
        kwargs.setdefault("prefix", f"request-{join_request.pk}")
        super().__init__(*args, **kwargs)
        self.join_request = join_request
        self.hide_optional_marker = True

    def clean_reason(self):
        return clean_plain_text(self.cleaned_data.get("reason", ""))


class ConfirmationDecisionForm(forms.Form):
    """The secretariat's decision on an authority that registered itself."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you do not confirm it: the organisation's administrators get it by e-mail."),
    )

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(name, CONFIRMATION_DECISIONS[name]) for name in decisions]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Write the reason: the organisation's administrators are told."))
        return cleaned

    def clean_reason(self):
        return clean_plain_text(self.cleaned_data.get("reason", ""))
