"""Writes that concern users, organisations, memberships, invitations and API tokens.

A person's roles are computed once per request (core.roles); every write here that changes someone's memberships
calls `forget(user)` so the rest of the request sees the change.
"""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from os2hub.core.mail import send_templated_mail_on_commit
from os2hub.core.roles import forget, roles_for
from os2hub.core.text import check_text
from os2hub.core.workflow import TransitionConflict, move

from .models import ApiToken, Invitation, JoinRequest, Membership, Organisation, User, hash_token
from .numbers import clean_cvr, clean_email_domain
from .selectors import (
    cvr_registered,
    cvr_taken_error,
    joinable,
    joins_by_domain,
    organisation_admins,
    secretariat_people,
    verified_email_domains,
)
from .workflow import APPROVE, CONFIRM, DECLINE, JOIN_WORKFLOW, ORGANISATION_WORKFLOW, REJECT, WITHDRAW

DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def unique_slug(name: str, model=Organisation, field="slug", reserved=()) -> str:
    base = slugify(name.translate(DANISH_LETTERS))[:90] or "org"
    slug, n = base, 2
    while slug in reserved or model.objects.filter(**{field: slug}).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


RESERVED_SLUGS = frozenset({"ny"})  # organisationer/ny/ is the page that creates an organisation


def organisation_create(
    *,
    name: str,
    kind: str,
    cvr: str | None = None,
    ean: str = "",
    admin: User | None = None,
    website: str = "",
    status: str = Organisation.Status.CONFIRMED,
    created_by: User | None = None,
    **details,
) -> Organisation:
    """Create an organisation, with `admin` as its first administrator. `details`: street, postcode, city,
    email_domain. Organisations are confirmed unless `status` says otherwise (see Organisation)."""
    with transaction.atomic():
        org = Organisation(
            name=name,
            kind=kind,
            cvr=cvr or None,
            ean=ean,
            website=website,
            slug=unique_slug(name, reserved=RESERVED_SLUGS),
            status=status,
            confirmed_at=timezone.now() if status == Organisation.Status.CONFIRMED else None,
            created_by=created_by,
            **details,
        )
        org.full_clean()
        org.save()
        if admin is not None:
            Membership.objects.create(user=admin, organisation=org, role=Membership.Role.ADMIN)
            forget(admin)
    return org


