"""Whole pages for readers who are not signed in, served from the cache, and the versions
that say when a page is stale (docs/caching.md).

Everyone without a session sees the same page at a URL, so such a page is rendered once
and kept in the "pages" cache until what it shows changes or PAGE_CACHE_SECONDS pass.

What a page shows is named by tags: "summary:12" for a summary's page, "paper:7" for a
paper's, "member:ada" for a profile, "summaries" for every listing of summaries, "papers"
for every listing of papers, and "site" for everything. A view says which tags its page
depends on (``cache_for_anonymous(depends_on=...)``); each tag has a version number in the
"default" cache, and a page is stored under its address and the versions of its tags.
The service that writes, once its transaction commits, moves on the versions of what it
changed (``changed("summary:12", "paper:7")``): the pages that show it are then looked up
under new keys and rendered afresh, and every other page stays. A request that writes
nothing, is refused or rolls back changes no version. Writes that know nothing of tags
(the admin, commands, imports) move on "site" (``content_changed()``).

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
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.utils.cache import get_max_age, set_response_etag
from django.views.decorators.http import require_safe

from shortscience.replicas import SAFE_METHODS, read_from_primary

# Tags of what everything, every listing of summaries and every listing of papers show,
# and of any summary's score (what orders the listings by score).
SITE, SUMMARIES, PAPERS, SCORES = "site", "summaries", "papers", "scores"


def tag(kind: str, key) -> str:
    """The tag of one thing: tag("summary", 12), tag("paper", 7), tag("member", "ada")."""
    return f"{kind}:{str(key).casefold()}"


def tags(*names: str):
    """``depends_on`` for a page that shows these listings, whatever its arguments."""
    return lambda request, *args, **kwargs: names


def pages():
    """The cache of pages and parts of pages: it may drop any of them at any time."""
    return caches["pages"]


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


# Versions -------------------------------------------------------------------------------


def _version_key(tag: str) -> str:
    return f"version:{tag}"


def versions(tags) -> dict[str, int]:
    """The current version of each tag, in one round trip when all are known. A tag
    never seen (or dropped from the cache) gets a clock reading, so a version number
    never comes back and serves a page from before it."""
    keys = {tag: _version_key(tag) for tag in tags}
    found = cache.get_many(keys.values())
    missing = [key for key in keys.values() if key not in found]
    if missing:
        now = time.time_ns()
        for key in missing:
            cache.add(key, now, timeout=None)
        found |= cache.get_many(missing)
    return {tag: found.get(key, 0) for tag, key in keys.items()}


def changed(*tags: str) -> None:
    """Once the current transaction commits (at once outside one), move on the versions
    of these tags: every page that depends on one of them is rendered afresh. A rolled
    back transaction changes nothing."""
    tags = tuple(dict.fromkeys(tags))
    if tags and settings.PAGE_CACHE_SECONDS:
        transaction.on_commit(functools.partial(_move_on, tags))


def _move_on(tags) -> None:
    for tag in tags:
        try:
            cache.incr(_version_key(tag))
        except ValueError:  # Not there yet, or dropped: a clock reading, as in versions().
            cache.add(_version_key(tag), time.time_ns(), timeout=None)


def content_changed() -> None:
    """Anything may have changed (the admin, a command, an import): every page anew."""
    changed(SITE)


def remember(name: str, compute, *, tags=(SITE,)):
    """``compute()``, kept until one of ``tags`` changes: for what every reader of a page
    needs and takes long to work out, like counting every public summary."""
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    key = f"value:{name}:{_digest(versions((SITE, *tags)))}"
    value = pages().get(key)
    if value is None:
        value = compute()
        pages().set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def _digest(found: dict[str, int]) -> str:
    text = ",".join(f"{tag}={number}" for tag, number in sorted(found.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# Pages ----------------------------------------------------------------------------------


def cache_for_anonymous(view=None, *, depends_on=None, on_cached_read=None):
    """Serve this view's page from the cache to readers without a session. The view is
    a page to read: it answers GET and HEAD only (405 to anything else).

    ``depends_on(request, *args, **kwargs)``: the tags of what the page shows, besides
    "site"; without it, the page changes only with "site" (and PAGE_CACHE_SECONDS).
    ``on_cached_read(request, *args, **kwargs)``: called when the page is served from the
    cache, for what the view does on every read besides rendering (counting the read:
    papers.popularity.count_cached_read).
    """
    if view is None:
        return functools.partial(
            cache_for_anonymous, depends_on=depends_on, on_cached_read=on_cached_read
        )

    @require_safe
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method != "GET"
            or not _is_anonymous(request)
        ):
            return view(request, *args, **kwargs)
        tags = [SITE, *(depends_on(request, *args, **kwargs) if depends_on else ())]
        key = f"page:{address(request)}:{_digest(versions(tags))}"
        page = pages().get(key)
        if page is not None:
            if on_cached_read is not None:
                on_cached_read(request, *args, **kwargs)
            response = page.response()
            response["X-Cache"] = "hit"
            return response
        # A page for every reader is read where the writes are, never from a lagging replica.
        read_from_primary()
        response = view(request, *args, **kwargs)
        if _is_shared(request, response):
            set_response_etag(response)
            headers = tuple((name, value) for name, value in response.items())
            pages().set(
                key,
                CachedPage(response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Cache"] = "miss"
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


# The admin -------------------------------------------------------------------------------


class AdminChangesMiddleware:
    """After a request to the admin that committed a write to content, every page anew
    (``content_changed()``): the admin edits any model without our services, so it cannot
    say what it changed. Elsewhere the services say it themselves (``changed()``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method in SAFE_METHODS
            or not request.path_info.startswith("/admin/")
        ):
            return self.get_response(request)
        connection = connections[DEFAULT_DB_ALIAS]
        writes = CommittedWrites(connection)
        with connection.execute_wrapper(writes):
            response = self.get_response(request)
        if writes.changed_content:
            content_changed()
        return response


# Tables that requests write without changing what any page shows: sessions, the database
# cache (rate-limit counters, versions), view counts and allauth's bookkeeping of
# addresses, confirmations and social tokens.
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
