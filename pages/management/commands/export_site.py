"""manage.py export_site FILE: all content in one JSON Lines file (docs/backup.md)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pages.site_export import SiteFileError, export_site


class Command(BaseCommand):
    help = (
        "Write all content (members, papers, summaries with their revisions, comments, "
        "votes, moderation) to FILE as JSON Lines, gzip-compressed if FILE ends in .gz. "
        "import_site loads it into a new database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="where to write, e.g. site.jsonl.gz")

    def handle(self, *args, file: Path, verbosity: int, **options):
        started = time.monotonic()
        try:
            counts = export_site(file, progress=self.report if verbosity else None)
        except SiteFileError as error:
            raise CommandError(error) from error
        if verbosity:
            self.stdout.write(
                f"Exported {sum(counts.values()):,} rows to {file} "
                f"in {time.monotonic() - started:.1f} s."
            )
            if counts["summaries.Figure"]:
                self.stdout.write(
                    "The figures' image files are not in it: back up MEDIA_ROOT as well."
                )

    def report(self, label: str, count: int) -> None:
        self.stdout.write(f"  {label}: {count:,}")
