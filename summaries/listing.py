"""Summaries prepared for a page and a viewer: loaded in a fixed number of queries, with
what this viewer may see of each computed once. (Django caches the viewer's permissions
on the user object, so asking per summary costs no further queries.)"""

from .models import CommentVote, Summary, Vote
from .permissions import can_edit, can_vote, can_vote_comment, shows_author


def mark_for_viewer(summaries, user) -> list[Summary]:
    """Set ``show_author``, ``can_edit``, ``can_vote``, ``my_vote`` and
    ``invites_sign_in`` (a visitor could vote after signing in) on each summary.

    ``my_vote`` is the viewer's vote (1, -1, or 0 for none), read for all the summaries in
    one query; none for a visitor. (A member always costs that one query, even when every
    summary is their own, so a page's query count does not depend on who wrote what.)
    """
    summaries = list(summaries)
    for summary in summaries:
        summary.show_author = shows_author(user, summary)
        summary.can_edit = can_edit(user, summary)
        summary.can_vote = can_vote(user, summary)
        summary.my_vote = 0
        summary.invites_sign_in = not user.is_authenticated and summary.is_public
    if user.is_authenticated and summaries:
        mine = dict(
            Vote.objects.filter(user=user, summary__in=summaries).values_list("summary", "value")
        )
        for summary in summaries:
            summary.my_vote = mine.get(summary.pk, 0)
    return summaries


def mark_comments_for_viewer(comments, user) -> list:
    """Set ``my_vote`` (True if the viewer upvoted it) and ``can_vote`` on each comment.

    Call it once per page with all the comments shown (replies included): the viewer's
    upvotes are read in one query (none for a visitor). ``can_vote`` comes from
    permissions.can_vote_comment; the widget
    ``summaries/_comment_vote.html`` also needs the page's ``summary`` in its context,
    since comments under a summary that is not public take no votes.
    """
    comments = list(comments)
    for comment in comments:
        comment.can_vote = can_vote_comment(user, comment)
        comment.my_vote = False
    if user.is_authenticated and user.pk is not None and comments:
        mine = set(
            CommentVote.objects.filter(user=user, comment__in=comments).values_list(
                "comment", flat=True
            )
        )
        for comment in comments:
            comment.my_vote = comment.pk in mine
    return comments


def summaries_for_paper(paper, user) -> list[Summary]:
    """A paper's summaries this viewer may see, best first."""
    summaries = (
        Summary.objects.filter(paper=paper)
        .visible_to(user)
        .select_related("author__profile")
        .order_by("-score", "created_at", "pk")
    )
    return mark_for_viewer(summaries, user)
