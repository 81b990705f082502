"""Downloads of a development request for where the work happens (GitHub, Jira), and keeping its links."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core.workflow import TransitionConflict
from os2hub.products.getters import get_product

from . import exports, services
from .getters import get_request_for_user, visible_requests
from .models import DevelopmentRequest


def _url(request, dev_request) -> str:
    # The configured site address: the issue lives on elsewhere and must link back to the public page.
    return f"{settings.SITE_URL}{reverse('development:detail', args=[dev_request.pk])}"


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def github_issue(request, pk):
    dev_request = get_request_for_user(request.user, pk)
    return _download(
        exports.github_issue(dev_request, url=_url(request, dev_request)),
        "text/markdown",
        f"udviklingsoenske-{dev_request.pk}.md",
    )


def jira_csv(request, pk):
    dev_request = get_request_for_user(request.user, pk)
    body = exports.jira_csv([dev_request], url_of=lambda r: _url(request, r))
    return _download(body, "text/csv", f"udviklingsoenske-{dev_request.pk}.csv")


def product_jira_csv(request, slug):
    """Every submitted request of the product that is not closed, for one Jira import."""
    product = get_product(slug)
    open_statuses = [
        s for s in DevelopmentRequest.Status.values if s not in ("draft", "accepted", "rejected", "withdrawn")
    ]
    requests = (
        visible_requests(request.user)
        .filter(product=product, status__in=open_statuses)
        .select_related("product", "requester")
        .order_by("pk")
    )
    body = exports.jira_csv(list(requests), url_of=lambda r: _url(request, r))
    return _download(body, "text/csv", f"udviklingsoensker-{product.slug}.csv")


@login_required
@require_POST
def links(request, pk):
    dev_request = get_request_for_user(request.user, pk)
    try:
        services.request_links_set(request=dev_request, user=request.user, links=request.POST.get("work_links", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The links to the work are saved."))
    return redirect(reverse("development:detail", args=[dev_request.pk]) + "#work")
