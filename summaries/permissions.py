"""Named permission rules for summaries. Views and templates ask these, nothing else."""

import datetime
import secrets

from django.db.models import Q
from django.utils import timezone

from accounts.permissions import can_moderate, counts_as_established

from .models import Comment, Summary

# How long a visible summary or comment must stand, unhidden, to count as accepted.
ACCEPTED_AFTER = datetime.timedelta(days=3)


@counts_as_established
def has_accepted_contribution(user) -> bool:
    """Whether the member wrote something accepted, which makes them established
    (accounts.permissions.is_established).

    A contribution is accepted when everyone can read it (a summary that is public: not
    private, hidden or deleted; or a comment that is neither hidden nor deleted, under
    such a summary) and either someone else has voted it up (its score is above zero;
    nobody votes on their own) or it has stood for ACCEPTED_AFTER without being voted
    below zero or hidden by a moderator.
    """
    accepted = Q(score__gt=0) | Q(score__gte=0, created_at__lte=timezone.now() - ACCEPTED_AFTER)
    return (
        Summary.objects.visible().filter(accepted, author=user).exists()
        or Comment.objects.visible()
        .filter(accepted, Summary.visible_q("summary__"), author=user)
        .exists()
    )


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


def can_comment(user, summary) -> bool:
    """Signed-in members comment on summaries that everyone can read."""
    return user.is_authenticated and summary.is_public


def can_view_comment(user, comment) -> bool:
    """Hidden comments show to their author and moderators; deleted ones to nobody
    (the thread shows "comment deleted" in their place)."""
    if comment.is_deleted:
        return False
    if comment.is_hidden:
        return user.is_authenticated and (user.pk == comment.author_id or can_moderate(user))
    return True


def can_edit_comment(user, comment) -> bool:
    return user.is_authenticated and user.pk == comment.author_id


def shows_comment_author(user, comment, summary) -> bool:
    """A comment by the author of an anonymous summary would unmask them: it shows as
    "Anonymous (author)" to everyone who may not know who wrote the summary."""
    if comment.author_id != summary.author_id:
        return True
    return shows_author(user, summary)


def can_vote(user, summary) -> bool:
    """Members vote on public summaries, not on their own (the vote view answers the same:
    404 and 403)."""
    return user.is_authenticated and summary.is_public and not is_author(user, summary)


def can_vote_comment(user, comment) -> bool:
    """Members upvote comments that are shown, not their own."""
    return (
        user.is_authenticated
        and user.pk != comment.author_id
        and not comment.is_deleted
        and not comment.is_hidden
    )
