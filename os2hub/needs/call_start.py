"""Where a call for suppliers starts when it is not made from a product's or a need's page (/calls/new/): what
the person may call on, and the form that asks which. The call itself is made by needs/views.call_new and
services.call_create, as from a product's or a need's page (and POST /api/v1/calls).

Who may call (services.caller_choices): the members of an authority or of the secretariat, on any product, and a
product's coordination group, on its product. A need is called on by its stewards (the posting authority and the
secretariat), as its own page offers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.models import Organisation
from os2hub.core.forms import FastSelect
from os2hub.core.roles import roles_for
from os2hub.products.models import Group, Product

from .models import OPEN_NEED, Need

CALLING_KINDS = (Organisation.Kind.AUTHORITY, Organisation.Kind.SECRETARIAT)


def products_for_caller(user):
    """The products the person may make a call for, by name."""
    roles = roles_for(user)
    if not roles.authenticated:
        return Product.objects.none()
    if any(roles.organisation_ids(kind) for kind in CALLING_KINDS):
        return Product.objects.order_by("name")
    coordinated = Group.objects.filter(kind=Group.Kind.COORDINATION, members__user=user).values("product_id")
    return Product.objects.filter(pk__in=coordinated).order_by("name")


def needs_for_caller(user):
    """The open needs the person may make a call for (those it stewards), newest first."""
    roles = roles_for(user)
    if not roles.authenticated:
        return Need.objects.none()
    needs = Need.objects.filter(status__in=OPEN_NEED)
    if not roles.secretariat:
        needs = needs.filter(organisation__in=roles.organisation_ids())
    return needs.order_by("-created_at", "-pk")


def may_call(user) -> bool:
    """Whether /calls/new/ has anything to offer the person: the button on /calls/ shows exactly then."""
    roles = roles_for(user)
    if not roles.authenticated:
        return False
    if any(roles.organisation_ids(kind) for kind in CALLING_KINDS):
        return True
    return Group.objects.filter(kind=Group.Kind.COORDINATION, members__user=user).exists()


class CallTargetForm(forms.Form):
    """Which product or open need the call is for (sent by GET to /calls/new/, which then shows the call's form).
    One of the two is needed, so neither is marked optional."""

    hide_optional_marker = True

    product = forms.ChoiceField(label=_("Product"), required=False, widget=FastSelect)
    need = forms.ChoiceField(label=_("Need"), required=False, widget=FastSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("Choose a product"))] + list(
            products_for_caller(user).values_list("slug", "name")
        )
        needs = list(needs_for_caller(user).values_list("pk", "title"))
        if needs:
            self.fields["need"].choices = [("", _("Choose a need"))] + [(str(pk), title) for pk, title in needs]
        else:
            del self.fields["need"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("product") and not cleaned.get("need"):
            self.add_error("product", _("Choose the product or the need the call is for."))
        return cleaned
