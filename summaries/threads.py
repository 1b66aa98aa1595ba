"""A summary's comment thread, built for one viewer from one query, and its HTML, shared
between members through the cache (summaries.fragments)."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from . import fragments
from .listing import mark_comments_for_viewer
from .models import Comment
from .permissions import (
    can_edit_comment,
    can_view_comment,
    is_author,
    shows_author,
    shows_comment_author,
)
from .services import can_still_edit


class _PlainMember:
    """A signed-in member who wrote, voted on and moderates nothing: whom a thread kept
    for members is rendered for."""

    is_authenticated = True
    pk = None

    def has_perm(self, permission) -> bool:
        return False


PLAIN_MEMBER = _PlainMember()
THREAD_TEMPLATE = "summaries/_thread.html"
COMMENT_TEMPLATE = "summaries/_comment.html"


def comment_thread(summary, user) -> list[Comment]:
    """Top-level comments, oldest first, each with ``thread_replies``.

    Every comment gets, for this viewer: ``is_shown`` (else the thread shows "comment
    deleted" or "comment hidden" in its place, and drops it entirely when nothing hangs
    under it), ``show_author``, ``by_summary_author``, ``can_flag`` and
    ``can_edit``/``can_delete``.
    """
    comments = list(_comments(summary))
    mark_comments_for_viewer(comments, user)
    top, replies = [], {}
    for comment in comments:
        _mark(comment, user, summary)
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    thread = []
    for comment in top:
        comment.thread_replies = [r for r in replies.get(comment.pk, []) if r.is_shown]
        for reply in comment.thread_replies:
            _mark_reply(reply, comment.author_id)
        if comment.is_shown or comment.thread_replies:
            thread.append(comment)
    return thread


def _comments(summary):
    return (
        Comment.objects.filter(summary=summary)
        .select_related("author__profile", "reply_to")
        .order_by("created_at", "pk")
    )


def _mark(comment, user, summary) -> None:
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
    comment.can_flag = (
        user.is_authenticated and user.pk != comment.author_id and not comment.is_hidden
    )


def _mark_reply(reply, top_author_id) -> None:
    # "replying to @x" only helps where x is not the comment everything hangs under.
    reply.show_reply_to = reply.show_reply_to and reply.reply_to_id != top_author_id


def thread_html(request, summary, *, can_comment, is_moderator, comment_form) -> SafeString:
    """The thread's HTML for this reader.

    Members who neither wrote the summary nor moderate see the same thread except for
    the comments they wrote or upvoted, so it is kept in the cache in pieces, one per
    comment, and those comments are rendered for the reader and put in their place. A
    reader with a hidden comment of their own sees a thread of another shape (their
    comment is there) and gets it rendered whole, as do moderators and the summary's
    author.
    """
    user = request.user
    context = {
        "summary": summary,
        "can_comment": can_comment,
        "is_moderator": is_moderator,
        "comment_form": comment_form,
        "request": request,
    }
    reader = fragments.role(user)
    if reader is None or is_author(user, summary) or not settings.PAGE_CACHE_SECONDS:
        return _render_whole(request, summary, context)
    own = _own_comments(summary, user)
    if any(is_hidden for is_hidden in own.values()):
        return _render_whole(request, summary, context)
    key = fragments.keys("thread", [summary.pk], reader, request)[summary.pk]
    pieces = cache.get(key)
    if pieces is None:
        # Rendered for a plain member (or a visitor), whoever asked: the reader's own
        # comments are put in below.
        plain = PLAIN_MEMBER if reader == fragments.MEMBER else user
        mark = fragments.marker()
        html = render_to_string(
            THREAD_TEMPLATE,
            context
            | {
                "comments": comment_thread(summary, plain),
                "mark": mark,
                "csrf_token": fragments.placeholder(),
            },
        )
        pieces = fragments.cut(html, mark)
        cache.set(key, pieces, fragments.seconds())
    mine = {}
    if own:
        for comment in _marked(summary, user, own):
            mine[comment.pk] = render_to_string(
                COMMENT_TEMPLATE,
                context | {"comment": comment, "csrf_token": fragments.placeholder()},
            )
    return fragments.join(request, pieces, mine)


def _render_whole(request, summary, context) -> SafeString:
    comments = comment_thread(summary, request.user)
    html = render_to_string(
        THREAD_TEMPLATE,
        context | {"comments": comments, "csrf_token": fragments.placeholder()},
    )
    return fragments.join(request, [(None, html)], {})


def _own_comments(summary, user) -> dict[int, bool]:
    """{comment pk: is hidden} for the reader's comments under the summary and those
    they upvoted."""
    if not user.is_authenticated:
        return {}
    rows = (
        Comment.objects.filter(summary=summary)
        .filter(Q(author=user) | Q(votes__user=user))
        .values_list("pk", "hidden_at")
        .order_by()
        .distinct()
    )
    return {pk: hidden_at is not None for pk, hidden_at in rows}


def _marked(summary, user, own) -> list[Comment]:
    """The reader's own comments, marked for them as comment_thread would."""
    comments = list(_comments(summary).filter(pk__in=own).select_related("parent"))
    mark_comments_for_viewer(comments, user)
    for comment in comments:
        _mark(comment, user, summary)
        if comment.parent_id is not None:
            _mark_reply(comment, comment.parent.author_id)
    return comments
