"""Template variables every page gets."""

from django.utils.functional import SimpleLazyObject

from . import standing
from .models import Suspension


def member_status(request):
    """For a signed-in member: ``unread_notification_count`` for the header's badge and
    ``member_suspension``, the suspension in force (or None), for the banner.

    From the member's standing (accounts.standing: kept in the cache), and only when a
    page shows them: visitors get nothing (and their request.user costs no query without
    a session), and templates that never mention them, like the admin's, never read it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": SimpleLazyObject(lambda: standing.of(user).unread),
        "member_suspension": SimpleLazyObject(lambda: _suspension(user)),
    }


def _suspension(user) -> Suspension | None:
    # Only a suspended member, rare by design, pays a query for the banner's words.
    known = standing.of(user)
    return Suspension.objects.get(pk=known.suspension_id) if known.is_suspended() else None
