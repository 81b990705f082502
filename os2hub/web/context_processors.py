from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from os2hub.accounts.getters import admin_organisation_ids
from os2hub.accounts.models import Organisation
from os2hub.core.roles import is_secretariat


def navigation(request):
    """Main navigation, marked current by URL prefix. Computed once per request, only for full pages."""
    path = request.path
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # Someone signed in who opens the front page lands on their overview: that is their first item instead.
    first = (
        (_("My overview"), reverse("web:dashboard"), path.startswith(reverse("web:dashboard")))
        if signed_in
        else (_("Front page"), reverse("web:home"), path == reverse("web:home"))
    )
    items = [
        first,
        (_("Products"), reverse("products:catalogue"), path.startswith(reverse("products:catalogue"))),
        (_("Supplier partners"), reverse("suppliers:directory"), path.startswith(reverse("suppliers:directory"))),
        (_("Product levels"), reverse("governance:criteria"), path.startswith(reverse("governance:criteria"))),
        (
            _("Needs and opportunities"),
            reverse("needs:list"),
            path.startswith(
                tuple(reverse(name) for name in ("needs:list", "needs:pitches", "needs:calls", "needs:donations"))
            ),
        ),
        (_("Development requests"), reverse("development:list"), path.startswith(reverse("development:list"))),
    ]
    is_supplier_admin = False
    if signed_in:
        is_supplier_admin = bool(admin_organisation_ids(user, Organisation.Kind.SUPPLIER))
        if is_supplier_admin:
            items.append(
                (
                    _("Partnership"),
                    reverse("suppliers:application"),
                    path.startswith(reverse("suppliers:application")),
                )
            )
        if is_secretariat(user):
            items.append(
                (
                    _("Review queue"),
                    reverse("suppliers:review_queue"),
                    path.startswith(reverse("suppliers:review_queue")),
                )
            )
            items.append(
                (_("Evaluation rounds"), reverse("governance:rounds"), path.startswith(reverse("governance:rounds")))
            )
    return {
        "main_nav": [{"text": t, "href": h, "current": c} for t, h, c in items],
        "is_supplier_admin": is_supplier_admin,
    }
