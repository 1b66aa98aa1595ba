"""From what a member pastes to stored papers: look the records up, find the papers we
already have (same identifier) or may have (a nearly identical title), and create the rest.

The lookup itself (arXiv, Crossref, dblp, Bibsonomy, BibTeX) lives in papers/sources/.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower

from .identifiers import IDENTIFIER_FIELDS
from .models import Paper
from .services import create_paper, find_duplicate
from .sources import PaperRecord, venue_for
from .validation import CLEANERS, clean_paper_data, problems

# pg_trgm similarity of lower-cased titles from which we ask "is this the same paper?".
# An arXiv preprint and its venue version often differ by a word or by punctuation.
SIMILAR_TITLE_THRESHOLD = 0.6
SIMILAR_TITLE_LIMIT = 5


@dataclass
class Candidate:
    """One looked-up record and what we already hold of it."""

    record: PaperRecord
    existing: Paper | None = None
    similar: list[Paper] = field(default_factory=list)
    # Why the record cannot be stored as it is (papers.validation), in sentences.
    problems: list[str] = field(default_factory=list)

    @property
    def source_label(self) -> str:
        return Paper.Source(self.record.source).label


def similar_papers(title: str, *, exclude_pk: int | None = None) -> list[Paper]:
    """Papers whose titles nearly match, best first (pg_trgm on lower-cased titles)."""
    papers = (
        Paper.objects.annotate(similarity=TrigramSimilarity(Lower("title"), title.lower()))
        .filter(similarity__gte=SIMILAR_TITLE_THRESHOLD)
        .order_by("-similarity", "pk")
    )
    if exclude_pk is not None:
        papers = papers.exclude(pk=exclude_pk)
    return list(papers[:SIMILAR_TITLE_LIMIT])


def candidates(records: list[PaperRecord]) -> list[Candidate]:
    found = []
    for record in records:
        identifiers = valid_identifiers(record)
        existing = find_duplicate(**identifiers) if identifiers else None
        similar = [] if existing else similar_papers(record.title[:1000])
        found.append(Candidate(record, existing, similar, record_problems(record)))
    return found


def record_problems(record: PaperRecord) -> list[str]:
    """What stops ``record`` from being stored, as sentences naming the fields; [] if
    nothing does. The same check as the add-a-paper form's (papers.validation)."""
    try:
        clean_paper_data(record_fields(record, with_venue=False))
    except ValidationError as error:
        return problems(error)
    return []


def valid_identifiers(record: PaperRecord) -> dict[str, str]:
    """The record's identifiers that pass the check, normalized; a malformed one (a
    BibTeX key with spaces, a DOI too long for its column) is left out."""
    found = {}
    for name in IDENTIFIER_FIELDS:
        try:
            value = CLEANERS[name](getattr(record, name))
        except ValidationError:
            continue
        if value:
            found[name] = value
    return found


def add_identifiers(paper: Paper, record: PaperRecord) -> list[str]:
    """Give ``paper`` the identifiers of ``record`` it lacks and no other paper holds:
    an arXiv preprint and its published version are one paper with both. Returns the
    names of the fields added."""
    added = []
    for name, value in valid_identifiers(record).items():
        if not getattr(paper, name) and not Paper.objects.filter(**{name: value}).exists():
            setattr(paper, name, value)
            added.append(name)
    if added:
        paper.save(update_fields=[*added, "updated_at"])
    return added


def record_fields(record: PaperRecord, *, with_venue: bool = True) -> dict:
    """The Paper fields (and authors, tags) a record gives, with its venue mapped
    (unless ``with_venue`` is false: then the record is checked without looking it up)."""
    venue = venue_for(record.venue_name) if record.venue_name and with_venue else None
    return {
        "title": record.title,
        "authors": record.authors,
        "abstract": record.abstract,
        "year": record.year,
        "published_on": record.published_on,
        "venue": venue,
        "venue_year": record.year if venue else None,
        "tags": record.tags,
        "arxiv_id": record.arxiv_id,
        "doi": record.doi,
        "bibtex_key": record.bibtex_key,
        "url": record.url,
        "pdf_url": record.pdf_url,
        "source": record.source,
    }


def form_initial(record: PaperRecord) -> dict:
    """PaperForm's initial values from a record, for the member to check and submit."""
    fields = record_fields(record)
    return fields | {
        "authors": "\n".join(record.authors),
        "tags": ", ".join(record.tags),
        "venue": fields["venue"].pk if fields["venue"] else None,
    }


def create_from_record(user, record: PaperRecord) -> Paper:
    """The record stored as a new paper; ValidationError if it fails the checks."""
    fields = record_fields(record)
    return create_paper(user, authors=fields.pop("authors"), tags=fields.pop("tags"), **fields)
