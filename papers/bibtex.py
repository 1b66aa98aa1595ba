"""A paper's BibTeX entry, written with bibtexparser."""

import re

import bibtexparser
from bibtexparser.model import Entry, Field
from django.http import HttpResponse
from django.utils.text import slugify

from .models import Paper
from .validation import is_link


def citation_key(paper: Paper) -> str:
    """The stored BibTeX key, else surname + year + first title word (vaswani2017attention)."""
    if paper.bibtex_key:
        return paper.bibtex_key
    authors = paper.ordered_authors
    surname = authors[0].name.split()[-1] if authors else "anonymous"
    word = next((w for w in re.findall(r"\w+", paper.title) if len(w) > 3), "paper")
    # slugify folds accents to ASCII (García -> garcia) before the rest is dropped.
    return re.sub(r"[^a-z0-9]", "", slugify(f"{surname}{paper.year}{word}"))


def bibtex_entry(paper: Paper, key: str | None = None) -> Entry:
    """The paper as a BibTeX entry (the paper loaded with_header(), for its authors)."""
    fields = [
        # Braces keep the title's capitals (BERT, LSTM) through BibTeX styles.
        Field("title", "{" + paper.title + "}"),
        Field("author", " and ".join(author.name for author in paper.ordered_authors)),
        Field("year", str(paper.year)),
    ]
    if paper.venue:
        entry_type = "inproceedings"
        fields.append(Field("booktitle", paper.venue.full_name or paper.venue.short_name))
    elif paper.arxiv_id:
        entry_type = "misc"
    else:
        entry_type = "article"
    if paper.arxiv_id:
        fields += [
            Field("eprint", paper.arxiv_id),
            Field("archivePrefix", "arXiv"),
        ]
    if paper.doi:
        fields.append(Field("doi", paper.doi))
    # A stored link that is not http(s) (a row older than the checks) is left out.
    if url := (paper.url if is_link(paper.url) else "") or paper.arxiv_url or paper.doi_url:
        fields.append(Field("url", url))
    return Entry(entry_type, key or citation_key(paper), fields)


def to_bibtex(paper: Paper) -> str:
    return to_bibtex_file([paper])


def to_bibtex_file(papers) -> str:
    """Several papers as one .bib text; keys made unique with a, b, ... where they clash."""
    library = bibtexparser.Library()
    used: set[str] = set()
    for paper in papers:
        key = base = citation_key(paper)
        for suffix in "abcdefghijklmnopqrstuvwxyz":
            if key not in used:
                break
            key = f"{base}{suffix}"
        used.add(key)
        library.add(bibtex_entry(paper, key))
    return bibtexparser.write_string(library).strip() + "\n" if papers else ""


def bibtex_download(papers, filename: str) -> HttpResponse:
    response = HttpResponse(
        to_bibtex_file(papers), content_type="application/x-bibtex; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
