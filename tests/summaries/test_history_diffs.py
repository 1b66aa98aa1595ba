"""The history page's diffs: computed once per pair of revisions, cheap at any size."""

import time
from unittest import mock

import pytest

from summaries import diffing
from summaries.forms import BODY_MAX_LENGTH
from tests.factories import SummaryFactory
from tests.summaries.test_history import edit

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture(autouse=True)
def locmem_cache(settings):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_SECONDS = 0  # every request reaches the view
    cache.clear()
    yield
    cache.clear()


def alternating(count):
    return "\n".join("ab"[n % 2] for n in range(count))


@pytest.fixture
def edited(paper, author):
    summary = SummaryFactory(paper=paper, author=author, body="one\ntwo\n")
    summary = edit(summary, "one\n2\n")
    return edit(summary, "one\n2\nthree\n")


@pytest.fixture
def count_diffs():
    with mock.patch.object(diffing, "diff_lines", wraps=diffing.diff_lines) as spy:
        yield spy


def test_second_request_for_a_diff_reuses_it(author_client, edited, count_diffs):
    url = f"/summaries/{edited.pk}/history/"

    first = author_client.get(url)
    second = author_client.get(url)

    assert count_diffs.call_count == 1
    assert list(second.context["diff"]) == list(first.context["diff"])
    assert [(row.kind, row.text) for row in second.context["diff"]] == [
        ("same", "one"),
        ("same", "2"),
        ("added", "three"),
    ]


def test_each_pair_of_revisions_has_its_own_diff(author_client, edited, count_diffs):
    url = f"/summaries/{edited.pk}/history/"

    author_client.get(url, {"from": 1, "to": 2})
    other = author_client.get(url, {"from": 1, "to": 3})
    author_client.get(url, {"from": 1, "to": 2})

    assert count_diffs.call_count == 2
    assert [(row.kind, row.text) for row in other.context["diff"]] == [
        ("same", "one"),
        ("removed", "two"),
        ("added", "2"),
        ("added", "three"),
    ]


def test_history_of_25000_alternating_lines_takes_milliseconds(client, paper, author):
    body = alternating(25_000)
    assert len(body) < BODY_MAX_LENGTH
    summary = SummaryFactory(paper=paper, author=author, body=body)
    edit(summary, "a new first line\n" + body.replace("a\nb\na", "a\nb\nX", 1))

    start = time.perf_counter()
    response = client.get(f"/summaries/{summary.pk}/history/")
    elapsed = time.perf_counter() - start

    assert elapsed < 0.5
    changes = [(row.kind, row.text) for row in response.context["diff"] if row.kind != "same"]
    assert changes == [("added", "a new first line"), ("removed", "a"), ("added", "X")]


def test_a_tangled_long_diff_says_it_is_simplified_and_cut_short(client, paper, author):
    tangled = "\n".join(f"line {n * 7919 % 10007}" for n in range(5000))
    summary = SummaryFactory(paper=paper, author=author, body=alternating(20_000))
    edit(summary, tangled)

    start = time.perf_counter()
    response = client.get(f"/summaries/{summary.pk}/history/")
    elapsed = time.perf_counter() - start

    html = response.content.decode()
    diff = response.context["diff"]
    assert elapsed < 0.5
    assert (diff.is_simplified, diff.is_truncated, len(diff)) == (True, True, diffing.MAX_ROWS)
    assert "too tangled to match line by line" in html
    assert f"its first {diffing.MAX_ROWS} lines of {diff.total_rows} are shown" in html
