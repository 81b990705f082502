"""Questions and answers on development requests, calls for suppliers and needs.

Endpoints parse input, find the request, call or need through its own app's door (a draft request is its
requester's: 404 to others), call os2hub.questions.services (the only writers; they check again who may) and
shape the answer. Who sees which question is os2hub.questions.getters' one answer, the pages' too: public
questions are seen by everyone who may see what they are asked on; a bidder's question on a call is private to
the asking organisation, the caller side and the secretariat until the caller publishes it, and a published
question does not name its asker to others (`asker` is null).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from os2hub.core.roles import roles_for
from os2hub.questions import getters, services
from os2hub.questions.models import Answer, Question

from .common import ERRORS, OPTIONAL_TOKEN, PUBLIC_ERRORS, OrganisationOut, organisation_for, viewer
from .schemas import LimitOffset

router = Router(tags=["questions"])

PATHS = {"development-requests": "request", "calls": "call", "needs": "need"}
KIND_NAMES = {"request": "development-requests", "call": "calls", "need": "needs"}
_VIEWER = "_questions_viewer"


# --- Schemas ----------------------------------------------------------------------------------------------------


class AskerOut(Schema):
    name: str = Field(description="The asking person's name.")
    organisation: OrganisationOut | None = Field(description="The organisation asked for, if any.")


class QuestionAnswerOut(Schema):
    id: int
    body: str = Field(description="Markdown.")
    author: str | None = Field(description="The answering person's name.")
    organisation: OrganisationOut | None
    is_accepted: bool = Field(description="Marked as the answer (at most one per question).")
    created_at: datetime

    @staticmethod
    def resolve_author(obj):
        return obj.author.get_full_name() if obj.author_id else None


class QuestionOut(Schema):
    id: int
    on: str = Field(description="What the question is asked on: development-requests, calls or needs.")
    on_id: int = Field(description="The id of the development request, call or need.")
    body: str = Field(description="Markdown.")
    visibility: str = Field(
        description="public (everyone who may see what it is asked on) or private (a bidder's question on a call: "
        "the asking organisation, the caller side and the secretariat)."
    )
    published_at: datetime | None = Field(description="When the caller published a private question to all bidders.")
    asker: AskerOut | None = Field(description="Who asked; null when a published question does not name its asker.")
    answers: list[QuestionAnswerOut] = Field(description="Oldest first.")
    created_at: datetime

    @staticmethod
    def resolve_on(obj):
        return KIND_NAMES[obj.subject_kind]

    @staticmethod
    def resolve_on_id(obj):
        return obj.development_request_id or obj.call_id or obj.need_id

    @staticmethod
    def resolve_asker(obj, context):
        seen = getattr(context["request"], _VIEWER, None)
        if seen is None or not seen.names_asker(obj):
            return None
        return {"name": obj.author.get_full_name() if obj.author_id else "", "organisation": obj.organisation}

    @staticmethod
    def resolve_answers(obj):
        return list(obj.answers.all())


class QuestionIn(Schema):
    body: str = Field(description="Markdown, at most 10,000 characters.")
    organisation: str | None = Field(
        None, max_length=100, description="The slug of the organisation you ask for. Left out: your only one."
    )


class QuestionAnswerIn(Schema):
    body: str = Field(description="Markdown, at most 10,000 characters.")


# --- Helpers ----------------------------------------------------------------------------------------------------


def _subject(request, kind: str, id: int, user):
    subject = getters.get_subject_for_user(user, kind, id)
    setattr(request, _VIEWER, getters.viewer(user, subject))
    return subject


def _question(request, id: int, user) -> Question:
    question = getters.get_question_for_user(user, id)
    setattr(request, _VIEWER, getters.viewer(user, question.subject))
    return question


# --- Endpoints --------------------------------------------------------------------------------------------------


def _list_endpoint(on: str, kind: str):
    def question_list(request, id: int):
        user = viewer(request)
        subject = _subject(request, kind, id, user)
        return getters.visible_questions(user, subject, seen=getattr(request, _VIEWER))

    question_list.__doc__ = LIST_DOC
    return router.get(
        f"{on}/{{id}}/questions",
        auth=None,
        response={200: list[QuestionOut], **PUBLIC_ERRORS},
        summary=f"Questions on {SUBJECT_NAMES[kind]}",
        operation_id=f"questions_on_{kind}",
        openapi_extra=OPTIONAL_TOKEN,
    )(paginate(LimitOffset)(question_list))


def _ask_endpoint(on: str, kind: str):
    def question_ask(request, id: int, payload: QuestionIn):
        user = request.auth
        subject = _subject(request, kind, id, user)
        organisation = None
        if payload.organisation is not None or roles_for(user).organisation_ids():
            organisation = organisation_for(
                user,
                payload.organisation,
                field="organisation",
                kinds=("authority", "supplier", "secretariat"),
                nobody=_("Choose on whose behalf you ask."),
            )
        question = services.question_ask(user=user, subject=subject, body=payload.body, organisation=organisation)
        return Status(201, _question(request, question.pk, user))

    question_ask.__doc__ = ASK_DOC
    return router.post(
        f"{on}/{{id}}/questions",
        response={201: QuestionOut, **ERRORS},
        summary=f"Ask a question on {SUBJECT_NAMES[kind]} (signed-in people)",
        operation_id=f"ask_on_{kind}",
    )(question_ask)


SUBJECT_NAMES = {"request": "a development request", "call": "a call for suppliers", "need": "a need"}
LIST_DOC = """The questions you may read, oldest first, with their answers: public ones for everyone who may see
    the request, call or need; on a call also the private ones of your organisation (the caller side and the
    secretariat: all of them). A draft request answers 404 to others than its requester."""
ASK_DOC = """On a call, a question from outside the caller side is private (fair tender). The asker follows the
    question and the people involved are told. `organisation` names the organisation you ask for when you have
    several. A draft request or a closed call: 403 with the reason; control characters or an empty body: 400."""

for _on, _kind in PATHS.items():
    _list_endpoint(_on, _kind)
    _ask_endpoint(_on, _kind)


@router.get(
    "questions/{id}",
    auth=None,
    response={200: QuestionOut, **PUBLIC_ERRORS},
    summary="One question",
    openapi_extra=OPTIONAL_TOKEN,
)
def question_detail(request, id: int):
    """404 when you may not read it (a private question of another bidder, a question on a draft)."""
    return _question(request, id, viewer(request))


@router.post("questions/{id}/answers", response={201: QuestionOut, **ERRORS}, summary="Answer a question")
def answer_create(request, id: int, payload: QuestionAnswerIn):
    """For the people involved: on a request the requester's and the chosen supplier's members, the product's
    coordination group and the secretariat; on a call the caller side; on a need the posting authority's
    members and the secretariat (403 for others). The question's followers are told. Answers the question."""
    user = request.auth
    question = _question(request, id, user)
    services.answer_create(user=user, question=question, body=payload.body)
    return Status(201, _question(request, id, user))


@router.post(
    "questions/{id}/answers/{answer_id}/accept",
    response={200: QuestionOut, **ERRORS},
    summary="Mark an answer as the answer",
)
def answer_accept(request, id: int, answer_id: int):
    """For the asker and the people involved. One answer per question is the answer; marking another unmarks
    the first."""
    user = request.auth
    question = _question(request, id, user)
    answer = get_object_or_404(Answer, pk=answer_id, question=question)
    answer.question = question
    services.answer_accept(user=user, answer=answer)
    return _question(request, id, user)


@router.post(
    "questions/{id}/publish",
    response={200: QuestionOut, **ERRORS},
    summary="Publish a bidder's private question to all bidders (the caller)",
)
def question_publish(request, id: int):
    """The caller side makes a private question on its call, with its answers, public to everyone who may see
    the call, without naming the asker. Cannot be undone; a public question is 400."""
    user = request.auth
    question = _question(request, id, user)
    if not question.is_private:
        raise ValidationError(_("The question is already public."))
    services.question_publish(user=user, question=question)
    return _question(request, id, user)
