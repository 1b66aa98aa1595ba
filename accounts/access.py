"""The one way views look up users: 404 when there is nobody, 403 when not allowed."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Profile, User
from .permissions import can_edit_profile


def get_user_for_view(username: str) -> User:
    """An active member by username, matched regardless of case."""
    return get_object_or_404(
        User.objects.select_related("profile"), username__iexact=username, is_active=True
    )


def get_profile_for_edit(request, username: str) -> Profile:
    user = get_user_for_view(username)
    if not can_edit_profile(request.user, user.profile):
        raise PermissionDenied("You can only edit your own profile.")
    return user.profile
