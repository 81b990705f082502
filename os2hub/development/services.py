"""The only writers of development requests: filing and qualifying, estimates, the two ways to pay (the requester
orders; or the coordination group opens funding and authorities pledge), delivery and acceptance. Every
transition is a step of the workflow table (workflow.py: from where, to where, who may), taken with
core.workflow.move (a compare-and-swap on the status, recorded as a RequestEvent) and told to the people involved.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from os2hub.accounts.models import Organisation, User
from os2hub.core.addresses import clean_links
from os2hub.core.mail import send_templated_mail_on_commit
from os2hub.core.money import format_dkk, plain_decimal
from os2hub.core.roles import is_admin, is_member, roles_for
from os2hub.core.text import check_text, text_errors
from os2hub.core.workflow import TransitionConflict, move
from os2hub.products.models import Group, GroupMember
from os2hub.suppliers.selectors import approved_partnership, published_rate

from . import getters
from .getters import ESTIMATING_COMPETENCE, LINKABLE, can_link, is_coordination, is_requester
from .models import DevelopmentRequest, Estimate, Pledge, RequestEvent, Sprint
from .workflow import (
    ACCEPT,
    DELIVER,
    ESTIMATE,
    OPEN_FUNDING,
    ORDER,
    PLEDGE,
    REJECT,
    REQUEST_WORKFLOW,
    SEND_BACK,
    START,
    SUBMIT,
    WITHDRAW,
)

Status = DevelopmentRequest.Status
Funding = DevelopmentRequest.Funding
ORE = Decimal("0.01")
MAX_DKK = Decimal("9999999999.99")
MAX_ITEMS = 30
MAX_ITEM_LENGTH = 1000
# "Som <rolle> ønsker jeg <behov>, således at jeg kan <værdi>" (and the English form of the same template).
USER_STORY = re.compile(
    r"^\s*(som\s+.+?\s+ønsker\s+jeg\s+.+?,?\s+således\s+at\s+jeg\s+kan\s+.+"
    r"|as\s+an?\s+.+?\s+i\s+want\s+.+?,?\s+so\s+that\s+(i\s+can\s+)?.+)$",
    re.IGNORECASE | re.DOTALL,
)


# --- Money ----------------------------------------------------------------------------------------------------


MAX_HOURS = Decimal("99999.99")


def _number(
    value,
    field: str,
    *,
    invalid: str,
    decimals: str,
    not_positive: str,
    too_large: str,
    most: Decimal,
    allow_zero=False,
) -> Decimal:
    """The one reading of amounts and hours: a plain number (ASCII digits, an optional point and decimals; see
    core/money.plain_decimal), in range before anything is rounded (quantize raises InvalidOperation on numbers
    with more digits than the decimal context holds), with at most two decimals."""
    number = plain_decimal(value)
    if number is None:
        raise ValidationError({field: [invalid]})
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationError({field: [not_positive]})
    if number > most:
        raise ValidationError({field: [too_large]})
    if number != number.quantize(ORE):
        raise ValidationError({field: [decimals]})
    return number.quantize(ORE)


def dkk(value, field: str, *, allow_zero=False) -> Decimal:
    """A DKK amount with at most two decimals (øre), positive (or zero when allowed), below a sane ceiling."""
    return _number(
        value,
        field,
        invalid=_("Enter an amount in kroner, for example 12500 or 12500.50."),
        decimals=_("An amount has at most two decimals (øre)."),
        not_positive=_("The amount must be more than 0 kr."),
        too_large=_("The amount is too large."),
        most=MAX_DKK,
        allow_zero=allow_zero,
    )


def hours_value(value, field: str = "hours") -> Decimal:
    """Hours of work (an estimate's, an offer's) with at most two decimals, more than 0, and what a column holds."""
    return _number(
        value,
        field,
        invalid=_("Enter the hours as a number, for example 37.5."),
        decimals=_("Hours have at most two decimals."),
        not_positive=_("The hours must be more than 0."),
        too_large=_("At most %(max)s hours.") % {"max": number_format(int(MAX_HOURS), force_grouping=True)},
        most=MAX_HOURS,
    )


# --- Events and e-mail ---------------------------------------------------------------------------------------


def _people(request) -> list[User]:
    """Those involved: the requester's members, the chosen supplier's members, the coordination group."""
    organisations = [request.requester_id]
    if request.chosen_estimate_id:
        organisations.append(request.chosen_estimate.supplier_id)
    coordination = GroupMember.objects.filter(group__product=request.product, group__kind=Group.Kind.COORDINATION)
    return list(
        User.objects.filter(Q(memberships__organisation__in=organisations) | Q(pk__in=coordination.values("user")))
        .distinct()
        .order_by("pk")
    )


def _moved(request, *, sources, to, actor, comment="", **fields) -> DevelopmentRequest:
    """Move the request with core.workflow.move (the compare-and-swap that writes the RequestEvent) and tell the
    people involved. Raises TransitionConflict when the request is no longer in one of the sources (someone else
    moved it first, or the step does not fit)."""
    # Every step's comment comes through here; it goes into the history and the e-mails.
    comment = comment or ""
    check_text({"comment": comment})

    def refusal(before):
        return _("The request cannot go from “%(status)s” to “%(to)s”.") % {
            "status": Status(before).label if before else "?",
            "to": Status(to).label,
        }

    with transaction.atomic():
        move(request, sources=sources, to=to, actor=actor, comment=comment[:5000], refusal=refusal, **fields)
        send_templated_mail_on_commit(
            template="development_request_moved",
            context={"development_request": request, "status": Status(to).label, "comment": comment},
            to=_people(request),
        )
    return request


def _take(name, request, actor, comment="", **fields) -> DevelopmentRequest:
    """Take the workflow's step: from its sources to its target."""
    step = REQUEST_WORKFLOW[name]
    return _moved(request, sources=step.sources, to=step.target, actor=actor, comment=comment, **fields)


