"""The server-error handler: a database that cannot be reached answers 503, with a page
that needs no database; every other failure answers the normal 500.

This module is also the URLconf of its tests: the site's URLs and handler500, plus views
that fail in chosen ways.
"""

import os
import subprocess
import sys

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache.backends.db import DatabaseCache
from django.db import (
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.http import HttpResponse
from django.urls import path
from django.utils.functional import SimpleLazyObject

from pages import urls as site_urls
from shortscience.errors import RETRY_AFTER, server_error
from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def database_down(request):
    raise OperationalError('connection to server on socket "/run/.s.PGSQL.5432" failed')


def connection_closed(request):
    raise InterfaceError("connection already closed")


def failed_after_database_error(request):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as error:
        raise RuntimeError("could not build the page") from error


def slow_query(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 50")
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("finished")


def broken(request):
    raise RuntimeError("deliberate failure for the 500 page test")


def duplicate(request):
    raise IntegrityError("duplicate key value violates unique constraint")


def bad_data(request):
    raise DataError("value too long for type character varying(40)")


handler500 = site_urls.handler500
urlpatterns = [
    *site_urls.urlpatterns,
    path("fail/database-down/", database_down),
    path("fail/connection-closed/", connection_closed),
    path("fail/after-database-error/", failed_after_database_error),
    path("fail/slow-query/", slow_query),
    path("fail/broken/", broken),
    path("fail/duplicate/", duplicate),
    path("fail/bad-data/", bad_data),
]


@pytest.fixture(autouse=True)
def _failing_views(settings, client):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False


@pytest.fixture
def database_down_for_sessions(monkeypatch, client):
    """A visitor with a session cookie, while loading sessions fails as with the
    database down: the session middleware's lazy load raises wherever it happens."""
    client.cookies["sessionid"] = "x" * 32

    def fail(self):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(SessionStore, "_get_session_from_db", fail)


def assert_is_503_page(response):
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert html.startswith("<!doctype html>")
    assert "<h1>Temporarily unavailable</h1>" in html
    assert "database system" not in html
    assert "connection" not in html


@pytest.mark.parametrize("url", ["/fail/database-down/", "/fail/connection-closed/"])
def test_database_unavailable_in_a_view_gets_the_503_page(client, url):
    response = client.get(url)

    assert_is_503_page(response)
    assert "script-src 'self';" in response["Content-Security-Policy"]


def test_failure_raised_from_a_database_error_gets_the_503_page(client):
    response = client.get("/fail/after-database-error/")

    assert_is_503_page(response)


@pytest.mark.parametrize("url", ["/fail/broken/", "/fail/duplicate/", "/fail/bad-data/"])
def test_other_failures_get_the_500_page(client, url):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "<h1>Something went wrong</h1>" in html
    assert "Temporarily unavailable" not in html


def test_database_unavailable_in_the_session_middleware_gets_the_503_page(
    client, database_down_for_sessions
):
    # The about page's view asks nothing of the database; its header asks who is
    # signed in, which loads the session.
    response = client.get("/about/")

    assert_is_503_page(response)


def test_database_unavailable_while_rendering_the_404_page_gets_the_503_page(
    client, database_down_for_sessions
):
    response = client.get("/no/such/page/")

    assert_is_503_page(response)


def test_database_cache_unavailable_on_a_write_gets_the_503_page(client, other_user, monkeypatch):
    summary = SummaryFactory()
    client.force_login(other_user)

    def fail(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    # Rate limits count in the cache, which is the database cache without REDIS_URL.
    monkeypatch.setattr(DatabaseCache, "get", fail)
    response = client.post(f"/summaries/{summary.pk}/vote/", {"value": "1"})

    assert_is_503_page(response)


def test_the_503_page_asks_nothing_of_the_database(rf, django_assert_num_queries):
    request = rf.get("/")

    def no_lookup():
        raise AssertionError("the 503 page looked up the member")

    request.user = SimpleLazyObject(no_lookup)

    with django_assert_num_queries(0):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = server_error(request)

    assert response.status_code == 503
    assert "<h1>Temporarily unavailable</h1>" in response.content.decode()


def test_a_query_past_the_statement_timeout_gets_the_503_page_saying_so(client):
    response = client.get("/fail/slow-query/")

    assert_is_503_page(response)
    assert "took too long" in response.content.decode()


def test_web_requests_run_with_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (value,) = cursor.fetchone()

    assert value == "5s"


def test_management_commands_run_without_the_statement_timeout():
    # manage.py is not imported by the test process; run it as an operator would.
    env = {key: value for key, value in os.environ.items() if key != "STATEMENT_TIMEOUT_MS"}
    command = "from django.conf import settings; print(settings.STATEMENT_TIMEOUT_MS)"

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", command],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )

    assert result.stdout.strip() == "0"
