"""arXiv's API (https://info.arxiv.org/help/api/user-manual.html): Atom, read with feedparser.

API terms (https://info.arxiv.org/help/api/tou.html): no more than one request every
three seconds, one connection at a time; bulk imports wait DELAY_SECONDS between calls.
"""

import datetime
import logging
import re

import feedparser

from papers.identifiers import normalize_arxiv_id, normalize_doi

from .http import fetch
from .records import Malformed, NotFound, PaperRecord, collapse

API_URL = "https://export.arxiv.org/api/query"
DELAY_SECONDS = 3
# arXiv lets one query page through at most 2000 results at a time.
MAX_RESULTS_PER_CALL = 2000
CATEGORY = re.compile(r"^[a-z-]+(\.[A-Za-z-]+)?$")
ERROR_ID_PREFIX = "http://arxiv.org/api/errors"

logger = logging.getLogger(__name__)


def fetch_arxiv(arxiv_id: str, *, session=None) -> PaperRecord:
    """The paper with this (normalized) arXiv id, latest version."""
    response = fetch(
        API_URL,
        service="arXiv",
        not_found=f"arXiv has no paper {arxiv_id}.",
        params={"id_list": arxiv_id, "max_results": 1},
        # A malformed id gets HTTP 400 with an Atom error entry, read below.
        accept=(200, 400),
        session=session,
    )
    feed = parse_feed(response.content)
    entries = [entry for entry in feed.entries if not is_error(entry)]
    if errors := [entry for entry in feed.entries if is_error(entry)]:
        raise NotFound(f"arXiv has no paper {arxiv_id}: {collapse(errors[0].get('summary'))}.")
    if not entries:
        # An id that is well-formed but unknown gets an empty feed (HTTP 200).
        raise NotFound(f"arXiv has no paper {arxiv_id}.")
    return entry_to_record(entries[0]).check_complete(f"arXiv's record of {arxiv_id}")


def fetch_arxiv_listing(
    category: str,
    date_from: datetime.date,
    date_to: datetime.date,
    start: int = 0,
    max_results: int = 100,
    *,
    session=None,
) -> tuple[list[PaperRecord], int]:
    """One page of the papers submitted to ``category`` between the two dates (inclusive),
    oldest first, and the total the query matches. Entries without a title, authors or
    year are logged and left out. Callers wait DELAY_SECONDS between pages."""
    if not CATEGORY.match(category):
        raise Malformed(f"{category!r} is not an arXiv category (like cs.LG or hep-th).")
    if not 0 < max_results <= MAX_RESULTS_PER_CALL:
        raise ValueError(f"max_results must be between 1 and {MAX_RESULTS_PER_CALL}.")
    query = f"cat:{category} AND submittedDate:[{date_from:%Y%m%d}0000 TO {date_to:%Y%m%d}2359]"
    response = fetch(
        API_URL,
        service="arXiv",
        not_found="arXiv's API was not found.",
        params={
            "search_query": query,
            "start": start,
            "max_results": max_results,
            "sortBy": "submittedDate",
            "sortOrder": "ascending",
        },
        session=session,
    )
    feed = parse_feed(response.content)
    if errors := [entry for entry in feed.entries if is_error(entry)]:
        raise Malformed(f"arXiv refused the query {query!r}: {collapse(errors[0].get('summary'))}")
    try:
        total = int(feed.feed.get("opensearch_totalresults", "0"))
    except ValueError as error:
        raise Malformed("arXiv's answer has no readable total of results.") from error
    records = []
    for entry in feed.entries:
        record = entry_to_record(entry)
        try:
            records.append(record.check_complete(f"arXiv's record of {record.arxiv_id}"))
        except Malformed as error:
            logger.warning("Skipped an arXiv entry: %s", error)
    return records, total


def parse_feed(content: bytes):
    feed = feedparser.parse(content)
    # feedparser reads what it can and flags broken XML with bozo; a cut-off feed would
    # give half a record, so only a wrong encoding declaration is forgiven.
    broken = feed.get("bozo") and not isinstance(
        feed.get("bozo_exception"), feedparser.CharacterEncodingOverride
    )
    if broken or not feed.get("version"):
        raise Malformed("arXiv's answer is not a readable Atom feed.")
    return feed


def is_error(entry) -> bool:
    return entry.get("id", "").startswith(ERROR_ID_PREFIX)


def entry_to_record(entry) -> PaperRecord:
    # Entry ids are abs URLs with a version: http://arxiv.org/abs/1706.03762v7.
    try:
        arxiv_id = normalize_arxiv_id(entry.get("id", ""))
    except ValueError as error:
        raise Malformed(f"arXiv's entry id {entry.get('id')!r} is not an arXiv URL.") from error
    published = parse_date(entry.get("published", ""))
    return PaperRecord(
        title=collapse(entry.get("title")),
        authors=[collapse(author.get("name")) for author in entry.get("authors", [])],
        year=published.year if published else None,
        source="arxiv",
        abstract=collapse(entry.get("summary")),
        published_on=published,
        venue_name=collapse(entry.get("arxiv_journal_ref")),
        arxiv_id=arxiv_id,
        doi=doi(entry.get("arxiv_doi", "")),
        url=f"https://arxiv.org/abs/{arxiv_id}",
        # Without a version, arXiv serves the latest one (the entry's links name a version).
        pdf_url=f"https://arxiv.org/pdf/{arxiv_id}",
        tags=categories(entry),
    )


def parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def doi(value: str) -> str:
    # arxiv:doi may list several DOIs separated by spaces; the first is the paper's.
    first = value.split()[0] if value.split() else ""
    try:
        return normalize_doi(first) if first else ""
    except ValueError:
        return ""


def categories(entry) -> list[str]:
    """The primary category first, then the others as listed (cs.CL, cs.LG)."""
    primary = entry.get("arxiv_primary_category", {}).get("term", "")
    terms = [tag.get("term", "") for tag in entry.get("tags", [])]
    return list(dict.fromkeys(term for term in [primary, *terms] if term))
