"""The only writers of needs, co-signs, pitches, calls, offers and donations (rule 1). The steps of a need and a
call are declared once in workflow.py: each service asks it who may act (`check_who`) and moves along its steps'
sources and targets under a lock (core.workflow.move for a need), so a step that no longer fits raises
TransitionConflict (409 in the API, a message on the pages); bad input raises ValidationError by field and leaves
the data as it was."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from os2hub.accounts.models import Organisation, User
from os2hub.core.addresses import clean_links, validate_public_url
from os2hub.core.mail import send_templated_mail_on_commit
from os2hub.core.roles import is_member
from os2hub.core.text import check_text
from os2hub.core.workflow import TransitionConflict, move
from os2hub.development import services as development
from os2hub.products.models import Group, GroupMember, Product, Repository, validate_https_repository
from os2hub.products.search import index_products
from os2hub.products.services import product_slug
from os2hub.scanner import spdx
from os2hub.suppliers.selectors import approved_partnership, published_rate

from . import getters
from . import workflow as steps
from .models import (
    KIND_COMPETENCES,
    OPEN_NEED,
    Call,
    CoSign,
    DigestSubscription,
    Donation,
    Follow,
    Need,
    NeedEvent,
    Offer,
    Pitch,
)

NeedStatus = Need.Status
ORE = development.ORE
MAX_DKK = development.MAX_DKK
MAX_LINKS = 10
NEED_TEXT = ("title", "problem", "who_has_it", "current_solutions", "desired_outcome", "rough_value")
SINGLE_LINE = ("title", "rough_value", "name", "licence", "note")
# The long texts' limits (the forms' too): a need's texts together fit a development request's description.
MAX_CHARS = {
    "problem": 10_000,
    "who_has_it": 2_000,
    "current_solutions": 2_000,
    "desired_outcome": 5_000,
    "description": 10_000,
    "text": 10_000,
    "approach": 10_000,
    "team": 5_000,
    "users": 2_000,
}


# --- Offers' competences -----------------------------------------------------------------------------------------


def matching_competences(application, kind) -> list[str]:
    """The supplier's competences that answer a call of this kind, in KIND_COMPETENCES' order (the first with a
    published rate prices the offer)."""
    keys = set(application.competences.values_list("key", flat=True)) if application else set()
    return [key for key in KIND_COMPETENCES[Call.Kind(kind)] if key in keys]


# --- Input ----------------------------------------------------------------------------------------------------


def _text(data: dict, fields, *, required=()) -> dict:
    """The given text fields, trimmed; None is empty. A line break inside a one-line field is refused, not
    flattened (the house rule of web/text.py), so it is checked before runs of spaces are collapsed."""
    cleaned = {}
    for field in fields:
        if field in data:
            cleaned[field] = str(data[field] if data[field] is not None else "").strip()
    check_text(cleaned, single_line=SINGLE_LINE)
    too_long = {
        field: [
            _("Keep it under %(count)s characters.") % {"count": number_format(MAX_CHARS[field], force_grouping=True)}
        ]
        for field in cleaned
        if field in MAX_CHARS and len(cleaned[field]) > MAX_CHARS[field]
    }
    if too_long:
        raise ValidationError(too_long)
    for field in SINGLE_LINE:
        if field in cleaned:
            cleaned[field] = " ".join(cleaned[field].split())
    errors = {f: [_("This field is required.")] for f in required if not cleaned.get(f)}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _amount(value, field) -> Decimal | None:
    """An optional DKK amount: empty is None, anything else as development requests take money (øre, > 0)."""
    return None if value in (None, "") else development.dkk(value, field)


def _links(links) -> list[str]:
    return clean_links(links, field="links", most=MAX_LINKS, refusal=_("%(link)s is not a public https address."))


def _url(path: str) -> str:
    return settings.SITE_URL + path


# --- Needs ----------------------------------------------------------------------------------------------------


def need_create(*, user, organisation, data: dict, category=None) -> Need:
    """An authority member posts a need. Suppliers pitch instead; they do not post needs."""
    if organisation is None or organisation.kind != Organisation.Kind.AUTHORITY:
        raise PermissionDenied(_("Needs are posted by members of an authority."))
    if not is_member(user, organisation):
        raise PermissionDenied(_("Needs are posted by members of an authority."))
    cleaned = _text(data, NEED_TEXT, required=("title", "problem", "desired_outcome"))
    need = Need(organisation=organisation, created_by=user, category=category, **cleaned)
    need.full_clean(exclude=["organisation", "created_by", "category", "product", "development_request"])
    with transaction.atomic():
        need.save()
        NeedEvent.objects.create(need=need, to_status=NeedStatus.OPEN, actor=user)
        Follow.objects.get_or_create(need=need, user=user)
    return need


def need_update(*, need, user, data: dict, category=None) -> Need:
    if not getters.is_need_owner(user, need):
        raise PermissionDenied
    cleaned = _text(data, NEED_TEXT, required=("title", "problem", "desired_outcome"))
    # The same field checks as a new need (lengths): the update below writes without the model's validation.
    Need(organisation_id=need.organisation_id, category=category, **cleaned).full_clean(
        exclude=["organisation", "created_by", "category", "product", "development_request"]
    )
    updated = Need.objects.filter(pk=need.pk, status__in=OPEN_NEED).update(
        category=category, updated_at=timezone.now(), **cleaned
    )
    if not updated:
        raise TransitionConflict(_("Only an open need can be changed."))
    need.refresh_from_db()
    return need


def need_cosign(*, need, user, organisation, note="") -> CoSign:
    """ "Vi har også dette behov": another authority, once, while the need is open."""
    if organisation is None:
        raise PermissionDenied(_("Needs are co-signed by members of an authority."))
    steps.check_who(steps.COSIGN, need, user, organisation=organisation)
    note = _text({"note": note}, ("note",))["note"]
    if len(note) > 500:
        raise ValidationError({"note": [_("Keep the note under 500 characters.")]})
    try:
        with transaction.atomic():
            sources = steps.NEED_WORKFLOW[steps.COSIGN].sources
            if not Need.objects.select_for_update().filter(pk=need.pk, status__in=sources).exists():
                raise TransitionConflict(steps.state_message(steps.COSIGN, need))
            cosign = CoSign.objects.create(need=need, organisation=organisation, created_by=user, note=note)
            Follow.objects.get_or_create(need=need, user=user)
    except IntegrityError:
        raise TransitionConflict(_("%(name)s has already co-signed this need.") % {"name": organisation.name}) from None
    _tell_need(need, "needs_need_cosigned", {"organisation": organisation}, exclude=user)
    return cosign


def need_uncosign(*, need, user, organisation) -> None:
    steps.check_who(steps.UNCOSIGN, need, user, organisation=organisation)
    deleted, _rows = CoSign.objects.filter(need=need, organisation=organisation).delete()
    if not deleted:
        raise TransitionConflict(_("%(name)s has not co-signed this need.") % {"name": organisation.name})


def need_follow(*, need, user) -> None:
    if not user.is_authenticated:
        raise PermissionDenied
    Follow.objects.get_or_create(need=need, user=user)


def need_unfollow(*, need, user) -> None:
    if not user.is_authenticated:
        raise PermissionDenied
    Follow.objects.filter(need=need, user=user).delete()


def _members(organisations) -> list[User]:
    """The people who are members of `organisations` (a queryset of organisations or of their pks), as recipients
    of mail in their own language."""
    return list(User.objects.filter(memberships__organisation__in=organisations).distinct().order_by("pk"))


def _need_people(need, exclude=None) -> list[User]:
    """Those who hear of a need: its followers and the posting authority's members, but not the one who acted."""
    people = User.objects.filter(
        Q(pk__in=Follow.objects.filter(need=need).values("user")) | Q(memberships__organisation=need.organisation_id)
    ).distinct()
    if exclude is not None and exclude.is_authenticated:
        people = people.exclude(email=exclude.email)
    return list(people.order_by("pk"))


