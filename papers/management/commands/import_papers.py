"""Import papers in bulk, politely, and safely again and again.

    manage.py import_papers ids.txt                 one identifier or link per line
    manage.py import_papers references.bib          BibTeX entries (no remote calls)
    manage.py import_papers --arxiv-category cs.LG --from 2024-01-01 --to 2024-01-07

A paper already stored under the same identifier is skipped (or updated when the record
brings identifiers it lacks), so an interrupted run is resumed by running it again;
--start skips that many results of an arXiv listing. Remote calls wait --delay seconds
between them: arXiv's API terms ask for one request every three seconds.
"""

import datetime
import time
from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DataError, IntegrityError

from accounts.models import User
from papers import importing, sources, validation
from shortscience.pagecache import content_changed

LISTING_PAGE = 100


class Command(BaseCommand):
    help = "Import papers from a file of identifiers, a BibTeX file or an arXiv listing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="A file of identifiers, or a .bib file.")
        parser.add_argument("--arxiv-category", help="An arXiv category, e.g. cs.LG.")
        parser.add_argument("--from", dest="date_from", type=datetime.date.fromisoformat)
        parser.add_argument("--to", dest="date_to", type=datetime.date.fromisoformat)
        parser.add_argument("--start", type=int, default=0, help="Skip this many listed.")
        parser.add_argument("--limit", type=int, default=1000, help="At most this many.")
        parser.add_argument("--user", help="Record the papers as added by this member.")
        parser.add_argument(
            "--delay",
            type=float,
            default=sources.ARXIV_DELAY_SECONDS,
            help="Seconds between remote requests (default: %(default)s).",
        )

    def handle(self, *args, path, arxiv_category, date_from, date_to, start, limit, user, delay,
               **options):  # fmt: skip
        self.added_by = self._user(user)
        self.delay = max(0.0, delay)
        self.counts: Counter[str] = Counter()
        self.failures: list[str] = []
        if path and arxiv_category:
            raise CommandError("Give a file or --arxiv-category, not both.")
        if path:
            self._import_file(Path(path))
        elif arxiv_category:
            if not (date_from and date_to) or date_from > date_to:
                raise CommandError("--arxiv-category needs --from and --to, in that order.")
            self._import_listing(arxiv_category, date_from, date_to, start, limit)
        else:
            raise CommandError("Give a file of identifiers or BibTeX, or --arxiv-category.")
        summary = ", ".join(
            f"{self.counts[k]} {k}" for k in ("created", "updated", "skipped", "failed")
        )
        for failure in self.failures:
            self.stderr.write(f"  failed: {failure}")
        content_changed()
        self.stdout.write(self.style.SUCCESS(f"Done: {summary}."))

    def _user(self, username):
        if not username:
            return None
        try:
            return User.objects.get(username__iexact=username)
        except User.DoesNotExist:
            raise CommandError(f"No member named {username!r}.") from None

    def _import_file(self, path: Path):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        if sources.BIBTEX_ENTRY.search(text):
            try:
                records = sources.parse_bibtex(text)
            except sources.SourceError as error:
                raise CommandError(str(error)) from None
            for number, record in enumerate(records, start=1):
                self._store(record, f"[{number}/{len(records)}] {record.bibtex_key}")
            return
        lines = [line.strip() for line in text.splitlines()]
        identifiers = [line for line in lines if line and not line.startswith("#")]
        for number, identifier in enumerate(identifiers, start=1):
            label = f"[{number}/{len(identifiers)}] {identifier}"
            if number > 1:
                time.sleep(self.delay)
            try:
                records = sources.lookup(identifier)
            except sources.SourceError as error:
                self._fail(label, str(error))
                continue
            for record in records:
                self._store(record, label)

    def _import_listing(self, category, date_from, date_to, start, limit):
        position, total = start, None
        while total is None or position < min(total, start + limit):
            if position > start:
                time.sleep(self.delay)
            size = min(LISTING_PAGE, start + limit - position)
            try:
                records, total = sources.fetch_arxiv_listing(
                    category, date_from, date_to, start=position, max_results=size
                )
            except sources.SourceError as error:
                self._fail(f"listing from {position}", f"{error} (resume with --start {position})")
                return
            if not records:
                return
            for offset, record in enumerate(records):
                self._store(record, f"[{position + offset + 1}/{total}] {record.arxiv_id}")
            position += len(records)

    def _store(self, record, label: str):
        (candidate,) = importing.candidates([record])
        if candidate.existing:
            added = importing.add_identifiers(candidate.existing, record)
            outcome = "updated" if added else "skipped"
        else:
            try:
                importing.create_from_record(self.added_by, record)
            except ValidationError as error:
                # What the add-a-paper form would refuse too (papers.validation).
                self._fail(label, f"not stored: {' '.join(validation.problems(error))}")
                return
            except (IntegrityError, DataError) as error:
                # Taken meanwhile by another paper, or refused by the database: say which.
                self._fail(label, f"not stored: {error}".splitlines()[0])
                return
            outcome = "created"
        self.counts[outcome] += 1
        self.stdout.write(f"  {label}: {outcome}")

    def _fail(self, label: str, reason: str):
        reason = " ".join(reason.split())  # One line per record, whatever the reason holds.
        self.counts["failed"] += 1
        self.failures.append(f"{label}: {reason}")
        self.stdout.write(f"  {label}: failed")