def _expect(name, request) -> None:
    """A step that does not fit the request's state is a conflict (409), whoever asks: the state is public."""
    request.refresh_from_db(fields=["status"])
    if request.status not in REQUEST_WORKFLOW[name].sources:
        raise TransitionConflict(
            _("This step is not possible while the request is “%(status)s”.") % {"status": request.get_status_display()}
        )


def _may(name, request, user) -> None:
    """Who may take the step is the workflow table's answer (403 otherwise)."""
    if not REQUEST_WORKFLOW[name].who(roles_for(user), request):
        raise PermissionDenied


# --- Filing and qualifying ------------------------------------------------------------------------------------

TEXT_FIELDS = ("title", "description", "documentation_requirements")


def _clean(data: dict) -> dict:
    """Validate what a requester may write; returns the cleaned fields that were given."""
    errors, cleaned = {}, {}
    for name in TEXT_FIELDS:
        if name in data:
            value = data[name] if isinstance(data[name], str) else ""
            errors.update(text_errors({name: value}))
            limit = 200 if name == "title" else 20_000
            if len(value) > limit:
                errors[name] = [_("At most %(max)s characters.") % {"max": limit}]
            cleaned[name] = value.strip()
    for name in ("user_stories", "acceptance_criteria"):
        if name in data:
            items = data[name]
            # Checked before splitlines, which takes some control characters (\x1c-\x1e, \x85) for line breaks.
            refused = text_errors({name: items})
            if refused:
                errors.update(refused)
                continue
            if isinstance(items, str):
                items = items.splitlines()
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                errors[name] = [_("Give a list of texts.")]
                continue
            items = [" ".join(i.split()) for i in items if i.strip()]
            if len(items) > MAX_ITEMS or any(len(i) > MAX_ITEM_LENGTH for i in items):
                errors[name] = [
                    _("At most %(n)s items of at most %(max)s characters.") % {"n": MAX_ITEMS, "max": MAX_ITEM_LENGTH}
                ]
                continue
            if name == "user_stories":
                bad = [n for n, story in enumerate(items, 1) if not USER_STORY.match(story)]
                if bad:
                    errors[name] = [
                        _(
                            "User story %(n)s does not follow the form “Som ‹rolle› ønsker jeg ‹behov›, således at "
                            "jeg kan ‹værdi›”."
                        )
                        % {"n": n}
                        for n in bad
                    ]
                    continue
            cleaned[name] = items
    if "funding" in data:
        if data["funding"] not in ("", *Funding.values):
            errors["funding"] = [_("Choose who pays: the requester or the community.")]
        else:
            cleaned["funding"] = data["funding"]
    if errors:
        raise ValidationError(errors)
    return cleaned


