"""Votes: up, down or none on a summary; an upvote (or none) on a comment.

Each is a form post that redirects back with a message. A fetch() that asks for JSON
(Accept: application/json, as static/js/votes.js does) gets {"score": n, "vote": v}, or
{"error": "..."} with a 400 or 403.

Only public summaries take votes: a hidden, private or deleted one answers 404 to every
voter, its author and the moderators included, so the answer tells nobody more than the
permalink does. Voting on your own summary or comment answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.gate import refuses_in_view
from accounts.ratelimits import write_refused
from shortscience.errors import wants_json

from ..access import get_comment_for_view, get_summary_for_view
from ..forms import CommentVoteForm, VoteForm
from ..models import Comment
from ..services import VoteRefused, cast_vote, vote_comment

SUMMARY_MESSAGES = {
    1: "You voted this summary up.",
    -1: "You voted this summary down.",
    0: "Your vote on this summary is taken back.",
}
COMMENT_MESSAGES = {1: "You voted this comment up.", 0: "Your vote on this comment is taken back."}


@login_required
@require_POST
@refuses_in_view
def vote(request, pk):
    summary = get_summary_for_view(request, pk)
    if not summary.is_public:
        raise Http404("Only public summaries take votes.")
    if refused := write_refused(request, "vote"):
        return refused
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refuse(request, BadRequest("A vote is 1, -1 or 0."))
    value = form.cleaned_data["value"]
    try:
        score = cast_vote(request.user, summary, value)
    except VoteRefused as error:
        return _refuse(request, PermissionDenied(str(error)))
    if wants_json(request):
        return JsonResponse({"score": score, "vote": value})
    messages.success(request, SUMMARY_MESSAGES[value])
    return redirect(_back(request, form, summary.get_absolute_url()))


@login_required
@require_POST
@refuses_in_view
def comment_vote(request, pk):
    comment = _get_comment_for_vote(request, pk)
    if refused := write_refused(request, "vote"):
        return refused
    form = CommentVoteForm(request.POST)
    if not form.is_valid():
        return _refuse(request, BadRequest("A comment vote is 1 or 0."))
    value = form.cleaned_data["value"]
    try:
        score = vote_comment(request.user, comment, up=value == 1)
    except VoteRefused as error:
        return _refuse(request, PermissionDenied(str(error)))
    if wants_json(request):
        return JsonResponse({"score": score, "vote": value})
    messages.success(request, COMMENT_MESSAGES[value])
    return redirect(_back(request, form, comment.get_absolute_url()))


def _get_comment_for_vote(request, pk) -> Comment:
    """A comment the viewer can see, shown to everyone (not hidden) under a public
    summary; else 404, as for summaries."""
    comment = get_comment_for_view(request, pk)
    if comment.is_hidden or not comment.summary.is_public:
        raise Http404("Only comments everyone can read take votes.")
    return comment


def _refuse(request, error: BadRequest | PermissionDenied):
    """A script gets the reason as JSON; a form post gets the site's 400 or 403 page."""
    if wants_json(request):
        status = 403 if isinstance(error, PermissionDenied) else 400
        return JsonResponse({"error": str(error)}, status=status)
    raise error


def _back(request, form, fallback: str) -> str:
    """The form's ``next`` if it is a page of this site, else ``fallback``."""
    target = form.cleaned_data["next"]
    is_ours = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and is_ours else fallback
