"""Finding the paper a request names: by id (following merges), by any identifier."""

from django.db.models import BooleanField, Count, Exists, OuterRef, Value
from django.http import Http404

from .identifiers import classify
from .models import Follow, Paper, PaperRedirect


def get_paper_or_merged(pk: int, queryset=None) -> Paper:
    """The paper, or the one it was merged into (merging leaves a redirect); else 404."""
    queryset = queryset if queryset is not None else Paper.objects.all()
    paper = queryset.filter(pk=pk).first()
    if paper is None:
        merged = PaperRedirect.objects.filter(old_id=pk).values_list("paper", flat=True).first()
        paper = queryset.filter(pk=merged).first() if merged else None
    if paper is None:
        raise Http404("No such paper.")
    return paper


def papers_for_page(user):
    """Papers with their header, follower count and whether this viewer follows them,
    all in the paper's own query."""
    if user.is_authenticated:
        is_following = Exists(Follow.objects.filter(paper=OuterRef("pk"), user=user))
    else:
        is_following = Value(False, output_field=BooleanField())
    return Paper.objects.with_header().annotate(
        follower_count=Count("follows"), is_following=is_following
    )


def find_by_any_key(text: str) -> Paper | None:
    """The paper a ShortScience.org-style key names: dblp/Bibsonomy key, arXiv id or URL,
    dblp CoRR key, or DOI."""
    identifier = classify(text)
    if identifier is None:
        return Paper.objects.filter(bibtex_key=text.strip()).first() if text.strip() else None
    return Paper.objects.filter(**{identifier.field: identifier.value}).first()
