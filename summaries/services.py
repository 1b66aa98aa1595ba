"""Writes to summaries: views, commands and tests all call these."""

import datetime
import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Notification
from accounts.services import notify
from papers.merging import moves_on_merge
from papers.models import Follow
from papers.services import shown_elsewhere
from shortscience.pagecache import PAPERS, SCORES, SUMMARIES, changed, tag
from shortscience.rendering import render_markdown

from .figures import clean_figure
from .models import Comment, CommentVote, Figure, Revision, Summary, Vote


def summary_changed(summary: Summary, *, listed: bool = False, members=()) -> None:
    """Once the write commits, the cached pages that show ``summary`` go stale: its own,
    its paper's, its author's profile, and a home page that lists it (pages.views looks
    up the summaries it shows). ``listed``: it joined, left or changed in the listings
    (published, edited, deleted, hidden), which changes every listing of summaries and
    of papers (their counts). ``members``: others whose profiles show the change (a
    comment's author)."""
    changed(
        tag("summary", summary.pk),
        tag("paper", summary.paper_id),
        tag("member", summary.author.username),
        *(tag("member", member.username) for member in members),
        *((SUMMARIES, PAPERS) if listed else ()),
    )


@shown_elsewhere
def pages_showing_paper(paper) -> list[str]:
    """The tags of the summaries' pages (and home's cards) that show this paper's header
    (papers.services.paper_changed)."""
    return [
        tag("summary", pk)
        for pk in Summary.objects.filter(paper=paper).values_list("pk", flat=True)
    ]


@moves_on_merge
def move_summaries(keep, duplicate) -> None:
    """A paper merge (papers.merging) moves the duplicate's summaries to the paper kept.
    Where a member has summarized both, their summary of ``keep`` stays and the other
    moves as deleted: its text and revisions are kept, not shown."""
    authors_here = Summary.objects.filter(paper=keep, deleted_at=None).values("author")
    duplicate.summaries.filter(author__in=authors_here, deleted_at=None).update(
        deleted_at=timezone.now()
    )
    duplicate.summaries.update(paper=keep)


class AlreadySummarized(Exception):
    """The member already has a summary of this paper."""

    def __init__(self, existing: Summary):
        super().__init__("You already have a summary of this paper.")
        self.existing = existing


class EditConflict(Exception):
    """The summary changed since the editor opened it; ``current`` is the newer version."""

    def __init__(self, current: Summary):
        super().__init__("This summary was changed since you opened it.")
        self.current = current


def publish_summary(author, paper, *, body: str, is_anonymous=False, is_private=False) -> Summary:
    """Create a summary and its first revision."""
    try:
        with transaction.atomic():
            summary = Summary.objects.create(
                paper=paper,
                author=author,
                body=body,
                body_html=render_markdown(body),
                is_anonymous=is_anonymous,
                is_private=is_private,
            )
            Revision.objects.create(summary=summary, number=1, body=body, editor=author)
            if not is_private:
                followers = Follow.objects.filter(paper=paper).exclude(user=author)
                # An anonymous summary stays anonymous in notifications too.
                actor = None if is_anonymous else author
                for follow in followers.select_related("user__profile"):
                    notify(follow.user, Notification.Kind.FOLLOWED_PAPER, actor, summary=summary)
    except IntegrityError:
        # Two submissions racing past the view's check: the constraint decides.
        existing = Summary.objects.filter(paper=paper, author=author, deleted_at=None).first()
        if existing is None:
            raise
        raise AlreadySummarized(existing) from None
    summary_changed(summary, listed=True)
    return summary


def update_summary(
    summary: Summary, editor, *, body: str, is_anonymous: bool, is_private: bool, base_version: int
) -> Summary:
    """Save an edit made from ``base_version``, keeping the new text as a revision.

    1. Lock the row, so two saves of one summary are taken one after the other.
    2. Refuse (EditConflict) if someone saved since the editor loaded base_version:
       nothing is overwritten silently.
    3. Store text, rendered HTML and flags, bump the version, append the revision.
    """
    with transaction.atomic():
        current = Summary.objects.select_for_update().get(pk=summary.pk)
        if current.version != base_version:
            raise EditConflict(current)
        unchanged = (current.body, current.is_anonymous, current.is_private) == (
            body,
            is_anonymous,
            is_private,
        )
        if unchanged:
            return current
        current.body = body
        current.body_html = render_markdown(body)
        current.is_anonymous = is_anonymous
        current.is_private = is_private
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db(fields=["version"])
        Revision.objects.create(summary=current, number=current.version, body=body, editor=editor)
        summary_changed(current, listed=True)
    return current


def delete_summary(summary: Summary) -> None:
    """Soft delete: the row and its revisions stay; nobody sees it on the site."""
    if Summary.objects.filter(pk=summary.pk, deleted_at=None).update(deleted_at=timezone.now()):
        summary_changed(summary, listed=True)


def share_summary(summary: Summary) -> str:
    """Give the summary a new share link; any earlier link stops working."""
    token = Summary.new_share_token()
    Summary.objects.filter(pk=summary.pk).update(share_token=token)
    summary.share_token = token
    return token


def revoke_share_link(summary: Summary) -> None:
    Summary.objects.filter(pk=summary.pk).update(share_token=None)
    summary.share_token = None


