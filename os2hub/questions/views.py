"""Pages of questions and answers. The questions section sits on the pages of development requests, calls and
needs (templatetags/questions.py includes it); its forms post here. With htmx a post answers the section
again, changed in place (rule 6); without, it redirects back to the page, or shows the form with its errors on
a page of its own. The services decide and check again (rule 1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from os2hub.accounts.models import Organisation, User
from os2hub.core.forms import add_service_errors
from os2hub.core.htmx import wants_fragment
from os2hub.core.roles import roles_for
from os2hub.needs.models import Need

from . import getters, selectors, services, unsubscribe
from .forms import AnswerForm, QuestionForm
from .models import Answer, Question, QuestionFollow

PAGE_SIZE = 25


def _organisations(user) -> list[Organisation]:
    ids = roles_for(user).organisation_ids()
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


def _item(question, seen, followed, answer_form=None) -> dict:
    """One question as the section and the question's page show it."""
    can_answer = seen.can_answer(question)
    if can_answer and (answer_form is None or answer_form.question_id != question.pk):
        answer_form = AnswerForm(question_id=question.pk)
        answer_form.question_id = question.pk
    return {
        "question": question,
        "answers": list(question.answers.all()),
        "names_asker": seen.names_asker(question),
        "can_answer": can_answer,
        "can_accept": seen.can_accept(question),
        "can_publish": seen.can_publish(question),
        "follows": question.pk in followed,
        "answer_form": answer_form if can_answer else None,
    }


def _followed(user, questions) -> set[int]:
    if not user.is_authenticated or not questions:
        return set()
    return set(
        QuestionFollow.objects.filter(user=user, question__in=[q.pk for q in questions]).values_list(
            "question_id", flat=True
        )
    )


def section_context(request, subject, *, ask_form=None, answer_form=None, notice="") -> dict:
    """What templates/questions/_section.html shows: the questions on `subject` the viewer may read, with what
    the viewer may do with each, and the form to ask. A constant number of queries, however many questions."""
    user = request.user
    seen = getters.viewer(user, subject)
    questions = list(getters.visible_questions(user, subject, seen=seen))
    followed = _followed(user, questions)
    refusal = getters.asking_refusal(user, subject)
    if ask_form is None and not refusal:
        ask_form = QuestionForm(organisations=_organisations(user))
    kind = getters.subject_kind(subject)
    return {
        "subject": subject,
        "kind": kind,
        "items": [_item(q, seen, followed, answer_form) for q in questions],
        "ask_form": None if refusal else ask_form,
        "refusal": refusal,
        "asks_privately": user.is_authenticated and getters.asks_privately(user, subject),
        "sees_private": seen.sees_private,
        "error_form": next((f for f in (ask_form, answer_form) if f is not None and f.is_bound and f.errors), None),
        "notice": notice,
        "in_section": True,
        "subject_url": services.subject_url(subject),
    }


def _section(request, subject, **kwargs):
    return render(request, "questions/_section.html", section_context(request, subject, **kwargs))


def _back(subject, question=None):
    anchor = f"#question-{question.pk}" if question is not None else "#questions"
    return redirect(services.subject_url(subject) + anchor)


