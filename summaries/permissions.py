"""Named permission rules for summaries. Views and templates ask these, nothing else."""

import secrets

MODERATE_PERMISSION = "summaries.hide_summary"


def can_moderate(user) -> bool:
    """Members of the Moderators group (or superusers): they hide, they do not delete."""
    return user.is_authenticated and user.has_perm(MODERATE_PERMISSION)


def is_author(user, summary) -> bool:
    return user.is_authenticated and user.pk == summary.author_id


def can_view(user, summary, *, share_token: str = "") -> bool:
    if summary.is_deleted:
        return False
    if is_author(user, summary):
        return True
    if summary.is_private:
        return (
            bool(share_token and summary.share_token)
            and not summary.is_hidden
            and secrets.compare_digest(share_token, summary.share_token)
        )
    if summary.is_hidden:
        return can_moderate(user)
    return True


def can_edit(user, summary) -> bool:
    """Only the author edits or deletes their summary."""
    return is_author(user, summary) and not summary.is_deleted


def shows_author(user, summary) -> bool:
    """Whether this viewer sees who wrote it: anonymous summaries name their author only
    to that author and to moderators."""
    return not summary.is_anonymous or is_author(user, summary) or can_moderate(user)
