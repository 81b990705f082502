"""Writes for questions and answers (rule 1): asking, answering, marking the answer, publishing a private question
to all bidders, following, and unsubscribing. Each checks again who may do it (getters.py) and tells the people
concerned by e-mail after the commit, each in their language - and only people who may read the question."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from os2hub.accounts.models import User
from os2hub.core.mail import recipient_language, render_mail, send_rendered_task, send_templated_mail_on_commit
from os2hub.core.roles import COORDINATION, roles_for
from os2hub.core.text import check_text
from os2hub.needs.models import Follow as NeedFollow
from os2hub.products.models import GroupMember

from . import getters, unsubscribe
from .models import BODY_MAX, Answer, Question, QuestionFollow

SUBJECT_URLS = {"request": "development:detail", "call": "needs:call", "need": "needs:detail"}


def subject_url(subject) -> str:
    """The path of the page of a request, call or need."""
    return reverse(SUBJECT_URLS[getters.subject_kind(subject)], args=[subject.pk])


def question_url(question) -> str:
    return reverse("questions:detail", args=[question.pk])


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _clean_body(body, field="body") -> str:
    if not isinstance(body, str):
        raise ValidationError({field: [_("Write the text.")]})
    check_text({field: body})
    body = body.strip()
    if not body:
        raise ValidationError({field: [_("Write the text.")]})
    if len(body) > BODY_MAX:
        raise ValidationError(
            {field: [_("At most %(max)s characters (this is %(length)s).") % {"max": BODY_MAX, "length": len(body)}]}
        )
    return body


# --- Asking -----------------------------------------------------------------------------------------------------


def question_ask(*, user, subject, body: str, organisation=None) -> Question:
    """A signed-in person asks on a request, call or need they may see, for one of their organisations (or none,
    when they have none). On a call, a question from outside the caller side is private. The asker follows the
    question; the people involved are told."""
    if not getters.subject_visible(user, subject):
        raise PermissionDenied
    refusal = getters.asking_refusal(user, subject)
    if refusal:
        raise PermissionDenied(refusal)
    roles = roles_for(user)
    if organisation is not None and not roles.member(organisation):
        raise ValidationError({"organisation": [_("Choose one of your organisations.")]})
    if organisation is None and roles.organisation_ids():
        raise ValidationError({"organisation": [_("Choose on whose behalf you ask.")]})
    body = _clean_body(body)
    kind = getters.subject_kind(subject)
    private = getters.asks_privately(user, subject)
    with transaction.atomic():
        question = Question.objects.create(
            development_request=subject if kind == "request" else None,
            call=subject if kind == "call" else None,
            need=subject if kind == "need" else None,
            author=user,
            organisation=organisation,
            body=body,
            visibility=Question.Visibility.PRIVATE if private else Question.Visibility.PUBLIC,
        )
        QuestionFollow.objects.get_or_create(question=question, user=user)
        send_templated_mail_on_commit(
            template="question_asked",
            context=_mail_context(question),
            to=[p for p in involved_people(subject) if p.pk != user.pk],
        )
    return question


def involved_people(subject) -> list[User]:
    """The people who answer questions on `subject` (getters.is_involved, as a query), as mail recipients."""
    kind = getters.subject_kind(subject)
    if kind == "call":
        if subject.group_id:
            who = Q(group_memberships__group=subject.group_id)
        else:
            who = Q(memberships__organisation=subject.organisation_id)
    elif kind == "need":
        who = Q(memberships__organisation=subject.organisation_id) | Q(memberships__organisation__kind="secretariat")
    else:
        coordination = GroupMember.objects.filter(group__product=subject.product_id, group__kind=COORDINATION).values(
            "user"
        )
        who = (
            Q(memberships__organisation=subject.requester_id)
            | Q(memberships__organisation__kind="secretariat")
            | Q(pk__in=coordination)
        )
        if subject.chosen_estimate_id:
            who |= Q(memberships__organisation=subject.chosen_estimate.supplier_id)
    return list(User.objects.filter(who, is_active=True).distinct().order_by("pk"))


# --- Answering --------------------------------------------------------------------------------------------------


def answer_create(*, user, question, body: str, organisation=None) -> Answer:
    """One of the people involved answers. The one who answers follows the question; its followers (and, for a
    public question on a need, the need's followers) get the answer by e-mail, if they may read it."""
    if not getters.subject_visible(user, question.subject):
        raise PermissionDenied
    seen = getters.viewer(user, question.subject)
    if not seen.can_answer(question):
        raise PermissionDenied(_("Questions are answered by the people involved."))
    body = _clean_body(body)
    roles = roles_for(user)
    if organisation is None:
        mine = sorted(roles.organisation_ids())
        organisation_id = mine[0] if len(mine) == 1 else None
    else:
        if not roles.member(organisation):
            raise ValidationError({"organisation": [_("Choose one of your organisations.")]})
        organisation_id = organisation.pk
    with transaction.atomic():
        # The question's row is locked so that an answer and a publication (which changes who may read the
        # answer) are one after the other.
        question = Question.objects.select_for_update().get(pk=question.pk)
        answer = Answer.objects.create(question=question, author=user, organisation_id=organisation_id, body=body)
        QuestionFollow.objects.get_or_create(question=question, user=user)
        _tell_followers(question, "question_answered", {"answer": answer}, exclude=user)
    return answer


def answer_accept(*, user, answer) -> Answer:
    """The asker or one of the people involved marks an answer as the answer; another marked before is unmarked
    (one per question, kept by a database constraint; the question's row is locked so two people marking at once
    are one after the other)."""
    question = answer.question
    if not getters.subject_visible(user, question.subject):
        raise PermissionDenied
    if not getters.viewer(user, question.subject).can_accept(question):
        raise PermissionDenied(_("The asker or the people involved mark the answer."))
    with transaction.atomic():
        Question.objects.select_for_update().get(pk=question.pk)
        Answer.objects.filter(question=question, is_accepted=True).exclude(pk=answer.pk).update(is_accepted=False)
        Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
    answer.is_accepted = True
    return answer


def question_publish(*, user, question) -> Question:
    """The caller publishes a bidder's private question with its answers to everyone who may see the call,
    without naming the asker. Cannot be undone. The bidders (the suppliers that offered or asked on the call)
    are told."""
    if not getters.viewer(user, question.subject).can_publish(question):
        raise PermissionDenied(_("The caller publishes questions to all bidders."))
    with transaction.atomic():
        updated = Question.objects.filter(pk=question.pk, visibility=Question.Visibility.PRIVATE).update(
            visibility=Question.Visibility.PUBLIC, published_at=timezone.now(), published_by=user
        )
        if not updated:
            raise ValidationError(_("The question is already public."))
        question.refresh_from_db()
        call = question.call
        bidders = Q(memberships__organisation__in=call.offers.values("supplier")) | Q(
            memberships__organisation__in=Question.objects.filter(call=call, organisation__isnull=False).values(
                "organisation"
            )
        )
        people = User.objects.filter(bidders | Q(question_follows__question=question), is_active=True).distinct()
        send_templated_mail_on_commit(
            template="question_published",
            context=_mail_context(question),
            to=[p for p in people.order_by("pk") if p.pk != user.pk],
        )
    return question


# --- Following --------------------------------------------------------------------------------------------------


def question_follow(*, user, question) -> None:
    if not user.is_authenticated or not getters.can_see_question(user, question):
        raise PermissionDenied
    QuestionFollow.objects.get_or_create(question=question, user=user)


def question_unfollow(*, user, question) -> None:
    if not user.is_authenticated:
        raise PermissionDenied
    QuestionFollow.objects.filter(question=question, user=user).delete()


def unsubscribe_apply(subscription: unsubscribe.Subscription) -> None:
    """Stop what a (verified) unsubscribe token names. Idempotent: a second click changes nothing."""
    if subscription.kind == "q":
        QuestionFollow.objects.filter(user_id=subscription.user_id, question_id=subscription.pk).delete()
    else:
        NeedFollow.objects.filter(user_id=subscription.user_id, need_id=subscription.pk).delete()


# --- Mail -------------------------------------------------------------------------------------------------------


def _mail_context(question) -> dict:
    subject = question.subject
    return {
        "question": question,
        "subject": subject,
        "kind": getters.subject_kind(subject),
        "link": _absolute(question_url(question)),
        "subject_link": _absolute(subject_url(subject)),
    }


def _tell_followers(question, template, extra, *, exclude) -> None:
    """Each follower of the question (and of the need, for a public question on one) who may read the question
    gets the message, with a personal unsubscribe link and RFC 8058 headers, after the commit."""
    recipients: dict[int, tuple[User, str]] = {}
    for follow in QuestionFollow.objects.filter(question=question, user__is_active=True).select_related("user"):
        recipients[follow.user_id] = (follow.user, unsubscribe.make_token(follow.user, question=question))
    if question.need_id and not question.is_private:
        for follow in NeedFollow.objects.filter(need=question.need_id, user__is_active=True).select_related("user"):
            recipients.setdefault(
                follow.user_id, (follow.user, unsubscribe.make_token(follow.user, need=question.need))
            )
    context = {**_mail_context(question), **extra}
    for user_id, (person, token) in sorted(recipients.items()):
        if user_id == getattr(exclude, "pk", None) or not person.email:
            continue
        if not getters.can_see_question(person, question):
            continue  # a follower who may no longer read it (left the organisation, the call became...)
        subject, text, html = render_mail(
            template, {**context, "unsubscribe_url": unsubscribe.unsubscribe_url(token)}, recipient_language(person)
        )
        headers = unsubscribe.headers(token)
        transaction.on_commit(
            lambda s=subject, t=text, h=html, r=[person.email], hd=headers: send_rendered_task.enqueue(
                subject=s, text=t, html=h, to=r, headers=hd
            )
        )
