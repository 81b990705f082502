"""The supplier partnership workflow: create, edit, upload, submit, decide; prices and contacts."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from os2hub.accounts.models import Organisation, User
from os2hub.accounts.numbers import clean_cvr
from os2hub.accounts.selectors import cvr_registered, cvr_taken_error, organisation_admins, secretariat_people
from os2hub.core.mail import send_templated_mail_on_commit
from os2hub.core.roles import roles_for
from os2hub.core.text import check_text, strip_control_characters
from os2hub.core.workflow import TransitionConflict, move
from os2hub.scanner.checks import NOREPLY, PERSONAL_MAIL
from os2hub.scanner.organisations import OrganisationsError, display_domain, normalise_domain

from .getters import (
    can_edit_application,
    can_manage_commit_domains,
    can_remove_commit_domain,
    can_verify_commit_domains,
)
from .models import (
    CommitDomain,
    Competence,
    ContactPerson,
    PriceEntry,
    SupplierApplication,
    SupplierCompetence,
)
from .uploads import check_logo, check_pdf, check_svg
from .workflow import APPLICATION_WORKFLOW, DECISIONS, NEEDS_COMMENT

Status = SupplierApplication.Status

# The wording a contact person agrees to. It is stored, in the language it was shown in, with each consent.
PUBLIC_CONSENT_TEXT = gettext_lazy(
    "I agree that my name, role, e-mail address and phone number are shown publicly on the supplier's "
    "profile on OS2hub."
)
NEWSLETTER_CONSENT_TEXT = gettext_lazy(
    "I want to receive OS2's newsletter for suppliers at my e-mail address. I can unsubscribe at any time."
)

COMPANY_FIELDS = ("organisation_name", "cvr", "street", "postcode", "city", "website", "core_competences")


def _check_cvr_free(cvr: str, organisation: Organisation) -> None:
    # The organisation's own application (one live application per organisation) does not count against it.
    if cvr_registered(cvr, besides=organisation):
        raise ValidationError({"cvr": cvr_taken_error(cvr).messages})


def _require_editor(application: SupplierApplication, user: User) -> None:
    if not can_edit_application(user, application):
        raise PermissionDenied


def application_create(*, organisation: Organisation, user: User, data: dict) -> SupplierApplication:
    if organisation.kind != Organisation.Kind.SUPPLIER:
        raise ValidationError(_("Only supplier organisations can apply for a partnership."))
    if SupplierApplication.objects.filter(organisation=organisation).exclude(status=Status.REJECTED).exists():
        raise ValidationError(_("%(org)s already has an application.") % {"org": organisation.name})
    application = SupplierApplication(organisation=organisation, created_by=user)
    with transaction.atomic():
        try:
            application_update(application=application, user=user, data=data, _creating=True)
        except IntegrityError:
            raise ValidationError(_("%(org)s already has an application.") % {"org": organisation.name}) from None
        application.events.create(actor=user, from_status="", to_status=Status.DRAFT)
    return application


def application_update(*, application: SupplierApplication, user: User, data: dict, _creating=False):
    """Change company data, competences and the core-competence text. All or nothing."""
    if not _creating:
        _require_editor(application, user)
    if not application.is_editable:
        raise ValidationError(
            _("The application cannot be changed in its current state (%(status)s).")
            % {"status": application.get_status_display()}
        )
    check_text(data, single_line=("organisation_name", "cvr", "street", "postcode", "city", "website"))
    for field in COMPANY_FIELDS:
        if field in data and data[field] is not None:
            setattr(application, field, data[field].strip() if isinstance(data[field], str) else data[field])
    errors = {}
    if "cvr" in data:
        try:
            application.cvr = clean_cvr(application.cvr)
        except ValidationError as exc:
            errors["cvr"] = exc.messages
    competences = data.get("competences")
    if competences is not None:
        unknown = [k for k in competences if k not in Competence.values]
        if unknown:
            errors["competences"] = [_("Unknown competence: %(keys)s") % {"keys": ", ".join(map(str, unknown))}]
        elif not competences:
            errors["competences"] = [_("Choose at least one competence.")]
    try:
        application.full_clean(exclude=["organisation", "cvr", *(["cvr"] if "cvr" in errors else [])])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    if application.is_approved and application.cvr != application.organisation.cvr:
        raise ValidationError(
            {"cvr": _("An approved partner's CVR number is changed by the OS2 secretariat; contact it.")}
        )
    _check_cvr_free(application.cvr, application.organisation)
    try:
        with transaction.atomic():
            _save_company(application, competences)
    except IntegrityError:
        # Someone registered the same CVR number at the same moment; the database constraint decided.
        raise ValidationError(
            {"cvr": _("CVR number %(cvr)s is already registered on OS2hub.") % {"cvr": application.cvr}}
        ) from None
    return application


def _save_company(application, competences):
    application.save()
    if competences is not None:
        keep = set(competences)
        application.competences.exclude(key__in=keep).delete()
        existing = set(application.competences.values_list("key", flat=True))
        SupplierCompetence.objects.bulk_create(
            [SupplierCompetence(application=application, key=k) for k in sorted(keep - existing)]
        )
        if not application.is_approved:
            # Draft prices for competences no longer offered are dropped; once approved, history stays.
            application.prices.exclude(competence__in=keep).delete()
    if application.is_approved:
        _sync_organisation(application)


def _replace_file(application, user, field_name: str, upload, check, **extra) -> str:
    """Check an upload, store it under a random name and drop the previous file once the change commits.
    Returns the new file's name."""
    _require_editor(application, user)
    _check_editable(application)
    ext = check(upload)
    field = getattr(application, field_name)
    old = field.name
    field.save(f"{get_random_string(16)}.{ext}", ContentFile(upload.read()), save=False)
    for key, value in extra.items():
        setattr(application, key, value)
    application.save(update_fields=[field_name, *extra, "updated_at"])
    _delete_file_on_commit(old)
    return field.name