def _tell_need(need, template, context, exclude=None) -> None:
    send_templated_mail_on_commit(
        template=template,
        context={"need": need, "link": _url(reverse("needs:detail", args=[need.pk])), **context},
        to=_need_people(need, exclude=exclude),
    )


def _move_need(need, step: str, user, comment="", **fields) -> Need:
    """Take one of the workflow's steps that move the need (core.workflow.move locks the row, compares the status
    with the step's sources and records the step), and tell the need's people."""
    declared = steps.NEED_WORKFLOW[step]
    move(
        need,
        sources=declared.sources,
        to=declared.target,
        actor=user,
        comment=comment,
        refusal=lambda before: steps.state_message(step, need, before or need.status),
        **fields,
    )
    _tell_need(need, "needs_need_moved", {"comment": comment}, exclude=user)
    return need


def need_clarify(*, need, user, comment="") -> Need:
    steps.check_who(steps.CLARIFY, need, user)
    with transaction.atomic():
        return _move_need(need, steps.CLARIFY, user, _comment(comment))


def need_to_product(*, need, user, product, comment="") -> Need:
    steps.check_who(steps.TO_PRODUCT, need, user)
    if product is None:
        raise ValidationError({"product": [_("Choose the product the need became.")]})
    with transaction.atomic():
        return _move_need(need, steps.TO_PRODUCT, user, _comment(comment), product=product)