def api_token_issue(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw value, which is never stored."""
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100] or "API", token_hash=hash_token(raw), hint=raw[:9])
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    # One cheap UPDATE; no need to refresh the row we hold.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def invitation_create(*, organisation: Organisation, inviter: User, email: str, role: str) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of %(org)s.") % {"email": email, "org": organisation.name}}
        )
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=inviter)
    link = settings.SITE_URL + reverse("accounts:invitation", args=[invitation.token])
    # An existing account gets it in its own language; a new address in Danish.
    invitee = User.objects.filter(email__iexact=email).first() or email
    send_templated_mail_on_commit(
        template="invitation",
        context={"inviter": inviter, "organisation": organisation, "days": Invitation.VALID_DAYS, "link": link},
        to=[invitee],
    )
    return invitation


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now(), accepted_by=user
        )
        if not claimed:
            raise ValidationError(_("This invitation has expired or has already been used."))
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user, organisation=invitation.organisation, role=invitation.role
                )
        except IntegrityError:
            membership = Membership.objects.get(user=user, organisation=invitation.organisation)
    forget(user)
    return membership


def membership_remove(*, membership: Membership, actor: User) -> None:
    if membership.is_admin and membership.organisation.memberships.filter(role=Membership.Role.ADMIN).count() == 1:
        raise ValidationError(_("An organisation must keep at least one administrator."))
    membership.delete()
    forget(membership.user)
    if actor is not None and actor.pk == membership.user_id:
        forget(actor)  # removed themselves: the page that follows must not see the old roles


# --- Self-service: an organisation registered by its own people ---------------------------------------------------

REGISTERABLE = (Organisation.Kind.AUTHORITY, Organisation.Kind.SUPPLIER)


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _require_verified_email(user: User) -> None:
    if not verified_email_domains(user):
        raise ValidationError(_("Confirm your e-mail address first: follow the link in the e-mail we sent you."))


def organisation_register(
    *,
    user: User,
    kind: str,
    name: str,
    cvr: str,
    ean: str = "",
    website: str = "",
    email_domain: str = "",
    street: str = "",
    postcode: str = "",
    city: str = "",
) -> Organisation:
    """A person with a confirmed e-mail address registers its organisation and becomes its administrator.

    The CVR number is required, valid and not already on OS2hub (an organisation's or a live partnership
    application's). An authority waits for the secretariat's confirmation before it pledges or signs joining
    agreements, and the secretariat is told; a supplier needs none (its partnership application is reviewed)."""
    if kind not in REGISTERABLE:
        raise ValidationError({"kind": _("Choose an authority or a supplier.")})
    _require_verified_email(user)
    fields = {
        "name": name.strip(),
        "ean": ean,
        "website": website,
        "street": street.strip(),
        "postcode": postcode.strip(),
        "city": city.strip(),
    }
    check_text({**fields, "cvr": cvr, "email_domain": email_domain}, single_line=(*fields, "cvr", "email_domain"))
    errors = {}
    try:
        cvr = clean_cvr(cvr)
    except ValidationError as exc:
        errors["cvr"] = exc.messages
    else:
        if cvr_registered(cvr):
            errors["cvr"] = cvr_taken_error(cvr).messages
    try:
        email_domain = clean_email_domain(email_domain)
    except ValidationError as exc:
        errors["email_domain"] = exc.messages
    if errors:
        raise ValidationError(errors)
    status = Organisation.Status.PENDING if kind == Organisation.Kind.AUTHORITY else Organisation.Status.CONFIRMED
    try:
        with transaction.atomic():
            org = organisation_create(
                kind=kind, cvr=cvr, admin=user, status=status, created_by=user, email_domain=email_domain, **fields
            )
            org.events.create(from_status="", to_status=status, actor=user)
    except IntegrityError:
        # Someone registered the same number a moment ago (the unique CVR number of the database said so).
        raise ValidationError({"cvr": cvr_taken_error(cvr).messages}) from None
    forget(user)
    if org.awaits_confirmation:
        send_templated_mail_on_commit(
            template="organisation_registered",
            context={"organisation": org, "person": user, "link": _link("accounts:confirmation", org.slug)},
            to=secretariat_people(),
        )
    return org


def _refusal(organisation):
    def refusal(current):
        label = dict(Organisation.Status.choices).get(current, current)
        return _("%(org)s is no longer waiting (%(status)s); nothing was changed.") % {
            "org": organisation.name,
            "status": str(label).lower(),
        }

    return refusal


def _confirmation_step(name: str, organisation: Organisation, user: User) -> None:
    if not roles_for(user).secretariat:
        raise PermissionDenied
    if not ORGANISATION_WORKFLOW.allowed(name, organisation, roles_for(user)):
        raise TransitionConflict(_refusal(organisation)(organisation.status))


def organisation_confirm(*, organisation: Organisation, user: User, comment: str = "") -> Organisation:
    """The secretariat confirms an authority that registered itself: it may now pledge and sign agreements."""
    _confirmation_step(CONFIRM, organisation, user)
    check_text({"comment": comment})
    move(
        organisation,
        sources=ORGANISATION_WORKFLOW[CONFIRM].sources,
        to=Organisation.Status.CONFIRMED,
        actor=user,
        comment=comment.strip(),
        refusal=_refusal(organisation),
        confirmed_at=timezone.now(),
        confirmed_by=user,
    )
    send_templated_mail_on_commit(
        template="organisation_confirmed",
        context={"organisation": organisation, "comment": comment.strip(), "link": _link_to(organisation)},
        to=organisation_admins(organisation),
    )
    return organisation


def organisation_reject(*, organisation: Organisation, user: User, reason: str) -> Organisation:
    """The secretariat does not confirm the organisation; its administrators are told why."""
    _confirmation_step(REJECT, organisation, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason: the organisation's administrators are told.")})
    check_text({"reason": reason})
    move(
        organisation,
        sources=ORGANISATION_WORKFLOW[REJECT].sources,
        to=Organisation.Status.REJECTED,
        actor=user,
        comment=reason,
        refusal=_refusal(organisation),
    )
    send_templated_mail_on_commit(
        template="organisation_rejected",
        context={
            "organisation": organisation,
            "reason": reason,
            "contact": settings.CONTACT_EMAIL,
            "link": _link_to(organisation),
        },
        to=organisation_admins(organisation),
    )
    return organisation


def _link_to(organisation: Organisation) -> str:
    return settings.SITE_URL + organisation.get_absolute_url()


def organisation_domain_verify(*, organisation: Organisation, user: User, verified: bool = True) -> Organisation:
    """The secretariat has checked that the e-mail domain is the organisation's own (or takes that back). From
    then on, people with a confirmed address there join the organisation as members without asking."""
    if not roles_for(user).secretariat:
        raise PermissionDenied
    if verified:
        if not organisation.email_domain:
            raise ValidationError(_("The organisation has no e-mail domain to verify."))
        clean_email_domain(organisation.email_domain)  # a public mail service is never verified
        fields = {"email_domain_verified_at": timezone.now(), "email_domain_verified_by": user}
    else:
        fields = {"email_domain_verified_at": None, "email_domain_verified_by": None}
    Organisation.objects.filter(pk=organisation.pk).update(updated_at=timezone.now(), **fields)
    organisation.refresh_from_db()
    return organisation


def organisation_update(*, organisation: Organisation, changed: list[str]) -> Organisation:
    """Save the organisation form's changes. A changed e-mail domain must be verified again."""
    fields = list(changed)
    if "email_domain" in changed:
        organisation.email_domain_verified_at = None
        organisation.email_domain_verified_by = None
        fields += ["email_domain_verified_at", "email_domain_verified_by"]
    organisation.updated_at = timezone.now()
    organisation.save(update_fields=[*fields, "updated_at"])
    return organisation


# --- Asking to join an organisation -------------------------------------------------------------------------------


def join_request_create(*, organisation: Organisation, user: User, message: str = "") -> JoinRequest | Membership:
    """A person asks to join an organisation, and its administrators are asked (the secretariat when it has none).

    When one of the person's confirmed e-mail addresses is at the organisation's verified e-mail domain, they
    join at once as a member instead (the administrators are told); the Membership is returned then."""
    if not joinable(organisation):
        raise PermissionDenied
    _require_verified_email(user)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("You are already a member of %(org)s.") % {"org": organisation.name})
    if joins_by_domain(user, organisation):
        return _join_by_domain(organisation, user)
    message = (message or "").strip()
    check_text({"message": message})
    if JoinRequest.objects.filter(organisation=organisation, user=user, status=JoinRequest.Status.PENDING).exists():
        raise ValidationError(_("You have already asked to join %(org)s.") % {"org": organisation.name})
    if JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).count() >= JoinRequest.MAX_PENDING:
        raise ValidationError(
            _("You have %(count)s requests waiting for an answer. Withdraw one, or wait for an answer.")
            % {"count": JoinRequest.MAX_PENDING}
        )
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(organisation=organisation, user=user, message=message[:1000])
            join_request.events.create(from_status="", to_status=JoinRequest.Status.PENDING, actor=user)
    except IntegrityError:
        raise ValidationError(_("You have already asked to join %(org)s.") % {"org": organisation.name}) from None
    send_templated_mail_on_commit(
        template="join_request_received",
        context={"organisation": organisation, "person": user, "message": message, "link": _link_to(organisation)},
        to=organisation_admins(organisation) or secretariat_people(),
    )
    return join_request


