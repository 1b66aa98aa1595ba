"""A summary's comment thread: a page of its top-level comments, oldest first, each with
its replies, loaded and marked for one viewer in a fixed number of queries, and the one
reply form of the page."""

import hashlib

from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db.models import Q, Subquery
from django.template.loader import get_template, render_to_string

from .forms import CommentForm
from .listing import mark_comments_for_viewer
from .models import Comment
from .permissions import (
    can_comment,
    can_edit_comment,
    can_moderate,
    can_view_comment,
    shows_author,
    shows_comment_author,
)
from .services import can_still_edit

# Top-level comments on a page, each shown with all its replies.
COMMENTS_PER_PAGE = 50
# The reply form's ids, apart from those of the comment form on the same page.
REPLY_FORM_IDS = "reply-%s"
TEXT_TEMPLATE = "summaries/_comment_text.html"
# How long a comment's text is kept at most (it may be evicted sooner). Its key changes
# whenever what it shows does, so no write has to invalidate it.
TEXT_SECONDS = 24 * 60 * 60


def thread_page(summary, user, number) -> Page:
    """Page ``number`` of the summary's thread for this viewer (the first if ``number``
    is not a number, the last if it is past the end).

    Pages are cut from every top-level comment the summary has had, in the order they
    were posted, whatever became of them since: a comment stays on its page for every
    reader and for good (``page_of``). A page leaves out what this viewer may not see
    and has no replies they may see, so it can hold fewer.

    The page's ``object_list`` is its top-level comments, each with ``thread_replies``.
    Every comment gets, for this viewer: ``is_shown`` (else the thread shows "comment
    deleted" or "comment hidden" in its place), ``show_author``, ``by_summary_author``,
    ``show_reply_to``, ``can_vote`` and ``my_vote``, ``can_edit`` and ``can_delete``,
    ``can_flag``, ``can_reply`` and ``invites_sign_in`` (a visitor could reply after
    signing in); and each comment shown ``text_html`` (``set_texts``).
    """
    top_level = Comment.objects.filter(summary=summary, parent=None).order_by("created_at", "pk")
    page = Paginator(top_level.values_list("pk", flat=True), COMMENTS_PER_PAGE).get_page(number)
    # One query for the page's comments and their replies: the page's slice of the
    # top-level ids is a subquery. The summary narrows it first: without it PostgreSQL
    # scanned every comment on the site for the two ids' OR (45-50 ms at 200,000).
    comments = list(
        Comment.objects.filter(summary=summary)
        .filter(Q(pk__in=page.object_list) | Q(parent__in=page.object_list))
        .select_related("author__profile", "reply_to")
        .order_by("created_at", "pk")
    )
    mark_comments_for_viewer(comments, user)
    takes_replies = can_comment(user, summary)
    top, replies = [], {}
    for comment in comments:
        _mark(comment, user, summary, takes_replies)
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
    set_texts([c for top in thread for c in (top, *top.thread_replies) if c.is_shown])
    page.object_list = thread
    return page


def set_texts(comments) -> None:
    """Set ``text_html`` on each comment: summaries/_comment_text.html rendered for it,
    which reads the same for everyone shown the comment the same way. All are looked up
    in the "pages" cache at once; the missing ones are rendered and stored at once."""
    digest = _template_digest()
    keys = {comment.pk: text_key(comment, digest) for comment in comments}
    cache = caches["pages"]
    found = cache.get_many(list(keys.values()))
    missing = {}
    for comment in comments:
        key = keys[comment.pk]
        if key not in found:
            # No context processors: the text shows only what its key names.
            found[key] = missing[key] = render_to_string(TEXT_TEMPLATE, {"comment": comment})
        # A SafeString, rendered from a template that escapes; the cache keeps its type.
        comment.text_html = found[key]
    if missing:
        cache.set_many(missing, TEXT_SECONDS)