def need_to_request(*, need, user, product, comment="") -> Need:
    """A draft development request on an existing product, prefilled from the need and filed on behalf of the
    posting authority (so by one of its members)."""
    steps.check_who(steps.TO_REQUEST, need, user)
    if product is None:
        raise ValidationError({"product": [_("Choose the product the request is for.")]})
    description = "\n\n".join(
        part
        for part in (
            need.problem,
            f"**{_('Who has it')}:** {need.who_has_it}" if need.who_has_it else "",
            f"**{_('What exists today')}:** {need.current_solutions}" if need.current_solutions else "",
            f"**{_('Desired outcome')}:** {need.desired_outcome}",
            _("From the need %(url)s") % {"url": _url(reverse("needs:detail", args=[need.pk]))},
        )
        if part
    )
    with transaction.atomic():
        # Locked first, so two clicks make one draft.
        sources = steps.NEED_WORKFLOW[steps.TO_REQUEST].sources
        if not Need.objects.select_for_update().filter(pk=need.pk, status__in=sources).exists():
            raise TransitionConflict(steps.state_message(steps.TO_REQUEST, need))
        draft = development.request_create(
            user=user,
            organisation=need.organisation,
            product=product,
            data={"title": need.title, "description": description},
        )
        return _move_need(need, steps.TO_REQUEST, user, _comment(comment), development_request=draft, product=product)


def need_to_tender(*, need, user, tender_url: str, comment="") -> Need:
    steps.check_who(steps.TO_TENDER, need, user)
    tender_url = (tender_url or "").strip()
    try:
        validate_public_url(tender_url)
        if not tender_url.startswith("https://") or len(tender_url) > 500:
            raise ValidationError("https")
    except ValidationError:
        raise ValidationError(
            {"tender_url": [_("Give the public https address of the tender notice (for example on udbud.dk).")]}
        ) from None
    with transaction.atomic():
        return _move_need(need, steps.TO_TENDER, user, _comment(comment), tender_url=tender_url)


def need_close(*, need, user, comment="") -> Need:
    steps.check_who(steps.CLOSE, need, user)
    comment = _comment(comment)
    if not comment:
        raise ValidationError({"comment": [_("Say why the need is closed.")]})
    with transaction.atomic():
        return _move_need(need, steps.CLOSE, user, comment)


def _comment(comment) -> str:
    comment = str(comment or "").strip()
    check_text({"comment": comment})
    if len(comment) > 2000:
        raise ValidationError({"comment": [_("Keep the comment under 2,000 characters.")]})
    return comment


# --- Pitches --------------------------------------------------------------------------------------------------


def pitch_create(*, user, supplier, data: dict, need=None) -> Pitch:
    if not is_member(user, supplier):
        raise PermissionDenied(_("Pitches are made by members of a supplier partner."))
    if approved_partnership(supplier) is None:
        raise PermissionDenied(_("Only approved supplier partners pitch solutions."))
    cleaned = _text(data, ("title", "text"), required=("title", "text"))
    links = _links(data.get("links"))
    pitch = Pitch(
        supplier=supplier,
        created_by=user,
        need=need,
        links=links,
        wants_meeting=bool(data.get("wants_meeting")),
        wants_event=bool(data.get("wants_event")),
        **cleaned,
    )
    pitch.full_clean(exclude=["supplier", "created_by", "need", "marked_by"])
    with transaction.atomic():
        if need is not None and not Need.objects.select_for_update().filter(pk=need.pk, status__in=OPEN_NEED).exists():
            raise TransitionConflict(_("Pitches are made to open needs."))
        pitch.save()
    if need is not None:
        _tell_need(need, "needs_pitch_received", {"pitch": pitch})
    return pitch


