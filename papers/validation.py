"""The one check of a paper's details, whichever way they arrive.

The add-a-paper form, the moderators' correction (the same form), the admin, every
import (arXiv, Crossref, dblp, Bibsonomy, pasted BibTeX, the import_papers command) and
merging all call ``clean_paper_data``; ``create_paper`` and ``update_paper`` call it again,
so nothing reaches the tables that a page cannot show or a column cannot hold.

Bounds come from the columns (a title of 600 characters would be a database error) and
from what pages do with a value: a keyword is part of its page's address, a link is an
``href``, so only http and https links are kept.
"""

import datetime
import unicodedata
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import NoReverseMatch, reverse

from .identifiers import normalize_arxiv_id, normalize_bibtex_key, normalize_doi
from .models import Author, Paper, Venue, normalize_name

MAX_TITLE = Paper._meta.get_field("title").max_length
MAX_AUTHORS = 500
MAX_AUTHOR_NAME = Author._meta.get_field("name").max_length
MAX_KEYWORDS = 50
MAX_KEYWORD = 100  # taggit's Tag.name and Tag.slug
# arXiv caps abstracts at 1,920 characters; Crossref's, with their JATS paragraphs, run
# longer, but not to a book.
MAX_ABSTRACT = 20_000
MAX_LINK = Paper._meta.get_field("url").max_length
MAX_DOI = Paper._meta.get_field("doi").max_length
MIN_YEAR = 1600
LINK_SCHEMES = ["http", "https"]
REQUIRED = ("title", "authors", "year")
# How each field is named in a message that is not shown beside the field itself.
LABELS = {
    "title": "Title",
    "authors": "Authors",
    "abstract": "Abstract",
    "year": "Year",
    "published_on": "Date",
    "venue": "Venue",
    "venue_year": "Venue year",
    "tags": "Keywords",
    "arxiv_id": "arXiv id",
    "doi": "DOI",
    "bibtex_key": "BibTeX key",
    "url": "Web page",
    "pdf_url": "PDF",
    "source": "Source",
}

_link_validator = URLValidator(schemes=LINK_SCHEMES)


def max_year() -> int:
    return datetime.date.today().year + 1  # noqa: DTZ011 - a calendar year


