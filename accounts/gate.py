"""The one gate on what suspended members may change.

Every request but GET, HEAD, OPTIONS and TRACE from a suspended member to one of the
site's own views is refused here (403 with the page that says why and until when, or
{"error": ...} to a fetch()), unless the view says otherwise with one of two marks:

- ``@refuses_in_view``: the view calls ``ratelimits.write_refused(request, action,
  form=form)`` itself, which refuses the suspension on the form, so the member's text
  comes back with the reason, and counts the action's rate limits;
- ``@allowed_while_suspended``: what a suspended member may still do (take back what
  they wrote, leave, read their notifications).

So a new write view is closed to suspended members until someone decides otherwise, and
tests/test_authorization.py derives every suspended member's answer from these marks.
allauth's views (signing out, changing a password) and the admin are not the site's own
and are not gated here.
"""

from django.http import JsonResponse
from django.shortcuts import render

from shortscience.errors import wants_json
from shortscience.replicas import SAFE_METHODS

from .models import Suspension

REFUSES_IN_VIEW = "refuses_suspended_in_view"
ALLOWED_WHILE_SUSPENDED = "allowed_while_suspended"
# The apps whose views the gate covers.
SITE_APPS = {"accounts", "papers", "summaries", "moderation", "pages", "shortscience"}


def refuses_in_view(view):
    """Mark a view that refuses suspended members itself, through write_refused()."""
    setattr(view, REFUSES_IN_VIEW, True)
    return view


def allowed_while_suspended(view):
    """Mark a view that suspended members may still use to change things."""
    setattr(view, ALLOWED_WHILE_SUSPENDED, True)
    return view


def gate_of(view) -> str:
    """Which gate a view is behind: "in view", "open" or "gated" (refused here)."""
    if getattr(view, REFUSES_IN_VIEW, False):
        return "in view"
    if getattr(view, ALLOWED_WHILE_SUSPENDED, False):
        return "open"
    return "gated"


def is_site_view(view) -> bool:
    return view.__module__.split(".")[0] in SITE_APPS


def active_suspension(user) -> Suspension | None:
    """The suspension in force that ends last (an open-ended one first), if any."""
    if not user.is_authenticated:
        return None
    return Suspension.objects.in_force().filter(user=user).first()


def suspended_refusal(request, suspension):
    """The answer to a suspended member's write: JSON to a fetch(), else the page."""
    if wants_json(request):
        return JsonResponse({"error": suspended_message(suspension)}, status=403)
    return render(request, "suspended.html", {"suspension": suspension}, status=403)


def suspended_message(suspension) -> str:
    until = (
        f"until {suspension.ends_at:%d %B %Y, %H:%M} UTC"
        if suspension.ends_at
        else "until a moderator lifts it"
    )
    return f"Your account is suspended {until}: {suspension.reason}"


class SuspensionGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if (
            request.method in SAFE_METHODS
            or not request.user.is_authenticated
            or not is_site_view(view)
            or gate_of(view) != "gated"
        ):
            return None
        if suspension := active_suspension(request.user):
            return suspended_refusal(request, suspension)
        return None