def request_create(*, user, organisation, product, data: dict) -> DevelopmentRequest:
    """A draft, filed on behalf of an authority or supplier the user is a member of."""
    if organisation.kind not in (Organisation.Kind.AUTHORITY, Organisation.Kind.SUPPLIER):
        raise ValidationError({"organisation": [_("Development requests are filed by an authority or a supplier.")]})
    if not is_member(user, organisation):
        raise PermissionDenied
    cleaned = _clean(data)
    if not cleaned.get("title"):
        raise ValidationError({"title": [_("Give the request a title.")]})
    with transaction.atomic():
        request = DevelopmentRequest.objects.create(product=product, requester=organisation, created_by=user, **cleaned)
        RequestEvent.objects.create(request=request, from_status="", to_status=Status.DRAFT, actor=user)
    return request


def request_update(*, request, user, data: dict) -> DevelopmentRequest:
    """Change the request's text while it is a draft (the requester's members)."""
    if not is_requester(user, request):
        raise PermissionDenied
    cleaned = _clean(data)
    if "title" in cleaned and not cleaned["title"]:
        raise ValidationError({"title": [_("Give the request a title.")]})
    updated = DevelopmentRequest.objects.filter(pk=request.pk, status=Status.DRAFT).update(
        updated_at=timezone.now(), **cleaned
    )
    if not updated:
        raise TransitionConflict(_("Only a draft can be changed; this request has been submitted."))
    request.refresh_from_db()
    return request


def missing_for_submission(request) -> dict[str, list[str]]:
    """What keeps a draft from being submitted, by field (OS2's way of qualifying a request)."""
    missing = {}
    if not request.title:
        missing["title"] = [_("Give the request a title.")]
    if len(request.description.split()) < 5:
        missing["description"] = [_("Describe what is wanted, why, and who needs it.")]
    if not request.user_stories:
        missing["user_stories"] = [_("Write at least one user story.")]
    if not request.acceptance_criteria:
        missing["acceptance_criteria"] = [_("Write at least one testable acceptance criterion.")]
    if not request.documentation_requirements:
        missing["documentation_requirements"] = [_("Say what documentation the delivery must include.")]
    if not request.funding:
        missing["funding"] = [_("Choose who pays: the requester or the community.")]
    return missing


def request_submit(*, request, user) -> DevelopmentRequest:
    _may(SUBMIT, request, user)
    request.refresh_from_db()
    missing = missing_for_submission(request)
    if missing:
        raise ValidationError(missing)
    return _take(SUBMIT, request, user, submitted_at=timezone.now())


# --- Estimates ------------------------------------------------------------------------------------------------

ESTIMATE_TEXTS = ("start_conditions", "critical_integrations", "code_location", "reviewer")


