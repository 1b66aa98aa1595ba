"""The whole site's content in one file and back: ``manage.py export_site FILE`` and
``manage.py import_site FILE``. docs/backup.md says when to use them rather than pg_dump.

The file is JSON Lines (gzip-compressed when its name ends in .gz): a header line (the
format and its version, the migrations the database was at, the number of rows of each
model), then one row a line as Django's ``jsonl`` serializer writes them, model after
model in EXPORTED's order. Rows keep their ids, so whatever refers to a row by id (links
to /papers/<id>/, read counts, the moderation log's targets) still holds after an import.
Rows that every database makes for itself at ``migrate`` (content types, permissions) are
named by natural key instead, and so are groups: a new database has the Moderators group
already, and an import fills it in.
"""

import datetime
import gzip
import itertools
import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone

FORMAT = "shortscience-site-export"
FORMAT_VERSION = 1
# Rows read, written and inserted at a time: memory stays flat however big the site is.
BATCH_SIZE = 1000

# Everything members and moderators made, in the order it is written and read back. The
# foreign keys are checked at the end of the import, so the order is the search
# triggers': a paper comes after its authorships and keywords, so that its document is
# made once, with them, and before its summaries, which are indexed with its title.
EXPORTED = [
    "auth.Group",
    "accounts.User",  # with the password hashes: members sign in as before
    "accounts.Profile",
    "account.EmailAddress",
    "socialaccount.SocialAccount",  # which ORCID, GitHub or Google account is whose
    "accounts.Suspension",
    "papers.Venue",
    "papers.VenueAlias",
    "papers.Author",
    "papers.Authorship",
    "taggit.Tag",
    "taggit.TaggedItem",
    "papers.Paper",
    "papers.Follow",
    "papers.PaperRedirect",
    "papers.ViewCount",
    "summaries.Figure",  # the rows; the image files are in MEDIA_ROOT
    "summaries.Summary",  # with their share tokens
    "summaries.Revision",
    "summaries.Vote",
    "summaries.Comment",
    "summaries.CommentVote",
    "moderation.Case",
    "moderation.Flag",
    "moderation.ModerationLog",
    "accounts.Notification",
]

# Models left out of the file on purpose, and why. A test checks that every model is in
# exactly one of the two lists, so a new model needs a decision.
LEFT_OUT = {
    "papers.PaperSearch": "search documents: the database's triggers write them on import",
    "papers.SearchWord": "the did-you-mean vocabulary: triggers rebuild it on import",
    "summaries.SummarySearch": "search documents: the database's triggers write them on import",
    "contenttypes.ContentType": "made by migrate; rows name them by natural key",
    "auth.Permission": "made by migrate; rows name them by natural key",
    "sessions.Session": "sign-ins: members sign in again",
    "admin.LogEntry": "the admin's change history, not content",
    "account.EmailConfirmation": "pending confirmation mails: short-lived, members ask again",
    "socialaccount.SocialApp": "OAuth client secrets: they come from the environment",
    "socialaccount.SocialToken": "OAuth access tokens: secrets, renewed at the next sign-in",
}

# Columns that database triggers write, left out of the file: an import starts them at
# their defaults, and the triggers count them up again as the rows they count arrive, as
# they do the search documents. (The round-trip test fails when one is missing here.)
TRIGGER_COLUMNS = {"papers.Paper": {"summary_count"}}

# Named by natural key rather than id: rows a fresh database has already, with ids of
# its own. Everything else is named by id: a natural key (a username, a tag's name)
# would cost a query per reference to write and another to read back.
NATURAL_KEYS = (ContentType, Permission, Group)

Progress = Callable[[str, int], None]


class SiteFileError(Exception):
    """Why an export or import cannot go ahead, in one line for the command to print."""