def text_key(comment, template_digest: str) -> str:
    """The cache key of a comment's text as this reader is shown it: the comment's pk
    and a digest of exactly what summaries/_comment_text.html shows of it, and of the
    template. A key always names the same HTML: an edit, a moderator's note, a new
    display name, or an anonymity that hides the author from this reader give another
    key, so a stale text is never found."""
    author, answered = comment.author, comment.reply_to
    shown = (
        template_digest,
        comment.pk,
        comment.show_author and (author.username, author.display_name, author.is_deleted),
        comment.by_summary_author,
        comment.show_reply_to and (answered.username, answered.is_deleted),
        comment.created_at.isoformat(),
        comment.edited_at is not None,
        comment.is_hidden and comment.hidden_reason,
        comment.body_html,
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"comment-text:{comment.pk}:{digest}"


def _template_digest() -> str:
    # The loaders keep the template (and load it again when it changes, in development).
    source = get_template(TEXT_TEMPLATE).template.source
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


def _mark(comment, user, summary, takes_replies: bool) -> None:
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
    # What the comment view accepts as a reply's parent: a comment everyone can read.
    answerable = comment.is_shown and not comment.is_hidden
    comment.can_reply = takes_replies and answerable
    comment.invites_sign_in = not user.is_authenticated and summary.is_public and answerable


def comment_section(request, summary, *, comment_form=None, reply_form=None, parent=None):
    """The context of summaries/_comments.html for this request: a page of the thread
    (``?page=``), the one reply form, under the comment ``?reply=`` names when the reader
    may answer it there, and the comment form at the end.

    A refused post comes back with its bound form and the member's text in it: a reply
    (``reply_form``) under the comment it answered (``parent``), on the page that
    holds it; a comment (``comment_form``) at the end, where a reply goes too when the
    comment it answered is no longer there.
    """
    user = request.user
    if parent is not None:
        page = thread_page(summary, user, page_of(parent))
        target = _answerable(page, parent.pk)
    else:
        page = thread_page(summary, user, request.GET.get("page"))
        target = _answerable(page, request.GET.get("reply"))
    if reply_form is None:
        reply_form = CommentForm(user=user)
    elif target is None:
        comment_form, reply_form = reply_form, None
    if reply_form is not None:
        reply_form.auto_id = REPLY_FORM_IDS
        reply_form.fields["body"].label = "Your reply"
    thread_url = summary.get_absolute_url()
    return {
        "page": page,
        "comments": page.object_list,
        "thread_url": thread_url,
        "page_url": thread_url + (f"?page={page.number}" if page.number > 1 else ""),
        "can_comment": can_comment(user, summary),
        "is_moderator": can_moderate(user),
        "comment_form": comment_form or CommentForm(user=user),
        "reply_parent": target and target.pk,
        "reply_form": reply_form,
    }


def _answerable(page, pk) -> Comment | None:
    """The comment on the page with this pk (a string from the address, say), if the
    reader may reply to it."""
    for comment in page.object_list:
        for shown in (comment, *comment.thread_replies):
            if str(shown.pk) == str(pk) and shown.can_reply:
                return shown
    return None


def page_of(comment) -> int:
    """The page of its summary's thread that holds the comment (a reply is on its
    top-level comment's page), as thread_page cuts them: one query."""
    top_pk = comment.parent_id or comment.pk
    posted = Subquery(Comment.objects.filter(pk=top_pk).values("created_at")[:1])
    earlier = (
        Comment.objects.filter(summary_id=comment.summary_id, parent=None)
        .filter(Q(created_at__lt=posted) | Q(created_at=posted, pk__lt=top_pk))
        .count()
    )
    return earlier // COMMENTS_PER_PAGE + 1


def comment_url(comment) -> str:
    """The comment on its summary's page, on the page of the thread that holds it."""
    number = page_of(comment)
    query = f"?page={number}" if number > 1 else ""
    return f"{comment.summary.get_absolute_url()}{query}#comment-{comment.pk}"
