import random

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from taggit.models import Tag

from accounts.models import User
from shortscience.ratelimits import limit
from summaries.listing import summaries_for_paper
from summaries.models import Summary

from .bibtex import to_bibtex
from .forms import PaperForm
from .identifiers import classify, normalize_arxiv_id, normalize_doi
from .models import Author, Paper, Venue
from .services import create_paper

PAPERS_PER_PAGE = 25
MIN_YEAR, MAX_YEAR = 1000, 9999
SORTS = {"newest": ("-created_at", "-pk"), "summarized": ("-summary_count", "-created_at", "-pk")}


def _page(request, queryset):
    return Paginator(queryset, PAPERS_PER_PAGE).get_page(request.GET.get("page"))


def paper_list(request):
    sort = request.GET.get("sort", "newest")
    if sort not in SORTS:
        sort = "newest"
    papers = Paper.objects.for_listing().order_by(*SORTS[sort])
    return render(
        request, "papers/paper_list.html", {"page": _page(request, papers), "sort": sort}
    )


def paper_redirect(request, pk):
    return redirect(get_object_or_404(Paper, pk=pk), permanent=True)


def paper_detail(request, pk, slug):
    paper = get_object_or_404(Paper.objects.with_header(), pk=pk)
    if slug != paper.slug:
        return redirect(paper, permanent=True)
    summaries = summaries_for_paper(paper, request.user)
    mine = next((s for s in summaries if s.author_id == request.user.pk), None)
    return render(
        request,
        "papers/paper_detail.html",
        {"paper": paper, "summaries": summaries, "my_summary": mine, "bibtex": to_bibtex(paper)},
    )


def author_detail(request, pk, slug):
    author = get_object_or_404(Author, pk=pk)
    if slug != author.slug:
        return redirect(author, permanent=True)
    papers = author.papers.for_listing().order_by("-year", "-created_at", "-pk")
    return render(
        request, "papers/author_detail.html", {"author": author, "page": _page(request, papers)}
    )


def _valid_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("No such year.")
    return year


def venue_year(request, slug, year):
    venue = get_object_or_404(Venue, slug=slug)
    year = _valid_year(year)
    papers = (
        Paper.objects.filter(venue=venue, venue_year=year)
        .for_listing()
        .order_by("-summary_count", "title", "pk")
    )
    return render(
        request,
        "papers/venue_year.html",
        {"venue": venue, "year": year, "page": _page(request, papers)},
    )


def tag_detail(request, name):
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None:
        raise Http404("No such keyword.")
    # A subquery on the tag table rather than filter(tags=tag): taggit 6.1 builds that
    # join with an API Django 6.1 deprecates.
    tagged = Paper.tags.through.objects.filter(tag=tag).values("object_id")
    papers = (
        Paper.objects.filter(pk__in=tagged)
        .for_listing()
        .order_by("-summary_count", "-created_at", "-pk")
    )
    return render(request, "papers/tag_detail.html", {"tag": tag, "page": _page(request, papers)})


@login_required
def add_paper(request):
    # Fields may be filled in from the address (?title=...&arxiv_id=...), as importers
    # and "add it" links do; the member checks them and submits.
    initial = {name: request.GET[name] for name in PaperForm.Meta.fields if name in request.GET}
    form = PaperForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if limited := limit(request, "paper_add"):
            return limited
        if form.is_valid():
            data = form.cleaned_data
            paper = create_paper(
                request.user,
                authors=data.pop("authors"),
                tags=data.pop("tags"),
                source=Paper.Source.MANUAL,
                **data,
            )
            messages.success(request, "The paper is added. Would you write the first summary?")
            return redirect(paper)
    return render(request, "papers/paper_form.html", {"form": form})


# Resolvers: an identifier leads to our page for that paper.


def _paper_or_404(**lookup) -> Paper:
    return get_object_or_404(Paper, **lookup)


def by_arxiv(request, arxiv_id):
    try:
        return redirect(_paper_or_404(arxiv_id=normalize_arxiv_id(arxiv_id)))
    except ValueError:
        raise Http404("Not an arXiv identifier.") from None


def by_doi(request, doi):
    try:
        return redirect(_paper_or_404(doi=normalize_doi(doi)))
    except ValueError:
        raise Http404("Not a DOI.") from None


def by_bibtex_key(request, key):
    paper = find_by_any_key(key)
    if paper is None:
        raise Http404("No paper with that key.")
    return redirect(paper)


def find_by_any_key(text: str) -> Paper | None:
    """The paper a ShortScience.org-style key names: dblp/Bibsonomy key, arXiv id or URL,
    dblp CoRR key, or DOI."""
    identifier = classify(text)
    if identifier is None:
        return Paper.objects.filter(bibtex_key=text.strip()).first() if text.strip() else None
    field = {"arxiv": "arxiv_id", "doi": "doi", "bibtex": "bibtex_key"}[identifier.kind]
    return Paper.objects.filter(**{field: identifier.value}).first()


# Links made for ShortScience.org keep working: permanent redirects to our pages.


def legacy_paper(request):
    """/paper?bibtexKey=KEY, and &a=USERNAME (or &a=anon) for one member's summary."""
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


def legacy_user(request):
    user = get_object_or_404(User, username__iexact=request.GET.get("name", ""), is_active=True)
    return redirect(user, permanent=True)


def legacy_venue(request):
    venue = get_object_or_404(Venue, dblp_key=request.GET.get("key", "").strip().strip("/"))
    try:
        year = _valid_year(int(request.GET.get("year", "")))
    except ValueError:
        raise Http404("No such year.") from None
    return redirect(venue.year_url(year), permanent=True)


def random_paper(request):
    """A random paper that has at least one public summary (not cached: 302)."""
    summarized = Paper.objects.filter(pk__in=Summary.objects.visible().values("paper")).order_by(
        "pk"
    )
    count = summarized.count()
    if not count:
        raise Http404("No summarized papers yet.")
    return redirect(summarized[random.randrange(count)])  # noqa: S311 - not for security
