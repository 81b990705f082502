"""Forms for the needs pages. They parse what people type; the services decide, and their ValidationErrors land on
these fields by name (add_service_errors). Forms that share a page have their own auto_id."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from os2hub.core.forms import AmountField, FastSelect
from os2hub.products.models import Category, Product

from .models import Call, Need

AMOUNT = {"widget": forms.TextInput(attrs={"inputmode": "decimal"})}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _single_line(value):
    if "\n" in value or "\r" in value:
        raise forms.ValidationError(_("This field must be a single line."))
    return value


class OnBehalfOf:
    """An "On behalf of" choice among the user's organisations, shown only when there is more than one to choose
    from; `chosen()` is the one chosen (or the only one)."""

    def offer_behalf(self, field: str, organisations) -> None:
        self.behalf_field = field
        self.behalf = {o.slug: o for o in organisations}
        if len(self.behalf) > 1:
            self.fields[field].choices = [(o.slug, o.name) for o in organisations]
        else:
            del self.fields[field]

    def chosen(self):
        if self.behalf_field in self.fields:
            return self.behalf[self.cleaned_data[self.behalf_field]]
        return next(iter(self.behalf.values()), None)


class NeedFilterForm(forms.Form):
    hide_optional_marker = True

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Need.Status.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False, widget=FastSelect)
    cosigners = forms.ChoiceField(
        label=_("Co-signers"),
        required=False,
        choices=[
            ("", _("Any number")),
            ("1", _("1 or more")),
            ("3", _("3 or more")),
            ("5", _("5 or more")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("", _("Newest first")), ("cosigners", _("Most co-signers first"))],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.slug, c.name) for c in Category.objects.all()
        ]


class NeedForm(OnBehalfOf, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(
        label=_("The problem"),
        widget=TEXTAREA,
        max_length=10_000,
        help_text=_("What is hard or impossible today? Markdown."),
    )
    who_has_it = forms.CharField(
        label=_("Who has it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        help_text=_("Which staff, citizens or units."),
    )
    current_solutions = forms.CharField(
        label=_("What exists today"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        help_text=_("Products, workarounds or market offers you know of."),
    )
    desired_outcome = forms.CharField(
        label=_("Desired outcome"),
        widget=TEXTAREA,
        max_length=5_000,
        help_text=_("What is better when the need is met?"),
    )
    rough_value = forms.CharField(
        label=_("Rough value"),
        required=False,
        max_length=200,
        help_text=_("For example: saves about 500 hours a year."),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), to_field_name="slug"
    )
    organisation = forms.ChoiceField(label=_("On behalf of"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_behalf("organisation", organisations)

    def clean_title(self):
        return _single_line(self.cleaned_data["title"])

    def need_data(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key in ("title", "problem", "who_has_it", "current_solutions", "desired_outcome", "rough_value")
        }


class CoSignForm(OnBehalfOf, forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        help_text=_("For example how many of your staff have the need."),
    )
    organisation = forms.ChoiceField(label=_("On behalf of"))

    def __init__(self, *args, organisations=(), **kwargs):
        kwargs.setdefault("auto_id", "cosign_%s")
        super().__init__(*args, **kwargs)
        self.offer_behalf("organisation", organisations)


class ProductChoiceForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"), widget=FastSelect)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, prefix_id="product", **kwargs):
        kwargs.setdefault("auto_id", prefix_id + "_%s")
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("Choose a product"))] + list(
            Product.objects.order_by("name").values_list("slug", "name")
        )

    def chosen_product(self):
        return Product.objects.filter(slug=self.cleaned_data["product"]).first()


class TenderForm(forms.Form):
    tender_url = forms.CharField(
        label=_("Address of the tender notice"),
        max_length=500,
        help_text=_("The public https address, for example on udbud.dk."),
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "tender_%s")
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, required=False, prefix_id="comment", **kwargs):
        kwargs.setdefault("auto_id", prefix_id + "_%s")
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required


class PitchForm(OnBehalfOf, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("The solution"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("What you offer and how it meets the need. Markdown."),
    )
    links = forms.CharField(
        label=_("Links (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5_000,
        help_text=_("One public https address per line: a demo, a repository, a case."),
    )
    wants_meeting = forms.BooleanField(label=_("We would like a meeting with the authorities"), required=False)
    wants_event = forms.BooleanField(label=_("We would like to present at an OS2 event"), required=False)
    supplier = forms.ChoiceField(label=_("On behalf of"))

    def __init__(self, *args, suppliers=(), **kwargs):
        kwargs.setdefault("auto_id", "pitch_%s")
        super().__init__(*args, **kwargs)
        self.offer_behalf("supplier", suppliers)

    def clean_title(self):
        return _single_line(self.cleaned_data["title"])


class CallFilterForm(forms.Form):
    hide_optional_marker = True

    product = forms.ChoiceField(label=_("Product"), required=False, widget=FastSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Call.Kind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Call.Status.choices]
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("All products"))] + list(
            Product.objects.order_by("name").values_list("slug", "name")
        )


class CallForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of task"), choices=Call.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=_("The task, what is to be delivered and when. Markdown."),
    )
    deadline = forms.DateField(
        label=_("Deadline for offers"), widget=DATE, help_text=_("Offers are accepted until the end of this day.")
    )
    budget_min_dkk = AmountField(
        **AMOUNT, label=_("Budget from (DKK, optional)"), required=False, max_digits=12, decimal_places=2
    )
    budget_max_dkk = AmountField(
        **AMOUNT, label=_("Budget up to (DKK, optional)"), required=False, max_digits=12, decimal_places=2
    )
    caller = forms.ChoiceField(label=_("On behalf of"))

    def __init__(self, *args, callers=(), **kwargs):
        super().__init__(*args, **kwargs)
        if len(callers) > 1:
            self.fields["caller"].choices = [(key, name) for key, name, _value in callers]
        else:
            del self.fields["caller"]
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + timedelta(days=14))

    def clean_title(self):
        return _single_line(self.cleaned_data["title"])

    def call_data(self) -> dict:
        return {
            key: self.cleaned_data.get(key)
            for key in ("kind", "title", "description", "deadline", "budget_min_dkk", "budget_max_dkk")
        }


class OfferForm(OnBehalfOf, forms.Form):
    price_dkk = AmountField(
        **AMOUNT,
        label=_("Fixed price (DKK excl. VAT)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Or leave it empty and give the hours: the price is the hours at your published rate."),
    )
    hours = AmountField(**AMOUNT, label=_("Hours"), required=False, max_digits=8, decimal_places=2)
    approach = forms.CharField(
        label=_("Approach"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("How you would do the task. Markdown."),
    )
    team = forms.CharField(
        label=_("Team (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        help_text=_("Who would do it, and their experience."),
    )
    supplier = forms.ChoiceField(label=_("On behalf of"))

    def __init__(self, *args, suppliers=(), **kwargs):
        kwargs.setdefault("auto_id", "offer_%s")
        super().__init__(*args, **kwargs)
        self.offer_behalf("supplier", suppliers)


class AwardForm(forms.Form):
    offer = forms.ChoiceField(label=_("The offer to award"), widget=forms.RadioSelect)

    def __init__(self, *args, offers=(), **kwargs):
        kwargs.setdefault("auto_id", "award_%s")
        super().__init__(*args, **kwargs)
        self.offers = {str(o.pk): o for o in offers}
        from os2hub.core.money import format_dkk

        self.fields["offer"].choices = [(str(o.pk), f"{o.supplier.name}: {format_dkk(o.price_dkk)}") for o in offers]

    def chosen_offer(self):
        return self.offers.get(self.cleaned_data["offer"])


class DonationForm(OnBehalfOf, forms.Form):
    name = forms.CharField(label=_("Name of the solution"), max_length=120)
    repository_url = forms.CharField(
        label=_("Repository address"), max_length=300, help_text=_("The public https address of the code.")
    )
    licence = forms.CharField(
        label=_("Licence (SPDX id)"), max_length=64, help_text=_("An open-source licence, for example MPL-2.0.")
    )
    description = forms.CharField(
        label=_("What it does"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000, help_text=_("Markdown.")
    )
    users = forms.CharField(
        label=_("Who uses it"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        help_text=_("Which authorities and staff use it today."),
    )
    organisation = forms.ChoiceField(label=_("On behalf of"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_behalf("organisation", organisations)

    def clean_name(self):
        return _single_line(self.cleaned_data["name"])

    def donation_data(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("name", "repository_url", "licence", "description", "users")}