# --- Asking -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, kind, pk):
    """GET: the form on a page of its own (where the section sent someone without JavaScript back with errors);
    POST: ask."""
    if kind not in getters.KINDS:
        raise Http404
    subject = getters.get_subject_for_user(request.user, kind, pk)
    refusal = getters.asking_refusal(request.user, subject)
    if refusal:
        messages.error(request, refusal)
        return _back(subject)
    form = QuestionForm(request.POST or None, organisations=_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(
                user=request.user, subject=subject, body=form.cleaned_data["body"], organisation=form.chosen()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You cannot do that."))
            return _back(subject)
        else:
            text = (
                _("Your question is sent. Only the caller, the secretariat and your organisation can see it.")
                if question.is_private
                else _("Your question is posted. You get an e-mail when it is answered.")
            )
            if wants_fragment(request):
                return _section(request, subject, notice=text)
            messages.success(request, text)
            return _back(subject, question)
    if request.method == "POST" and wants_fragment(request):
        return _section(request, subject, ask_form=form)
    return render(
        request,
        "questions/ask.html",
        {
            "subject": subject,
            "kind": kind,
            "form": form,
            "asks_privately": getters.asks_privately(request.user, subject),
            "subject_url": services.subject_url(subject),
        },
    )


# --- One question -----------------------------------------------------------------------------------------------


def detail(request, pk, answer_form=None):
    """A question with its answers, on a page of its own (the link in e-mails), or the thread alone for htmx."""
    question = getters.get_question_for_user(request.user, pk)
    seen = getters.viewer(request.user, question.subject)
    context = {
        "item": _item(question, seen, _followed(request.user, [question]), answer_form),
        "subject": question.subject,
        "kind": question.subject_kind,
        "subject_url": services.subject_url(question.subject),
        "error_form": answer_form if answer_form is not None and answer_form.errors else None,
        "in_section": False,
    }
    template = "questions/question.html"
    return render(request, f"{template}#thread" if wants_fragment(request) else template, context)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    question = getters.get_question_for_user(request.user, pk)
    subject = question.subject
    if not getters.viewer(request.user, subject).can_answer(question):
        raise PermissionDenied(_("Questions are answered by the people involved."))
    if request.method == "GET":
        return redirect("questions:detail", question.pk)
    form = AnswerForm(request.POST, question_id=question.pk)
    form.question_id = question.pk
    in_section = request.POST.get("from") == "section"
    if form.is_valid():
        try:
            services.answer_create(user=request.user, question=question, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You cannot do that."))
            return _back(subject, question)
        else:
            text = _("Your answer is posted. The followers of the question are told.")
            if wants_fragment(request) and in_section:
                return _section(request, subject, notice=text)
            messages.success(request, text)
            return _back(subject, question) if in_section else redirect("questions:detail", question.pk)
    if wants_fragment(request) and in_section:
        return _section(request, subject, answer_form=form)
    return detail(request, pk, answer_form=form)


@login_required
@require_POST
def accept(request, pk, answer_pk):
    question = getters.get_question_for_user(request.user, pk)
    found = get_object_or_404(Answer, pk=answer_pk, question=question)
    found.question = question
    try:
        services.answer_accept(user=request.user, answer=found)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You cannot do that."))
        return _back(question.subject, question)
    text = _("The answer is marked as the answer.")
    if wants_fragment(request) and request.POST.get("from") == "section":
        return _section(request, question.subject, notice=text)
    messages.success(request, text)
    if request.POST.get("from") == "section":
        return _back(question.subject, question)
    return redirect("questions:detail", question.pk)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk):
    """Publishing cannot be undone, so it is confirmed: GET says what becomes visible to whom, POST with
    confirm=yes publishes."""
    question = getters.get_question_for_user(request.user, pk)
    seen = getters.viewer(request.user, question.subject)
    if not seen.can_publish(question):
        if not question.is_private:
            messages.info(request, _("The question is already public."))
            return _back(question.subject, question)
        raise PermissionDenied(_("The caller publishes questions to all bidders."))
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.question_publish(user=request.user, question=question)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The question and its answers are now public to everyone who can see the call.")
            )
        return _back(question.subject, question)
    return render(
        request,
        "questions/publish_confirm.html",
        {
            "question": question,
            "answers": list(question.answers.all()),
            "subject": question.subject,
            "subject_url": services.subject_url(question.subject),
        },
    )


@login_required
@require_POST
def follow(request, pk, step):
    question = getters.get_question_for_user(request.user, pk)
    if step == "follow":
        services.question_follow(user=request.user, question=question)
        text = _("You follow the question and get an e-mail when it is answered.")
    elif step == "unfollow":
        services.question_unfollow(user=request.user, question=question)
        text = _("You no longer follow the question.")
    else:
        raise Http404
    if wants_fragment(request) and request.POST.get("from") == "section":
        return _section(request, question.subject, notice=text)
    messages.success(request, text)
    if request.POST.get("from") == "section":
        return _back(question.subject, question)
    return redirect("questions:detail", question.pk)


# --- Waiting for me ---------------------------------------------------------------------------------------------


@login_required
def waiting(request):
    """The questions without an answer that the viewer is one of the people to answer."""
    page = Paginator(selectors.questions_waiting_for(request.user), PAGE_SIZE).get_page(request.GET.get("side"))
    for question in page.object_list:
        question.subject_url = services.subject_url(question.subject)
    return render(request, "questions/waiting.html", {"page": page})


# --- Unsubscribe ------------------------------------------------------------------------------------------------


@never_cache
@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no session; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """GET: a page that says what the link stops, with a button; POST: stop it. Works without signing in. A
    forged or changed link is refused with a page that says so (status 400)."""
    subscription = unsubscribe.read_token(token)
    person = User.objects.filter(pk=subscription.user_id).first() if subscription else None
    if subscription is None or person is None:
        return render(request, "questions/unsubscribe.html", {"invalid": True}, status=400)
    title = ""
    if subscription.kind == "q":
        found = Question.objects.filter(pk=subscription.pk).first()
        title = found.body[:80] if found and getters.can_see_question(person, found) else ""
    else:
        found = Need.objects.filter(pk=subscription.pk).first()
        title = found.title if found else ""
    done = False
    if request.method == "POST":
        services.unsubscribe_apply(subscription)
        done = True
    return render(
        request,
        "questions/unsubscribe.html",
        {"kind": subscription.kind, "title": title, "done": done},
    )
