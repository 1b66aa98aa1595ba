"""Importing papers from arXiv, Crossref, dblp, Bibsonomy and pasted BibTeX.

``lookup(text)`` takes whatever a member pastes and returns PaperRecords; failures are
SourceError subclasses (NotFound, Unavailable, Malformed) whose message is for the member.
"""

import re

from papers.identifiers import classify

from .arxiv import DELAY_SECONDS as ARXIV_DELAY_SECONDS
from .arxiv import fetch_arxiv, fetch_arxiv_listing
from .bibsonomy import bibtex_export_url, fetch_bibsonomy
from .bibtex import parse_bibtex
from .crossref import fetch_crossref
from .dblp import dblp_key_from_url, fetch_dblp
from .records import Malformed, NotFound, PaperRecord, SourceError, Unavailable
from .venues import venue_for

__all__ = [
    "ARXIV_DELAY_SECONDS",
    "Malformed",
    "NotFound",
    "PaperRecord",
    "SourceError",
    "Unavailable",
    "fetch_arxiv",
    "fetch_arxiv_listing",
    "fetch_bibsonomy",
    "fetch_crossref",
    "fetch_dblp",
    "lookup",
    "parse_bibtex",
    "venue_for",
]

# An entry starts a line with @type{ or @type( ; .bib files may open with % comments.
BIBTEX_ENTRY = re.compile(r"^\s*@\w+\s*[{(]", re.MULTILINE)

ACCEPTED = (
    "Paste an arXiv id or link (1706.03762, https://arxiv.org/abs/1706.03762), a DOI or "
    "doi.org link (10.1038/nature14539), a dblp key or link (conf/cvpr/TaigmanYRW14), "
    "a Bibsonomy publication link, or one or more BibTeX entries starting with @."
)


def lookup(text: str, *, session=None) -> list[PaperRecord]:
    """The paper(s) ``text`` names: one record, or one per entry of pasted BibTeX.

    Order matters: BibTeX first (it may contain anything), then the URLs of sites whose
    paths look like keys, then identifiers (an arXiv id would pass as a dblp key, and a
    dblp CoRR key is better fetched from arXiv by the id it contains).
    """
    text = text.strip()
    if not text:
        raise Malformed(f"Nothing was pasted. {ACCEPTED}")
    if BIBTEX_ENTRY.search(text):
        return parse_bibtex(text, source="dblp")
    if bibtex_export_url(text):
        return [fetch_bibsonomy(text, session=session)]
    if key := dblp_key_from_url(text):
        identifier = classify(key)
        if identifier and identifier.kind == "arxiv":
            return [fetch_arxiv(identifier.value, session=session)]
        return [fetch_dblp(key, session=session)]
    identifier = classify(text.removeprefix("DBLP:"))
    # Any other link would pass as a key (keys may hold : and /), but is none of ours.
    if identifier is None or (identifier.kind == "bibtex" and "://" in text):
        raise Malformed(f"{text[:80]!r} is not something we can import. {ACCEPTED}")
    if identifier.kind == "arxiv":
        return [fetch_arxiv(identifier.value, session=session)]
    if identifier.kind == "doi":
        return [fetch_crossref(identifier.value, session=session)]
    return [fetch_dblp(identifier.value, session=session)]
