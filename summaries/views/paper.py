"""The paper page, which is mostly its summaries, and ShortScience.org's links to it."""

from django.http import Http404
from django.shortcuts import redirect, render

from papers.access import find_by_any_key, get_paper_or_merged, papers_for_page
from papers.bibtex import to_bibtex
from papers.models import ViewCount
from papers.popularity import count_cached_read, record_view
from shortscience.pagecache import cache_for_anonymous, tag

from ..listing import summaries_for_paper
from ..models import Summary


@cache_for_anonymous(
    depends_on=lambda request, pk, slug: [tag("paper", pk)],
    on_cached_read=count_cached_read(ViewCount.Kind.PAPER),
)
def paper_detail(request, pk, slug):
    paper = get_paper_or_merged(pk, papers_for_page(request.user))
    if slug != paper.slug or paper.pk != pk:
        return redirect(paper, permanent=True)
    record_view(ViewCount.Kind.PAPER, paper.pk)
    summaries = summaries_for_paper(paper, request.user)
    mine = next((s for s in summaries if s.author_id == request.user.pk), None)
    return render(
        request,
        "papers/paper_detail.html",
        {"paper": paper, "summaries": summaries, "my_summary": mine, "bibtex": to_bibtex(paper)},
    )


def legacy_paper(request):
    """/paper?bibtexKey=KEY, and &a=USERNAME (or &a=anon) for one member's summary: the
    addresses ShortScience.org made keep working, as permanent redirects."""
    paper = find_by_any_key(request.GET.get("bibtexKey", ""))
    if paper is None:
        raise Http404("No paper with that key.")
    author = request.GET.get("a", "").strip()
    if author:
        summaries = Summary.objects.visible().filter(paper=paper)
        if author.lower() == "anon":
            summary = summaries.filter(is_anonymous=True).order_by("-score", "pk").first()
        else:
            summary = summaries.filter(author__username__iexact=author, is_anonymous=False).first()
        if summary:
            return redirect(summary, permanent=True)
    return redirect(paper, permanent=True)
