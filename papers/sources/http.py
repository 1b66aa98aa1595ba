"""The one HTTP client every source uses: timeouts, a descriptive User-Agent, retries.

Failures come out as SourceError subclasses with a message a member can read:
Unavailable for timeouts, connection errors and 5xx/429 after retries, NotFound for 404.
"""

import os

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .records import NotFound, SourceError, Unavailable

# Crossref serves requests whose User-Agent carries a mailto: from its "polite pool";
# arXiv and dblp ask clients to say who they are, so admins can reach us before blocking.
CONTACT = os.environ.get("SHORTSCIENCE_CONTACT", "mailto:admin@localhost")
USER_AGENT = f"ShortScience/0.1 (+https://github.com/shortscience/shortscience; {CONTACT})"

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 20
RETRIES = 3
# Seconds: 0.5, 1, 2 between attempts. Tests set these to 0 so retries cost nothing.
BACKOFF_FACTOR = 0.5
# arXiv, Crossref and dblp answer 429/503 with Retry-After when they want us to slow down.
# We honour it, but a member is waiting on the other end of the request, so not forever.
MAX_RETRY_AFTER = 30
RETRY_STATUSES = (429, 500, 502, 503, 504)


class CappedRetry(Retry):
    """urllib3's Retry, waiting at most MAX_RETRY_AFTER seconds for a Retry-After."""

    def get_retry_after(self, response):
        retry_after = super().get_retry_after(response)
        return None if retry_after is None else min(retry_after, MAX_RETRY_AFTER)


def make_session() -> requests.Session:
    retry = CappedRetry(
        total=RETRIES,
        connect=RETRIES,
        read=RETRIES,
        status=RETRIES,
        backoff_factor=BACKOFF_FACTOR,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        # Hand back the last 5xx/429 response instead of raising, so fetch() can say which.
        raise_on_status=False,
    )
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def fetch(
    url: str,
    *,
    service: str,
    not_found: str,
    params: dict | None = None,
    headers: dict | None = None,
    accept: tuple[int, ...] = (200,),
    session: requests.Session | None = None,
) -> requests.Response:
    """GET ``url`` from ``service`` ("arXiv", "Crossref"...); answers with a status in
    ``accept`` are returned, 404 raises NotFound(not_found), the rest Unavailable."""
    owns_session = session is None
    session = session or make_session()
    try:
        response = session.get(
            url, params=params, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT)
        )
    except requests.exceptions.ConnectTimeout as error:
        raise Unavailable(
            f"{service} could not be reached within {CONNECT_TIMEOUT} seconds; try again later."
        ) from error
    except requests.exceptions.ReadTimeout as error:
        raise Unavailable(
            f"{service} did not answer within {READ_TIMEOUT} seconds; try again later."
        ) from error
    except requests.exceptions.RetryError as error:
        raise Unavailable(f"{service} kept failing; try again later.") from error
    except requests.exceptions.ConnectionError as error:
        raise Unavailable(f"Could not connect to {service}; try again later.") from error
    except requests.exceptions.RequestException as error:
        raise SourceError(f"The request to {service} failed: {error}") from error
    finally:
        if owns_session:
            session.close()
    if response.status_code in accept:
        return response
    if response.status_code == 404:
        raise NotFound(not_found)
    if response.status_code == 429:
        raise Unavailable(f"{service} asks us to slow down (HTTP 429); try again in a minute.")
    if response.status_code >= 500:
        raise Unavailable(f"{service} is failing (HTTP {response.status_code}); try again later.")
    raise SourceError(f"{service} refused the request (HTTP {response.status_code}).")
