"""Normalizing paper identifiers: arXiv ids, DOIs and BibTeX/dblp keys.

Each ``normalize_*`` returns the canonical form or raises ValueError with a message a
person can act on. ``classify`` tells which kind of identifier a pasted string is.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote

# New style (since 2007): YYMM.NNNN or YYMM.NNNNN, optional version.
ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
# Old style: archive(.subject class)/YYMMNNN, optional version, e.g. hep-th/9901001v2.
ARXIV_OLD = re.compile(r"^([a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?$")
ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(.+?)(?:\.pdf)?/?$",
    re.IGNORECASE,
)
# A DOI's suffix may hold any printable character; no space nor control character (a
# DOI link's %00, unquoted, is a NUL, which no database column takes).
DOI = re.compile(r"^10\.\d{4,9}/[^\s\x00-\x1f\x7f-\x9f]+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
# dblp/Bibsonomy keys: conf/nips/VaswaniSPUJGKP17, journals/tnn/BengioSF94, or a plain
# BibTeX key such as vaswani2017attention.
BIBTEX_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:/_.+-]{0,199}$")
# dblp files arXiv preprints under journals/corr/, as abs-1706-03762 or 1706.03762.
DBLP_CORR = re.compile(r"^journals/corr/(?:abs-)?(\d{4})[.-](\d{4,5})(?:v\d+)?$", re.IGNORECASE)


def normalize_arxiv_id(value: str) -> str:
    """'arXiv:1706.03762v5', 'https://arxiv.org/pdf/1706.03762.pdf' -> '1706.03762'."""
    text = value.strip()
    if match := ARXIV_URL.match(text):
        text = match.group(1)
    if text.lower().startswith("arxiv:"):
        text = text[len("arxiv:") :]
    if match := ARXIV_NEW.match(text) or ARXIV_OLD.match(text):
        return match.group(1)
    raise ValueError(
        f"{value.strip()!r} is not an arXiv identifier (like 1706.03762 or hep-th/9901001)."
    )


def normalize_doi(value: str) -> str:
    """'https://doi.org/10.1038/NATURE14539' -> '10.1038/nature14539'. DOIs ignore case."""
    text = value.strip()
    for prefix in DOI_PREFIXES:
        if text.lower().startswith(prefix):
            text = unquote(text[len(prefix) :])
            break
    if text.lower().startswith("doi:"):
        text = text[len("doi:") :].strip()
    if not DOI.match(text):
        raise ValueError(f"{value.strip()!r} is not a DOI (like 10.1038/nature14539).")
    return text.lower()


def normalize_bibtex_key(value: str) -> str:
    text = value.strip()
    if not BIBTEX_KEY.match(text):
        raise ValueError(
            f"{text!r} is not a BibTeX key (letters, digits and : / _ . + - only, "
            "like conf/nips/VaswaniSPUJGKP17)."
        )
    return text


def arxiv_id_from_dblp_key(key: str) -> str | None:
    """dblp's key for an arXiv preprint names its arXiv id: journals/corr/abs-1706-03762."""
    if match := DBLP_CORR.match(key.strip()):
        return f"{match.group(1)}.{match.group(2)}"
    return None


# Paper fields holding each kind of identifier, and their names in messages.
FIELD_FOR_KIND = {"arxiv": "arxiv_id", "doi": "doi", "bibtex": "bibtex_key"}
FIELD_NAMES = {"arxiv_id": "arXiv id", "doi": "DOI", "bibtex_key": "BibTeX key"}
# The Paper fields that each identify a paper on their own (each unique when set).
IDENTIFIER_FIELDS = tuple(FIELD_FOR_KIND.values())


@dataclass(frozen=True)
class Identifier:
    kind: str  # "arxiv", "doi" or "bibtex"
    value: str

    @property
    def field(self) -> str:
        """The Paper field that holds this kind of identifier."""
        return FIELD_FOR_KIND[self.kind]


def classify(text: str) -> Identifier | None:
    """What a pasted identifier is, normalized; None if it is none of ours.

    Order matters: an arXiv id would also pass as a BibTeX key, and a dblp CoRR key
    is better known by the arXiv id it contains.
    """
    text = text.strip()
    for kind, normalize in (("arxiv", normalize_arxiv_id), ("doi", normalize_doi)):
        try:
            return Identifier(kind, normalize(text))
        except ValueError:
            pass
    if arxiv_id := arxiv_id_from_dblp_key(text):
        return Identifier("arxiv", arxiv_id)
    if "/" in text and BIBTEX_KEY.match(text):
        return Identifier("bibtex", text)
    return None
