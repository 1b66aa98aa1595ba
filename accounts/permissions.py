"""Named permission rules for accounts; views and templates ask these."""

from allauth.account.models import EmailAddress

from . import standing

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


def can_moderate(user) -> bool:
    """Members of the Moderators group (or superusers): they hide, they do not delete."""
    return user.is_authenticated and standing.is_moderator(user)


# What counts as a member's accepted contribution is decided by the apps that hold their
# writing, above this layer; they register a check with ``counts_as_established``.
_ESTABLISHED_BY = []


def counts_as_established(check):
    """Register ``check(user) -> bool``: whether this member has an accepted contribution
    (see is_established). Used as a decorator by the layers above."""
    _ESTABLISHED_BY.append(check)
    return check


def is_established(user) -> bool:
    """Whether a member has an accepted contribution, which lifts the stricter rate limits
    of new members ("<action>_new" in settings.ACCOUNT_RATE_LIMITS). Moderators are
    established; for everyone else, a registered check decides
    (summaries.permissions.has_accepted_contribution)."""
    if not user.is_authenticated:
        return False
    if can_moderate(user):
        return True
    return any(check(user) for check in _ESTABLISHED_BY)


def can_post_links(user) -> bool:
    """Links and images in what a member writes (summaries, comments, their profile's bio
    and website) wait until they have a verified e-mail address, so a throwaway account
    gets no links out of us. Sign-ups by e-mail always have one; members who came through
    GitHub, Google or ORCID, or were made in the admin, may not."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()
