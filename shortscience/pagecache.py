"""Whole pages for readers who are not signed in, served from the cache.

Everyone without a session sees the same page at a URL, so such a page is rendered once
and then served from the cache (Redis when REDIS_URL is set, else the database cache)
until the content changes or PAGE_CACHE_SECONDS pass.

Invalidation is one number, the content generation, in every page's key. A request that
wrote content and committed it (a post, a vote, an edit in the admin) moves it on when it
has been answered, and so does every command that changes content (`content_changed()`);
pages cached under the old number are never read again and expire. A request that wrote
nothing, or only bookkeeping (its session, a rate-limit counter, view counts, a sign-in
time), or whose writes were rolled back, leaves it alone: a refused form, a post to a
missing page or one without a CSRF token cannot empty the cache. That is still coarse,
since one vote renders every page afresh, and it is correct without a list of which write
touches which page. PAGE_CACHE_SECONDS bounds how old "3 minutes ago" can get.

A page is stored only when nothing in it belongs to one reader: a 200 answer that sets no
cookie, uses no CSRF token, leaves the session and the messages alone and does not say
`private` or `no-store` (`never_cache`). Readers with a session or a pending message
cookie are never served from it.
"""

import functools
import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.utils.cache import get_max_age, set_response_etag
from django.views.decorators.http import require_safe

from shortscience.replicas import SAFE_METHODS, read_from_primary

GENERATION_KEY = "pagecache:generation"


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        return response


def content_changed() -> None:
    """Start a new content generation: every cached page is rendered afresh."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        # Not there yet, or evicted. A clock reading, so a generation number never comes
        # back after an eviction and serves pages from before it.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        content_changed()
        value = cache.get(GENERATION_KEY, 0)
    return value


def remember(name: str, compute):
    """``compute()``, kept in the cache until the content changes: for what every reader
    of a page needs and takes long to work out, like counting every public summary."""
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    key = f"value:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def cache_for_anonymous(view=None, *, on_cached_read=None):
    """Serve this view's page from the cache to readers without a session. The view is
    a page to read: it answers GET and HEAD only (405 to anything else).

    ``on_cached_read(request, *args, **kwargs)``: called when the page is served from the
    cache, for what the view does on every read besides rendering (counting the read:
    papers.popularity.count_cached_read).
    """
    if view is None:
        return functools.partial(cache_for_anonymous, on_cached_read=on_cached_read)

    @require_safe
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method != "GET"
            or not _is_anonymous(request)
        ):
            return view(request, *args, **kwargs)
        key = _key(request, generation())
        page = cache.get(key)
        if page is not None:
            if on_cached_read is not None:
                on_cached_read(request, *args, **kwargs)
            return page.response()
        # A page for every reader is read where the writes are, never from a lagging replica.
        read_from_primary()
        response = view(request, *args, **kwargs)
        if _is_shared(request, response):
            set_response_etag(response)
            headers = tuple((name, value) for name, value in response.items())
            cache.set(
                key,
                CachedPage(response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
        return response

    return wrapped


def _is_anonymous(request) -> bool:
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )


def address(request) -> str:
    """The page's address for cache keys: host and full path, hashed. The host is in it:
    one cache may serve several sites' names. Hashed, as the database cache's keys are at
    most 255 characters."""
    return hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()


def _key(request, number: int) -> str:
    return f"page:{number}:{address(request)}"


def _is_shared(request, response) -> bool:
    """Whether every reader without a session would get this same answer."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not (messages is not None and messages.added_new)
        # never_cache says "max-age=0, no-cache, no-store, must-revalidate, private".
        and get_max_age(response) != 0
        and "private" not in response.get("Cache-Control", "")
    )


class ContentChangedMiddleware:
    """After a request that committed a write to content, start a new content generation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or request.method in SAFE_METHODS:
            return self.get_response(request)
        connection = connections[DEFAULT_DB_ALIAS]
        writes = CommittedWrites(connection)
        with connection.execute_wrapper(writes):
            response = self.get_response(request)
        if writes.changed_content:
            content_changed()
        return response


# Tables that requests write without changing what any page shows: sessions, the database
# cache (rate-limit counters, cached pages), view counts (flushed in batches by readers'
# requests) and allauth's bookkeeping of addresses, confirmations and social tokens.
BOOKKEEPING_TABLES = re.compile(
    r"django_session|django_cache|papers_viewcount|account_\w+|socialaccount_\w+"
)
WRITE_STATEMENT = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(?P<table>\w+)"?'
    r'(?P<sign_in_time>\s+SET\s+"last_login"\s*=\s*%s\s+WHERE)?',
    re.IGNORECASE,
)


class CommittedWrites:
    """A database execute wrapper that notes whether writes to content through
    ``connection`` committed. A write registers an on_commit callback: in autocommit it
    runs at once; in a transaction, at its commit, and never if the transaction (or the
    savepoint around the write) is rolled back. A statement that fails raises before
    anything is noted.

    Inside an outer transaction that was open before (a test's), the callback waits for
    that transaction. Once every transaction opened since is closed, a callback still
    waiting counts: nothing rolled its write back, and it commits with the outer one.
    """

    def __init__(self, connection):
        self.connection = connection
        self._outer_blocks = len(connection.atomic_blocks)
        self._committed = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if _writes_content(sql):
            transaction.on_commit(self._on_commit, using=self.connection.alias)
        return result

    def _on_commit(self):
        self._committed = True

    @property
    def changed_content(self) -> bool:
        if self._committed:
            return True
        if len(self.connection.atomic_blocks) > self._outer_blocks:
            return False
        return any(callback == self._on_commit for _, callback, _ in self.connection.run_on_commit)


def _writes_content(sql: str) -> bool:
    match = WRITE_STATEMENT.match(sql)
    return (
        match is not None
        and not BOOKKEEPING_TABLES.fullmatch(match["table"])
        # Signing in stamps the member's last_login and nothing else.
        and not match["sign_in_time"]
    )
