"""The contact page and its form, the secretariat's queue of messages, the sender's own messages, the pages where
the secretariat edits its people, and the privacy and cookie statements."""

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from os2hub.core.forms import add_service_errors
from os2hub.core.htmx import wants_fragment
from os2hub.core.roles import roles_for
from os2hub.core.workflow import TransitionConflict

from . import selectors, services
from .forms import AnswerForm, ContactForm, PersonForm
from .getters import can_edit_people, can_handle_messages, get_message_for_user, get_person_for_user
from .models import ContactMessage
from .workflow import MESSAGE

PER_PAGE = 25


def contact(request):
    """The secretariat's people and the contact form. A filed message is confirmed on the page it was sent from."""
    form = ContactForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.is_trap:
            # A robot filled in the hidden field: thank it as a person would be thanked, and file nothing.
            messages.success(request, _("Thank you. Your message has been sent to the OS2 secretariat."))
            return redirect("contact:contact")
        try:
            message = services.message_send(data=form.cleaned_data, user=request.user, client=ratelimit.get_ip(request))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Thank you. Your message has been sent to the OS2 secretariat. A receipt is on its way to %(email)s.")
                % {"email": message.sender_email},
            )
            return redirect("contact:contact")
    return render(
        request,
        "contact/contact.html",
        {
            "people": selectors.people(),
            "form": form,
            "contact_email": settings.CONTACT_EMAIL,
            "can_edit": can_edit_people(request.user),
        },
    )


# --- The secretariat's queue ------------------------------------------------------------------------------------


def _require_secretariat(request) -> None:
    if not can_handle_messages(request.user):
        raise PermissionDenied


@login_required
def queue(request):
    _require_secretariat(request)
    status = request.GET.get("status", ContactMessage.Status.OPEN)
    if status not in ContactMessage.Status.values and status != "all":
        status = ContactMessage.Status.OPEN
    page = Paginator(selectors.message_list(status=None if status == "all" else status), PER_PAGE).get_page(
        request.GET.get("side")
    )
    counts = selectors.message_counts()
    filters = [(value, label, counts[value]) for value, label in ContactMessage.Status.choices]
    filters.append(("all", _("All"), counts["all"]))
    fragment = wants_fragment(request)
    return render(
        request,
        "contact/queue.html#results" if fragment else "contact/queue.html",
        {"page": page, "status": status, "filters": filters, "fragment": fragment},
    )


def _thread(request, message, *, form=None):
    secretariat = can_handle_messages(request.user)
    steps = MESSAGE.available(message, roles_for(request.user)) if secretariat else []
    return render(
        request,
        "contact/message.html",
        {
            "message": message,
            "answers": message.answers.select_related("author"),
            "events": message.events.select_related("actor") if secretariat else (),
            "secretariat": secretariat,
            "steps": steps,
            "form": form if form is not None else (AnswerForm() if "answer" in steps else None),
        },
    )


@login_required
def message_detail(request, pk):
    """One message and its answers: the secretariat answers, closes or reopens it; the sender reads it."""
    message = get_message_for_user(request.user, pk)
    if request.method != "POST":
        return _thread(request, message)
    _require_secretariat(request)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.message_answer(message=message, user=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            messages.error(request, str(exc))
            return redirect(message)
        else:
            messages.success(request, _("Your answer has been sent to %(email)s.") % {"email": message.sender_email})
            return redirect(message)
    return _thread(request, message, form=form)


@login_required
@require_POST
def message_step(request, pk, step):
    """Close or reopen a message."""
    message = get_message_for_user(request.user, pk)
    _require_secretariat(request)
    actions = {"close": services.message_close, "reopen": services.message_reopen}
    if step not in actions:
        raise Http404
    try:
        actions[step](message=message, user=request.user)
    except TransitionConflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The message is closed.") if step == "close" else _("The message is open again."))
    return redirect(message)


@login_required
def my_messages(request):
    """The messages the signed-in person sent, with the secretariat's answers one click away."""
    page = Paginator(selectors.messages_of(request.user), PER_PAGE).get_page(request.GET.get("side"))
    return render(request, "contact/my_messages.html", {"page": page})


# --- The secretariat's people ---------------------------------------------------------------------------------


@login_required
def people(request):
    if not can_edit_people(request.user):
        raise PermissionDenied
    return render(request, "contact/people.html", {"people": selectors.people()})


@login_required
def person_create(request):
    if not can_edit_people(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_create(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person is added to the contact page."))
            return redirect("contact:people")
    return render(request, "contact/person_form.html", {"form": form})


@login_required
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person is saved."))
            return redirect("contact:people")
    return render(request, "contact/person_form.html", {"form": form, "person": get_person_for_user(request.user, pk)})


@login_required
def person_delete(request, pk):
    """Removing a person asks first (GET shows what will happen); the POST removes them."""
    person = get_person_for_user(request.user, pk)
    if request.method == "POST":
        services.person_delete(person=person, user=request.user)
        messages.success(request, _("%(name)s is removed from the contact page.") % {"name": person.name})
        return redirect("contact:people")
    return render(request, "contact/person_delete.html", {"person": person})


@login_required
@require_POST
def person_move(request, pk):
    person = get_person_for_user(request.user, pk)
    services.person_move(person=person, user=request.user, up=request.POST.get("direction") == "up")
    return redirect("contact:people")


# --- Statements ---------------------------------------------------------------------------------------------------


def privacy(request):
    return render(request, "web/privacy.html", {"contact_email": settings.CONTACT_EMAIL})


def cookies(request):
    return render(request, "web/cookies.html", {"contact_email": settings.CONTACT_EMAIL})
