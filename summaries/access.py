"""The one way views fetch summaries: 404 if the viewer may not see it, 403 if they may
see but not change it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Comment, Summary
from .permissions import can_edit, can_edit_comment, can_view, can_view_comment


def _get(pk: int) -> Summary:
    return get_object_or_404(Summary.objects.for_listing(), pk=pk)


def get_summary_for_view(request, pk: int) -> Summary:
    summary = _get(pk)
    if not can_view(request.user, summary):
        raise Http404("No such summary.")
    return summary


def get_summary_for_edit(request, pk: int) -> Summary:
    summary = get_summary_for_view(request, pk)
    if not can_edit(request.user, summary):
        raise PermissionDenied("Only the author can change this summary.")
    return summary


def get_shared_summary(request, token: str) -> Summary:
    summary = get_object_or_404(Summary.objects.for_listing(), share_token=token)
    if not can_view(request.user, summary, share_token=token):
        raise Http404("No such summary.")
    return summary


def get_comment_for_view(request, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("summary", "author"), pk=pk)
    if not can_view(request.user, comment.summary) or not can_view_comment(request.user, comment):
        raise Http404("No such comment.")
    return comment


def get_comment_for_edit(request, pk: int) -> Comment:
    """404 if the viewer cannot see the comment, 403 if it is not theirs to change."""
    comment = get_comment_for_view(request, pk)
    if comment.is_deleted or not can_edit_comment(request.user, comment):
        raise PermissionDenied("Only the author can change this comment.")
    return comment
