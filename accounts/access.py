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


def get_own_account(request, username: str) -> User:
    """The signed-in member's own account, for what only they may do with it: download
    their data, delete it. Nobody else gets it, moderators neither."""
    user = get_user_for_view(username)
    if not can_edit_profile(request.user, user.profile):
        raise PermissionDenied("Only the member can do this with their account.")
    return user
