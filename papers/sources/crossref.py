"""Crossref's REST API (https://api.crossref.org/swagger-ui/index.html): one work by DOI.

Crossref asks clients to put a mailto: in the User-Agent (http.USER_AGENT does) to be
served from its "polite pool", and to back off on 429; http.make_session does both.
"""

import datetime
import html
import re
from urllib.parse import quote

from django.utils.html import strip_tags

from papers.identifiers import normalize_doi

from .http import fetch
from .records import Malformed, PaperRecord, collapse

API_URL = "https://api.crossref.org/works/"
# The first available of these, in Crossref's field names; "issued" is the earliest of
# print and online publication, and is always present.
DATE_FIELDS = ("published-print", "published-online", "published", "issued")


def fetch_crossref(doi: str, *, session=None) -> PaperRecord:
    """The work with this (normalized) DOI."""
    response = fetch(
        API_URL + quote(doi, safe="/"),
        service="Crossref",
        not_found=f"Crossref has no record of DOI {doi}.",
        session=session,
    )
    try:
        payload = response.json()
        message = payload["message"]
        if payload.get("message-type") != "work" or not isinstance(message, dict):
            raise TypeError(payload.get("message-type"))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise Malformed(f"Crossref's answer for DOI {doi} is not a work record.") from error
    return work_to_record(message).check_complete(f"Crossref's record of DOI {doi}")


def work_to_record(work: dict) -> PaperRecord:
    dates = [date for name in DATE_FIELDS if (date := parse_date_parts(work.get(name)))]
    # A date known to the day sorts before the same year and month without one.
    earliest = min(dates, key=lambda d: (d[0], d[1] or 13, d[2] or 32), default=None)
    published_on = earliest if earliest and earliest[2] else None
    return PaperRecord(
        title=text(first(work.get("title"))),
        authors=[name for author in work.get("author", []) if (name := author_name(author))],
        year=earliest[0] if earliest else None,
        source="crossref",
        abstract=jats_to_text(work.get("abstract", "")),
        published_on=datetime.date(*published_on) if published_on else None,
        venue_name=text(first(work.get("container-title"))),
        doi=normalize_doi(work.get("DOI", "")) if work.get("DOI") else "",
        url=work.get("URL", ""),
        tags=[collapse(subject) for subject in work.get("subject", [])],
    )


def first(values) -> str:
    return values[0] if isinstance(values, list) and values else ""


def text(value: str) -> str:
    """Crossref titles may carry markup (<i>, <sub>) and entities; keep the words."""
    return collapse(html.unescape(strip_tags(value or "")))


def author_name(author: dict) -> str:
    """Crossref gives people as given + family, and organisations as name."""
    return collapse(f"{author.get('given', '')} {author.get('family', '')}") or collapse(
        author.get("name", "")
    )


def parse_date_parts(value) -> tuple[int, int, int] | None:
    """{"date-parts": [[2015, 5, 28]]} -> (2015, 5, 28); a missing month or day is 0."""
    try:
        parts = [int(part) for part in value["date-parts"][0] if part is not None]
    except (TypeError, KeyError, IndexError, ValueError):
        return None
    if not parts:
        return None
    year, month, day = [*parts, 0, 0][:3]
    if month and day:
        try:
            datetime.date(year, month, day)
        except ValueError:
            return (year, month, 0)
    return (year, month, day)


def jats_to_text(jats: str) -> str:
    """Crossref abstracts are JATS XML (<jats:p>, <jats:italic>); paragraphs are kept,
    separated by a blank line, and the "Abstract" heading is dropped."""
    jats = re.sub(r"<jats:title>.*?</jats:title>", "", jats or "", flags=re.DOTALL)
    paragraphs = re.split(r"</jats:p>|</jats:sec>", jats)
    return "\n\n".join(filter(None, (text(paragraph) for paragraph in paragraphs)))
