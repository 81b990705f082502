from django.core.management.base import BaseCommand, CommandError

from os2hub.accounts.models import User
from os2hub.accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Issue a personal API token for a user and print it. The token is shown only this once."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The user's e-mail address.")
        parser.add_argument("--name", default="manage.py issue_token", help="What the token is for.")

    def handle(self, *args, email, name, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email}.")
        if not user.is_active:
            raise CommandError(f"The user {user.email} is deactivated; a token would not work.")
        token, raw = api_token_issue(user=user, name=name)
        # Only the token on stdout, so that scripts can capture it; the explanation goes to stderr.
        self.stderr.write(f"Token {token.name!r} for {user.email} (store it now; it cannot be shown again):")
        self.stdout.write(raw)