def _text(value, label: str) -> str:
    """A one-line value: runs of spaces (newlines, tabs) become one space."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{label} must be text.")
    _no_control_characters(value, label)
    return " ".join(value.split())


def _no_control_characters(value: str, label: str) -> None:
    # PostgreSQL cannot store NUL; the other control characters are never meant.
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
        raise ValidationError(f"{label} contains a control character; remove it.")


def clean_title(value) -> str:
    title = _text(value, "The title")
    if not title:
        raise ValidationError("Give the paper's title.")
    if len(title) > MAX_TITLE:
        raise ValidationError(
            f"Titles are at most {MAX_TITLE} characters; this one has {len(title):,}."
        )
    return title


def clean_author_name(value) -> str:
    name = _text(value, "An author's name")
    if len(name) > MAX_AUTHOR_NAME or len(normalize_name(name)) > MAX_AUTHOR_NAME:
        raise ValidationError(
            f"Author names are at most {MAX_AUTHOR_NAME} characters: “{name[:40]}…” is longer."
        )
    if name and not normalize_name(name):
        raise ValidationError(f"“{name[:40]}” is not a name: it has no letters.")
    return name


def clean_authors(value) -> list[str]:
    """Names in paper order, one author typed twice ("José García", "Jose Garcia")
    kept once. Text is one name per line."""
    lines = value.splitlines() if isinstance(value, str) else list(value or [])
    lines = [line for line in lines if not isinstance(line, str) or line.strip()]
    if len(lines) > 2 * MAX_AUTHORS:  # Said before each name is looked at.
        raise ValidationError(f"At most {MAX_AUTHORS} authors; this list has {len(lines):,}.")
    names, seen = [], set()
    for line in lines:
        name = clean_author_name(line)
        if name and normalize_name(name) not in seen:
            seen.add(normalize_name(name))
            names.append(name)
    if not names:
        raise ValidationError("Name at least one author.")
    if len(names) > MAX_AUTHORS:
        raise ValidationError(f"At most {MAX_AUTHORS} authors; this list has {len(names):,}.")
    return names


def clean_keyword(value) -> str:
    tag = _text(value, "A keyword")
    if not tag:
        return ""
    if len(tag) > MAX_KEYWORD or "/" in tag:
        raise ValidationError(
            f"Keywords are up to {MAX_KEYWORD} characters, without slashes: “{tag[:40]}”."
        )
    try:
        # A keyword has a page; one whose address cannot be made could not be linked.
        reverse("papers:tag", args=[tag])
    except NoReverseMatch:
        raise ValidationError(f"“{tag[:40]}” cannot be a keyword.") from None
    return tag


def clean_tags(value) -> list[str]:
    """Keywords, once each whatever their case (keywords ignore case). Text is
    comma-separated."""
    parts = value.split(",") if isinstance(value, str) else list(value or [])
    if len(parts) > 2 * MAX_KEYWORDS:
        raise ValidationError(f"At most {MAX_KEYWORDS} keywords; these are {len(parts):,}.")
    tags: dict[str, str] = {}
    for part in parts:
        if tag := clean_keyword(part):
            tags.setdefault(tag.casefold(), tag)
    if len(tags) > MAX_KEYWORDS:
        raise ValidationError(f"At most {MAX_KEYWORDS} keywords; these are {len(tags):,}.")
    return list(tags.values())


def clean_abstract(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("The abstract must be text.")
    _no_control_characters(value, "The abstract")
    abstract = value.strip()
    if len(abstract) > MAX_ABSTRACT:
        raise ValidationError(
            f"Abstracts are at most {MAX_ABSTRACT:,} characters; this one has {len(abstract):,}."
        )
    return abstract


def _clean_year(value, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(message)
    if not MIN_YEAR <= value <= max_year():
        raise ValidationError(f"{message} ({MIN_YEAR} to {max_year()}).")
    return value


def clean_year(value) -> int:
    if value in (None, ""):
        raise ValidationError("Give the year the paper was first published.")
    return _clean_year(value, "Enter the year the paper was first published")


def clean_venue_year(value) -> int | None:
    if value in (None, ""):
        return None
    return _clean_year(value, "Enter the year of the venue")


def clean_published_on(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, datetime.date):
        raise ValidationError("Enter a date.")
    return value


def clean_link(value) -> str:
    """An http or https address, or nothing: other schemes (javascript:, data:) would run
    or show something else than a page when clicked."""
    link = (value or "").strip() if isinstance(value, str) else value
    if not link:
        return ""
    if not isinstance(link, str):
        raise ValidationError("Enter a web address.")
    if len(link) > MAX_LINK:
        raise ValidationError(f"Addresses are at most {MAX_LINK} characters.")
    try:
        _link_validator(link)
    except ValidationError:
        raise ValidationError(
            f"Enter a web address starting with http:// or https:// (not “{link[:40]}”)."
        ) from None
    return link


def is_link(value: str) -> bool:
    """Whether a stored value may be an href (rows older than this check may hold others)."""
    try:
        return bool(clean_link(value))
    except ValidationError:
        return False


def _identifier(normalize, max_length: int | None = None):
    def clean(value) -> str:
        text = (value or "").strip() if isinstance(value, str) else ""
        if not text:
            return ""
        try:
            text = normalize(text)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        if max_length and len(text) > max_length:
            raise ValidationError(f"At most {max_length} characters.")
        return text

    return clean


def clean_venue(value):
    if value in (None, ""):
        return None
    if not isinstance(value, Venue):
        raise ValidationError("Choose a venue from the list.")
    return value


def clean_source(value) -> str:
    if not value:
        return Paper.Source.MANUAL
    if value not in Paper.Source.values:
        raise ValidationError(f"{value!r} is not a source of papers.")
    return value


CLEANERS = {
    "title": clean_title,
    "authors": clean_authors,
    "abstract": clean_abstract,
    "year": clean_year,
    "published_on": clean_published_on,
    "venue": clean_venue,
    "venue_year": clean_venue_year,
    "tags": clean_tags,
    "arxiv_id": _identifier(normalize_arxiv_id),
    "doi": _identifier(normalize_doi, MAX_DOI),
    "bibtex_key": _identifier(normalize_bibtex_key),
    "url": clean_link,
    "pdf_url": clean_link,
    "source": clean_source,
}


def clean_paper_data(data: Mapping, *, partial: bool = False) -> dict:
    """``data`` checked and normalized: a copy with each known field cleaned (other keys
    pass through), or ValidationError with a message per bad field.

    Authors and keywords may be lists or text (one name per line; comma-separated).
    With ``partial``, fields absent from ``data`` are left alone: the form, whose own
    field checks may have failed already, and the admin, which edits authors apart.
    Otherwise the title, authors and year are required.
    """
    cleaned = dict(data)
    errors: dict[str, list[str]] = {}
    for name, clean in CLEANERS.items():
        if name not in data:
            if not partial and name in REQUIRED:
                errors[name] = [f"{LABELS[name]} is required."]
            continue
        try:
            cleaned[name] = clean(data[name])
        except ValidationError as error:
            errors[name] = error.messages
    published_on, year = cleaned.get("published_on"), cleaned.get("year")
    dates_checked = not errors.keys() & {"published_on", "year"}
    if dates_checked and published_on and year and published_on.year != year:
        errors["published_on"] = ["The date's year differs from the paper's year."]
    venue_given = ("venue" in data or "venue_year" in data) and not errors.keys() & {
        "venue",
        "venue_year",
    }
    if venue_given and bool(cleaned.get("venue")) != bool(cleaned.get("venue_year")):
        errors["venue_year"] = ["Give both the venue and its year, or neither."]
    if errors:
        raise ValidationError(errors)
    return cleaned


def problems(error: ValidationError) -> list[str]:
    """A ValidationError from clean_paper_data as sentences naming their fields, for a
    page or a line that does not show the fields themselves."""
    if not hasattr(error, "error_dict"):
        return error.messages
    return [
        f"{LABELS.get(field, field.replace('_', ' ').capitalize())}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]
