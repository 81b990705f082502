import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from os2hub.accounts.models import Membership
from os2hub.core.roles import is_secretariat
from os2hub.suppliers.models import SupplierApplication


def home(request):
    partners = SupplierApplication.objects.approved().count()
    return render(request, "web/home.html", {"partner_count": partners})


@login_required
def dashboard(request):
    memberships = list(Membership.objects.filter(user=request.user).select_related("organisation"))
    org_ids = [m.organisation_id for m in memberships]
    applications = (
        SupplierApplication.objects.filter(organisation_id__in=org_ids)
        .exclude(status="rejected")
        .select_related("organisation")
    )
    pending = None
    if is_secretariat(request.user):
        pending = SupplierApplication.objects.filter(status=SupplierApplication.Status.SUBMITTED).count()
    return render(
        request,
        "web/dashboard.html",
        {
            "memberships": memberships,
            "applications": applications,
            "pending_reviews": pending,
        },
    )


# When the accessibility statement was last reviewed; update it with the statement.
ACCESSIBILITY_REVIEWED = datetime.date(2026, 11, 27)


def accessibility(request):
    return render(
        request, "web/accessibility.html", {"contact_email": settings.CONTACT_EMAIL, "reviewed": ACCESSIBILITY_REVIEWED}
    )


@require_GET
def set_language(request, code):
    """Switch language with a plain link (DKFDS language switcher); remembered in a cookie."""
    languages = dict(settings.LANGUAGES)
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in languages and request.user.is_authenticated and request.user.preferred_language != code:
        # E-mails follow the language the person reads OS2hub in.
        request.user.preferred_language = code
        request.user.save(update_fields=["preferred_language"])
    if code in languages:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=False,
        )
    return response
