"""The gate on every write path: a suspended member is refused, then allauth's rate
limiter counts the action.

Each action's rates sit in settings.ACCOUNT_RATE_LIMITS beside allauth's own, in its
syntax: "30/h/user,60/h/ip" allows 30 an hour per member and 60 an hour per client
address. An action may also have "<action>_new" rates, which count on top of its own
for members who are not yet established (accounts.permissions.is_established).

A refusal says which limit was reached and roughly when to try again: as JSON
({"error": ...}) to a fetch(), on the form for a page that shows its form again (the
member's text stays in it), else on the 429 page.
"""

import math
import time
from contextlib import ExitStack
from dataclasses import dataclass

# allauth's limiter answers only yes or no; to say which rate is used up and until when,
# we read its record for each rate under the key allauth itself counts in.
# tests/shortscience/test_ratelimits.py pins this against the installed allauth.
from allauth.core.internal.ratelimit import Rate, cache_lock, get_cache_key, get_rates
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import JsonResponse
from django.shortcuts import render

from shortscience.errors import wants_json

from .gate import active_suspension, suspended_message, suspended_refusal
from .permissions import ESTABLISHED_WHEN, is_established

# allauth keeps the rates of its account app, and ours, under this name.
APP = "allauth.account"
# The error code on a form that write_refused refused; refused_status() looks for it.
RATE_LIMITED = "rate_limited"
SUSPENDED = "suspended"
# What each action counts, one and many, for the message: "30 comments or edits per hour".
COUNTED = {
    "summary_write": ("summary or edit", "summaries or edits"),
    "summary_preview": ("preview", "previews"),
    "figure_upload": ("image upload", "image uploads"),
    "paper_add": ("paper added", "papers added"),
    "paper_import": ("import", "imports"),
    "vote": ("vote", "votes"),
    "comment": ("comment or edit", "comments or edits"),
    "flag": ("flag", "flags"),
    "profile_edit": ("profile save", "profile saves"),
}
TIME_UNITS = [(86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")]


@dataclass(frozen=True)
class LimitHit:
    message: str
    retry_after: int  # seconds


def write_refused(request, action: str, *, form=None, count: int = 1):
    """A response refusing ``action`` to this request, or None when it may go ahead:
    403 while the member is suspended (the page says why and until when), 429 when
    they have used up an allowance. A call that passes counts ``count`` uses: a request
    that creates several items (a BibTeX import of 30 papers) counts each, and one
    asking for more than are left is refused whole, saying how many are left.

    A view that shows its form again passes the bound ``form``: a suspension or a
    limit reached is then added to it as an error, so the form is invalid and the view
    renders it again with the member's text, answering ``refused_status(form)`` (403 or
    429). A fetch() asking for JSON gets {"error": ...} either way.
    """
    if suspension := active_suspension(request.user):
        if form is not None and form.is_bound and not wants_json(request):
            # Shown on the form, with what they wrote, which they may want to keep.
            _refuse_on(form, suspended_message(suspension), SUSPENDED)
            return None
        return suspended_refusal(request, suspension)
    hit = limit_hit(request, action, count)
    if hit is None:
        return None
    if wants_json(request):
        response = JsonResponse({"error": hit.message}, status=429)
    elif form is not None and form.is_bound:
        _refuse_on(form, hit.message, RATE_LIMITED)
        return None
    else:
        response = render(request, "429.html", {"message": hit.message}, status=429)
    response["Retry-After"] = str(hit.retry_after)
    return response


def _refuse_on(form, message: str, code: str) -> None:
    if not hasattr(form, "cleaned_data"):
        form.full_clean()  # add_error() needs the cleaned data, if the view did not validate.
    form.add_error(None, ValidationError(message, code=code))


def refused_status(form, default: int = 200) -> int:
    """The status of a page showing ``form`` again: 403 if write_refused refused it for
    a suspension, 429 for a limit, else ``default``."""
    if form.has_error(NON_FIELD_ERRORS, code=SUSPENDED):
        return 403
    return 429 if form.has_error(NON_FIELD_ERRORS, code=RATE_LIMITED) else default


def limit_hit(request, action: str, count: int = 1) -> LimitHit | None:
    """Count ``count`` uses of ``action`` against each of its rates, or say which one
    has fewer left and when it frees; a hit counts nothing, and neither does 0.

    1. The actions that apply: ``action``, and "<action>_new" for a member who is not
       established (asked only when that action has rates).
    2. Every rate of each is locked and looked at before any is counted, so a post
       refused by one rate uses up none of the others, and two requests at once cannot
       both take the last uses.
    3. Then the uses are written to each rate's record, where allauth keeps its own
       (allauth's ratelimit.consume counts one use per call and has no amount).
    """
    if count <= 0:
        return None
    new = f"{action}_new"
    actions = [action]
    if get_rates(app=APP, action=new) and not is_established(request.user):
        actions.append(new)
    limits = [
        (name, rate, get_cache_key(request, app=APP, action=name, rate=rate))
        for name in actions
        for rate in get_rates(app=APP, action=name)
    ]
    with ExitStack() as stack:
        # In one order, so that two requests never each hold a lock the other waits for.
        for key in sorted({key for _, _, key in limits}):
            if not stack.enter_context(cache_lock(key)):
                return LimitHit(
                    "You have reached a limit for this. Please try again in a minute.", 60
                )
        now = time.time()
        recent = {key: _recent(cache.get(key, []), now, rate) for _, rate, key in limits}
        for name, rate, key in limits:
            if wait := _seconds_until_free(recent[key], now, rate, count):
                is_new = name == new
                if count > 1:
                    message = _too_many(action, rate, wait, len(recent[key]), count, is_new)
                else:
                    message = _message(action, rate, wait, is_new=is_new)
                return LimitHit(message, wait)
        for _, rate, key in limits:
            # Newest first, as allauth keeps it; one stamp per use.
            cache.set(key, [now] * count + recent[key], rate.duration)
    return None


def _recent(history: list[float], now: float, rate: Rate) -> list[float]:
    return [stamp for stamp in history if stamp > now - rate.duration]


def _seconds_until_free(recent: list[float], now: float, rate: Rate, count: int = 1) -> int:
    """0 while ``rate`` has ``count`` uses left; else the seconds until enough of the
    oldest uses fall out of its window (the whole window if it can never hold them)."""
    if len(recent) + count <= rate.amount:
        return 0
    if count > rate.amount:
        return math.ceil(rate.duration)
    # ``recent`` is newest first; the use at index amount - count is the last to go.
    return max(1, math.ceil(recent[rate.amount - count] + rate.duration - now))


def _too_many(action: str, rate: Rate, wait: int, used: int, count: int, is_new: bool) -> str:
    """The refusal of several uses at once: how many were asked for, how many are left."""
    _, many = COUNTED.get(action, ("request", "requests"))
    left = max(0, rate.amount - used)
    limit = f"the {'new member ' if is_new else ''}limit of {_allowance(action, rate)}"
    if count > rate.amount:
        return (
            f"That is {count} {many} at once, more than {limit} allows; you have {left} "
            f"left now. Choose at most {min(left, rate.amount)}."
        )
    return (
        f"That is {count} {many}, and {limit} leaves you {left} for now. Choose at "
        f"most {left}, or try again {_in_about(wait)}."
    )


def _allowance(action: str, rate: Rate) -> str:
    one, many = COUNTED.get(action, ("request", "requests"))
    return f"{rate.amount} {one if rate.amount == 1 else many} per {_span(rate.duration)}"


def _message(action: str, rate: Rate, wait: int, *, is_new: bool) -> str:
    allowance = _allowance(action, rate)
    retry = f"Please try again {_in_about(wait)}."
    if is_new:
        return (
            f"New members have a limit of {allowance}, and you have reached it. "
            f"It rises {ESTABLISHED_WHEN}. {retry}"
        )
    if rate.per == "ip":
        return (
            f"The limit of {allowance} from one network address is reached; others on "
            f"your network may share it. {retry}"
        )
    return f"You have reached the limit of {allowance}. {retry}"


def _span(seconds: float) -> str:
    """A rate's window in words: "hour", "10 minutes"."""
    for size, unit in TIME_UNITS:
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return unit if count == 1 else f"{count} {unit}s"
    return f"{math.ceil(seconds)} seconds"


def _in_about(seconds: int) -> str:
    """Roughly how long until a retry: "in about 12 minutes", "in about 3 hours"."""
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return "in a minute"
    if minutes < 90:
        return f"in about {minutes} minutes"
    hours = round(minutes / 60)
    if hours < 36:
        return f"in about {hours} hours"
    return f"in about {round(hours / 24)} days"