def _join_by_domain(organisation: Organisation, user: User) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.MEMBER)
    except IntegrityError:
        raise ValidationError(_("You are already a member of %(org)s.") % {"org": organisation.name}) from None
    # A request the person had waiting is answered by this.
    JoinRequest.objects.filter(organisation=organisation, user=user, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.APPROVED, updated_at=timezone.now()
    )
    forget(user)
    send_templated_mail_on_commit(
        template="join_by_domain",
        context={"organisation": organisation, "person": user, "link": _link_to(organisation)},
        to=organisation_admins(organisation),
    )
    return membership


def join_request_decide(*, join_request: JoinRequest, user: User, decision: str, reason: str = "") -> JoinRequest:
    """An administrator of the organisation approves (the person becomes a member) or declines; the person is
    told either way, with the reason when one is given."""
    if decision not in (APPROVE, DECLINE):
        raise ValidationError({"decision": _("Choose to approve or decline.")})
    if not JOIN_WORKFLOW[decision].who(roles_for(user), join_request):
        raise PermissionDenied
    reason = (reason or "").strip()
    check_text({"reason": reason})
    organisation = join_request.organisation
    target = JOIN_WORKFLOW[decision].target
    with transaction.atomic():
        move(
            join_request,
            sources=JOIN_WORKFLOW[decision].sources,
            to=target,
            actor=user,
            comment=reason,
            refusal=_join_refusal(join_request),
        )
        if decision == APPROVE:
            Membership.objects.get_or_create(
                user=join_request.user, organisation=organisation, defaults={"role": Membership.Role.MEMBER}
            )
    forget(join_request.user)
    send_templated_mail_on_commit(
        template="join_request_approved" if decision == APPROVE else "join_request_declined",
        context={"organisation": organisation, "reason": reason, "link": _link_to(organisation)},
        to=[join_request.user],
    )
    return join_request


def _join_refusal(join_request: JoinRequest):
    def refusal(current):
        label = dict(JoinRequest.Status.choices).get(current, current)
        return _("The request from %(person)s has been answered already (%(status)s).") % {
            "person": join_request.user,
            "status": str(label).lower(),
        }

    return refusal


def join_request_withdraw(*, join_request: JoinRequest, user: User) -> JoinRequest:
    if not JOIN_WORKFLOW[WITHDRAW].who(roles_for(user), join_request):
        raise PermissionDenied
    move(
        join_request,
        sources=JOIN_WORKFLOW[WITHDRAW].sources,
        to=JoinRequest.Status.WITHDRAWN,
        actor=user,
        refusal=_join_refusal(join_request),
    )
    return join_request
