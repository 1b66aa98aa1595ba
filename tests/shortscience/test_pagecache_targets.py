"""A write makes stale only the cached pages that show what it changed."""

import pytest
from django.test import Client

from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


@pytest.fixture
def pushed_off():
    """A summary that home no longer shows (ten newer ones push it off), and those ten."""
    voted = SummaryFactory()
    newer = [SummaryFactory() for _ in range(10)]
    return voted, newer


def _pages(voted, other) -> dict[str, str]:
    return {
        "the summary": voted.get_absolute_url(),
        "its paper": voted.paper.get_absolute_url(),
        "its author": voted.author.get_absolute_url(),
        "another summary": other.get_absolute_url(),
        "another paper": other.paper.get_absolute_url(),
        "another author": other.author.get_absolute_url(),
        "home": "/",
        "the feed": "/feeds/summaries.atom",
        "the paper list": "/papers/",
        "search": "/search/?q=study",
    }


def _read_all(client, pages) -> dict[str, str]:
    return {name: client.get(url)["X-Cache"] for name, url in pages.items()}


def test_a_vote_makes_stale_only_the_pages_that_show_that_summary(
    client, other_client, pushed_off, django_capture_on_commit_callbacks
):
    voted, newer = pushed_off
    pages = _pages(voted, newer[0])
    assert set(_read_all(client, pages).values()) == {"miss"}

    with django_capture_on_commit_callbacks(execute=True):
        answer = other_client.post(f"/summaries/{voted.pk}/vote/", {"value": "1"})

    assert answer.status_code == 302
    stale = {"the summary", "its paper", "its author"}
    assert _read_all(client, pages) == {name: "miss" if name in stale else "hit" for name in pages}


def test_a_vote_on_a_summary_home_shows_makes_home_stale_too(
    client, other_client, pushed_off, django_capture_on_commit_callbacks
):
    voted, newer = pushed_off
    shown = newer[-1]
    client.get("/")

    with django_capture_on_commit_callbacks(execute=True):
        other_client.post(f"/summaries/{shown.pk}/vote/", {"value": "1"})

    assert client.get("/")["X-Cache"] == "miss"
    assert client.get(voted.get_absolute_url())["X-Cache"] == "miss"  # never read yet


def test_a_comment_makes_stale_its_summary_and_paper_and_both_profiles(
    client, other_client, other_user, pushed_off, django_capture_on_commit_callbacks
):
    voted, newer = pushed_off
    pages = _pages(voted, newer[0]) | {"the commenter": other_user.get_absolute_url()}
    _read_all(client, pages)

    with django_capture_on_commit_callbacks(execute=True):
        answer = other_client.post(f"/summaries/{voted.pk}/comments/", {"body": "Why so?"})

    assert answer.status_code == 302
    stale = {"the summary", "its paper", "its author", "the commenter"}
    assert _read_all(client, pages) == {name: "miss" if name in stale else "hit" for name in pages}


def test_publishing_makes_every_listing_stale_but_not_other_papers(
    client, author, pushed_off, django_capture_on_commit_callbacks
):
    voted, newer = pushed_off
    pages = _pages(voted, newer[0])
    _read_all(client, pages)
    writer = Client()
    writer.force_login(author)
    paper = PaperFactory()

    with django_capture_on_commit_callbacks(execute=True):
        answer = writer.post(f"/summaries/new/{paper.pk}/", {"body": "A new reading of $x$."})

    assert answer.status_code == 302
    stale = {"home", "the feed", "the paper list", "search"}
    assert _read_all(client, pages) == {name: "miss" if name in stale else "hit" for name in pages}


def test_a_write_rolled_back_makes_nothing_stale(client, other_client, pushed_off):
    voted, newer = pushed_off
    pages = _pages(voted, newer[0])
    _read_all(client, pages)

    # No commit: the test's transaction is rolled back after the test, and on_commit
    # callbacks never run inside it.
    other_client.post(f"/summaries/{voted.pk}/vote/", {"value": "1"})

    assert set(_read_all(client, pages).values()) == {"hit"}


def test_a_vote_reorders_home_best_only_when_it_changes_who_is_on_it(
    client, other_client, pushed_off, django_capture_on_commit_callbacks
):
    voted, _ = pushed_off
    client.get("/?tab=best")

    with django_capture_on_commit_callbacks(execute=True):
        other_client.post(f"/summaries/{voted.pk}/vote/", {"value": "-1"})
    after_down = client.get("/?tab=best")["X-Cache"]  # still last: the page is the same
    with django_capture_on_commit_callbacks(execute=True):
        other_client.post(f"/summaries/{voted.pk}/vote/", {"value": "1"})
    after_up = client.get("/?tab=best")  # now first

    assert after_down == "hit"
    assert after_up["X-Cache"] == "miss"
    assert after_up.context["page"].object_list[0] == voted
