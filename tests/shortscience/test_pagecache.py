"""Whole pages for readers without a session come from the cache until content changes."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.views.decorators.cache import never_cache

from papers import popularity
from papers.models import ViewCount
from shortscience import pagecache
from summaries.services import cast_vote
from tests.factories import PASSWORD, SummaryFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.integration,
    pytest.mark.usefixtures("page_cache"),
]


def test_page_cache_serves_a_second_anonymous_read_without_the_database(
    client, django_assert_num_queries
):
    summary = SummaryFactory(body="Dropout is a *regularizer*.")
    first = client.get(summary.paper.get_absolute_url())

    with django_assert_num_queries(0):
        second = client.get(summary.paper.get_absolute_url())

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert "regularizer" in second.content.decode()
    assert second["ETag"] == first["ETag"]
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")


def test_the_cached_home_page_asks_the_database_nothing_either(client, django_assert_num_queries):
    summary = SummaryFactory(body="Dropout is a *regularizer*.")
    first = client.get("/?tab=best")

    with django_assert_num_queries(0):
        second = client.get("/?tab=best")

    assert second.content == first.content
    assert summary.paper.title in second.content.decode()


def test_page_cache_serves_the_page_as_it_was_until_a_write(
    client, other_user, django_capture_on_commit_callbacks
):
    paper = SummaryFactory().paper
    client.get(paper.get_absolute_url())
    # Made behind the site's back, as no member can: no request announced it.
    SummaryFactory(paper=paper, body="A second view: *sparsity* first.")
    voter = Client()
    voter.force_login(other_user)

    stale = client.get(paper.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        voter.post(f"/summaries/{paper.summaries.first().pk}/vote/", {"value": "1"})
    fresh = client.get(paper.get_absolute_url()).content.decode()

    assert "sparsity" not in stale
    assert "sparsity" in fresh


def test_page_cache_shows_a_hidden_summary_gone_at_once(
    client, moderator, django_capture_on_commit_callbacks
):
    summary = SummaryFactory(body="Buy cheap GPUs at example.com")
    assert client.get(summary.get_absolute_url()).status_code == 200
    moderating = Client()
    moderating.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        hidden = moderating.post(
            f"/moderation/summary/{summary.pk}/hide/", {"reason": "Advertising"}
        )

    assert hidden.status_code == 302
    assert client.get(summary.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("reader", ["signed in", "with a message waiting"])
def test_page_cache_serves_a_fresh_page_to_a_reader_of_their_own(client, author, reader):
    paper = SummaryFactory().paper
    client.get(paper.get_absolute_url())
    SummaryFactory(paper=paper, body="A second view: *sparsity* first.")
    if reader == "signed in":
        client.force_login(author)
    else:
        client.cookies["messages"] = "pending"

    response = client.get(paper.get_absolute_url())

    assert response.status_code == 200
    assert "sparsity" in response.content.decode()


def test_page_cache_counts_reads_of_cached_paper_and_summary_pages(client):
    summary = SummaryFactory()
    popularity.discard()

    for _ in range(3):
        client.get(summary.get_absolute_url())
        client.get(summary.paper.get_absolute_url())
    popularity.flush()

    counts = dict(ViewCount.objects.values_list("kind", "count"))
    assert counts == {ViewCount.Kind.SUMMARY: 3, ViewCount.Kind.PAPER: 3}


def test_page_cache_answers_not_modified_to_a_reader_with_the_page(client):
    SummaryFactory()
    etag = client.get("/")["ETag"]

    response = client.get("/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


def _served_twice(view) -> tuple[int, int]:
    """Calls of the view when an anonymous reader asks for its page twice."""
    calls = []

    @pagecache.cache_for_anonymous
    def wrapped(request):
        calls.append(request)
        return view(request)

    factory = RequestFactory()
    for _ in range(2):
        request = factory.get("/somewhere/")
        wrapped(request)
    return len(calls)


@pytest.mark.parametrize(
    ("name", "view"),
    [
        ("sets a cookie", lambda request: _with_cookie(HttpResponse("hi"))),
        ("uses a CSRF token", lambda request: HttpResponse(get_token(request))),
        ("says never cache", never_cache(lambda request: HttpResponse("hi"))),
        ("is not a 200", lambda request: HttpResponse("gone", status=404)),
        ("adds a message", lambda request: _with_message(request)),
    ],
)
def test_page_cache_never_stores_a_page_that_belongs_to_one_reader(name, view):
    assert _served_twice(view) == 2, name


def test_page_cache_stores_a_page_everyone_shares():
    assert _served_twice(lambda request: HttpResponse("the same for all")) == 1


def test_page_cache_is_off_with_zero_seconds(settings):
    settings.PAGE_CACHE_SECONDS = 0

    assert _served_twice(lambda request: HttpResponse("the same for all")) == 2


def test_a_version_never_comes_back_after_an_eviction():
    pagecache.content_changed()
    before = pagecache.versions(["site"])["site"]

    cache.delete("version:site")
    after = pagecache.versions(["site"])["site"]

    assert after > before


def test_a_vote_moves_on_the_versions_of_what_it_changed_once_committed(
    other_user, django_capture_on_commit_callbacks
):
    summary = SummaryFactory()
    tags = [f"summary:{summary.pk}", f"paper:{summary.paper_id}", "summaries", "site"]
    before = pagecache.versions(tags)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cast_vote(other_user, summary, 1)
    waiting = pagecache.versions(tags)
    for callback in callbacks:
        callback()
    after = pagecache.versions(tags)

    assert waiting == before
    assert {name for name in tags if after[name] != before[name]} == set(tags[:2])


def test_page_cache_outlives_refused_and_anonymous_posts(client, author):
    summary = SummaryFactory()
    strict = Client(enforce_csrf_checks=True)
    member = Client()
    member.force_login(author)
    client.get(summary.get_absolute_url())
    start = _versions()

    answers = [
        strict.post("/no/such/page/").status_code,  # no session, nowhere to go
        client.post("/no/such/page/", {"x": "y" * 1000}).status_code,
        client.post("/search/", {"q": "x"}).status_code,  # a page to read only
        strict.post(f"/summaries/{summary.pk}/vote/", {"value": "1"}).status_code,
        client.post(f"/summaries/{summary.pk}/vote/", {"value": "1"}).status_code,
        client.post("/accounts/login/", {"login": "ada", "password": "wrong"}).status_code,
        member.post(f"/summaries/{summary.pk}/comments/", {"body": ""}).status_code,
        member.post(f"/summaries/{summary.pk}/vote/", {"value": "7"}).status_code,
    ]

    assert answers == [404, 404, 405, 403, 302, 200, 400, 400]
    assert _versions() == start
    assert client.get(summary.get_absolute_url())["X-Cache"] == "hit"


def _versions() -> dict:
    """Every version in the (local memory) cache, as stored."""
    return {key: value for key, value in cache._cache.items() if ":version:" in key}


def test_page_cache_outlives_signing_in(client, author):
    client.get("/")
    start = _versions()

    response = client.post("/accounts/login/", {"login": "ada", "password": PASSWORD})

    assert response.status_code == 302
    assert response.wsgi_request.user == author
    assert _versions() == start


# Transactions of their own: the test's transaction would hold every commit back.
@pytest.mark.django_db(transaction=True)
def test_committed_writes_ignore_a_rolled_back_transaction():
    writes = pagecache.CommittedWrites(connection)

    def write_then_fail():
        with transaction.atomic():
            UserFactory()
            raise RuntimeError("rolled back")

    with connection.execute_wrapper(writes), pytest.raises(RuntimeError):
        write_then_fail()

    assert writes.changed_content is False


@pytest.mark.django_db(transaction=True)
def test_committed_writes_see_a_commit_only_when_it_happens():
    writes = pagecache.CommittedWrites(connection)

    with connection.execute_wrapper(writes), transaction.atomic():
        UserFactory()
        before_commit = writes.changed_content

    assert before_commit is False
    assert writes.changed_content is True


def test_committed_writes_ignore_the_database_cache_and_sessions():
    writes = pagecache.CommittedWrites(connection)

    with connection.execute_wrapper(writes):
        DatabaseCache("django_cache", {}).set("ratelimit:x", 1)
        SessionStore().save()

    assert writes.changed_content is False


def _with_cookie(response):
    response.set_cookie("flavour", "oat")
    return response


def _with_message(request):
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    messages.info(request, "Hello")
    return HttpResponse("hi")


def test_page_cache_serves_feeds_too(client, django_assert_num_queries):
    SummaryFactory(body="Dropout is a *regularizer*.")
    first = client.get("/feeds/summaries.atom")

    with django_assert_num_queries(0):
        second = client.get("/feeds/summaries.atom")

    assert second.content == first.content
    assert second["Content-Type"].startswith("application/atom+xml")
