"""A summary's comment thread, built for one viewer from one query."""

from .listing import mark_comments_for_viewer
from .models import Comment
from .permissions import can_edit_comment, can_view_comment, shows_author, shows_comment_author
from .services import can_still_edit


def comment_thread(summary, user) -> list[Comment]:
    """Top-level comments, oldest first, each with ``thread_replies``.

    Every comment gets, for this viewer: ``is_shown`` (else the thread shows "comment
    deleted" or "comment hidden" in its place, and drops it entirely when nothing hangs
    under it), ``show_author``, ``by_summary_author`` and ``can_edit``/``can_delete``.
    """
    comments = list(
        Comment.objects.filter(summary=summary)
        .select_related("author__profile", "reply_to")
        .order_by("created_at", "pk")
    )
    mark_comments_for_viewer(comments, user)
    top, replies = [], {}
    for comment in comments:
        comment.is_shown = can_view_comment(user, comment)
        comment.show_author = shows_comment_author(user, comment, summary)
        comment.by_summary_author = comment.author_id == summary.author_id
        # Naming whom a reply answers must not unmask an anonymous summary's author.
        comment.show_reply_to = comment.reply_to_id is not None and (
            comment.reply_to_id != summary.author_id or shows_author(user, summary)
        )
        mine = can_edit_comment(user, comment) and not comment.is_deleted
        comment.can_delete = mine
        comment.can_edit = mine and can_still_edit(comment)
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    thread = []
    for comment in top:
        comment.thread_replies = [r for r in replies.get(comment.pk, []) if r.is_shown]
        for reply in comment.thread_replies:
            # "replying to @x" only helps where x is not the comment everything hangs under.
            reply.show_reply_to = reply.show_reply_to and reply.reply_to_id != comment.author_id
        if comment.is_shown or comment.thread_replies:
            thread.append(comment)
    return thread
