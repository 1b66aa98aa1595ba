"""Reads from a PostgreSQL streaming replica; writes, and reads after them, on the primary.

Active only when DATABASE_REPLICA_URL is set: settings then add the "replica" alias and
PrimaryReplicaRouter, and the middleware below runs (without the router it removes itself
at start). Every query Django routes (the ORM, sessions, the database cache) goes:

1. A write goes to the primary ("default") and marks the request as having written
   (unless it writes a session or a cache entry, which are read from the primary anyway).
2. A read goes to the primary when
   - no request is being served (management commands, the shell, threads a view starts):
     they read back what they just wrote, and they are few;
   - the request is a POST, PUT, PATCH or DELETE, or has written anything;
   - the same client sent one of those within REPLICA_PIN_SECONDS (the PIN_COOKIE):
     a replica replays the primary's changes a moment later, and the page after a form
     post must show the post;
   - a transaction is open on the primary: the replica cannot see its uncommitted rows;
   - it reads a session or a database cache entry: a session missing on a lagging
     replica would sign the member out, and rate-limit counts read stale would undercount;
   - it follows a relation from an object that was itself read from the primary.
3. Any other read goes to the replica.

Raw SQL through ``django.db.connection`` is not routed and always runs on the primary.
"""

import contextvars
import dataclasses
import math
import time

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.decorators import sync_and_async_middleware

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
ROUTER = "shortscience.replicas.PrimaryReplicaRouter"
# Until when (Unix time) this client's reads go to the primary. Not signed: a client that
# forges it only sends its own reads to the primary, as a form post would.
PIN_COOKIE = "read_primary_until"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Sessions, and the database cache (DatabaseCache's model has this app label).
PRIMARY_ONLY_APPS = {"sessions", "django_cache"}


@dataclasses.dataclass
class RequestState:
    reads_primary: bool
    wrote: bool = False


# One state object per request. Context variables follow the request into threads that
# asgiref's sync_to_async starts and keep concurrent requests apart (threads, async tasks);
# the object is shared, not copied, so a write anywhere in the request is seen everywhere.
_request_state: contextvars.ContextVar[RequestState | None] = contextvars.ContextVar(
    "replica_request_state", default=None
)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return PRIMARY if _reads_primary(model, hints) else REPLICA

    def db_for_write(self, model, **hints):
        state = _request_state.get()
        # Sessions and cache entries are read from the primary anyway; writing them (a
        # page stored in the page cache, say) must not move the client's reads there.
        if state is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            state.wrote = state.reads_primary = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows: an object read from the replica may be
        # linked to one from the primary (and the primary saves the link).
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema through replication.
        return False if db == REPLICA else None


def _reads_primary(model, hints) -> bool:
    state = _request_state.get()
    if state is None or state.reads_primary:
        return True
    if model._meta.app_label in PRIMARY_ONLY_APPS:
        return True
    if connections[PRIMARY].in_atomic_block:
        return True
    instance = hints.get("instance")
    return instance is not None and instance._state.db == PRIMARY


def read_from_primary() -> None:
    """Send the rest of this request's reads to the primary.

    For a page about to be shared with other readers (shortscience/pagecache.py): one
    rendered from a replica that lags behind a write would be served, stale, for as long
    as the cache keeps it.
    """
    state = _request_state.get()
    if state is not None:
        state.reads_primary = True


def _is_pinned(request, now: float) -> bool:
    """Whether the client's pin cookie holds a time in the coming window.

    A time further ahead than one window is not one this site set; it is ignored.
    """
    try:
        until = float(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    return now < until <= now + settings.REPLICA_PIN_SECONDS


def _begin(request) -> RequestState:
    is_write = request.method not in SAFE_METHODS
    return RequestState(reads_primary=is_write or _is_pinned(request, time.time()))


def _finish(request, state: RequestState, response):
    if state.wrote or request.method not in SAFE_METHODS:
        seconds = settings.REPLICA_PIN_SECONDS
        response.set_cookie(
            PIN_COOKIE,
            f"{time.time() + seconds:.3f}",
            max_age=math.ceil(seconds),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@sync_and_async_middleware
def pin_reads_after_writes(get_response):
    """Give each request its routing state; after a write, pin the client to the primary."""
    if ROUTER not in settings.DATABASE_ROUTERS:
        raise MiddlewareNotUsed

    if iscoroutinefunction(get_response):

        async def middleware(request):
            state = _begin(request)
            token = _request_state.set(state)
            try:
                response = await get_response(request)
            finally:
                _request_state.reset(token)
            return _finish(request, state, response)

    else:

        def middleware(request):
            state = _begin(request)
            token = _request_state.set(state)
            try:
                response = get_response(request)
            finally:
                _request_state.reset(token)
            return _finish(request, state, response)

    return middleware
