"""Load a version of OS2's product-level criteria from its YAML file (see os2hub/governance/criteria/)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from os2hub.governance import criteria
from os2hub.governance.services import criteria_version_load


class Command(BaseCommand):
    help = "Load a criteria version from a YAML file; without a file, load the versions bundled with OS2hub."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="criteria files (YAML)")

    def handle(self, *args, files=(), **options):
        paths = [Path(f) for f in files] or criteria.bundled_files()
        for path in paths:
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror}") from None
            try:
                version, created = criteria_version_load(criteria.parse(raw))
            except ValidationError as exc:
                raise CommandError(f"{path}: " + " ".join(exc.messages)) from None
            count = version.criteria.count()
            if created:
                self.stdout.write(f"Loaded criteria version {version.version} ({count} criteria) from {path}.")
            else:
                self.stdout.write(f"Criteria version {version.version} is already loaded; nothing changed.")
