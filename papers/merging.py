"""Merging duplicate papers: an arXiv preprint and its venue record become one paper."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .identifiers import IDENTIFIER_FIELDS
from .models import Follow, Paper, PaperRedirect
from .validation import CLEANERS, MAX_KEYWORDS, clean_paper_data

# What the kept paper takes over from the duplicate when it has none of its own.
TAKEN_OVER = (*IDENTIFIER_FIELDS, "url", "pdf_url")

# What the apps above this one move from the duplicate to the kept paper, in the merge's
# transaction: each registers ``move(keep, duplicate)`` with ``moves_on_merge``.
_MOVERS = []


def moves_on_merge(move):
    """Register ``move(keep, duplicate)``, called by merge_papers before the duplicate
    is deleted (summaries.services.move_summaries); a decorator."""
    _MOVERS.append(move)
    return move


def merge_papers(keep: Paper, duplicate: Paper) -> None:
    """Move everything of ``duplicate`` onto ``keep``, then delete it, leaving a redirect.

    1. Identifiers and links ``keep`` lacks are taken over (cleared on the duplicate first,
       so the unique constraints never see two papers holding one).
    2. What the apps above hold moves (``moves_on_merge``): summaries, for one.
    3. Follows move (once per member); keywords are joined; venue and date fill gaps.
    4. The duplicate's address answers with a permanent redirect to ``keep``.

    Only values that pass papers.validation are taken over (a javascript: link stored
    long ago stays behind), keywords up to its limit; the merged paper is checked as a
    whole, and a ValidationError (``keep`` itself holds a bad value) merges nothing.
    """
    if keep.pk == duplicate.pk:
        raise ValueError("A paper cannot be merged into itself.")
    with transaction.atomic():
        keep = Paper.objects.select_for_update().get(pk=keep.pk)
        duplicate = Paper.objects.select_for_update().get(pk=duplicate.pk)
        taken = {
            name: getattr(duplicate, name)
            for name in TAKEN_OVER
            if getattr(duplicate, name) and not getattr(keep, name)
        }
        taken = {name: value for name, value in taken.items() if _passes(name, value)}
        Paper.objects.filter(pk=duplicate.pk).update(**dict.fromkeys(taken, ""))
        for name, value in taken.items():
            setattr(keep, name, value)
        if keep.venue_id is None and duplicate.venue_id is not None:
            keep.venue_id, keep.venue_year = duplicate.venue_id, duplicate.venue_year
        keep.published_on = keep.published_on or duplicate.published_on
        keep.abstract = keep.abstract or (
            duplicate.abstract if _passes("abstract", duplicate.abstract) else ""
        )
        tags = _joined_tags(keep, duplicate)
        clean_paper_data(
            {name: getattr(keep, name) for name in CLEANERS if name not in ("authors", "tags")}
            | {"authors": keep.author_names(), "tags": tags}
        )
        keep.save()

        for move in _MOVERS:
            move(keep, duplicate)
        followers_here = Follow.objects.filter(paper=keep).values("user")
        Follow.objects.filter(paper=duplicate).exclude(user__in=followers_here).update(paper=keep)
        keep.tags.set(tags)
        PaperRedirect.objects.filter(paper=duplicate).update(paper=keep)
        PaperRedirect.objects.create(old_id=duplicate.pk, paper=keep)
        duplicate.delete()


def _passes(name: str, value) -> bool:
    try:
        CLEANERS[name](value)
    except ValidationError:
        return False
    return True


def _joined_tags(keep: Paper, duplicate: Paper) -> list[str]:
    """``keep``'s keywords, then the duplicate's that pass the check, up to the limit."""
    tags = {tag.name.casefold(): tag.name for tag in keep.tags.all()}
    for tag in duplicate.tags.all():
        if len(tags) < MAX_KEYWORDS and _passes("tags", [tag.name]):
            tags.setdefault(tag.name.casefold(), tag.name)
    return list(tags.values())