FILE_CHECKS = {"logo": check_logo, "vector_logo": check_svg, "agreement": check_pdf}


def application_set_files(*, application, user, uploads: dict) -> None:
    """Check and store several files together: all of them or none, in the database and on disk.
    `uploads` maps logo / vector_logo / agreement to an uploaded file (or None)."""
    stored = []
    try:
        with transaction.atomic():
            for name, check in FILE_CHECKS.items():
                upload = uploads.get(name)
                if not upload:
                    continue
                extra = {"agreement_uploaded_at": timezone.now()} if name == "agreement" else {}
                try:
                    stored.append(_replace_file(application, user, name, upload, check, **extra))
                except ValidationError as exc:
                    raise ValidationError({name: exc.messages}) from None
    except Exception:
        for name in stored:
            default_storage.delete(name)
        application.refresh_from_db()
        raise


def application_set_logo(*, application, user, upload) -> None:
    application_set_files(application=application, user=user, uploads={"logo": upload})


def application_set_vector_logo(*, application, user, upload) -> None:
    application_set_files(application=application, user=user, uploads={"vector_logo": upload})


def application_set_agreement(*, application, user, upload) -> None:
    application_set_files(application=application, user=user, uploads={"agreement": upload})


def _delete_file_on_commit(name):
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _check_editable(application):
    if not application.is_editable:
        raise ValidationError(
            _("The application cannot be changed in its current state (%(status)s).")
            % {"status": application.get_status_display()}
        )


def application_accept_code_of_conduct(*, application, user) -> None:
    _require_editor(application, user)
    _check_editable(application)
    application.coc_version = settings.OS2HUB_CODE_OF_CONDUCT_VERSION
    application.coc_accepted_at = timezone.now()
    application.coc_accepted_by = user
    application.save(update_fields=["coc_version", "coc_accepted_at", "coc_accepted_by", "updated_at"])


