"""The shell of the site: the front page for visitors, the personal overview for those signed in, the
accessibility statement and the language switcher.

The web app is the top floor: it asks each app's selectors and getters and composes what they answer. Every list
it shows is its newest few rows and a count, so each page costs the same number of queries however much there is."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from os2hub.accounts import selectors as account_selectors
from os2hub.accounts.models import Membership, Organisation
from os2hub.community.selectors import awaiting_decision, my_invitations, my_registrations, upcoming_events
from os2hub.contact.selectors import open_message_count
from os2hub.core.roles import roles_for
from os2hub.development.selectors import estimates_of, open_for_funding, pledges_of, request_list
from os2hub.governance.models import Round
from os2hub.governance.selectors import products_answered_by, round_overview, round_products
from os2hub.needs.getters import supplier_opportunities, visible_donations
from os2hub.needs.models import Call, Donation
from os2hub.needs.selectors import calls_of, cosigns_of, needs_of, offers_of, open_needs
from os2hub.products.models import Level, Product
from os2hub.products.selectors import (
    agreements_of,
    group_join_requests_waiting,
    newest_products,
    products_by_level,
    text_suggestions_waiting,
)
from os2hub.questions.selectors import questions_waiting_for
from os2hub.scans.selectors import open_proposal_counts
from os2hub.suppliers.models import SupplierApplication
from os2hub.suppliers.selectors import application_list, newest_partners

# How many of the newest rows a list on the front page or the overview shows; the count says how many in all.
SHOWN = 5


@dataclass
class Listing:
    """The newest `items` of a list and how many there are in all."""

    items: list
    count: int


def newest(queryset, limit: int = SHOWN) -> Listing:
    items = list(queryset[:limit])
    # A list shorter than the limit is the whole list: no second query to count it.
    count = len(items) if len(items) < limit else queryset.count()
    return Listing(items, count)


# --- The front page -------------------------------------------------------------------------------------------


def home(request):
    """All of OS2hub for a first-time visitor: the products and their levels, the needs, the development
    requests open for funding, the upcoming events and the partners, each counted with its newest few. It is the
    same for every visitor in one language (no form, so no cookie): the anonymous page cache serves it. Someone
    signed in lands on their overview instead (the cache never answers them: they send a session cookie)."""
    if request.user.is_authenticated:
        return redirect("web:dashboard")
    by_level = products_by_level()
    levels = [(key, label, by_level.get(key, 0)) for key, label in Level.choices]
    levels.append(("none", _("No level yet"), by_level.get("", 0)))
    return render(
        request,
        "web/home.html",
        {
            "products": Listing(list(newest_products()[:SHOWN]), sum(by_level.values())),
            "levels": levels,
            "needs": newest(open_needs()),
            "funding": newest(open_for_funding()),
            "events": newest(upcoming_events()),
            "partners": newest(newest_partners()),
        },
    )


# --- The personal overview ------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    """What waits for the person now, by what they are: the secretariat's queues, the products they coordinate,
    each authority's requests, pledges, needs, co-signs, calls and agreements, each supplier's partnership,
    opportunities, estimates and offers (with the weekly e-mail), then their organisations and account."""
    user = request.user
    roles = roles_for(user)
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
    )
    authorities = [m.organisation for m in memberships if m.organisation.kind == Organisation.Kind.AUTHORITY]
    suppliers = [m.organisation for m in memberships if m.organisation.kind == Organisation.Kind.SUPPLIER]
    open_round = Round.open_round()
    supplier_panes = _suppliers(user, roles, suppliers)
    return render(
        request,
        "web/dashboard.html",
        {
            "memberships": memberships,
            "secretariat": _secretariat(user, open_round) if roles.secretariat else None,
            "coordination": _coordination(user, open_round),
            "authority_panes": [(o, _authority(user, o)) for o in authorities],
            "supplier_panes": supplier_panes,
            "subscription": getattr(user, "digest", None) if suppliers else None,
            "partners": any(pane["partner"] for _organisation, pane in supplier_panes),
            # A newcomer (no organisation yet) may be a supplier: the invitation to become a partner is theirs.
            "partner_start": None if memberships else _partner_start(),
            "join_requests": newest(account_selectors.join_requests_waiting(user)),
            "community": _community(user),
            "own_join_requests": list(account_selectors.own_join_requests(user)),
            "site": _site_counts(),
        },
    )


def _community(user) -> dict:
    """What waits for the person in the community: questions to answer, requests to join the groups they chair or
    coordinate, text suggestions and event proposals to decide, invitations to co-host, and their own sign-ups."""
    return {
        "questions": newest(questions_waiting_for(user)),
        "group_requests": newest(group_join_requests_waiting(user)),
        "suggestions": newest(text_suggestions_waiting(user)),
        "proposals": newest(awaiting_decision(user)),
        "invitations": newest(my_invitations(user)),
        "registrations": newest(my_registrations(user).filter(event__ends_at__gte=timezone.now())),
    }


def _partner_start() -> str:
    """Where someone without a supplier organisation starts a partnership: the partnership page sends them on to
    create their company (or ask to join it) and back (never a 403: only a supplier's members who are not its
    administrators are refused there, and they are not offered this link)."""
    return reverse("suppliers:application")


def _secretariat(user, open_round) -> dict:
    return {
        "applications": application_list(user=user, status=SupplierApplication.Status.SUBMITTED).count(),
        "donations": visible_donations(user).filter(status=Donation.Status.OFFERED).count(),
        "messages": open_message_count(),
        # Authorities to confirm and e-mail domains to verify, counted in one query.
        "onboarding": account_selectors.onboarding_queue_counts(),
        "round": open_round,
        # The round's counts; the one row of the page it also reads is not shown.
        "round_overview": round_overview(open_round, per_page=1) if open_round else None,
    }


def _coordination(user, open_round) -> dict | None:
    """The products whose self-assessment the person answers, with their draft, the scanner's proposals waiting
    and whether the open round has their self-assessment."""
    products = list(products_answered_by(user, round=open_round))
    if not products:
        return None
    proposals = open_proposal_counts(p.pk for p in products)
    in_rounds = set(round_products().filter(pk__in=[p.pk for p in products]).values_list("pk", flat=True))
    for product in products:
        product.open_proposals = proposals.get(product.pk, 0)
        product.in_round = open_round is not None and product.pk in in_rounds
    return {
        "products": products,
        "round": open_round,
        "drafts": sum(1 for p in products if p.has_draft),
        "proposals": sum(p.open_proposals for p in products),
        "due": sum(1 for p in products if p.in_round and not p.submitted_in_round),
    }


def _authority(user, organisation) -> dict:
    requests = request_list(user=user, requester=organisation.slug).select_related("product")
    return {
        "requests": newest(requests.only("title", "status", "created_at", "product__name", "product__slug")),
        "pledges": newest(pledges_of(organisation)),
        "needs": newest(needs_of(organisation)),
        "cosigns": newest(cosigns_of(organisation)),
        "calls": newest(calls_of(organisation)),
        "agreements": newest(agreements_of(organisation)),
    }


def _suppliers(user, roles, suppliers) -> list:
    if not suppliers:
        return []
    applications = {
        a.organisation_id: a
        for a in application_list(user=user)
        .filter(organisation__in=suppliers)
        .exclude(status=SupplierApplication.Status.REJECTED)
    }
    panes = []
    for organisation in suppliers:
        application = applications.get(organisation.pk)
        # Only an administrator may open the application (anyone else would get a 403).
        pane = {"application": application, "is_admin": roles.admin(organisation), "partner": False}
        if application is not None and application.status == SupplierApplication.Status.APPROVED:
            # Opportunities, estimates and offers are a partner's: until then the partnership is what waits.
            opportunities = supplier_opportunities(organisation, limit=SHOWN)
            opportunities["kind_names"] = [str(Call.Kind(kind).label) for kind in opportunities["kinds"]]
            pane.update(
                partner=True,
                opportunities=opportunities,
                estimates=newest(estimates_of(organisation)),
                offers=newest(offers_of(organisation)),
            )
        panes.append((organisation, pane))
    return panes


def _site_counts() -> list[tuple[str, str, int]]:
    """OS2hub at a glance for someone signed in (the front page sends them here): (label, list address, count)."""
    return [
        (_("Products"), reverse("products:catalogue"), Product.objects.count()),
        (_("Open needs"), reverse("needs:list"), open_needs().count()),
        (
            _("Development requests open for funding"),
            reverse("development:list") + "?status=funding",
            open_for_funding().count(),
        ),
        (_("Upcoming events"), reverse("community:upcoming_events"), upcoming_events().count()),
        (_("Supplier partners"), reverse("suppliers:directory"), newest_partners().count()),
    ]


# --- The rest of the shell ------------------------------------------------------------------------------------

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