def pitch_mark_for_meeting(*, pitch, user) -> Pitch:
    """The secretariat puts a pitch on a community meeting's agenda, once, and tells the supplier."""
    if not getters.can_mark_pitches(user):
        raise PermissionDenied
    updated = Pitch.objects.filter(pk=pitch.pk, marked_for_meeting_at__isnull=True).update(
        marked_for_meeting_at=timezone.now(), marked_by=user
    )
    if not updated:
        raise TransitionConflict(_("The pitch is already marked for a community meeting."))
    pitch.refresh_from_db()
    send_templated_mail_on_commit(
        template="needs_pitch_marked_for_meeting", context={"pitch": pitch}, to=_members([pitch.supplier_id])
    )
    return pitch


# --- Calls and offers -----------------------------------------------------------------------------------------


def caller_choices(user, product=None) -> list[tuple[str, str, object]]:
    """On whose behalf the user may call: (key, name, group or organisation). The product's coordination group
    (its members), the secretariat, or an authority the user is a member of."""
    if not user.is_authenticated:
        return []
    choices = []
    if product is not None:
        group = Group.objects.filter(product=product, kind=Group.Kind.COORDINATION, members__user=user).first()
        if group is not None:
            choices.append(("group", f"{group.name} ({product.name})", group))
    for organisation in Organisation.objects.filter(
        memberships__user=user, kind__in=(Organisation.Kind.SECRETARIAT, Organisation.Kind.AUTHORITY)
    ).order_by("kind", "name"):
        choices.append((organisation.slug, organisation.name, organisation))
    return choices


