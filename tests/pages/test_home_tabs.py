import datetime

import pytest
from django.utils import timezone

from papers import popularity
from papers.models import ViewCount
from summaries.models import Summary
from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def listed(response):
    return list(response.context["page"].object_list)


def age(summary, days, field="created_at"):
    """Move the summary's creation (or last edit) back by this many days."""
    moved = timezone.now() - datetime.timedelta(days=days)
    Summary.objects.filter(pk=summary.pk).update(**{field: moved})


def read(kind, object_id, times):
    for _ in range(times):
        popularity.record_view(kind, object_id)


def test_home_tabs_are_plain_links_marking_the_current_one(client):
    response = client.get("/", {"tab": "best"})

    html = response.content.decode()
    assert response.context["tab"] == "best"
    assert '<nav class="tabs" aria-label="Summaries">' in html
    assert '<a href="?tab=recent">Recent</a>' in html
    assert '<a href="?tab=best" aria-current="page">Best</a>' in html
    assert '<a href="?tab=popular">Popular</a>' in html


def test_home_recent_tab_is_the_default_and_lists_the_latest_written_or_edited(client):
    edited = SummaryFactory(paper__title="Edited")
    age(edited, 30)
    old = SummaryFactory(paper__title="Old")
    age(old, 10)
    age(old, 10, field="updated_at")
    new = SummaryFactory(paper__title="New")
    age(new, 1)
    age(new, 1, field="updated_at")

    response = client.get("/")

    assert response.context["tab"] == "recent"
    assert listed(response) == [edited, new, old]
    assert '<a href="?tab=recent" aria-current="page">Recent</a>' in response.content.decode()


@pytest.mark.parametrize("tab", ["newest", "", "' OR 1=1"])
def test_home_unknown_tab_falls_back_to_recent(client, tab):
    older, newer = SummaryFactory(), SummaryFactory()

    response = client.get("/", {"tab": tab})

    assert response.context["tab"] == "recent"
    assert listed(response) == [newer, older]


def test_home_best_tab_lists_the_highest_scores_first(client):
    middle = SummaryFactory(score=4)
    best = SummaryFactory(score=9)
    worst = SummaryFactory(score=-2)

    response = client.get("/", {"tab": "best"})

    assert response.context["period"] == "all"
    assert listed(response) == [best, middle, worst]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("week", ["this_week"]),
        ("month", ["this_month", "this_week"]),
        ("all", ["old", "this_month", "this_week"]),
    ],
)
def test_home_best_tab_over_a_period_counts_summaries_created_in_it(client, period, expected):
    summaries = {
        "old": SummaryFactory(score=9),
        "this_month": SummaryFactory(score=5),
        "this_week": SummaryFactory(score=1),
    }
    age(summaries["old"], 40)
    age(summaries["this_month"], 20)
    age(summaries["this_week"], 2)

    response = client.get("/", {"tab": "best", "period": period})

    html = response.content.decode()
    assert listed(response) == [summaries[name] for name in expected]
    assert f'<a href="?tab=best&amp;period={period}" aria-current="page">' in html
    assert "The website has 3 public summaries." in html


def test_home_best_tab_with_an_unknown_period_covers_all_time(client):
    old = SummaryFactory(score=1)
    age(old, 400)

    response = client.get("/", {"tab": "best", "period": "decade"})

    assert response.context["period"] == "all"
    assert listed(response) == [old]


def test_home_popular_tab_orders_by_reads_of_the_summary_and_its_paper_this_week(client):
    paper = PaperFactory()
    unread = SummaryFactory(paper__title="Unread", score=50)
    by_paper = SummaryFactory(paper=paper)
    by_itself = SummaryFactory()
    read(ViewCount.Kind.PAPER, paper.pk, 3)
    read(ViewCount.Kind.SUMMARY, by_paper.pk, 1)
    read(ViewCount.Kind.SUMMARY, by_itself.pk, 5)
    popularity.flush()

    response = client.get("/", {"tab": "popular"})

    html = response.content.decode()
    assert listed(response) == [by_itself, by_paper, unread]
    assert [s.recent_views for s in listed(response)] == [5, 4, 0]
    assert '<h2 id="listing" class="section-title">\n      Most read this week\n    </h2>' in html


def test_home_popular_tab_ignores_reads_older_than_a_week(client):
    read_long_ago, read_now = SummaryFactory(), SummaryFactory()
    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    ViewCount.objects.create(
        kind=ViewCount.Kind.SUMMARY, object_id=read_long_ago.pk, day=week_ago, count=100
    )
    read(ViewCount.Kind.SUMMARY, read_now.pk, 1)
    popularity.flush()

    response = client.get("/", {"tab": "popular"})

    assert listed(response) == [read_now, read_long_ago]


def test_home_tabs_keep_the_welcome_count_of_public_summaries(client):
    SummaryFactory.create_batch(2)
    SummaryFactory(is_private=True)

    responses = [client.get("/", {"tab": tab}) for tab in ("recent", "best", "popular")]

    assert [r.context["summary_count"] for r in responses] == [2, 2, 2]
    assert all("The website has 2 public summaries." in r.content.decode() for r in responses)


def test_home_pagination_keeps_the_tab(client, monkeypatch):
    monkeypatch.setattr("pages.views.SUMMARIES_PER_PAGE", 1)
    SummaryFactory.create_batch(2)

    response = client.get("/", {"tab": "best", "period": "week"})

    assert '<a rel="next" href="?tab=best&amp;period=week&amp;page=2">Next</a>' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ({}, 4),
        ({"tab": "recent"}, 4),
        ({"tab": "best"}, 4),
        # A period narrows the listing: the welcome count takes a query of its own.
        ({"tab": "best", "period": "week"}, 5),
        ({"tab": "popular"}, 4),
    ],
)
@pytest.mark.parametrize("count", [1, 3])
def test_home_tab_query_count_does_not_grow_with_summaries(
    client, django_assert_num_queries, query, queries, count
):
    for _ in range(count):
        summary = SummaryFactory(paper=PaperFactory(authors=["A One", "B Two"]))
        summary.paper.tags.add("cs.LG", "optimization")
        read(ViewCount.Kind.SUMMARY, summary.pk, 2)
        read(ViewCount.Kind.PAPER, summary.paper_id, 1)
    popularity.flush()

    with django_assert_num_queries(queries):
        response = client.get("/", query)

    assert len(listed(response)) == count
