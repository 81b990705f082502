"""Who may see, ask, answer, mark and publish questions, and the doors to them (rule 2). Built on core/roles.py and
on the getters of the apps the questions are asked in - never wider than they are:

- A question is seen only by those who may see what it is asked on: a development request through
  development.getters.visible_requests (a draft is its requester's), calls and needs are public.
- Public questions are seen by all of them. A private question (a supplier's on a call) is seen by its author,
  the members of the organisation it was asked for, the caller side (needs.getters.is_caller) and the
  secretariat. The caller may publish it to everyone who may see the call; it then no longer names the asker to
  anyone outside those same people.
- "The people involved" answer: on a request the requester's members, the chosen supplier's members, the
  product's coordination group and the secretariat; on a call the caller side; on a need the posting authority's
  members and the secretariat.
- The asker (the author, or a member of the organisation asked for) and the people involved mark an answer as the
  answer.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.http import Http404

from os2hub.core.roles import COORDINATION, roles_for
from os2hub.development.getters import visible_requests
from os2hub.development.models import DevelopmentRequest
from os2hub.needs.getters import is_caller, is_need_steward
from os2hub.needs.models import Call, Need

from .models import Answer, Question

KINDS = ("request", "call", "need")


def subject_kind(subject) -> str:
    if isinstance(subject, DevelopmentRequest):
        return "request"
    if isinstance(subject, Call):
        return "call"
    if isinstance(subject, Need):
        return "need"
    raise TypeError(subject)


def subject_filter(subject) -> Q:
    """The questions asked on `subject`."""
    return Q(**{{"request": "development_request", "call": "call", "need": "need"}[subject_kind(subject)]: subject})


# --- What a person is to a request, call or need -----------------------------------------------------------------


def is_involved(user, subject) -> bool:
    """The people who answer questions on `subject` (see the module's docstring)."""
    roles = roles_for(user)
    if not roles.authenticated:
        return False
    kind = subject_kind(subject)
    if kind == "call":
        return is_caller(user, subject)
    if kind == "need":
        return is_need_steward(user, subject)
    if roles.secretariat or roles.member(subject.requester_id) or roles.in_group(subject.product_id, COORDINATION):
        return True
    estimate = subject.chosen_estimate if subject.chosen_estimate_id else None
    return bool(estimate and roles.member(estimate.supplier_id))


def sees_private(user, subject) -> bool:
    """Who sees every private question on a call: the caller side and the secretariat."""
    return subject_kind(subject) == "call" and (roles_for(user).secretariat or is_caller(user, subject))


def subject_visible(user, subject) -> bool:
    """Whether the user may see the request, call or need at all (its own app's door, never widened)."""
    if subject_kind(subject) == "request":
        if subject.status != DevelopmentRequest.Status.DRAFT:
            return True
        return visible_requests(user).filter(pk=subject.pk).exists()
    return True  # calls and needs are public


def asking_refusal(user, subject) -> str:
    """Why the user cannot ask on `subject` now, or "" when they can."""
    from django.utils.translation import gettext as _

    if not user.is_authenticated:
        return _("Sign in to ask a question.")
    kind = subject_kind(subject)
    if kind == "request" and subject.status == DevelopmentRequest.Status.DRAFT:
        return _("Questions can be asked once the development request is submitted.")
    if kind == "call" and subject.status != Call.Status.OPEN:
        return _("The call is closed: it takes no more questions.")
    return ""


def asks_privately(user, subject) -> bool:
    """On a call, a question from outside the caller side (a bidder's) is private: fair tender."""
    return subject_kind(subject) == "call" and not sees_private(user, subject)


# --- One viewer of one thing's questions -------------------------------------------------------------------------


@dataclass
class Viewer:
    """What one person may do with the questions on one request, call or need, computed once per page."""

    user: object
    subject: object
    involved: bool = False
    sees_private: bool = False
    caller: bool = False
    organisation_ids: set = field(default_factory=set)

    @property
    def user_id(self):
        return self.user.pk if self.user.is_authenticated else None

    def asked(self, question) -> bool:
        """The asker: the author, or a member of the organisation the question was asked for."""
        if self.user_id is None:
            return False
        return question.author_id == self.user_id or (
            question.organisation_id is not None and question.organisation_id in self.organisation_ids
        )

    def can_see(self, question) -> bool:
        return not question.is_private or self.sees_private or self.asked(question)

    def can_answer(self, question) -> bool:
        return self.involved and self.can_see(question)

    def can_accept(self, question) -> bool:
        return self.can_see(question) and (self.involved or self.asked(question))

    def can_publish(self, question) -> bool:
        return question.is_private and self.caller

    def names_asker(self, question) -> bool:
        return not question.anonymous or self.sees_private or self.asked(question)


def viewer(user, subject) -> Viewer:
    roles = roles_for(user)
    if not roles.authenticated:
        return Viewer(user, subject)
    caller = subject_kind(subject) == "call" and is_caller(user, subject)
    return Viewer(
        user,
        subject,
        involved=is_involved(user, subject),
        sees_private=sees_private(user, subject),
        caller=caller,
        organisation_ids=roles.organisation_ids(),
    )


# --- Doors ------------------------------------------------------------------------------------------------------


ANSWERS = Prefetch("answers", queryset=Answer.objects.select_related("author", "organisation"))


def visible_questions(user, subject, *, seen: Viewer | None = None):
    """The questions on `subject` the user may read, oldest first, with their answers. The subject must already
    have come through its own door."""
    seen = seen or viewer(user, subject)
    questions = Question.objects.filter(subject_filter(subject)).select_related("author", "organisation")
    if not seen.sees_private:
        mine = Q(visibility=Question.Visibility.PUBLIC)
        if seen.user_id is not None:
            mine |= Q(author_id=seen.user_id)
            if seen.organisation_ids:
                mine |= Q(organisation_id__in=seen.organisation_ids)
        questions = questions.filter(mine)
    return questions.prefetch_related(ANSWERS)


def get_question_for_user(user, pk) -> Question:
    """The question with its answers, or 404 when the user may not see it or what it is asked on (so nobody learns
    that a private question exists)."""
    question = (
        Question.objects.filter(pk=pk)
        .select_related(
            "author",
            "organisation",
            "development_request__product",
            "development_request__chosen_estimate",
            "call__group__product",
            "call__organisation",
            "need__organisation",
        )
        .prefetch_related(ANSWERS)
        .first()
    )
    if question is None or not subject_visible(user, question.subject):
        raise Http404
    if not viewer(user, question.subject).can_see(question):
        raise Http404
    return question


def get_subject(kind: str, pk: int):
    """A request, call or need by kind and id, through its own app's door (404 when the user may not see it is
    checked by the caller with subject_visible)."""
    if kind == "request":
        found = DevelopmentRequest.objects.select_related("product", "chosen_estimate").filter(pk=pk).first()
    elif kind == "call":
        found = Call.objects.select_related("group__product", "organisation").filter(pk=pk).first()
    elif kind == "need":
        found = Need.objects.select_related("organisation").filter(pk=pk).first()
    else:
        found = None
    if found is None:
        raise Http404
    return found


def get_subject_for_user(user, kind: str, pk: int):
    subject = get_subject(kind, pk)
    if not subject_visible(user, subject):
        raise Http404
    return subject


def can_see_question(user, question) -> bool:
    """For mail: whether `user` may read `question` now."""
    return subject_visible(user, question.subject) and viewer(user, question.subject).can_see(question)
