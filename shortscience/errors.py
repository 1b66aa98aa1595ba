"""The server-error handler (``handler500`` in pages/urls.py).

While the database cannot be reached (a restart, a failover, a network cut) every page
fails, and the site is not broken but briefly unavailable: it answers 503 with a small
page and Retry-After, so people and crawlers know to come back. So does a page whose
query ran past the statement timeout, with a page that says so. Any other failure gets
Django's own 500 page.
"""

import sys

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults
from psycopg.errors import QueryCanceled

# Seconds a client is asked to wait: a database restart or failover takes seconds.
RETRY_AFTER = 5
# What Django raises when the connection fails or is gone: refused, the server shutting
# down or starting up, the socket closed under a query. Constraint and data errors are
# other classes and stay 500s.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request):
    """503 if the failure was the database being unavailable, else the normal 500.

    Django calls this from inside the ``except`` block that caught the failure
    (``convert_exception_to_response``, which wraps the view and every middleware), so
    ``sys.exception()`` is that failure wherever it came from: a view, a template, the
    session or authentication middleware, the database cache. So is a failure while a
    404 or 403 page was being rendered.
    """
    error = sys.exception()
    if not is_database_unavailable(error):
        return defaults.server_error(request)
    # Rendered without the request: no context processor runs, so the page asks
    # nothing of the database (no session, no member, no notification count).
    html = loader.get_template("503.html").render({"too_slow": _is_cancelled(error)})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _is_cancelled(error: BaseException | None) -> bool:
    """Whether the failure is a query cancelled by the statement timeout
    (settings.STATEMENT_TIMEOUT_MS), which psycopg reports as an OperationalError."""
    return isinstance(getattr(error, "__cause__", None), QueryCanceled)


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error``, or an error it was raised from or while handling, is a lost
    or refused database connection."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def wants_json(request) -> bool:
    """Whether the request is a script's fetch() asking for JSON (votes, follows, the
    preview, uploads): its refusals are {"error": ...}, not a page."""
    return "application/json" in request.headers.get("Accept", "")


# What a request over one of Django's size limits (settings: DATA_UPLOAD_MAX_MEMORY_SIZE,
# DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_NUMBER_FILES) is told, as status and words.
TOO_MUCH = {
    RequestDataTooBig: (
        413,
        "Too large",
        "What you sent is larger than the site accepts. Images can be up to 5 MB; "
        "texts have their own limits, which the form says.",
    ),
    TooManyFieldsSent: (400, "Bad request", "The form you sent has far too many fields."),
    TooManyFilesSent: (400, "Bad request", "The form you sent has far too many files."),
}


def bad_request(request, exception):
    """``handler400``: a request over a size limit is told which one (413 for a body too
    large); any other bad request gets the normal 400 page."""
    for kind, (status, title, text) in TOO_MUCH.items():
        if isinstance(exception, kind):
            return _bad_request_page(status, title=title, text=text)
    if type(exception) is BadRequest:
        # Raised by our own code with a sentence for the reader (a NUL in the address);
        # Django's SuspiciousOperation kinds carry details for the log, not for people.
        return _bad_request_page(400, text=str(exception))
    return defaults.bad_request(request, exception)


def _bad_request_page(status: int, **context: str) -> HttpResponse:
    # Like Django's own error pages: rendered without the request, whose body may be
    # what could not be read.
    html = loader.get_template("400.html").render({"code": status, **context})
    return HttpResponse(html, status=status)