def contact_save(*, application, user, data: dict, contact: ContactPerson | None = None) -> ContactPerson:
    """Create or change a contact. Consents are recorded with time and the exact wording shown."""
    _require_editor(application, user)
    _check_editable(application)
    check_text(data, single_line=("name", "role", "email", "phone"))
    contact = contact or ContactPerson(application=application)
    before = (contact.name, contact.email.lower())
    for field in ("name", "role", "email", "phone"):
        if field in data:
            setattr(contact, field, (data[field] or "").strip())
    if contact.pk and (contact.name, contact.email.lower()) != before:
        # Another person now: the previous person's consents do not carry over; only what is given now counts.
        contact.public_consent_at = contact.newsletter_consent_at = None
        contact.public_consent_text = contact.newsletter_consent_text = ""
    now = timezone.now()
    if data.get("show_publicly") and not contact.public_consent_at:
        contact.public_consent_at, contact.public_consent_text = now, str(PUBLIC_CONSENT_TEXT)
    elif "show_publicly" in data and not data["show_publicly"]:
        contact.public_consent_at, contact.public_consent_text = None, ""
    if data.get("newsletter") and not contact.newsletter_consent_at:
        contact.newsletter_consent_at, contact.newsletter_consent_text = now, str(NEWSLETTER_CONSENT_TEXT)
    elif "newsletter" in data and not data["newsletter"]:
        contact.newsletter_consent_at, contact.newsletter_consent_text = None, ""
    contact.full_clean(exclude=["application"])
    contact.save()
    return contact


def contact_delete(*, application, user, contact: ContactPerson) -> None:
    _require_editor(application, user)
    _check_editable(application)
    contact.delete()


