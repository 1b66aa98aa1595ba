"""Reads of papers and summaries: counted in memory, written to ViewCount in batches.

A page view costs a dictionary update under a lock, not a database write. When a view is
recorded and FLUSH_VIEWS views are waiting, or FLUSH_SECONDS have passed since the last
write, one INSERT ... ON CONFLICT statement adds the waiting counts to the per-day rows.
Each server process keeps its own counts and the database adds them up; a process that
is killed loses at most one batch, which popularity can afford.
"""

import atexit
import contextlib
import datetime
import logging
import threading
import time
from collections import Counter

from django.db import DatabaseError, connection
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import ViewCount

FLUSH_SECONDS = 30
FLUSH_VIEWS = 200
POPULAR_DAYS = 7

logger = logging.getLogger(__name__)

_clock = time.monotonic  # Tests replace it to move time on.
_lock = threading.Lock()
_pending: Counter[tuple[str, int, datetime.date]] = Counter()
# The database the waiting views were counted against. Test runs swap the database name
# under the process: views counted in the test database are never written to another.
_database_name: str | None = None
_last_flush = _clock()


def record_view(kind: ViewCount.Kind, object_id: int) -> None:
    """Count one read of a paper or summary page; write the batch when it is due."""
    global _database_name
    key = (str(kind), object_id, timezone.localdate())
    with _lock:
        _pending[key] += 1
        _database_name = connection.settings_dict["NAME"]
        is_due = _pending.total() >= FLUSH_VIEWS or _clock() - _last_flush >= FLUSH_SECONDS
    if is_due:
        flush()


def count_cached_read(kind: ViewCount.Kind):
    """For cache_for_anonymous(on_cached_read=...): a page served from the cache counts
    its read too, as the view would have."""

    def count(request, *args, pk, **kwargs):
        record_view(kind, pk)

    return count


def flush() -> None:
    """Add the waiting counts to ViewCount in one statement, and start counting afresh."""
    try:
        _write(_take_pending())
    except DatabaseError:
        # Reads are a rough signal: a lost batch must not fail the page being served.
        logger.exception("Could not write the waiting view counts; they are dropped.")


def discard() -> None:
    """Forget the waiting counts without writing them (tests start from nothing)."""
    _take_pending()


def _take_pending() -> list[tuple[tuple[str, int, datetime.date], int]]:
    global _last_flush, _database_name
    with _lock:
        rows = list(_pending.items())
        is_same_database = _database_name == connection.settings_dict["NAME"]
        _pending.clear()
        _database_name = None
        _last_flush = _clock()
    return rows if is_same_database else []


def _write(rows) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(ViewCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    # One statement whatever the batch size: a row per (kind, object, day) is made or
    # has the new reads added. Keys are unique within a batch (they come from a dict),
    # as ON CONFLICT DO UPDATE requires.
    sql = (
        f"INSERT INTO {table} (kind, object_id, day, count) VALUES {values} "  # noqa: S608 - only the table name and placeholders are formatted in
        f"ON CONFLICT (kind, object_id, day) DO UPDATE SET count = {table}.count + EXCLUDED.count"
    )
    # In key order: processes flushing at the same moment then lock the rows they share
    # in the same order, so they wait for each other instead of deadlocking.
    params = [
        value
        for (kind, object_id, day), count in sorted(rows)
        for value in (kind, object_id, day, count)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _flush_at_exit() -> None:
    # At interpreter exit logging may be gone and the database too: write or give up quietly.
    with contextlib.suppress(Exception):
        _write(_take_pending())


atexit.register(_flush_at_exit)


def with_recent_views(summaries, days: int = POPULAR_DAYS):
    """Annotate ``recent_views``: reads of each summary and of its paper in the last
    ``days`` days, today included; 0 when nobody read either."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)

    def reads(kind, object_id):
        total = (
            ViewCount.objects.filter(kind=kind, object_id=object_id, day__gte=since)
            .order_by()
            .values("object_id")
            .annotate(total=Sum("count"))
            .values("total")
        )
        return Coalesce(Subquery(total), Value(0), output_field=IntegerField())

    return summaries.annotate(
        recent_views=reads(ViewCount.Kind.SUMMARY, OuterRef("pk"))
        + reads(ViewCount.Kind.PAPER, OuterRef("paper_id"))
    )