# Exporting -----------------------------------------------------------------------------


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (ECMA-262's precision); an import must
    give back the very timestamps, so these keep their microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class _Serializer(jsonl.Serializer):
    """Django's JSON Lines serializer with natural keys for NATURAL_KEYS only, and faster.

    Its options name natural keys for every model that has them, users and tags among
    them; its first two hooks here narrow that down."""

    def _model_supports_natural_key(self, model):
        return model in NATURAL_KEYS

    def _resolve_natural_key(self, obj):
        return obj.natural_key() if isinstance(obj, NATURAL_KEYS) else None

    def handle_m2m_field(self, obj, field):
        # _rows() prefetched the values; Django's own method builds a query for each row
        # all the same, which costs more than the rest of a member's row.
        if field.remote_field.through._meta.auto_created:
            self._current[field.name] = [
                value.natural_key() if isinstance(value, NATURAL_KEYS) else value.pk
                for value in obj._prefetched_objects_cache[field.name]
            ]

    def end_object(self, obj):
        # One json.dumps() a row, which encodes in C, rather than Django's json.dump(),
        # which encodes in Python and writes each piece on its own: three times faster.
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None


def export_site(path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Write all content to ``path``; return the number of rows of each model.

    1. Everything is read in one transaction, repeatable-read and read-only, as pg_dump
       does: the file is one consistent snapshot while the site keeps running.
    2. The header goes first, with the row counts, so an import can tell a cut-short file.
    3. Then each model's rows in id order, read BATCH_SIZE at a time and written as they
       are read. The file is written beside ``path`` and renamed into place when it is
       complete: a failed export leaves an earlier file of that name as it was.
    """
    partial = path.with_name(f".{path.name}.partial")
    models = [apps.get_model(label) for label in EXPORTED]
    is_outermost = not connection.in_atomic_block
    try:
        with transaction.atomic(), _open(partial, "w", compressed=path.suffix == ".gz") as out:
            if is_outermost:  # Inside a caller's transaction (a test's), use its snapshot.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            counts = {model._meta.label: _all(model).count() for model in models}
            header = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "exported_at": timezone.now().isoformat(),
                "migrations": migration_state(),
                "counts": counts,
            }
            out.write(json.dumps(header) + "\n")
            for model in models:
                _Serializer().serialize(
                    _rows(model),
                    stream=out,
                    fields=_exported_fields(model),
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=True,
                    cls=_ExactJSONEncoder,
                )
                if progress:
                    progress(model._meta.label, counts[model._meta.label])
        partial.replace(path)
    except OSError as error:
        raise SiteFileError(f"Cannot write {path}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _exported_fields(model: type[Model]) -> list[str] | None:
    """The names of the fields to write, or None for all of them."""
    left_out = TRIGGER_COLUMNS.get(model._meta.label)
    if not left_out:
        return None
    fields = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [field.name for field in fields if field.name not in left_out]


def _rows(model: type[Model]) -> Iterator[Model]:
    """The model's rows in id order, with whatever their natural keys need loaded along."""
    rows = _all(model).order_by("pk")
    natural = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in NATURAL_KEYS
    ]
    if natural:
        rows = rows.select_related(*natural)
    for field in model._meta.local_many_to_many:
        if not (field.serialize and field.remote_field.through._meta.auto_created):
            continue  # Not serialized: Paper.tags, whose TaggedItem rows have their turn.
        related = _all(field.related_model)
        if field.related_model is Permission:  # A permission's natural key has its type's.
            related = related.select_related("content_type")
        rows = rows.prefetch_related(Prefetch(field.name, queryset=related))
    return rows.iterator(chunk_size=BATCH_SIZE)


# Importing -----------------------------------------------------------------------------


def import_site(path: Path, *, progress: Progress | None = None) -> dict[str, int]:
    """Load an export into this site, which must have no content yet; return the number
    of rows of each model read.

    1. The header must be this format and version, written at this database's
       migrations (SiteFileError otherwise).
    2. In one transaction, so that a failed import leaves nothing and can be run again:
       refuse a site with content; insert the rows in batches as they are read (the
       search triggers index papers and public summaries as they arrive); check the
       foreign keys; check that every row the header counts was read; move each id
       sequence past the ids imported.
    """
    lines = None
    try:
        with _open(path, "r", compressed=path.suffix == ".gz") as stream:
            header = _read_header(path, stream)
            lines = _NumberedLines(stream)
            with transaction.atomic():
                _refuse_content()
                counts = _load(lines, progress)
                connection.check_constraints()
                _check_counts(path, header["counts"], counts)
                _reset_sequences()
    except (OSError, EOFError, zlib.error) as error:  # gzip's: truncated, corrupt
        raise SiteFileError(f"Cannot read {path}: {error}") from error
    except (DeserializationError, ValueError) as error:
        where = f"line {lines.number}" if lines else "its header"
        raise SiteFileError(f"{path}, {where}: {_one_line(error)}") from error
    except DatabaseError as error:
        raise SiteFileError(f"{path} does not fit this database: {_one_line(error)}") from error
    return counts


def _read_header(path: Path, stream) -> dict:
    try:
        header = json.loads(stream.readline())
    except ValueError:  # Not JSON, or not even text.
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SiteFileError(
            f"{path} is not a ShortScience site export (its first line is not the header "
            "that export_site writes)."
        )
    if header.get("version") != FORMAT_VERSION:
        raise SiteFileError(
            f"{path} is in export format version {header.get('version')!r}; this site "
            f"reads version {FORMAT_VERSION}."
        )
    theirs, ours = header.get("migrations"), migration_state()
    if theirs != ours:
        raise SiteFileError(
            f"{path} was written at other migrations than this database's "
            f"({_first_difference(theirs, ours)}): import it into a database at the "
            "file's migrations (the code it was exported with), then migrate."
        )
    if not isinstance(header.get("counts"), dict):
        raise SiteFileError(f"{path} has no row counts in its header.")
    return header


def _refuse_content() -> None:
    found = [
        str(model._meta.verbose_name_plural)
        for model in map(apps.get_model, EXPORTED)
        # A new database has groups: the migrations make the Moderators group.
        if model not in NATURAL_KEYS and _all(model).exists()
    ]
    if found:
        raise SiteFileError(
            f"This site has content already ({', '.join(found[:3])}"
            f"{', …' if len(found) > 3 else ''}); import_site loads into an empty "
            "database: create a new one, run manage.py migrate on it, then import_site."
        )


class _NumberedLines:
    """The remaining lines of the file, counted, so that an error can say where it is."""

    def __init__(self, stream):
        self.stream = stream
        self.number = 1  # The header.

    def __iter__(self):
        for line in self.stream:
            self.number += 1
            yield line


def _load(lines: _NumberedLines, progress: Progress | None) -> Counter:
    counts = Counter()
    rows = serializers.deserialize("jsonl", lines, using=connection.alias)
    for model, group in itertools.groupby(rows, key=lambda row: type(row.object)):
        label = model._meta.label
        if label not in EXPORTED:
            raise DeserializationError(f"{label} rows are not part of a site export.")
        for batch in itertools.batched(group, BATCH_SIZE):
            _insert(model, batch)
            counts[label] += len(batch)
        if progress:
            progress(label, counts[label])
    return counts


def _insert(model: type[Model], rows) -> None:
    """Insert deserialized rows of one model, with their many-to-many relations."""
    if model in NATURAL_KEYS:
        # Groups: the deserializer found those the database has (Moderators) by name;
        # save() updates them and inserts the others, as loaddata does.
        for row in rows:
            row.save(using=connection.alias)
        return
    # One INSERT for the batch, as Model.save(raw=True) (loaddata's way) would make one
    # per row. Not bulk_create(): it would set auto_now fields (created_at, updated_at)
    # to now. Raw inserts also pass by ModerationLog.save(), which refuses to rewrite
    # the append-only log; the database's trigger refuses only UPDATE and DELETE.
    _all(model)._insert(
        [row.object for row in rows], fields=model._meta.local_concrete_fields, raw=True
    )
    for row in rows:
        row.object._state.adding, row.object._state.db = False, connection.alias
        for name, ids in row.m2m_data.items():
            if ids:  # Most members are in no group; an empty set() still costs a query.
                getattr(row.object, name).set(ids)


def _check_counts(path: Path, expected: dict, counts: Counter) -> None:
    for label in EXPORTED:
        number = expected.get(label, 0)
        if counts[label] != number:
            raise SiteFileError(
                f"{path} is incomplete: its header counts {number} {label} rows, "
                f"{counts[label]} were read. Was it cut short?"
            )


def _reset_sequences() -> None:
    """New rows get ids after the imported ones, as after loaddata."""
    models = [apps.get_model(label) for label in EXPORTED]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# Both ----------------------------------------------------------------------------------


def migration_state() -> dict[str, list[str]]:
    """The schema, as its migrations name it: each app's latest migration. SiteFileError
    if the database has migrations not yet applied."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(leaves):
        raise SiteFileError(
            "The database has migrations not yet applied: run manage.py migrate first."
        )
    state: dict[str, list[str]] = {}
    for app, name in leaves:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _first_difference(theirs, ours: dict[str, list[str]]) -> str:
    if not isinstance(theirs, dict):
        return "the file names none"

    def names(migrations) -> str:
        if isinstance(migrations, list):
            return ", ".join(map(str, migrations))
        return "none" if migrations is None else repr(migrations)

    for app in sorted(set(theirs) | set(ours)):
        if theirs.get(app) != ours.get(app):
            return f"{app}: {names(theirs.get(app))} in the file, {names(ours.get(app))} here"
    return "they differ"


def _all(model: type[Model]) -> QuerySet:
    # All rows, on the connection whose transaction this is, whatever a database router
    # would choose (shortscience/replicas.py sends some reads to a replica).
    return model._base_manager.using(connection.alias)


def _open(path: Path, mode: str, *, compressed: bool):
    if compressed:
        return gzip.open(path, mode + "t", encoding="utf-8", newline="\n")
    return open(path, mode, encoding="utf-8", newline="\n")


def _one_line(error: Exception) -> str:
    """The first line of an error (psycopg's add DETAIL and HINT lines), or of its cause
    (the jsonl deserializer's error for a line that is not JSON says nothing itself)."""
    text = str(error).strip() or str(error.__cause__ or "").strip()
    return (text.splitlines() or [type(error).__name__])[0]
