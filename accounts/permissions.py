"""Named permission rules for accounts; views and templates ask these."""

import datetime

from allauth.account.models import EmailAddress
from django.db.models import Q
from django.utils import timezone

from summaries.models import Comment, Summary
from summaries.permissions import can_moderate

# How long a visible summary or comment must stand, unhidden, to count as accepted.
ACCEPTED_AFTER = datetime.timedelta(days=3)
# The rule below in words, for the messages that mention it.
ESTABLISHED_WHEN = (
    "once one of your summaries or comments has been voted up, or has stood for three days"
)


def can_edit_profile(user, profile) -> bool:
    """Only the member edits their profile; moderators hide content, they don't rewrite it."""
    return user.is_authenticated and user.pk == profile.user_id


def sees_all_work(user, member) -> bool:
    """Whether this viewer sees all of a member's work on their profile: their anonymous
    and private summaries, and the counts that include them. Only the member does;
    moderators too see only what anyone sees, so a profile never unmasks an author."""
    return user.is_authenticated and user.pk == member.pk


def is_established(user) -> bool:
    """Whether a member has an accepted contribution, which lifts the stricter rate limits
    of new members ("<action>_new" in settings.ACCOUNT_RATE_LIMITS).

    A contribution is accepted when everyone can read it (a summary that is public: not
    private, hidden or deleted; or a comment that is neither hidden nor deleted, under
    such a summary) and either someone else has voted it up (its score is above zero;
    nobody votes on their own) or it has stood for ACCEPTED_AFTER without being voted
    below zero or hidden by a moderator. Moderators are established.
    """
    if not user.is_authenticated:
        return False
    if can_moderate(user):
        return True
    accepted = Q(score__gt=0) | Q(score__gte=0, created_at__lte=timezone.now() - ACCEPTED_AFTER)
    return (
        Summary.objects.visible().filter(accepted, author=user).exists()
        or Comment.objects.visible()
        .filter(accepted, Summary.visible_q("summary__"), author=user)
        .exists()
    )


def can_post_links(user) -> bool:
    """Links and images in what a member writes (summaries, comments, their profile's bio
    and website) wait until they have a verified e-mail address, so a throwaway account
    gets no links out of us. Sign-ups by e-mail always have one; members who came through
    GitHub, Google or ORCID, or were made in the admin, may not."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()
