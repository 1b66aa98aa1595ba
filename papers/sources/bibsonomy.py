"""Bibsonomy publication pages (https://www.bibsonomy.org/help_en/URL%20Syntax) via BibTeX.

Any Bibsonomy page has a BibTeX twin under /bib/: /bibtex/<hash>/<user> (one member's
post) becomes /bib/bibtex/<hash>/<user>, /publication/<hash> (all posts of a paper)
becomes /bib/publication/<hash>. Post hashes are 32 hex digits, optionally prefixed with
1 (intra-hash) or 2 (inter-hash).
"""

import re

from .bibtex import parse_bibtex
from .http import fetch
from .records import NotFound, PaperRecord

BASE_URL = "https://www.bibsonomy.org"
PUBLICATION_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?bibsonomy\.org/(?:bib/)?"
    r"(?P<kind>bibtex|publication)/(?P<hash>[0-3]?[0-9a-f]{32})(?:/(?P<user>[\w.-]+))?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def bibtex_export_url(url: str) -> str | None:
    """The BibTeX export of a Bibsonomy publication page, None if ``url`` is not one."""
    match = PUBLICATION_URL.match(url.strip())
    if not match:
        return None
    path = f"/bib/{match['kind'].lower()}/{match['hash'].lower()}"
    return BASE_URL + path + (f"/{match['user']}" if match["user"] else "")


def fetch_bibsonomy(url: str, *, session=None) -> PaperRecord:
    """The paper on this Bibsonomy page; of several members' posts, the first."""
    export_url = bibtex_export_url(url)
    if export_url is None:
        raise ValueError(f"{url!r} is not a Bibsonomy publication URL.")
    response = fetch(
        export_url,
        service="Bibsonomy",
        not_found=f"Bibsonomy has no publication at {url.strip()}.",
        session=session,
    )
    text = response.content.decode("utf-8", errors="replace")
    if not text.strip():
        # An unknown hash gets an empty export (HTTP 200), not a 404.
        raise NotFound(f"Bibsonomy has no publication at {url.strip()}.")
    return parse_bibtex(text, source="bibsonomy")[0]
