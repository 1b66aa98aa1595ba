"""dblp records (https://dblp.org/faq/How+to+use+the+dblp+search+API.html) as BibTeX.

dblp serves every record as https://dblp.org/rec/<key>.bib; it throttles heavy clients
with 429 and Retry-After, which http.make_session honours.
"""

import re

from papers.identifiers import BIBTEX_KEY

from .bibtex import parse_bibtex
from .http import fetch
from .records import Malformed, PaperRecord

RECORD_URL = "https://dblp.org/rec/{key}.bib"
# https://dblp.org/rec/conf/cvpr/TaigmanYRW14(.html|.bib|.xml), the older
# dblp.uni-trier.de/rec/bibtex/<key> and dblp.dagstuhl.de mirrors.
DBLP_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?dblp\.(?:org|uni-trier\.de|dagstuhl\.de)"
    r"/rec/(?:(?:bibtex|bib|xml)\d?/)?(?P<key>.+?)(?:\.(?:html|bib|xml|ris|nt|ttl|rdf))?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def dblp_key_from_url(text: str) -> str | None:
    """'https://dblp.org/rec/conf/cvpr/TaigmanYRW14.html' -> 'conf/cvpr/TaigmanYRW14'."""
    match = DBLP_URL.match(text.strip())
    return match.group("key") if match else None


def fetch_dblp(key: str, *, session=None) -> PaperRecord:
    """The dblp record with this key (conf/cvpr/TaigmanYRW14, or with a DBLP: prefix)."""
    key = key.strip().removeprefix("DBLP:")
    if not BIBTEX_KEY.match(key) or "/" not in key or ":" in key:
        raise Malformed(f"{key!r} is not a dblp key (like conf/cvpr/TaigmanYRW14).")
    response = fetch(
        RECORD_URL.format(key=key),
        service="dblp",
        not_found=f"dblp has no record {key}.",
        session=session,
    )
    records = parse_bibtex(response.content.decode("utf-8", errors="replace"), source="dblp")
    # With ?param=1 dblp adds the proceedings as a second entry; ours comes first anyway.
    return next((record for record in records if record.bibtex_key == key), records[0])