def prices_set(*, application, user, rates: dict[str, Decimal], valid_from: date) -> list[PriceEntry]:
    """Set hourly rates. In a draft they replace the draft prices; once approved they are appended as
    new entries (with the date they take effect), so the published history never changes."""
    _require_editor(application, user)
    _check_editable(application)
    offered = set(application.competence_keys())
    errors = {}
    for key, rate in rates.items():
        if key not in offered:
            errors.setdefault("competence", []).append(
                _("%(key)s is not one of the competences you offer.") % {"key": key}
            )
        elif rate is None or rate < 0 or rate > Decimal("9999999") or rate.as_tuple().exponent < -2:
            errors.setdefault("hourly_rate_dkk", []).append(
                _("%(competence)s: enter an hourly rate between 0 and 9,999,999 DKK with at most two decimals.")
                % {"competence": Competence(key).label}
            )
    today = timezone.localdate()
    if application.is_approved and valid_from < today:
        errors["valid_from"] = [_("A new price cannot take effect in the past.")]
    elif not application.is_approved and valid_from > today:
        # A partner is published with the prices in force when it is approved; future rates come after that.
        errors["valid_from"] = [_("The first price list must be in force already; choose today or earlier.")]
    elif valid_from.year < 2000 or valid_from > today.replace(year=today.year + 2):
        errors["valid_from"] = [_("Choose a date between the year 2000 and two years from now.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if not application.is_approved:
            application.prices.filter(competence__in=list(rates)).delete()
            entries = [
                PriceEntry(
                    application=application,
                    competence=k,
                    hourly_rate_dkk=v,
                    valid_from=valid_from,
                    created_by=user,
                )
                for k, v in rates.items()
            ]
        else:
            current = {p.competence: p.hourly_rate_dkk for p in application.current_prices(on=valid_from)}
            entries = [
                PriceEntry(
                    application=application,
                    competence=k,
                    hourly_rate_dkk=v,
                    valid_from=valid_from,
                    created_by=user,
                )
                for k, v in rates.items()
                if current.get(k) != v
            ]
        PriceEntry.objects.bulk_create(entries)
    return entries


def _refusal(before: str | None) -> str:
    """The refusal when the application's status no longer allows the step (someone else moved it first)."""
    label = Status(before).label if before in Status.values else before
    return _("This step is not possible in the application's current state (%(status)s).") % {"status": label}


def application_submit(*, application, user) -> SupplierApplication:
    """Submit a complete application (first time, or again after the secretariat asked for changes)."""
    step = APPLICATION_WORKFLOW["submit"]
    if not step.who(roles_for(user), application):
        raise PermissionDenied
    if application.status not in step.sources:
        raise TransitionConflict(
            _("The application cannot be submitted in its current state (%(status)s).")
            % {"status": application.get_status_display()}
        )
    missing = application.missing_for_submission()
    if missing:
        raise ValidationError([_("Before you submit, add: %(item)s.") % {"item": item} for item in missing])
    move(
        application,
        sources=step.sources,
        to=step.target,
        actor=user,
        refusal=_refusal,
        submitted_at=timezone.now(),
    )
    _notify_secretariat(application)
    return application


def application_decide(*, application, user, decision: str, comment: str = "") -> SupplierApplication:
    """The secretariat approves, asks for changes or rejects a submitted application. Two people deciding at
    the same moment: the first wins, the second gets TransitionConflict."""
    roles = roles_for(user)
    if not any(APPLICATION_WORKFLOW[name].who(roles, application) for name in DECISIONS):
        raise PermissionDenied  # not someone who decides on applications at all
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose Approve, Ask for changes or Reject.")})
    step = APPLICATION_WORKFLOW[decision]
    if not step.who(roles, application):
        raise PermissionDenied
    comment = (comment or "").strip()
    check_text({"comment": comment})
    if decision in NEEDS_COMMENT and not comment:
        raise ValidationError({"comment": _("Explain to the supplier why, in a comment.")})
    with transaction.atomic():
        move(
            application,
            sources=step.sources,
            to=step.target,
            actor=user,
            comment=comment,
            refusal=_refusal,
            decided_at=timezone.now(),
        )
        if step.target == Status.APPROVED:
            _sync_organisation(application)
    _notify_applicant(application, step.target, comment)
    return application


def _sync_organisation(application):
    org = application.organisation
    org.name, org.cvr, org.website = application.organisation_name, application.cvr, application.website
    org.save(update_fields=["name", "cvr", "website"])


def _applicant_admins(application):
    return organisation_admins(application.organisation)


DECISION_MAILS = {
    Status.APPROVED: "supplier_application_approved",
    Status.CHANGES_REQUESTED: "supplier_application_changes_requested",
    Status.REJECTED: "supplier_application_rejected",
}


def _notify_applicant(application, to, comment):
    send_templated_mail_on_commit(
        template=DECISION_MAILS[to],
        context={
            "application": application,
            "comment": comment,
            "link": settings.SITE_URL + reverse("suppliers:application"),
        },
        to=_applicant_admins(application),
    )


def _notify_secretariat(application):
    secretariat = secretariat_people()
    send_templated_mail_on_commit(
        template="supplier_application_submitted",
        context={
            "application": application,
            "link": settings.SITE_URL + reverse("suppliers:review", args=[application.pk]),
        },
        to=secretariat,
    )
    send_templated_mail_on_commit(
        template="supplier_application_received",
        context={"application": application},
        to=_applicant_admins(application),
    )


def newsletter_recipients_csv() -> str:
    """Opted-in contacts of approved partners only, with the time and wording of their consent."""
    rows = (
        ContactPerson.objects.filter(application__status=Status.APPROVED, newsletter_consent_at__isnull=False)
        .select_related("application")
        .order_by("application__organisation_name", "name")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["supplier", "cvr", "name", "role", "email", "consent_at", "consent_text"])
    for c in rows:
        writer.writerow(
            [
                _csv_safe(c.application.organisation_name),
                c.application.cvr,
                _csv_safe(c.name),
                _csv_safe(c.role),
                _csv_safe(c.email),
                timezone.localtime(c.newsletter_consent_at).isoformat(),
                c.newsletter_consent_text,
            ]
        )
    return out.getvalue()


def _csv_safe(value: str) -> str:
    # Control characters are left out first (spreadsheet programs stumble on them, and one in front would hide
    # a formula from the check below).
    value = strip_control_characters(value)
    # Spreadsheet formula injection: a cell starting with = + - @ is treated as a formula by Excel.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Commit domains (the e-mail domains a partner commits code from) -----------------------------------------

MAX_COMMIT_DOMAINS = 20


def _clean_commit_domain(text: str) -> str:
    """The domain in the form it is stored (lower case, IDNA), or a ValidationError on the `domain` field that
    says what to type instead."""
    text = strip_control_characters(str(text or "")).strip()
    if "@" in text:
        message = _("Enter only the domain, the part after @ (for example magenta.dk).")
    elif "/" in text or ":" in text:
        message = _("Enter only the domain name, without https:// or a path (for example magenta.dk).")
    else:
        try:
            domain = normalise_domain(text)
        except OrganisationsError:
            message = _("Enter a domain name such as magenta.dk.")
        else:
            if domain in PERSONAL_MAIL or NOREPLY.search(domain):
                message = _(
                    "%(domain)s is a public e-mail service that anyone can use; list only your company's own domains."
                ) % {"domain": display_domain(domain)}
            else:
                return domain
    raise ValidationError({"domain": message})


def _parents(domain: str) -> list[str]:
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(1, len(labels) - 1)]


def _check_commit_domain_free(domain: str, application) -> None:
    """One partner per domain: a domain, a parent of it or a subdomain of it registered by another partner is
    refused with the partner's name; the partner's own parent domain covers the new one already."""
    overlapping = (
        CommitDomain.objects.filter(
            Q(domain=domain) | Q(domain__in=_parents(domain)) | Q(domain__endswith="." + domain)
        )
        .select_related("application")
        .order_by("domain")
    )
    for other in overlapping:
        names = {
            "domain": display_domain(domain),
            "other": other.display_domain,
            "partner": other.application.organisation_name,
        }
        if other.application_id == application.pk:
            if other.domain == domain:
                raise ValidationError({"domain": _("%(domain)s is already on your list.") % names})
            if domain.endswith("." + other.domain):
                raise ValidationError(
                    {
                        "domain": _("%(domain)s is covered by %(other)s already: a domain includes its subdomains.")
                        % names
                    }
                )
        elif other.domain == domain:
            raise ValidationError({"domain": _("%(domain)s is already registered by %(partner)s.") % names})
        else:
            raise ValidationError(
                {"domain": _("%(domain)s overlaps %(other)s, which is registered by %(partner)s.") % names}
            )


def commit_domain_add(*, application, user, domain: str) -> CommitDomain:
    """A partner's administrators add a domain they commit from; it counts for scans once the secretariat has
    verified it (commit_domain_verify)."""
    if not can_manage_commit_domains(user, application):
        raise PermissionDenied
    _check_editable(application)
    domain = _clean_commit_domain(domain)
    with transaction.atomic():
        if application.commit_domains.count() >= MAX_COMMIT_DOMAINS:
            raise ValidationError(
                {"domain": _("A partner can list at most %(max)s domains.") % {"max": MAX_COMMIT_DOMAINS}}
            )
        _check_commit_domain_free(domain, application)
        try:
            with transaction.atomic():
                return CommitDomain.objects.create(application=application, domain=domain, created_by=user)
        except IntegrityError:  # registered by someone else at the same moment
            raise ValidationError(
                {
                    "domain": _("%(domain)s is already registered by another partner.")
                    % {"domain": display_domain(domain)}
                }
            ) from None


def commit_domain_verify(*, application, user, commit_domain: CommitDomain) -> CommitDomain:
    """The secretariat confirms that the partner commits from the domain; from now on scans count its commits
    as the partner's. Verifying twice (two people at once) is refused with a message, not done twice."""
    if commit_domain.application_id != application.pk:
        raise ValidationError(_("That domain does not belong to this partner."))
    if not can_verify_commit_domains(user, application):
        raise PermissionDenied
    now = timezone.now()
    done = CommitDomain.objects.filter(pk=commit_domain.pk, verified_at__isnull=True).update(
        verified_at=now, verified_by=user
    )
    if not done:
        raise ValidationError(
            _("%(domain)s is verified already, or it was removed.") % {"domain": commit_domain.display_domain}
        )
    commit_domain.verified_at, commit_domain.verified_by = now, user
    return commit_domain


def commit_domain_remove(*, application, user, commit_domain: CommitDomain) -> None:
    """The partner's administrators withdraw a domain (while the partnership can be edited); the secretariat
    removes one at any time."""
    if commit_domain.application_id != application.pk:
        raise ValidationError(_("That domain does not belong to this partner."))
    if not can_remove_commit_domain(user, application):
        raise PermissionDenied
    if not roles_for(user).secretariat:
        _check_editable(application)
    CommitDomain.objects.filter(pk=commit_domain.pk).delete()
