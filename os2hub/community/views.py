from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors
from os2hub.products.getters import can_edit_product, get_product, get_product_for_user

from . import services
from .forms import EventForm, NewsForm
from .getters import get_event_for_user, get_news_for_user
from .models import Event

PER_PAGE = 20


# --- News -------------------------------------------------------------------------------------------------


def news_list(request, slug):
    product = get_product(slug)
    page = Paginator(product.news.select_related("author"), PER_PAGE).get_page(request.GET.get("side"))
    return render(
        request,
        "community/news_list.html",
        {"product": product, "page": page, "can_edit": can_edit_product(request.user, product)},
    )


def news_detail(request, slug, pk):
    product = get_product(slug)
    post = get_news_for_user(request.user, product, pk)
    return render(
        request,
        "community/news_detail.html",
        {"product": product, "post": post, "can_edit": can_edit_product(request.user, product)},
    )


@login_required
def news_create(request, slug):
    product = get_product_for_user(request.user, slug, write=True)
    form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.news_create(product=product, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The news post is published."))
            return redirect(post.get_absolute_url())
    return render(request, "community/news_form.html", {"product": product, "form": form})


@login_required
def news_edit(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    post = get_news_for_user(request.user, product, pk, write=True)
    form = NewsForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_update(post=post, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            post = get_news_for_user(request.user, product, pk, write=True)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The news post is saved."))
            return redirect(post.get_absolute_url())
    return render(request, "community/news_form.html", {"product": product, "form": form, "post": post})


@login_required
@require_POST
def news_delete(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    post = get_news_for_user(request.user, product, pk, write=True)
    services.news_delete(post=post, user=request.user)
    messages.success(request, _("The news post is deleted."))
    return redirect("community:news_list", slug=product.slug)


# --- Events -----------------------------------------------------------------------------------------------


def upcoming_events(request):
    """Every product's events that have not ended yet, soonest first."""
    page = Paginator(Event.objects.upcoming().select_related("product"), PER_PAGE).get_page(request.GET.get("side"))
    return render(request, "community/upcoming_events.html", {"page": page})


def event_list(request, slug):
    product = get_product(slug)
    past = request.GET.get("tidligere") == "1"
    # Past events newest first: the one that just happened is the one people look for.
    events = product.events.past().order_by("-starts_at", "-pk") if past else product.events.upcoming()
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("side"))
    return render(
        request,
        "community/event_list.html",
        {"product": product, "page": page, "past": past, "can_edit": can_edit_product(request.user, product)},
    )


def event_detail(request, slug, pk):
    product = get_product(slug)
    event = get_event_for_user(request.user, product, pk)
    return render(
        request,
        "community/event_detail.html",
        {"product": product, "event": event, "can_edit": can_edit_product(request.user, product)},
    )


@login_required
def event_create(request, slug):
    product = get_product_for_user(request.user, slug, write=True)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(product=product, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is published."))
            return redirect(event.get_absolute_url())
    return render(request, "community/event_form.html", {"product": product, "form": form})


@login_required
def event_edit(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    event = get_event_for_user(request.user, product, pk, write=True)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            event = get_event_for_user(request.user, product, pk, write=True)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect(event.get_absolute_url())
    return render(request, "community/event_form.html", {"product": product, "form": form, "event": event})


@login_required
@require_POST
def event_delete(request, slug, pk):
    product = get_product_for_user(request.user, slug, write=True)
    event = get_event_for_user(request.user, product, pk, write=True)
    services.event_delete(event=event, user=request.user)
    messages.success(request, _("The event is deleted."))
    return redirect("community:event_list", slug=product.slug)
