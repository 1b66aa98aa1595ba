"""Our own write paths use allauth's rate limiter, with our actions' rates in
settings.ACCOUNT_RATE_LIMITS beside allauth's (e.g. "summary_write": "30/h/user")."""

from allauth.core import ratelimit


def limit(request, action: str):
    """A 429 response if ``request`` has used up its allowance for ``action``, else None.

    Each call counts one use.
    """
    return ratelimit.consume_or_429(request, action=action)
