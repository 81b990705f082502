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
from os2hub.core.roles import forget

from .models import ApiToken, Invitation, Membership, Organisation, User, hash_token

DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def unique_slug(name: str, model=Organisation, field="slug") -> str:
    base = slugify(name.translate(DANISH_LETTERS))[:90] or "org"
    slug, n = base, 2
    while model.objects.filter(**{field: slug}).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def organisation_create(
    *,
    name: str,
    kind: str,
    cvr: str | None = None,
    ean: str = "",
    admin: User | None = None,
    website: str = "",
) -> Organisation:
    with transaction.atomic():
        org = Organisation(name=name, kind=kind, cvr=cvr or None, ean=ean, website=website, slug=unique_slug(name))
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
