"""Writes to papers: creating records and their authors."""

from django.db import transaction

from shortscience.pagecache import PAPERS, SUMMARIES, changed, tag

from .identifiers import IDENTIFIER_FIELDS
from .models import Author, Authorship, Follow, Paper, normalize_name
from .validation import CLEANERS, clean_paper_data

# What the apps above show of a paper on pages of their own (a summary's page shows its
# paper's header): each registers ``stale(paper)``, which names those pages' tags.
_SHOWN_ELSEWHERE = []


def shown_elsewhere(stale):
    """Register ``stale(paper) -> tags`` (summaries.services.pages_showing_paper)."""
    _SHOWN_ELSEWHERE.append(stale)
    return stale


def paper_changed(paper: Paper) -> None:
    """Once the write commits, the cached pages that show this paper's details go stale:
    its page, every listing, and what the apps above say shows it."""
    shown = [name for stale in _SHOWN_ELSEWHERE for name in stale(paper)]
    changed(tag("paper", paper.pk), PAPERS, SUMMARIES, *shown)


def find_duplicate(
    *, arxiv_id: str = "", doi: str = "", bibtex_key: str = "", exclude: int | None = None
) -> Paper | None:
    """The paper already stored under any of these (normalized) identifiers, other than
    the paper ``exclude`` (the one being edited)."""
    given = {"arxiv_id": arxiv_id, "doi": doi, "bibtex_key": bibtex_key}
    others = Paper.objects.exclude(pk=exclude) if exclude else Paper.objects.all()
    for field in IDENTIFIER_FIELDS:
        if given[field] and (paper := others.filter(**{field: given[field]}).first()):
            return paper
    return None


def author_for(name: str) -> Author:
    """The author with this name (however accented, cased or punctuated), made if new."""
    author, _ = Author.objects.get_or_create(
        normalized_name=normalize_name(name), defaults={"name": " ".join(name.split())}
    )
    return author


def create_paper(added_by, *, authors: list[str], tags: list[str], **fields) -> Paper:
    """Store a paper with its authors in order and its keywords.

    ``fields`` are Paper's own fields; they are checked (papers.validation, as PaperForm
    does) and a ValidationError says what is wrong. The unique constraints on
    identifiers are the last word on duplicates.
    """
    fields = clean_paper_data({"authors": authors, "tags": tags, **fields})
    authors, tags = fields.pop("authors"), fields.pop("tags")
    with transaction.atomic():
        paper = Paper.objects.create(added_by=added_by, **fields)
        Authorship.objects.bulk_create(
            Authorship(paper=paper, author=author_for(name), position=position)
            for position, name in enumerate(authors, start=1)
        )
        paper.tags.set(tags)
        changed(PAPERS)
    return paper


def update_paper(paper: Paper, *, authors: list[str], tags: list[str], **fields) -> list[str]:
    """Store corrected details of a paper (checked as create_paper does); return the
    names of the fields that changed, "authors" and "tags" included."""
    current = {name: getattr(paper, name) for name in CLEANERS if hasattr(paper, name)}
    current["authors"], current["tags"] = authors, tags
    fields = clean_paper_data(current | fields)
    authors, tags = fields.pop("authors"), fields.pop("tags")
    changed_fields = [name for name, value in fields.items() if getattr(paper, name) != value]
    if paper.author_names() != authors:
        changed_fields.append("authors")
    if sorted(keyword.name for keyword in paper.tags.all()) != sorted(tags):
        changed_fields.append("tags")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(paper, name, value)
        paper.save()
        if "authors" in changed_fields:
            paper.authorships.all().delete()
            Authorship.objects.bulk_create(
                Authorship(paper=paper, author=author_for(name), position=position)
                for position, name in enumerate(authors, start=1)
            )
        if "tags" in changed_fields:
            paper.tags.set(tags)
        if changed_fields:
            paper_changed(paper)
    return changed_fields


def follow_paper(user, paper: Paper) -> None:
    if Follow.objects.get_or_create(user=user, paper=paper)[1]:
        changed(tag("paper", paper.pk))  # Its page counts followers.


def unfollow_paper(user, paper: Paper) -> None:
    if Follow.objects.filter(user=user, paper=paper).delete()[0]:
        changed(tag("paper", paper.pk))