def call_create(*, user, data: dict, caller: str = "", product=None, need=None) -> Call:
    if product is None and need is None:
        raise ValidationError({"product": [_("A call is for a product or a need.")]})
    choices = {key: value for key, _name, value in caller_choices(user, product)}
    if not choices:
        raise PermissionDenied(_("Calls are made by a coordination group, the secretariat or an authority."))
    if need is not None and not need.is_open:
        raise TransitionConflict(_("Calls are made for open needs."))
    chosen = choices.get(caller) if caller else next(iter(choices.values()))
    if chosen is None:
        raise ValidationError({"caller": [_("You cannot call on behalf of %(caller)s.") % {"caller": caller}]})
    cleaned = _text(data, ("title", "description"), required=("title", "description"))
    kind = data.get("kind")
    if kind not in Call.Kind.values:
        raise ValidationError({"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(Call.Kind.values)}]})
    deadline = data.get("deadline")
    if not deadline:
        raise ValidationError({"deadline": [_("Give a deadline for offers.")]})
    if isinstance(deadline, str):  # an ISO date from the API or a script, as the other services take dates
        try:
            deadline = date.fromisoformat(deadline.strip())
        except ValueError:
            raise ValidationError({"deadline": [_("Enter the deadline as a date, for example 2026-03-31.")]}) from None
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": [_("The deadline cannot be in the past.")]})
    budget_min = _amount(data.get("budget_min_dkk"), "budget_min_dkk")
    budget_max = _amount(data.get("budget_max_dkk"), "budget_max_dkk")
    if budget_min and budget_max and budget_min > budget_max:
        raise ValidationError({"budget_max_dkk": [_("The budget's upper limit is below its lower limit.")]})
    call = Call(
        kind=kind,
        product=product,
        need=need,
        group=chosen if isinstance(chosen, Group) else None,
        organisation=chosen if isinstance(chosen, Organisation) else None,
        created_by=user,
        deadline=deadline,
        budget_min_dkk=budget_min,
        budget_max_dkk=budget_max,
        **cleaned,
    )
    call.full_clean(exclude=["product", "need", "group", "organisation", "created_by", "awarded_offer"])
    call.save()
    return call


def offer_save(*, call, user, supplier, data: dict) -> Offer:
    """An approved partner with a competence matching the call's kind offers until the deadline; a second offer
    from the same supplier replaces its first. Price: a fixed `price_dkk`, or `hours` at the published rate of
    the matching competence (or `hourly_rate_dkk` given)."""
    steps.check_who(steps.OFFER, call, user, supplier=supplier)
    application = approved_partnership(supplier)
    competences = matching_competences(application, call.kind)
    cleaned = _text(data, ("approach", "team"), required=("approach",))
    errors = {}
    fixed = hours = rate = None
    try:
        fixed = _amount(data.get("price_dkk"), "price_dkk")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        hours = _hours(data.get("hours"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        rate = _amount(data.get("hourly_rate_dkk"), "hourly_rate_dkk") or published_rate(application, competences)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors and fixed is None and hours is None:
        errors["price_dkk"] = [_("Give a fixed price, or the hours at your hourly rate.")]
    if not errors and fixed is None and rate is None:
        errors["hourly_rate_dkk"] = [_("Publish an hourly rate for this competence, or give one here.")]
    if errors:
        raise ValidationError(errors)
    # Rounded as development estimates are (half up), and refused in words when it comes to 0 kr. (tiny hours
    # at a tiny or 0 kr. rate): the database's offer_price_positive would otherwise raise an IntegrityError.
    price = fixed if fixed is not None else (hours * rate).quantize(ORE, rounding=ROUND_HALF_UP)
    if price <= 0:
        raise ValidationError({"hours": [_("The amount must be more than 0 kr.")]})
    if price > MAX_DKK:
        raise ValidationError({"hours": [_("The amount is too large.")]})
    with transaction.atomic():
        # The call's row is locked: an offer and the award never cross.
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if not steps.offers_open(locked):
            raise TransitionConflict(steps.state_message(steps.OFFER, locked))
        offer, created = Offer.objects.update_or_create(
            call=call,
            supplier=supplier,
            defaults={
                "created_by": user,
                "hours": hours,
                "hourly_rate_dkk": rate,
                "fixed_price_dkk": fixed,
                "price_dkk": price,
                **cleaned,
            },
        )
    send_templated_mail_on_commit(
        template="needs_offer_received",
        context={"call": call, "supplier": supplier, "url": _url(reverse("needs:call", args=[call.pk]))},
        to=_callers(call),
    )
    # Decided under the call's lock: of simultaneous first offers exactly one is the one that created.
    offer.created = created
    return offer


def _hours(value) -> Decimal | None:
    return None if value in (None, "") else development.hours_value(value)


def _callers(call) -> list[User]:
    """The group's members when a group made the call, otherwise the calling organisation's."""
    if call.group_id:
        return list(
            User.objects.filter(pk__in=GroupMember.objects.filter(group_id=call.group_id).values("user")).order_by("pk")
        )
    return _members([call.organisation_id])


def call_award(*, call, user, offer) -> Call:
    """The caller awards one offer, once. The award is public; the winner and the others are told."""
    steps.check_who(steps.AWARD, call, user)
    if offer is None or offer.call_id != call.pk:
        raise ValidationError({"offer": [_("Choose one of the call's offers.")]})
    award = steps.CALL_WORKFLOW[steps.AWARD]
    with transaction.atomic():
        updated = Call.objects.filter(pk=call.pk, status__in=award.sources).update(
            status=award.target, awarded_offer=offer, awarded_at=timezone.now()
        )
        if not updated:
            current = Call.objects.values_list("status", flat=True).get(pk=call.pk)
            raise TransitionConflict(steps.state_message(steps.AWARD, call, current))
    call.refresh_from_db()
    url = _url(reverse("needs:call", args=[call.pk]))
    send_templated_mail_on_commit(
        template="needs_call_won",
        context={"call": call, "offer": offer, "url": url},
        to=_members([offer.supplier_id]),
    )
    send_templated_mail_on_commit(
        template="needs_call_awarded_to_another",
        context={"call": call, "url": url},
        to=_members(call.offers.exclude(pk=offer.pk).values("supplier")),
    )
    return call


def call_cancel(*, call, user, reason="") -> Call:
    steps.check_who(steps.CANCEL, call, user)
    cancel = steps.CALL_WORKFLOW[steps.CANCEL]
    updated = Call.objects.filter(pk=call.pk, status__in=cancel.sources).update(status=cancel.target)
    if not updated:
        raise TransitionConflict(steps.state_message(steps.CANCEL, call))
    call.refresh_from_db()
    send_templated_mail_on_commit(
        template="needs_call_cancelled",
        context={"call": call, "reason": _comment(reason) if reason else ""},
        to=_members(call.offers.values("supplier")),
    )
    return call


# --- Donations ------------------------------------------------------------------------------------------------


def donation_create(*, user, organisation, data: dict) -> Donation:
    if organisation is None or organisation.kind != Organisation.Kind.AUTHORITY or not is_member(user, organisation):
        raise PermissionDenied(_("Solutions are donated by members of an authority."))
    cleaned = _text(
        data, ("name", "repository_url", "licence", "description", "users"), required=("name", "description", "users")
    )
    errors = {}
    url = cleaned.get("repository_url", "")
    try:
        validate_https_repository(url)
    except ValidationError as exc:
        errors["repository_url"] = exc.messages
    licence = spdx.canonical(cleaned.get("licence", "")) if cleaned.get("licence") else None
    if licence is None:
        errors["licence"] = [_("Give the licence as an SPDX id, for example MPL-2.0 or EUPL-1.2.")]
    elif not spdx.osi_approved(licence):
        errors["licence"] = [_("%(licence)s is not an open-source licence approved by the OSI.") % {"licence": licence}]
    if errors:
        raise ValidationError(errors)
    cleaned["licence"] = licence
    donation = Donation(organisation=organisation, created_by=user, **cleaned)
    donation.full_clean(exclude=["organisation", "created_by", "product", "decided_by"])
    donation.save()
    send_templated_mail_on_commit(
        template="needs_donation_offered",
        context={"donation": donation, "url": _url(reverse("needs:donation", args=[donation.pk]))},
        to=_members(Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT)),
    )
    return donation


def donation_accept(*, donation, user) -> Product:
    """The secretariat turns the donation into a sandbox product in the catalogue, with its repository."""
    if not getters.can_decide_donations(user):
        raise PermissionDenied
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        if locked.status != Donation.Status.OFFERED:
            raise TransitionConflict(_("The donation has already been decided."))
        summary = " ".join(locked.description.split())
        product = Product(
            name=locked.name,
            slug=product_slug(locked.name),
            summary=summary[:297] + "..." if len(summary) > 300 else summary,
            purpose=locked.description,
            target_group=locked.users,
            licence=locked.licence,
            status=Product.Status.SANDBOX,
        )
        product.full_clean()
        product.save()
        Repository.objects.create(product=product, url=locked.repository_url)
        # The catalogue finds the new product by the words of its texts, like one made on its page.
        index_products(Product.objects.filter(pk=product.pk))
        Donation.objects.filter(pk=locked.pk).update(
            status=Donation.Status.ACCEPTED, product=product, decided_by=user, decided_at=timezone.now()
        )
    donation.refresh_from_db()
    send_templated_mail_on_commit(
        template="needs_donation_accepted",
        context={"donation": donation, "url": _url(product.get_absolute_url())},
        to=_members([donation.organisation_id]),
    )
    return product


def donation_decline(*, donation, user, reason: str) -> Donation:
    if not getters.can_decide_donations(user):
        raise PermissionDenied
    reason = _comment(reason)
    if not reason:
        raise ValidationError({"reason": [_("Say why the donation is declined.")]})
    updated = Donation.objects.filter(pk=donation.pk, status=Donation.Status.OFFERED).update(
        status=Donation.Status.DECLINED, reason=reason, decided_by=user, decided_at=timezone.now()
    )
    if not updated:
        raise TransitionConflict(_("The donation has already been decided."))
    donation.refresh_from_db()
    send_templated_mail_on_commit(
        template="needs_donation_declined", context={"donation": donation}, to=_members([donation.organisation_id])
    )
    return donation


# --- The weekly digest ----------------------------------------------------------------------------------------


def digest_subscribe(*, user, organisation) -> DigestSubscription:
    if organisation.kind != Organisation.Kind.SUPPLIER or not is_member(user, organisation):
        raise PermissionDenied
    subscription, _created = DigestSubscription.objects.update_or_create(
        user=user, defaults={"organisation": organisation}
    )
    return subscription


def digest_unsubscribe(*, user) -> None:
    DigestSubscription.objects.filter(user=user).delete()