def store_figure(uploader, data: bytes) -> Figure:
    """Check and clean an uploaded image (FigureError if refused) and store it."""
    content, extension, width, height = clean_figure(data)
    figure = Figure(uploader=uploader, width=width, height=height)
    figure.image.save(f"{secrets.token_hex(12)}.{extension}", ContentFile(content), save=False)
    figure.save()
    return figure


# Votes ---------------------------------------------------------------------------------


class VoteRefused(Exception):
    pass


def cast_vote(user, summary: Summary, value: int) -> int:
    """Set ``user``'s vote on ``summary`` to +1, -1, or 0 (take it back); return the score.

    The score changes by new - old, in the same transaction as the vote row:

        old \\ new   +1    -1     0
        none        +1    -1     0
        +1           0    -2    -1
        -1          +2     0    +1

    Locking the summary row first makes concurrent votes on one summary wait their turn,
    so the same member's double click cannot make two rows and the score stays the sum.
    """
    if value not in (Vote.UP, Vote.DOWN, 0):
        raise ValueError(f"A vote is +1, -1 or 0, not {value!r}.")
    if user.pk == summary.author_id:
        raise VoteRefused("You cannot vote on your own summary.")
    with transaction.atomic():
        Summary.objects.select_for_update().only("pk").get(pk=summary.pk)
        vote = Vote.objects.filter(user=user, summary=summary).first()
        old = vote.value if vote else 0
        if value == 0 and vote:
            vote.delete()
        elif value and vote and vote.value != value:
            vote.value = value
            vote.save(update_fields=["value", "updated_at"])
        elif value and not vote:
            Vote.objects.create(user=user, summary=summary, value=value)
        if delta := value - old:
            Summary.objects.filter(pk=summary.pk).update(score=F("score") + delta)
            summary_changed(summary)
            changed(SCORES)  # what listings by score show may have moved
        return Summary.objects.values_list("score", flat=True).get(pk=summary.pk)


def vote_comment(user, comment: Comment, up: bool) -> int:
    """Upvote a comment (up=True) or take the upvote back; return its score."""
    if user.pk == comment.author_id:
        raise VoteRefused("You cannot vote on your own comment.")
    with transaction.atomic():
        Comment.objects.select_for_update().only("pk").get(pk=comment.pk)
        exists = CommentVote.objects.filter(user=user, comment=comment).exists()
        if up and not exists:
            CommentVote.objects.create(user=user, comment=comment)
            Comment.objects.filter(pk=comment.pk).update(score=F("score") + 1)
            comment_changed(comment)
        elif not up and exists:
            CommentVote.objects.filter(user=user, comment=comment).delete()
            # The filter keeps the counter from going below zero.
            Comment.objects.filter(pk=comment.pk, score__gt=0).update(score=F("score") - 1)
            comment_changed(comment)
        return Comment.objects.values_list("score", flat=True).get(pk=comment.pk)


# Comments ------------------------------------------------------------------------------

# Authors may edit a comment for this long after posting it; then it stands as written.
COMMENT_EDIT_WINDOW = datetime.timedelta(hours=1)


def comment_changed(comment: Comment) -> None:
    """As summary_changed, for the pages that show a comment: its summary's (and what
    shows the summary's comment count), and the profile of who wrote it."""
    summary_changed(comment.summary, members=[comment.author])


def add_comment(author, summary: Summary, *, body: str, parent: Comment | None = None) -> Comment:
    """Post a comment (or a reply), count it, and notify who should hear of it.

    A reply to a reply hangs under the same top-level comment and names whom it answers.
    """
    reply_to = None
    if parent is not None and parent.parent_id is not None:
        reply_to, parent = parent.author, parent.parent
    elif parent is not None:
        reply_to = parent.author
    with transaction.atomic():
        comment = Comment.objects.create(
            summary=summary,
            author=author,
            parent=parent,
            reply_to=reply_to if parent is not None else None,
            body=body,
            body_html=render_markdown(body),
        )
        count_comments(summary.pk, +1)
        # The author of an anonymous summary stays anonymous when they comment on it.
        actor = None if summary.is_anonymous and author.pk == summary.author_id else author
        notified = {author.pk}
        if reply_to is not None and reply_to.pk not in notified:
            notify(reply_to, Notification.Kind.REPLY, actor, comment=comment)
            notified.add(reply_to.pk)
        if summary.author_id not in notified:
            notify(summary.author, Notification.Kind.COMMENT, actor, comment=comment)
        comment_changed(comment)
    return comment


def count_comments(summary_id: int, change: int) -> None:
    """Add ``change`` to the number of comments shown under a summary (posted, not
    deleted, not hidden); the filter keeps it from going below zero."""
    summaries = Summary.objects.filter(pk=summary_id)
    if change < 0:
        summaries = summaries.filter(comment_count__gte=-change)
    summaries.update(comment_count=F("comment_count") + change)


def can_still_edit(comment: Comment) -> bool:
    return timezone.now() - comment.created_at <= COMMENT_EDIT_WINDOW


def edit_comment(comment: Comment, *, body: str) -> Comment:
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    comment_changed(comment)
    return comment


def delete_comment(comment: Comment) -> None:
    """Soft delete: replies stay readable under "comment deleted"."""
    with transaction.atomic():
        deleted = Comment.objects.filter(pk=comment.pk, deleted_at=None).update(
            deleted_at=timezone.now()
        )
        # A hidden comment was not counted.
        if deleted and comment.hidden_at is None:
            count_comments(comment.summary_id, -1)
        if deleted:
            comment_changed(comment)
