"""What every source returns: a PaperRecord, or one of the SourceError exceptions."""

import datetime
from dataclasses import dataclass, field


class SourceError(Exception):
    """A paper could not be imported; ``str(error)`` is a message for the member."""


class NotFound(SourceError):
    """The source has no record under this identifier."""


class Unavailable(SourceError):
    """The source timed out, could not be reached or kept failing (5xx, 429) after retries."""


class Malformed(SourceError):
    """Text or a payload we cannot read, or a record without the fields a Paper needs."""


@dataclass
class PaperRecord:
    """One paper as a source describes it, ready for papers.services.create_paper."""

    title: str
    authors: list[str]  # Display names, "First Last", in paper order.
    year: int | None
    source: str  # A Paper.Source value: "arxiv", "crossref", "dblp" or "bibsonomy".
    abstract: str = ""
    published_on: datetime.date | None = None
    venue_name: str = ""  # The journal or conference as the source spells it.
    arxiv_id: str = ""
    doi: str = ""
    bibtex_key: str = ""
    url: str = ""
    pdf_url: str = ""
    tags: list[str] = field(default_factory=list)

    def check_complete(self, where: str) -> "PaperRecord":
        """Raise Malformed naming the missing fields a Paper cannot be stored without."""
        missing = [
            name
            for name, value in (
                ("title", self.title),
                ("authors", self.authors),
                ("year", self.year),
            )
            if not value
        ]
        if missing:
            raise Malformed(f"{where} has no {' or '.join(missing)}, so it cannot be imported.")
        return self


def collapse(text: str | None) -> str:
    """Runs of spaces, tabs, newlines and non-breaking spaces become one space."""
    return " ".join((text or "").split())
