"""Named permission rules for accounts; views and templates ask these."""


def can_edit_profile(user, profile) -> bool:
    """Only the member edits their profile; moderators hide content, they don't rewrite it."""
    return user.is_authenticated and user.pk == profile.user_id


def sees_all_work(user, member) -> bool:
    """Whether this viewer sees all of a member's work on their profile: their anonymous
    and private summaries, and the counts that include them. Only the member does;
    moderators too see only what anyone sees, so a profile never unmasks an author."""
    return user.is_authenticated and user.pk == member.pk
