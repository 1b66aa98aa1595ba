"""Template variables every page gets."""

from django.db.models import Count, F, OuterRef, Subquery
from django.utils.functional import SimpleLazyObject

from .models import Notification, Suspension, User


def member_status(request):
    """For a signed-in member: ``unread_notification_count`` for the header's badge and
    ``member_suspension``, the suspension in force (or None), for the banner.

    One query for both, and only when a page shows them: visitors get nothing (and
    their request.user costs no query without a session), and templates that never
    mention them, like the admin's, never run it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    status = SimpleLazyObject(lambda: _status(user))
    return {
        "unread_notification_count": SimpleLazyObject(lambda: status["unread"]),
        "member_suspension": SimpleLazyObject(lambda: status["suspension"]),
    }


def _status(user) -> dict:
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"))
        .unread()
        .order_by()
        .values("recipient")
        .annotate(count=Count("*"))
        .values("count")
    )
    suspension = (
        Suspension.objects.active()
        .filter(user=OuterRef("pk"))
        .order_by(F("ends_at").desc(nulls_first=True))
        .values("pk")[:1]
    )
    row = (
        User.objects.filter(pk=user.pk)
        .values(unread=Subquery(unread), suspension_id=Subquery(suspension))
        .first()
    ) or {"unread": 0, "suspension_id": None}
    # Only a suspended member, rare by design, pays a second query for the banner's words.
    return {
        "unread": row["unread"] or 0,
        "suspension": Suspension.objects.get(pk=row["suspension_id"])
        if row["suspension_id"]
        else None,
    }