def estimate_save(*, request, user, supplier, data: dict) -> Estimate:
    """A supplier partner's estimate (a second one from the same supplier replaces the first while the request
    waits for a choice). The first estimate moves a submitted request to estimated. The returned estimate's
    `created` says whether this call made it (False: it replaced the supplier's earlier one)."""
    if not is_member(user, supplier):
        raise PermissionDenied
    application = approved_partnership(supplier, ESTIMATING_COMPETENCE)
    if application is None:
        raise ValidationError(
            {"supplier": [_("Only approved supplier partners offering software development can estimate.")]}
        )
    errors = {}
    try:
        hours = hours_value(data.get("hours"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        hours = None
    rate = data.get("hourly_rate_dkk")
    if rate in (None, ""):
        rate = published_rate(application, ESTIMATING_COMPETENCE)
        if rate is None:
            errors["hourly_rate_dkk"] = [_("Publish an hourly rate for software development, or give one here.")]
    else:
        try:
            rate = dkk(rate, "hourly_rate_dkk")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    fixed = data.get("fixed_price_dkk")
    review_cost = data.get("review_cost_dkk")
    try:
        fixed = dkk(fixed, "fixed_price_dkk") if fixed not in (None, "") else None
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        review_cost = dkk(review_cost, "review_cost_dkk", allow_zero=True) if review_cost not in (None, "") else None
    except ValidationError as exc:
        errors.update(exc.message_dict)
    texts = {}
    for name in ESTIMATE_TEXTS:
        value = data.get(name) or ""
        if not isinstance(value, str) or len(value) > 5000:
            errors[name] = [_("Text of at most %(max)s characters.") % {"max": 5000}]
        elif refused := text_errors({name: value}):
            errors.update(refused)
        else:
            texts[name] = value.strip()
    valid_until = data.get("valid_until")
    if valid_until and valid_until < timezone.localdate():
        errors["valid_until"] = [_("An offer cannot have expired already.")]
    if errors:
        raise ValidationError(errors)
    price = fixed if fixed is not None else (hours * rate).quantize(ORE, rounding=ROUND_HALF_UP)
    if price <= 0 or price > MAX_DKK:
        raise ValidationError({"hours": [_("The price must be more than 0 kr.")]})
    with transaction.atomic():
        locked = DevelopmentRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in REQUEST_WORKFLOW[ESTIMATE].sources:
            raise TransitionConflict(_("Estimates are given while a request is submitted or estimated."))
        estimate, created = Estimate.objects.update_or_create(
            request=locked,
            supplier=supplier,
            defaults={
                "hours": hours,
                "hourly_rate_dkk": rate,
                "fixed_price_dkk": fixed,
                "price_dkk": price,
                "review_cost_dkk": review_cost,
                "valid_until": valid_until or None,
                "created_by": user,
                **texts,
            },
        )
        if locked.status == Status.SUBMITTED:
            _moved(locked, sources=(Status.SUBMITTED,), to=Status.ESTIMATED, actor=user)
        request.refresh_from_db()
    # Decided under the request's lock, so of simultaneous first estimates exactly one is the one that created.
    estimate.created = created
    return estimate


def _estimate_of(request, estimate) -> Estimate:
    if estimate is None or estimate.request_id != request.pk:
        raise ValidationError({"estimate": [_("Choose one of the request's estimates.")]})
    if estimate.valid_until and estimate.valid_until < timezone.localdate():
        raise ValidationError({"estimate": [_("That offer has expired; ask the supplier for a new one.")]})
    return estimate


# --- Paying: the requester orders, or the community funds -------------------------------------------------------


def request_order(*, request, user, estimate) -> DevelopmentRequest:
    """Requester pays: the requester chooses an estimate and orders it."""
    _expect(ORDER, request)
    _may(ORDER, request, user)
    if request.funding != Funding.REQUESTER:
        raise TransitionConflict(_("The community pays for this request: it is ordered when it is funded."))
    estimate = _estimate_of(request, estimate)
    return _take(ORDER, request, user, chosen_estimate=estimate, price_dkk=estimate.price_dkk)


def funding_open(*, request, user, estimate, comment="") -> DevelopmentRequest:
    """Community pays: the coordination group prioritises the request and opens funding at an estimate's price."""
    _expect(OPEN_FUNDING, request)
    _may(OPEN_FUNDING, request, user)
    if request.funding != Funding.COMMUNITY:
        raise TransitionConflict(_("The requester pays for this request: the requester orders it."))
    estimate = _estimate_of(request, estimate)
    return _take(OPEN_FUNDING, request, user, comment, chosen_estimate=estimate, price_dkk=estimate.price_dkk)


def pledge_create(*, request, user, organisation, amount) -> Pledge:
    """An authority's admin pledges an amount; an authority may pledge more than once, each pledge its own row.
    One conditional UPDATE adds it to the request's total only while the request is open for funding and the
    total stays at or below the price, so concurrent pledges can never pass the need (TransitionConflict names
    what remains); the pledge that completes it orders the request."""
    if organisation.kind != Organisation.Kind.AUTHORITY:
        raise ValidationError({"organisation": [_("Authorities pledge; suppliers estimate.")]})
    if not is_admin(user, organisation):
        raise PermissionDenied
    refusal = getters.pledge_refusal(user, organisation)
    if refusal:
        # An authority that registered itself pledges once the secretariat has confirmed it.
        raise ValidationError({"organisation": [refusal]})
    amount = dkk(amount, "amount_dkk")
    with transaction.atomic():
        added = DevelopmentRequest.objects.filter(
            pk=request.pk, status__in=REQUEST_WORKFLOW[PLEDGE].sources, pledged_dkk__lte=F("price_dkk") - amount
        ).update(pledged_dkk=F("pledged_dkk") + amount, updated_at=timezone.now())
        if not added:
            current = DevelopmentRequest.objects.get(pk=request.pk)
            if current.status != Status.FUNDING:
                raise TransitionConflict(_("The request is not open for funding."))
            # A conflict with the state of the request (what others pledged), not bad input.
            raise TransitionConflict(
                _("The pledge was refused: only %(remaining)s is still needed. Pledge at most that.")
                % {"remaining": format_dkk(current.remaining_dkk)}
            )
        pledge = Pledge.objects.create(request=request, organisation=organisation, amount_dkk=amount, created_by=user)
        funded = DevelopmentRequest.objects.filter(
            pk=request.pk, status=Status.FUNDING, pledged_dkk=F("price_dkk")
        ).exists()
        if funded:
            _moved(
                request,
                sources=(Status.FUNDING,),
                to=Status.ORDERED,
                actor=user,
                comment=_("Fully funded by the community."),
            )
    request.refresh_from_db()
    return pledge


def pledge_withdraw(*, pledge, user) -> Pledge:
    """The pledging authority's admin withdraws a pledge until the request is funded."""
    if not is_admin(user, pledge.organisation):
        raise PermissionDenied
    with transaction.atomic():
        taken = Pledge.objects.filter(pk=pledge.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=user
        )
        if not taken:
            raise TransitionConflict(_("The pledge has been withdrawn already."))
        released = DevelopmentRequest.objects.filter(pk=pledge.request_id, status=Status.FUNDING).update(
            pledged_dkk=F("pledged_dkk") - pledge.amount_dkk, updated_at=timezone.now()
        )
        if not released:
            raise TransitionConflict(_("The request is funded; pledges can no longer be withdrawn."))
    pledge.refresh_from_db()
    return pledge


# --- Delivery -------------------------------------------------------------------------------------------------


def request_start(*, request, user, sprint=None, comment="") -> DevelopmentRequest:
    _expect(START, request)
    _may(START, request, user)
    if sprint is not None and sprint.product_id != request.product_id:
        raise ValidationError({"sprint": [_("Choose a sprint of the request's product.")]})
    fields = {"sprint": sprint} if sprint is not None else {}
    return _take(START, request, user, comment, **fields)


def request_deliver(*, request, user, comment="") -> DevelopmentRequest:
    _expect(DELIVER, request)
    _may(DELIVER, request, user)
    return _take(DELIVER, request, user, comment)


def request_accept(*, request, user, checklist: list[bool], comment="") -> DevelopmentRequest:
    """Accept a delivery against its acceptance checklist: every criterion must be met."""
    _expect(ACCEPT, request)
    _may(ACCEPT, request, user)
    if len(checklist) != len(request.acceptance_criteria) or not all(checklist):
        raise ValidationError(
            {"acceptance_results": [_("Every acceptance criterion must be met to accept; otherwise send it back.")]}
        )
    return _take(ACCEPT, request, user, comment, acceptance_results=[True] * len(checklist))


def request_send_back(*, request, user, comment) -> DevelopmentRequest:
    _expect(SEND_BACK, request)
    _may(SEND_BACK, request, user)
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say what is missing, so the supplier can finish it.")]})
    return _take(SEND_BACK, request, user, comment)


def request_reject(*, request, user, comment) -> DevelopmentRequest:
    _expect(REJECT, request)
    _may(REJECT, request, user)
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Give the reason for rejecting the request.")]})
    return _take(REJECT, request, user, comment)


def request_withdraw(*, request, user, comment="") -> DevelopmentRequest:
    """The requester withdraws the request before it is ordered; pledges made to it are released."""
    _may(WITHDRAW, request, user)
    with transaction.atomic():
        request = _take(WITHDRAW, request, user, comment, pledged_dkk=Decimal("0"))
        Pledge.objects.filter(request=request, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=user
        )
    return request


JIRA_KEY = re.compile(r"^[A-Z][A-Z0-9_]{1,9}-\d{1,7}$")
MAX_LINKS = 20


def request_links_set(*, request, user, links) -> DevelopmentRequest:
    """Where the work happens: issue and pull request addresses (public https) or Jira keys (OS2MO-123). The
    requester, the chosen supplier and the coordination group keep them; the list replaces the old one."""
    if not can_link(user, request):
        raise PermissionDenied
    cleaned = clean_links(
        links,
        field="work_links",
        most=MAX_LINKS,
        refusal=_("%(link)s is neither a public https address nor a Jira key such as OS2MO-123."),
        accept=JIRA_KEY.match,
    )
    updated = DevelopmentRequest.objects.filter(pk=request.pk, status__in=LINKABLE).update(
        work_links=cleaned, updated_at=timezone.now()
    )
    if not updated:
        raise TransitionConflict(_("Links to the work are kept once the request has been estimated."))
    request.refresh_from_db()
    return request


def sprint_create(*, product, user, name, starts_on, ends_on) -> Sprint:
    if not is_coordination(user, product):
        raise PermissionDenied
    if not name or not name.strip():
        raise ValidationError({"name": [_("Give the sprint a name.")]})
    check_text({"name": name}, single_line=("name",))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("A sprint ends on or after the day it starts.")]})
    try:
        with transaction.atomic():
            return Sprint.objects.create(product=product, name=name.strip()[:100], starts_on=starts_on, ends_on=ends_on)
    except IntegrityError:
        raise ValidationError({"name": [_("The product has a sprint with that name already.")]}) from None
