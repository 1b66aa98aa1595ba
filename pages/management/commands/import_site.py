"""manage.py import_site FILE: load an export_site file into a new, migrated database
(docs/backup.md)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pages.site_export import SiteFileError, import_site


class Command(BaseCommand):
    help = (
        "Load a file written by export_site into this site, which must be empty: a new "
        "database after manage.py migrate. All or nothing, in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a file export_site wrote")

    def handle(self, *args, file: Path, verbosity: int, **options):
        started = time.monotonic()
        try:
            counts = import_site(file, progress=self.report if verbosity else None)
        except SiteFileError as error:
            raise CommandError(error) from error
        if verbosity:
            self.stdout.write(
                f"Imported {sum(counts.values()):,} rows from {file} "
                f"in {time.monotonic() - started:.1f} s."
            )
            if counts["summaries.Figure"]:
                self.stdout.write(
                    "Copy the figures' image files into MEDIA_ROOT too, if not done yet."
                )

    def report(self, label: str, count: int) -> None:
        self.stdout.write(f"  {label}: {count:,}")
