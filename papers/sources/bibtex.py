"""BibTeX text (pasted, or from dblp and Bibsonomy) to PaperRecords, with bibtexparser v2."""

import datetime
import re

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import Entry

from papers.identifiers import arxiv_id_from_dblp_key, normalize_arxiv_id, normalize_doi

from .records import Malformed, PaperRecord, collapse

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# Bibsonomy tags are single words separated by spaces; other BibTeX uses , or ;.
KEYWORD_SEPARATORS = {"bibsonomy": r"[\s,;]+", "default": r"\s*[,;]\s*"}
# Tags Bibsonomy adds to every post copied from dblp: they say nothing about the paper.
IGNORED_TAGS = {"dblp"}


def parse_stack() -> list:
    """Order matters: braces and quotes go first, then LaTeX ({\\"o} -> ö, ~ -> nbsp), and
    only then are authors split ("Last, First and First Last") and merged first-name-first."""
    return [
        middlewares.ResolveStringReferencesMiddleware(),
        middlewares.RemoveEnclosingMiddleware(),
        middlewares.LatexDecodingMiddleware(),
        middlewares.NormalizeFieldKeys(),
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
        middlewares.MergeNameParts(style="first"),
    ]


def parse_bibtex(text: str, *, source: str = "dblp") -> list[PaperRecord]:
    """One record per entry, in file order; Malformed for any unreadable entry."""
    library = bibtexparser.parse_string(text, parse_stack=parse_stack())
    if library.failed_blocks:
        block = library.failed_blocks[0]
        # bibtexparser counts lines from 0.
        line = f" on line {block.start_line + 1}" if block.start_line is not None else ""
        raise Malformed(f"The BibTeX could not be read{line}: {first_line(block.error)}")
    if not library.entries:
        raise Malformed("The text has no BibTeX entry (like @article{key, title = {...}, ...}).")
    return [entry_to_record(entry, source=source) for entry in library.entries]


def first_line(error: Exception) -> str:
    # The splitter's BlockAbortedException has its reason apart and an empty str().
    reason = getattr(error, "abort_reason", None) or str(error) or type(error).__name__
    return reason.strip().splitlines()[0]


def entry_to_record(entry: Entry, *, source: str) -> PaperRecord:
    fields = {name: value for name, value in entry.fields_dict.items()}

    def text(name: str) -> str:
        value = fields.get(name)
        return collapse(value.value) if value is not None and isinstance(value.value, str) else ""

    authors_field = fields.get("author")
    authors = [collapse(name) for name in authors_field.value] if authors_field else []
    # dblp writes its keys as DBLP:conf/cvpr/TaigmanYRW14; we store conf/cvpr/TaigmanYRW14.
    key = entry.key.removeprefix("DBLP:")
    year = parse_int(text("year"))
    record = PaperRecord(
        title=text("title"),
        authors=[name for name in authors if name],
        year=year,
        source=source,
        abstract=text("abstract"),
        published_on=published_on(year, text("month"), text("day")),
        venue_name=text("booktitle") or text("journal"),
        arxiv_id=arxiv_id(fields, text, key),
        doi=doi(text("doi")),
        bibtex_key=key,
        url=text("url"),
        tags=keywords(text("keywords"), source),
    )
    return record.check_complete(f"The BibTeX entry {entry.key!r}")


def arxiv_id(fields, text, key: str) -> str:
    """arXiv ids hide in eprint (with archivePrefix, or dblp's eprinttype) or a CoRR key."""
    prefix = (text("archiveprefix") or text("eprinttype")).casefold()
    if text("eprint") and prefix in ("arxiv", ""):
        try:
            return normalize_arxiv_id(text("eprint"))
        except ValueError:
            pass
    return arxiv_id_from_dblp_key(key) or ""


def doi(value: str) -> str:
    try:
        return normalize_doi(value) if value else ""
    except ValueError:
        return ""


def parse_int(value: str) -> int | None:
    match = re.match(r"^\d{1,4}$", value)
    return int(match.group()) if match else None


def published_on(year: int | None, month: str, day: str) -> datetime.date | None:
    """A full date only when the entry gives year, month (number or name) and day."""
    month_number = parse_int(month) or MONTHS.get(month.casefold().rstrip("."))
    day_number = parse_int(day)
    if not (year and month_number and day_number):
        return None
    try:
        return datetime.date(year, month_number, day_number)
    except ValueError:
        return None


def keywords(value: str, source: str) -> list[str]:
    separators = KEYWORD_SEPARATORS.get(source, KEYWORD_SEPARATORS["default"])
    tags = [tag.strip() for tag in re.split(separators, value)]
    return list(dict.fromkeys(tag for tag in tags if tag and tag.casefold() not in IGNORED_TAGS))
