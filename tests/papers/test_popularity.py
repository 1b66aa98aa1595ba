import datetime
import logging

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from papers import popularity
from papers.models import ViewCount
from summaries.models import Summary
from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

PAPER, SUMMARY = ViewCount.Kind.PAPER, ViewCount.Kind.SUMMARY


def counts():
    return {
        (row.kind, row.object_id, row.day): row.count
        for row in ViewCount.objects.order_by("kind", "object_id", "day")
    }


def test_record_view_writes_nothing_until_the_batch_is_full(django_assert_num_queries):
    with django_assert_num_queries(0):
        for _ in range(popularity.FLUSH_VIEWS - 1):
            popularity.record_view(PAPER, 7)

    with django_assert_num_queries(1):
        popularity.record_view(PAPER, 7)

    assert counts() == {("paper", 7, timezone.localdate()): popularity.FLUSH_VIEWS}


def test_record_view_writes_once_the_batch_is_old_enough(django_assert_num_queries, monkeypatch):
    start = popularity._clock()
    monkeypatch.setattr(popularity, "_clock", lambda: start)
    popularity.discard()
    popularity.record_view(PAPER, 7)
    monkeypatch.setattr(popularity, "_clock", lambda: start + popularity.FLUSH_SECONDS)

    with django_assert_num_queries(1):
        popularity.record_view(SUMMARY, 9)

    today = timezone.localdate()
    assert counts() == {("paper", 7, today): 1, ("summary", 9, today): 1}


def test_flush_writes_every_object_in_one_statement(django_assert_num_queries):
    for object_id in (1, 2, 2, 3):
        popularity.record_view(SUMMARY, object_id)
    popularity.record_view(PAPER, 1)

    with django_assert_num_queries(1):
        popularity.flush()

    today = timezone.localdate()
    assert counts() == {
        ("paper", 1, today): 1,
        ("summary", 1, today): 1,
        ("summary", 2, today): 2,
        ("summary", 3, today): 1,
    }


def test_flush_twice_adds_up():
    for _ in range(3):
        popularity.record_view(PAPER, 7)
    popularity.flush()
    for _ in range(2):
        popularity.record_view(PAPER, 7)

    popularity.flush()

    assert counts() == {("paper", 7, timezone.localdate()): 5}


def test_flush_adds_to_a_row_written_before():
    today = timezone.localdate()
    ViewCount.objects.create(kind=PAPER, object_id=7, day=today, count=40)
    popularity.record_view(PAPER, 7)

    popularity.flush()

    assert counts() == {("paper", 7, today): 41}


def test_flush_counts_each_day_on_its_own_row(monkeypatch):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    monkeypatch.setattr(popularity.timezone, "localdate", lambda: yesterday)
    popularity.record_view(PAPER, 7)
    monkeypatch.undo()
    popularity.record_view(PAPER, 7)

    popularity.flush()

    assert counts() == {("paper", 7, yesterday): 1, ("paper", 7, timezone.localdate()): 1}


def test_flush_with_nothing_waiting_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        popularity.flush()


def test_flush_never_writes_views_counted_against_another_database(
    django_assert_num_queries, monkeypatch
):
    monkeypatch.setitem(connection.settings_dict, "NAME", "another_database")
    popularity.record_view(PAPER, 7)
    monkeypatch.undo()

    with django_assert_num_queries(0):
        popularity.flush()

    assert counts() == {}


def test_flush_that_fails_drops_the_batch_and_logs(monkeypatch, caplog):
    popularity.record_view(PAPER, 7)

    def fail(rows):
        raise DatabaseError("the database is away")

    monkeypatch.setattr(popularity, "_write", fail)

    with caplog.at_level(logging.ERROR, logger="papers.popularity"):
        popularity.flush()

    monkeypatch.undo()
    popularity.flush()
    assert counts() == {}
    assert caplog.messages == ["Could not write the waiting view counts; they are dropped."]


def test_paper_page_counts_a_read_without_writing(client, paper):
    client.get(paper.get_absolute_url())
    assert counts() == {}

    popularity.flush()

    assert counts() == {("paper", paper.pk, timezone.localdate()): 1}


def test_summary_page_counts_a_read(client):
    summary = SummaryFactory()
    client.get(summary.get_absolute_url())

    popularity.flush()

    assert counts() == {("summary", summary.pk, timezone.localdate()): 1}


def test_with_recent_views_adds_the_summarys_and_its_papers_reads_this_week():
    paper = PaperFactory()
    summary, sibling = SummaryFactory(paper=paper), SummaryFactory(paper=paper)
    today = timezone.localdate()
    week_start, too_old = today - datetime.timedelta(days=6), today - datetime.timedelta(days=7)
    ViewCount.objects.bulk_create(
        [
            ViewCount(kind=SUMMARY, object_id=summary.pk, day=today, count=3),
            ViewCount(kind=SUMMARY, object_id=summary.pk, day=week_start, count=2),
            ViewCount(kind=SUMMARY, object_id=summary.pk, day=too_old, count=100),
            ViewCount(kind=PAPER, object_id=paper.pk, day=today, count=10),
        ]
    )

    views = dict(
        popularity.with_recent_views(Summary.objects.all()).values_list("pk", "recent_views")
    )

    assert views == {summary.pk: 3 + 2 + 10, sibling.pk: 10}


def test_with_recent_views_is_zero_without_reads():
    summary = SummaryFactory()

    [views] = popularity.with_recent_views(Summary.objects.filter(pk=summary.pk)).values_list(
        "recent_views", flat=True
    )

    assert views == 0
