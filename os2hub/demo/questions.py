"""Questions and answers: a bidder's private question on the open code-review call, answered and published to
all bidders, and one still waiting; a public question on a need, answered and marked as the answer; and a
question on a development request, answered by the requester. Made through the services, like a person would."""

from os2hub.accounts.models import User
from os2hub.development.models import DevelopmentRequest
from os2hub.needs.models import Call, Need
from os2hub.questions import services
from os2hub.questions.models import Answer, Question

NOTE = "\n\n*Demodata: spørgsmålet er fiktivt.*"


def _organisation(user):
    membership = user.memberships.select_related("organisation").order_by("organisation__name").first()
    return membership.organisation if membership else None


def load():
    coordinator = User.objects.get(email="koordinator@os2hub.example")
    supplier = User.objects.get(email="leverandoer@os2hub.example")
    supplier2 = User.objects.get(email="leverandoer2@os2hub.example")
    authority = User.objects.get(email="kommune@os2hub.example")
    authority2 = User.objects.get(email="kommune2@os2hub.example")

    call = Call.objects.filter(kind="code-review", status="open").order_by("pk").first()
    if call is not None:
        published = services.question_ask(
            user=supplier2,
            subject=call,
            organisation=_organisation(supplier2),
            body="Skal reviewet også omfatte de automatiske test af snitfladen, eller kun koden?" + NOTE,
        )
        services.answer_create(
            user=coordinator,
            question=published,
            body="Ja, testene er en del af reviewet. Vi ønsker især vurderet, om de dækker adgangsstyringen.",
        )
        services.question_publish(user=coordinator, question=published)
        services.question_ask(
            user=supplier,
            subject=call,
            organisation=_organisation(supplier),
            body="Kan vi få adgang til et testmiljø med realistiske data under reviewet?" + NOTE,
        )

    need = Need.objects.filter(title__startswith="Påmindelse om adgange").first()
    if need is not None:
        question = services.question_ask(
            user=authority2,
            subject=need,
            organisation=_organisation(authority2),
            body="Skal påmindelsen også gælde adgange, der er tildelt gennem grupper i AD?" + NOTE,
        )
        answer = services.answer_create(
            user=authority,
            question=question,
            body="Ja. Rollerne i OS2rollekatalog dækker begge dele, så påmindelsen bør vise dem samlet.",
        )
        services.answer_accept(user=authority2, answer=answer)

    request = (
        DevelopmentRequest.objects.exclude(status=DevelopmentRequest.Status.DRAFT)
        .filter(requester__memberships__user=authority)
        .order_by("pk")
        .first()
    )
    if request is not None:
        question = services.question_ask(
            user=supplier,
            subject=request,
            organisation=_organisation(supplier),
            body="Er der krav til, hvilke browsere løsningen skal understøtte?" + NOTE,
        )
        services.answer_create(
            user=authority,
            question=question,
            body="De to nyeste versioner af Edge, Chrome og Firefox, og Safari på iPad.",
        )


def summary() -> str:
    return f"{Question.objects.count()} questions, {Answer.objects.count()} answers"
