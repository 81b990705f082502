from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError

from os2hub.accounts.models import Organisation, User
from os2hub.accounts.services import organisation_create


class Command(BaseCommand):
    help = "Create an organisation (authority, supplier or the secretariat), optionally with an admin. Prints its slug."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=Organisation.Kind.values)
        parser.add_argument("--name", required=True)
        parser.add_argument("--cvr", default=None, help="8-digit CVR number.")
        parser.add_argument("--ean", default="", help="13-digit EAN number for e-invoicing (authorities).")
        parser.add_argument("--admin", default=None, metavar="EMAIL", help="An existing user to make admin.")

    def handle(self, *args, kind, name, cvr, ean, admin, **options):
        admin_user = None
        if admin:
            admin_user = User.objects.filter(email__iexact=admin.strip()).first()
            if admin_user is None:
                raise CommandError(f"No user has the e-mail address {admin}; create the user first.")
        try:
            organisation = organisation_create(
                name=name.strip(),
                kind=kind,
                cvr=(cvr or "").strip() or None,
                ean=(ean or "").strip(),
                admin=admin_user,
            )
        except ValidationError as exc:
            raise CommandError("The organisation is not valid:\n" + _describe(exc)) from None
        self.stdout.write(organisation.slug)


def _describe(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return "\n".join(f"  {message}" for message in exc.messages)
    return "\n".join(
        f"  {'' if field == NON_FIELD_ERRORS else f'--{field}: '}{message}"
        for field, messages in exc.message_dict.items()
        for message in messages
    )
