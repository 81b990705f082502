"""Forms for the development request pages. They parse what people type; the services decide (their
ValidationErrors land on these fields by name through add_service_errors). Several forms share one page, so each
has its own auto_id: the ids stay unique and the error summary's links lead to the right field."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from os2hub.core.forms import AmountField, FastSelect
from os2hub.core.money import format_dkk
from os2hub.products.documents import max_document_bytes
from os2hub.products.models import Product

from .models import DevelopmentRequest

Status = DevelopmentRequest.Status
Funding = DevelopmentRequest.Funding
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Typed the way people type amounts (1.050,50), so not <input type=number>.
AMOUNT = {"widget": forms.TextInput(attrs={"inputmode": "decimal"})}
# The statuses on a product's board, in the order work moves through them.
BOARD_STATUSES = (Status.FUNDING, Status.ORDERED, Status.IN_PROGRESS, Status.DELIVERED, Status.ACCEPTED)


def _lines(items) -> str:
    return "\n".join(items or [])


class RequestFilterForm(forms.Form):
    hide_optional_marker = True

    product = forms.ChoiceField(label=_("Product"), required=False, widget=FastSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses")), *Status.choices])
    funding = forms.ChoiceField(label=_("Who pays"), required=False, choices=[("", _("Everyone")), *Funding.choices])
    mine = forms.ChoiceField(
        label=_("Ours"),
        required=False,
        choices=[
            ("", _("All requests")),
            ("requested", _("Filed by our organisation")),
            ("pledged", _("Our pledges")),
            ("estimated", _("Our estimates")),
        ],
    )

    def __init__(self, *args, product=None, user=None, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        if user is None or not user.is_authenticated:
            del self.fields["mine"]
        if product is not None:
            del self.fields["product"]
        else:
            self.fields["product"].choices = [("", _("All products"))] + list(
                Product.objects.order_by("name").values_list("slug", "name")
            )


class BoardFilterForm(forms.Form):
    hide_optional_marker = True

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *[(s.value, s.label) for s in BOARD_STATUSES]],
    )
    sprint = forms.ChoiceField(label=_("Sprint"), required=False)

    def __init__(self, *args, sprints=(), **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["sprint"].choices = [("", _("All sprints")), ("none", _("Not in a sprint"))] + [
            (str(s.pk), s.name) for s in sprints
        ]


class RequestForm(forms.Form):
    """The request's text. A draft may be incomplete: only the title is needed to save it; what submitting needs
    is checked by the service and shown on these fields."""

    # A draft is saved without these; submitting it needs them, so they are not marked optional.
    required_for_step = ("description", "user_stories", "acceptance_criteria", "documentation_requirements", "funding")

    organisation = forms.ChoiceField(
        label=_("On behalf of"), help_text=_("The authority or supplier that files the request.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is wanted (hvad), why it is needed (hvorfor) and who needs it (hvem)."),
    )
    user_stories = forms.CharField(
        label=_("User stories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, in the form “Som ‹rolle› ønsker jeg ‹behov›, således at jeg kan ‹værdi›” "
            "(“As a ‹role› I want ‹need›, so that I can ‹value›”)."
        ),
    )
    acceptance_criteria = forms.CharField(
        label=_("Acceptance criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One testable criterion per line; the delivery is accepted against this checklist."),
    )
    documentation_requirements = forms.CharField(
        label=_("Documentation requirements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What documentation the delivery must include (user guide, operations guide, ...)."),
    )
    funding = forms.ChoiceField(label=_("Who pays"), required=False, choices=Funding.choices, widget=forms.RadioSelect)

    def __init__(self, data=None, *args, organisations=(), instance=None, **kwargs):
        if instance is not None and data is None:
            kwargs["initial"] = {
                "title": instance.title,
                "description": instance.description,
                "user_stories": _lines(instance.user_stories),
                "acceptance_criteria": _lines(instance.acceptance_criteria),
                "documentation_requirements": instance.documentation_requirements,
                "funding": instance.funding,
            }
        super().__init__(data, *args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        if len(self.organisations) > 1:
            self.fields["organisation"].choices = [(pk, o.name) for pk, o in self.organisations.items()]
        else:
            del self.fields["organisation"]  # one organisation (or editing): nothing to choose

    def chosen_organisation(self):
        if "organisation" in self.fields:
            return self.organisations[self.cleaned_data["organisation"]]
        return next(iter(self.organisations.values()), None)

    def request_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "organisation"}


class EstimateForm(forms.Form):
    supplier = forms.ChoiceField(label=_("Estimate on behalf of"))
    hours = AmountField(**AMOUNT, label=_("Hours"), max_digits=8, decimal_places=2, min_value=0)
    hourly_rate_dkk = AmountField(
        **AMOUNT,
        label=_("Hourly rate (DKK)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        help_text=_("Leave it empty to use your published hourly rate for software development."),
    )
    fixed_price_dkk = AmountField(
        **AMOUNT,
        label=_("Fixed price (DKK)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Give a fixed price to offer one; otherwise the price is the hours at the hourly rate."),
    )
    start_conditions = forms.CharField(
        label=_("Start conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    critical_integrations = forms.CharField(
        label=_("Critical integrations"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    code_location = forms.CharField(
        label=_("Where the code will live and how it fits the architecture"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reviewer = forms.CharField(label=_("Who reviews the code"), required=False, max_length=200)
    review_cost_dkk = AmountField(
        **AMOUNT, label=_("Cost of the review (DKK)"), required=False, max_digits=12, decimal_places=2
    )
    valid_until = forms.DateField(label=_("Offer valid until"), required=False, widget=DATE)

    def __init__(self, *args, suppliers=(), rate=None, **kwargs):
        kwargs.setdefault("auto_id", "estimate_%s")
        super().__init__(*args, **kwargs)
        self.suppliers = {str(o.pk): o for o, _application in suppliers}
        if len(self.suppliers) > 1:
            self.fields["supplier"].choices = [(pk, o.name) for pk, o in self.suppliers.items()]
        else:
            del self.fields["supplier"]
        if rate is not None:
            self.fields["hourly_rate_dkk"].widget.attrs["placeholder"] = str(rate)

    def chosen_supplier(self):
        if "supplier" in self.fields:
            return self.suppliers[self.cleaned_data["supplier"]]
        return next(iter(self.suppliers.values()), None)

    def estimate_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "supplier"}


class ChooseEstimateForm(forms.Form):
    """Choose one of the request's estimates (to order it, or to open funding at its price)."""

    estimate = forms.ChoiceField(label=_("Estimate"), widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, estimates=(), prefix_id="choose", **kwargs):
        kwargs.setdefault("auto_id", prefix_id + "_%s")
        super().__init__(*args, **kwargs)
        self.estimates = {str(e.pk): e for e in estimates}
        self.fields["estimate"].choices = [
            (pk, f"{e.supplier.name}: {format_dkk(e.price_dkk)}") for pk, e in self.estimates.items()
        ]

    def chosen_estimate(self):
        return self.estimates.get(self.cleaned_data["estimate"])


class PledgeForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Pledge on behalf of"))
    amount_dkk = AmountField(**AMOUNT, label=_("Amount (DKK)"), max_digits=12, decimal_places=2)

    def __init__(self, *args, authorities=(), **kwargs):
        kwargs.setdefault("auto_id", "pledge_%s")
        super().__init__(*args, **kwargs)
        self.authorities = {str(o.pk): o for o in authorities}
        if len(self.authorities) > 1:
            self.fields["organisation"].choices = [(pk, o.name) for pk, o in self.authorities.items()]
        else:
            del self.fields["organisation"]

    def chosen_organisation(self):
        if "organisation" in self.fields:
            return self.authorities[self.cleaned_data["organisation"]]
        return next(iter(self.authorities.values()), None)


class StartForm(forms.Form):
    sprint = forms.ChoiceField(label=_("Sprint"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, sprints=(), **kwargs):
        kwargs.setdefault("auto_id", "start_%s")
        super().__init__(*args, **kwargs)
        self.sprints = {str(s.pk): s for s in sprints}
        self.fields["sprint"].choices = [("", _("No sprint"))] + [
            (pk, f"{s.name} ({s.starts_on:%d.%m.%Y}–{s.ends_on:%d.%m.%Y})") for pk, s in self.sprints.items()
        ]

    def chosen_sprint(self):
        return self.sprints.get(self.cleaned_data.get("sprint") or "")


class AcceptForm(forms.Form):
    hide_optional_marker = True  # the checklist is what accepting is about; nothing in it is "optional"

    acceptance_results = forms.MultipleChoiceField(
        label=_("Acceptance criteria met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each criterion the delivery meets; every one must be met to accept."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, criteria=(), **kwargs):
        kwargs.setdefault("auto_id", "accept_%s")
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["acceptance_results"].choices = [(str(n), text) for n, text in enumerate(self.criteria)]

    def checklist(self) -> list[bool]:
        ticked = set(self.cleaned_data.get("acceptance_results") or [])
        return [str(n) in ticked for n in range(len(self.criteria))]


class CommentForm(forms.Form):
    """A comment with a step: required to send back or reject, optional otherwise."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, name="comment", required=False, label=None, **kwargs):
        kwargs.setdefault("auto_id", name + "_%s")
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if label:
            self.fields["comment"].label = label


class SprintForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    starts_on = forms.DateField(label=_("Starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "sprint_%s")
        super().__init__(*args, **kwargs)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.pptx,.odt,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_attachment_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX), PowerPoint (PPTX), OpenDocument text (ODT), PNG or JPEG, at most %(limit)s."
        ) % {"limit": filesizeformat(max_document_bytes())}

    def clean_title(self):
        title = self.cleaned_data["title"]
        if "\n" in title or "\r" in title:
            raise forms.ValidationError(_("This field must be a single line."))
        return title
