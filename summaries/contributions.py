"""What members have contributed, loaded for the users page and the profile page.

Anonymity rule: an anonymous summary must never point back to its author. So everything
shown to others counts and lists only *named* public summaries, and a member who has only
anonymous summaries looks exactly like one who has none. Only the member themselves (see
``permissions.sees_all_work``) gets their anonymous and private work and the full numbers.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from accounts.models import User

from .models import Comment, Summary

RECENT_COMMENTS = 10

# ?sort= on the profile page: the order of each tab. The last key keeps pages stable.
SUMMARY_ORDER = {
    "newest": ("-created_at", "-pk"),
    "top": ("-score", "-created_at", "-pk"),
}
DEFAULT_SORT = "newest"


def named_public_q(prefix: str = "") -> Q:
    """Summaries that count for everyone to see: public (see Summary.visible_q) and
    signed with the author's name."""
    return Summary.visible_q(prefix) & Q(**{f"{prefix}is_anonymous": False})


def ranked_members():
    """Active members for the users page, in one query with their counts.

    ``reputation`` is the total score of the member's named public summaries and
    ``summary_count`` their number; anonymous summaries count for neither (module
    docstring). Contributors come first, best reputation first; members without named
    public summaries follow, newest first.
    """
    counted = named_public_q("summaries__")
    return (
        User.objects.filter(is_active=True)
        .select_related("profile")
        .annotate(
            summary_count=Count("summaries", filter=counted),
            reputation=Coalesce(Sum("summaries__score", filter=counted), 0),
        )
        # A contributor whose summaries were voted below zero still ranks as one.
        .annotate(is_contributor=Case(When(summary_count__gt=0, then=Value(True)), default=False))
        .order_by("-is_contributor", "-reputation", "-summary_count", "-date_joined", "-pk")
    )


@dataclass(frozen=True)
class Standing:
    """A member's public summaries and reputation (their total score), as one viewer may
    know them. Anonymous ones are counted only for the member themselves."""

    summary_count: int
    reputation: int
    # Only for the member themselves: how much of the above is anonymous.
    anonymous_count: int = 0
    anonymous_reputation: int = 0

    @property
    def named_count(self) -> int:
        """What others see as the summary count."""
        return self.summary_count - self.anonymous_count

    @property
    def named_reputation(self) -> int:
        """What others see as the reputation."""
        return self.reputation - self.anonymous_reputation


def standing(member: User, *, include_anonymous: bool) -> Standing:
    """The member's summary count and reputation, in one query.

    Both cover public summaries only (a private one is no contribution to the site).
    With ``include_anonymous`` (for the member's own eyes only) they include the
    anonymous ones, and say how much of them that is.
    """
    anonymous = Q(is_anonymous=True)
    totals = (
        Summary.objects.filter(author=member)
        .visible()
        .aggregate(
            summary_count=Count("pk"),
            reputation=Coalesce(Sum("score"), 0),
            anonymous_count=Count("pk", filter=anonymous),
            anonymous_reputation=Coalesce(Sum("score", filter=anonymous), 0),
        )
    )
    if include_anonymous:
        return Standing(**totals)
    return Standing(
        summary_count=totals["summary_count"] - totals["anonymous_count"],
        reputation=totals["reputation"] - totals["anonymous_reputation"],
    )


def summaries_on_profile(member: User, *, include_unlisted: bool, sort: str):
    """The member's summaries for their profile, with each one's paper.

    Others get the named public ones; with ``include_unlisted`` (the member themselves)
    the anonymous, private and hidden ones too, never the deleted ones.
    """
    summaries = Summary.objects.by(member)
    if include_unlisted:
        # What Summary.objects.visible_to(member) leaves of their own, without asking
        # for their permissions.
        summaries = summaries.filter(deleted_at__isnull=True)
    else:
        summaries = summaries.filter(named_public_q())
    return summaries.select_related("paper").order_by(*SUMMARY_ORDER[sort])


def recent_comments(member: User, *, include_own_anonymous: bool) -> list[Comment]:
    """The member's newest visible comments, with the summary and paper each is on.

    Only comments on summaries everyone can read are listed, and for others not the ones
    under the member's own anonymous summaries: those would unmask them as its author.
    The member themselves also sees comments under their own private or hidden summaries.
    """
    comments = Comment.objects.visible().filter(author=member)
    if include_own_anonymous:
        on_own = Q(summary__author=member, summary__deleted_at__isnull=True)
        comments = comments.filter(Summary.visible_q("summary__") | on_own)
    else:
        comments = comments.filter(Summary.visible_q("summary__")).exclude(
            summary__author=member, summary__is_anonymous=True
        )
    return list(
        comments.select_related("summary__paper").order_by("-created_at", "-pk")[:RECENT_COMMENTS]
    )
