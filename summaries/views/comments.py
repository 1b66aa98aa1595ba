from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.gate import allowed_while_suspended, refuses_in_view
from accounts.ratelimits import refused_status, write_refused

from ..access import get_comment_for_edit, get_comment_for_view, get_summary_for_view
from ..forms import CommentForm
from ..models import Comment
from ..permissions import can_comment
from ..services import add_comment, can_still_edit, delete_comment, edit_comment
from ..threads import comment_url
from .summary import render_detail


@require_safe
def permalink(request, pk):
    """A comment's lasting address (Comment.get_absolute_url): its place on the page of
    its summary's thread that holds it."""
    comment = get_comment_for_view(request, pk)
    return redirect(comment_url(comment))


@login_required
@require_POST
@refuses_in_view
def post(request, pk):
    """A new comment, or a reply when the form names a parent comment."""
    summary = get_summary_for_view(request, pk)
    if not can_comment(request.user, summary):
        raise PermissionDenied("Only public summaries take comments.")
    form = CommentForm(request.POST, user=request.user)
    if refused := write_refused(request, "comment", form=form):
        return refused
    parent = _parent(summary, form)
    if form.is_valid():
        if form.cleaned_data["parent"] and parent is None:
            form.add_error(None, "The comment you replied to is no longer there.")
        if form.is_valid():
            comment = add_comment(
                request.user, summary, body=form.cleaned_data["body"], parent=parent
            )
            messages.success(request, "Your comment is posted.")
            return redirect(comment_url(comment))
    # Shown again on the summary's page with the text as typed: a reply under the
    # comment it answers, a comment at the end.
    status = refused_status(form, 400)
    if parent is not None:
        return render_detail(request, summary, reply_form=form, parent=parent, status=status)
    return render_detail(request, summary, comment_form=form, status=status)


def _parent(summary, form) -> Comment | None:
    """The comment the form answers, if it names one that is still there to answer."""
    try:
        pk = int(form.data.get("parent") or 0)
    except ValueError:
        return None
    return Comment.objects.visible().filter(pk=pk, summary=summary).first() if pk else None


@login_required
@refuses_in_view
def edit(request, pk):
    comment = get_comment_for_edit(request, pk)
    if not can_still_edit(comment):
        raise PermissionDenied("Comments can be edited for an hour after posting.")
    form = CommentForm(
        request.POST or None, initial={"body": comment.body}, user=request.user, comment=comment
    )
    if request.method == "POST":
        if refused := write_refused(request, "comment", form=form):
            return refused
        if form.is_valid():
            edit_comment(comment, body=form.cleaned_data["body"])
            messages.success(request, "Your comment is saved.")
            return redirect(comment_url(comment))
    return render(
        request,
        "summaries/comment_edit.html",
        {"form": form, "comment": comment},
        status=refused_status(form),
    )


@login_required
@allowed_while_suspended
def delete(request, pk):
    comment = get_comment_for_edit(request, pk)
    if request.method == "POST":
        delete_comment(comment)
        messages.success(request, "Your comment is deleted.")
        return redirect(f"{comment.summary.get_absolute_url()}#comments")
    return render(request, "summaries/comment_delete.html", {"comment": comment})
