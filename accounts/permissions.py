"""Named permission rules for accounts; views and templates ask these."""


def can_edit_profile(user, profile) -> bool:
    """Only the member edits their profile; moderators hide content, they don't rewrite it."""
    return user.is_authenticated and user.pk == profile.user_id
