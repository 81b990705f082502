from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.models import Organisation, User
from os2hub.core.forms import AmountField, FastSelect, Options

from .models import (
    DEPENDENCY_KINDS,
    Category,
    Group,
    GroupMember,
    JoiningAgreement,
    Level,
    Product,
    SupplierRole,
    dependency_lines,
    validate_dependencies,
    validate_features,
    validate_platforms,
    validate_screenshots,
)

MARKDOWN_FIELDS = ("purpose", "value", "target_group", "getting_started", "help_support", "cost")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LinesField(forms.CharField):
    """A list of short texts or addresses, edited one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class DependenciesField(forms.CharField):
    """publiccode.yml's dependsOn, one dependency per line: `open: MySQL; versionMin=1.1; versionMax=1.3;
    optional` (open, proprietary or hardware; then the name; then what is known)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(dependency_lines(value)) if isinstance(value, dict) else value

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        out = {}
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            kind, _colon, rest = line.partition(":")
            parts = [p.strip() for p in rest.split(";")]
            if kind.strip().lower() not in DEPENDENCY_KINDS or not parts[0]:
                raise forms.ValidationError(
                    _("Line %(number)s: start with open, proprietary or hardware, a colon and the name.")
                    % {"number": number},
                    code="invalid",
                )
            item = {"name": parts[0]}
            for part in parts[1:]:
                key, equals, version = (x.strip() for x in part.partition("="))
                if part == "optional":
                    item["optional"] = True
                elif equals and key in ("versionMin", "versionMax", "version") and version:
                    item[key] = version
                elif part:
                    raise forms.ValidationError(
                        _("Line %(number)s: %(part)s is not versionMin=, versionMax=, version= or optional.")
                        % {"number": number, "part": part[:50]},
                        code="invalid",
                    )
            out.setdefault(kind.strip().lower(), []).append(item)
        return out


class ProductForm(forms.ModelForm):
    features = LinesField(
        label=_("Features (Danish)"),
        required=False,
        validators=[validate_features],
        help_text=_("One feature per line, at most 100 characters each."),
    )
    features_en = LinesField(
        label=_("Features (English)"),
        required=False,
        validators=[validate_features],
        help_text=_("One feature per line, at most 100 characters each."),
    )
    screenshots = LinesField(
        label=_("Screenshots"),
        required=False,
        validators=[validate_screenshots],
        help_text=_("One public https address of a picture per line."),
    )
    platforms = LinesField(
        label=_("Platforms"),
        required=False,
        validators=[validate_platforms],
        help_text=_("One per line, for example web, linux, windows, android, ios."),
    )
    dependencies = DependenciesField(
        label=_("Dependencies"),
        required=False,
        validators=[validate_dependencies],
        help_text=_(
            "One per line: open, proprietary or hardware, a colon, the name, and what is known, for example "
            "open: PostgreSQL; versionMin=13; optional"
        ),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=Category.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    coordinator_email = forms.EmailField(
        label=_("Coordinator's e-mail address"),
        required=False,
        help_text=_("The coordinator (tovholder) must have an OS2hub account."),
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "summary",
            "status",
            "licence",
            "website",
            *MARKDOWN_FIELDS,
            "summary_en",
            "purpose_en",
            "features",
            "features_en",
            "screenshots",
            "logo_url",
            "platforms",
            "dependencies",
            "maintenance_type",
            "development_status",
            "software_type",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in (*MARKDOWN_FIELDS, "purpose_en")}
        help_texts = {
            "summary_en": _("Shown on the English product page and in the product's publiccode.yml."),
            "logo_url": _("A public https address of the product's logo (SVG or PNG)."),
            "maintenance_type": _("Left empty, OS2hub derives it from the supplier roles and the coordinator."),
            "development_status": _("Left empty, OS2hub derives it from the status."),
        }

    def __init__(self, *args, can_appoint=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_appoint:
            del self.fields["coordinator_email"]
        elif self.instance.coordinator_id and not self.is_bound:
            self.initial["coordinator_email"] = self.instance.coordinator.email
        if self.instance.pk and not self.is_bound:
            self.initial["categories"] = list(self.instance.categories.all())

    def clean_coordinator_email(self):
        email = self.cleaned_data.get("coordinator_email")
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No OS2hub account has this e-mail address."))
        return user

    def _post_clean(self):
        pass  # the service validates the model, all or nothing

    def product_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("categories", "coordinator_email")}
        if "coordinator_email" in self.fields:
            data["coordinator"] = self.cleaned_data.get("coordinator_email")
        return data


class PublicCodeSourceForm(forms.Form):
    """Where the publiccode.yml to import comes from: one of the product's repositories, another repository's
    address, or pasted text."""

    repository = forms.ChoiceField(
        label=_("One of the product's repositories"), required=False, widget=forms.RadioSelect
    )
    url = forms.CharField(
        label=_("Or another repository's address"),
        required=False,
        max_length=300,
        help_text=_("An https address on an allowed host, e.g. https://github.com/OS2mo/os2mo"),
    )
    text = forms.CharField(
        label=_("Or paste the publiccode.yml"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        strip=False,  # YAML's indentation is its structure
        help_text=_("Useful for a donation, or a repository OS2hub cannot reach."),
    )

    def __init__(self, *args, repositories=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(r.url, r.url) for r in repositories]
        if choices:
            self.fields["repository"].choices = choices
        else:
            del self.fields["repository"]

    def clean(self):
        data = super().clean()
        given = [name for name in ("repository", "url", "text") if (data.get(name) or "").strip()]
        if len(given) != 1:
            raise forms.ValidationError(
                _("Choose one repository, give one repository address or paste the text: one of them."),
                code="one_source",
            )
        return data


class RepositoryForm(forms.Form):
    url = forms.URLField(
        label=_("Repository address"),
        max_length=300,
        help_text=_("An https address of a public repository, e.g. https://github.com/OS2mo/os2mo"),
    )


class SupplierRoleForm(forms.ModelForm):
    supplier = forms.ModelChoiceField(label=_("Supplier partner"), queryset=Organisation.objects.none())

    class Meta:
        model = SupplierRole
        fields = ["supplier", "role", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.SUPPLIER, supplier_applications__status="approved"
        ).order_by("name")

    def _post_clean(self):
        pass


class AgreementForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Authority"), queryset=Organisation.objects.none())
    yearly_fee_dkk = AmountField(
        label=_("Yearly fee (DKK)"),
        min_value=0,
        max_digits=11,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    one_off_fee_dkk = AmountField(
        label=_("One-off fee (DKK)"),
        min_value=0,
        max_digits=11,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    governance_percentage = AmountField(
        label=_("Governance share (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    document = forms.FileField(
        label=_("Signed agreement (PDF, at most 10 MB)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = JoiningAgreement
        fields = ["organisation", "yearly_fee_dkk", "one_off_fee_dkk", "governance_percentage", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = authorities
        if len(authorities) == 1:
            self.fields["organisation"].initial = authorities[0]
        self.fields["starts_on"].initial = timezone.localdate()

    def _post_clean(self):
        pass

    def agreement_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in ("organisation", "document")}


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["kind", "name", "kommissorium", "is_open"]
        widgets = {"kommissorium": forms.Textarea(attrs={"rows": 6})}

    def _post_clean(self):
        pass


class GroupMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("The person's e-mail address"), help_text=_("The person must have an OS2hub account.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=GroupMember.Role.choices, initial=GroupMember.Role.MEMBER)

    def clean_email(self):
        user = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("No OS2hub account has this e-mail address."))
        return user


class CatalogueFilterForm(forms.Form):
    hide_optional_marker = True

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), ("none", _("No level yet")), *Level.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Product.Status.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)
    authority = forms.ChoiceField(label=_("Used by"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("relevance", _("Relevance (when searching)")),
            ("-updated", _("Recently updated")),
            ("-adopters", _("Most used")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Options: with a thousand supplier partners, Django's own normalising of the lists costs milliseconds.
        self.fields["category"].choices = Options(
            [("", _("All categories"))] + [(c.slug, c.name) for c in Category.objects.all()]
        )
        self.fields["supplier"].choices = Options(
            [("", _("All suppliers"))]
            + list(
                Organisation.objects.filter(kind="supplier", supplier_applications__status="approved")
                .order_by("name")
                .values_list("slug", "name")
            )
        )
        self.fields["authority"].choices = Options(
            [("", _("All authorities"))]
            + list(Organisation.objects.filter(kind="authority").order_by("name").values_list("slug", "name"))
        )
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget = FastSelect(choices=field.choices)


# --- Members contribute: joining groups, text suggestions ------------------------------------------------------


class OrganisationChoiceMixin:
    """An `organisation` field among the person's own organisations; left out when there is only one."""

    def _organisation_field(self, organisations, label):
        if len(organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=label,
                choices=[(o.pk, o.name) for o in organisations],
                coerce=int,
                widget=forms.RadioSelect,
            )


class GroupJoinForm(OrganisationChoiceMixin, forms.Form):
    """Join an open group, or ask to join a closed one (with a message to the chair)."""

    message = forms.CharField(
        label=_("Message to the chair (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and why you want to take part."),
    )

    def __init__(self, *args, organisations, closed, **kwargs):
        super().__init__(*args, **kwargs)
        self.hide_optional_marker = True
        if not closed:
            del self.fields["message"]
        self._organisation_field(organisations, _("Which organisation do you take part for?"))


class GroupJoinDecisionForm(forms.Form):
    """The chair's answer to a request to join; a reason is needed to decline, and is sent to the person."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    reason = forms.CharField(
        label=_("Reason (sent to the person; needed to decline)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, join_request, **kwargs):
        kwargs.setdefault("prefix", f"request-{join_request.pk}")
        super().__init__(*args, **kwargs)
        self.join_request = join_request
        self.hide_optional_marker = True

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: it is sent to the person."))
        return data


class ChairHandOverForm(forms.Form):
    member = forms.TypedChoiceField(label=_("New chair"), coerce=int)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("Choose a member"))] + [
            (m.pk, m.user.get_full_name() + (f", {m.organisation.name}" if m.organisation else "")) for m in members
        ]


class SuggestionChoiceForm(forms.Form):
    """The first step of a suggestion: which text (GET, so the text opens in the next step)."""

    text = forms.ChoiceField(label=_("Which text do you suggest a change to?"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].choices = choices


class SuggestionForm(OrganisationChoiceMixin, forms.Form):
    proposed_text = forms.CharField(
        label=_("Your text"),
        strip=False,  # leading spaces can mean something in Markdown
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: # headings, **bold**, *italic*, lists, links and tables. HTML is not allowed."),
    )
    comment = forms.CharField(
        label=_("Comment to the coordinator (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the change? The coordinator sees it with your suggestion."),
    )
    text = forms.CharField(widget=forms.HiddenInput, max_length=120)
    # The fingerprint of the text the author started from (suggestions.fingerprint).
    base = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, organisations, single_line=False, limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hide_optional_marker = True
        field = self.fields["proposed_text"]
        if single_line:
            field.widget = forms.TextInput()
            field.help_text = _("One or two sentences.")
        if limit:
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
        self._organisation_field(organisations, _("Which organisation do you suggest it for?"))


class SuggestionAcceptForm(forms.Form):
    # The fingerprint of the current text the decider was shown (suggestions.fingerprint).
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


class SuggestionRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the author)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
