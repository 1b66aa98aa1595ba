"""What every page needs to know about the signed-in member: how many notifications they
have not read, the suspension in force, and whether they moderate.

Kept per member in the "default" cache, so a member's page asks the database nothing for
it after the first time; the services that change any of it forget it once they commit
(``forget(user)``), and so does every change in the admin (the "site" version is part of
what is kept). With the page cache off (PAGE_CACHE_SECONDS=0, as in development), it is
read from the database on every request. Within one request it is read once.

The write gate does not trust this copy: refusing a suspended member's post reads the
database (accounts.gate.active_suspension).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from shortscience.pagecache import SITE, versions

from .models import Notification, Suspension, User

# The Django permission that makes a moderator, held by the Moderators group.
MODERATE_PERMISSION = "summaries.hide_summary"


@dataclass(frozen=True)
class Standing:
    unread: int
    is_moderator: bool
    suspension_id: int | None
    suspension_ends: datetime.datetime | None
    site: int  # the "site" version it was read at

    def is_suspended(self, at=None) -> bool:
        if self.suspension_id is None:
            return False
        return self.suspension_ends is None or self.suspension_ends > (at or timezone.now())


def _key(user_id: int) -> str:
    return f"standing:{user_id}"


def of(user) -> Standing:
    """The member's standing, from this request, the cache or the database."""
    known = getattr(user, "_standing", None)
    if known is not None:
        return known
    if not settings.PAGE_CACHE_SECONDS:
        # Not kept, so only what is asked for is read: is_moderator() asks Django.
        standing = _read(user, site=0, moderation=False)
    else:
        site = versions([SITE])[SITE]
        standing = cache.get(_key(user.pk))
        if standing is None or standing.site != site or _stale(standing):
            standing = _read(user, site=site)
            cache.set(_key(user.pk), standing, timeout=None)
    user._standing = standing
    return standing


def is_moderator(user) -> bool:
    """Whether the member holds the moderators' permission (accounts.permissions)."""
    if not settings.PAGE_CACHE_SECONDS:
        return user.has_perm(MODERATE_PERMISSION)  # Django keeps it for the request.
    return of(user).is_moderator


def _stale(standing: Standing) -> bool:
    # A suspension that has ended since: read again, it may be followed by another.
    return standing.suspension_id is not None and not standing.is_suspended()


def forget(user) -> None:
    """Once the write commits, the member's standing is read afresh on their next page."""
    user_id = user.pk
    if hasattr(user, "_standing"):
        del user._standing
    if settings.PAGE_CACHE_SECONDS:
        transaction.on_commit(lambda: cache.delete(_key(user_id)))


def _read(user, *, site: int, moderation: bool = True) -> Standing:
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"))
        .unread()
        .order_by()
        .values("recipient")
        .annotate(count=Count("*"))
        .values("count")
    )
    suspension = Suspension.objects.in_force().filter(user=OuterRef("pk"))
    row = (
        User.objects.filter(pk=user.pk)
        .values(
            unread=Subquery(unread),
            suspension_id=Subquery(suspension.values("pk")[:1]),
            suspension_ends=Subquery(suspension.values("ends_at")[:1]),
        )
        .first()
    ) or {"unread": 0, "suspension_id": None, "suspension_ends": None}
    return Standing(
        unread=row["unread"] or 0,
        is_moderator=moderation and user.has_perm(MODERATE_PERMISSION),
        suspension_id=row["suspension_id"],
        suspension_ends=row["suspension_ends"],
        site=site,
    )
