"""Template variables every page gets."""

from django.utils.functional import SimpleLazyObject

from .models import Notification


def notifications(request):
    """``unread_notification_count`` for the header's badge.

    One COUNT query, and only when a page shows it to a signed-in member: visitors get
    nothing (and their request.user costs no query without a session), and templates
    that never mention the count, like the admin's, never run it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user).unread().count()
        )
    }
