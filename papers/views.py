import math
import random
from itertools import groupby
from operator import itemgetter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from taggit.models import Tag, TaggedItem

from accounts.gate import refuses_in_view
from accounts.models import User
from accounts.ratelimits import refused_status, write_refused
from shortscience.errors import wants_json
from shortscience.pagecache import PAPERS, cache_for_anonymous, tag, tags

from . import importing, sources
from .access import find_by_any_key, get_paper_or_merged
from .bibtex import bibtex_download
from .forms import ImportConfirmForm, ImportForm, PaperForm
from .identifiers import FIELD_NAMES, classify, normalize_arxiv_id, normalize_doi
from .models import Author, Paper, Venue
from .services import create_paper, follow_paper, unfollow_paper

PAPERS_PER_PAGE = 25
MIN_YEAR, MAX_YEAR = 1000, 9999
SORTS = {"newest": ("-created_at", "-pk"), "summarized": ("-summary_count", "-created_at", "-pk")}
# Summarized papers first, then by title: venue-year and year pages.
SUMMARIZED_FIRST = ("-summary_count", "title", "pk")
TAG_CLOUD_SIZES = 5


def _page(request, queryset):
    return Paginator(queryset, PAPERS_PER_PAGE).get_page(request.GET.get("page"))


@cache_for_anonymous(depends_on=tags(PAPERS))
def paper_list(request):
    sort = request.GET.get("sort", "newest")
    if sort not in SORTS:
        sort = "newest"
    papers = Paper.objects.for_listing().order_by(*SORTS[sort])
    return render(
        request, "papers/paper_list.html", {"page": _page(request, papers), "sort": sort}
    )


def paper_redirect(request, pk):
    return redirect(get_paper_or_merged(pk), permanent=True)


# Following a paper: a form post gets a redirect back to the paper, a fetch() asking for
# JSON gets {"following": ...}. Both are idempotent.


@login_required
@require_POST
def follow(request, pk):
    paper = get_object_or_404(Paper, pk=pk)
    follow_paper(request.user, paper)
    return _follow_answer(request, paper, is_following=True)


@login_required
@require_POST
def unfollow(request, pk):
    paper = get_object_or_404(Paper, pk=pk)
    unfollow_paper(request.user, paper)
    return _follow_answer(request, paper, is_following=False)


def _follow_answer(request, paper, *, is_following: bool):
    if wants_json(request):
        return JsonResponse({"following": is_following})
    if is_following:
        messages.success(request, "You follow this paper: you will hear of each new summary.")
    else:
        messages.success(request, "You no longer follow this paper.")
    return redirect(paper)


@cache_for_anonymous(depends_on=tags(PAPERS))
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


@cache_for_anonymous(depends_on=tags(PAPERS))
def venue_list(request):
    venues = list(Venue.objects.order_by("short_name"))
    years = _venue_years(Paper.objects.filter(venue__isnull=False))
    for venue in venues:
        venue.years = years.get(venue.pk, [])
    return render(request, "papers/venue_list.html", {"venues": venues})


@cache_for_anonymous(depends_on=tags(PAPERS))
def venue_detail(request, slug):
    venue = get_object_or_404(Venue, slug=slug)
    years = _venue_years(Paper.objects.filter(venue=venue)).get(venue.pk, [])
    return render(request, "papers/venue_detail.html", {"venue": venue, "years": years})


def _venue_years(papers) -> dict[int, list[dict]]:
    """Venue id → its years, newest first, each as {"venue_year", "paper_count",
    "public_summaries"}; summaries counted are the public ones. One query."""
    rows = (
        papers.values("venue_id", "venue_year")
        .annotate(paper_count=Count("pk"), public_summaries=Sum("summary_count"))
        .order_by("venue_id", "-venue_year")
    )
    return {venue_id: list(group) for venue_id, group in groupby(rows, itemgetter("venue_id"))}


@cache_for_anonymous(depends_on=tags(PAPERS))
def venue_year(request, slug, year):
    venue = get_object_or_404(Venue, slug=slug)
    year = _valid_year(year)
    papers = (
        Paper.objects.filter(venue=venue, venue_year=year)
        .for_listing()
        .order_by(*SUMMARIZED_FIRST)
    )
    return render(
        request,
        "papers/venue_year.html",
        {"venue": venue, "year": year, "page": _page(request, papers)},
    )


@cache_for_anonymous(depends_on=tags(PAPERS))
def year_list(request):
    years = Paper.objects.values("year").annotate(paper_count=Count("pk")).order_by("-year")
    return render(request, "papers/year_list.html", {"years": years})


@cache_for_anonymous(depends_on=tags(PAPERS))
def year_detail(request, year):
    year = _valid_year(year)
    papers = Paper.objects.filter(year=year).for_listing().order_by(*SUMMARIZED_FIRST)
    return render(
        request, "papers/year_detail.html", {"year": year, "page": _page(request, papers)}
    )


@cache_for_anonymous(depends_on=tags(PAPERS))
def tag_list(request):
    """Every keyword a paper has, most used first, sized for a cloud."""
    keywords = list(
        TaggedItem.objects.filter(
            content_type__app_label=Paper._meta.app_label,
            content_type__model=Paper._meta.model_name,
        )
        .values("tag__name")
        .annotate(paper_count=Count("object_id", distinct=True))
        .order_by("-paper_count", "tag__name")
    )
    largest = keywords[0]["paper_count"] if keywords else 1
    for keyword in keywords:
        keyword["size"] = cloud_size(keyword["paper_count"], largest)
    return render(request, "papers/tag_list.html", {"tags": keywords})


def cloud_size(count: int, largest: int) -> int:
    """1 to TAG_CLOUD_SIZES on a log scale: keywords on a handful of papers stay legible
    next to arXiv categories on thousands."""
    if largest <= 1:
        return 1
    return 1 + round((TAG_CLOUD_SIZES - 1) * math.log(count) / math.log(largest))


@cache_for_anonymous(depends_on=tags(PAPERS))
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
@refuses_in_view
def add_paper(request):
    """Add a paper by hand, or check and submit what an import filled in."""
    # Fields may be filled in from the address (?title=...&arxiv_id=...), as "add it"
    # links do; the member checks them and submits.
    initial = {name: request.GET[name] for name in PaperForm.Meta.fields if name in request.GET}
    form = PaperForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if refused := write_refused(request, "paper_add", form=form):
            return refused
        if form.is_valid():
            data = form.cleaned_data
            paper = create_paper(
                request.user, authors=data.pop("authors"), tags=data.pop("tags"), **data
            )
            messages.success(request, "The paper is added. Would you write the first summary?")
            return redirect(paper)
    # ?import=1706.03762 (the search page's "Import it") fills in the import form.
    import_form = ImportForm(initial={"text": request.GET.get("import", "")})
    return render(
        request,
        "papers/paper_form.html",
        {"form": form, "import_form": import_form},
        status=refused_status(form),
    )


@login_required
@require_POST
@refuses_in_view
def import_paper(request):
    """Look up what the member pasted; show one paper to confirm, or a list for BibTeX.

    A failure (unknown id, source down, unreadable BibTeX) is said in words, and the page
    keeps what they pasted and offers the form to enter the paper by hand.
    """
    import_form = ImportForm(request.POST)
    if refused := write_refused(request, "paper_import", form=import_form):
        return refused
    if not import_form.is_valid():
        return _import_failed(request, import_form, None)
    text = import_form.cleaned_data["text"]
    try:
        records = sources.lookup(text)
    except sources.SourceError as error:
        return _import_failed(request, import_form, str(error))
    found = importing.candidates(records)
    if len(found) > 1:
        return render(
            request,
            "papers/import_confirm.html",
            {"candidates": found, "text": text, "import_form": import_form},
        )
    (candidate,) = found
    if candidate.existing:
        added = importing.add_identifiers(candidate.existing, candidate.record)
        note = (
            f" Its {' and '.join(FIELD_NAMES[name] for name in added)} is added." if added else ""
        )
        messages.info(request, f"This paper is already on ShortScience.{note}")
        return redirect(candidate.existing)
    initial = importing.form_initial(candidate.record)
    if candidate.problems:
        # What the source gave cannot be stored as it is: the form says where, bound
        # to the record's values, for the member to correct them.
        values = {name: "" if value is None else value for name, value in initial.items()}
        form = PaperForm(values)
        form.is_valid()
    else:
        form = PaperForm(initial=initial)
    return render(
        request,
        "papers/paper_form.html",
        {"form": form, "import_form": import_form, "imported": candidate},
    )


def _import_failed(request, import_form, message):
    """The add-a-paper page again: the error, the pasted text, and the manual form with
    whatever identifier the text holds filled in."""
    text = import_form.data.get("text", "")
    initial = {}
    if identifier := classify(text):
        initial[identifier.field] = identifier.value
    if message:
        import_form.add_error("text", message)
    return render(
        request,
        "papers/paper_form.html",
        {"form": PaperForm(initial=initial), "import_form": import_form},
        status=refused_status(import_form, 400),
    )


@login_required
@require_POST
@refuses_in_view
def import_bibtex_confirm(request):
    """Create the chosen papers of a BibTeX import, all or none: an entry that fails the
    checks, or more papers than the member's paper_add limit has left, shows the list
    again saying why."""
    form = ImportConfirmForm(request.POST)
    form.is_valid()
    # Each paper created counts against the limit, so a paste of 60 uses 60.
    if refused := write_refused(request, "paper_add", form=form, count=len(form.new)):
        return refused
    if form.has_error("text") and refused_status(form) == 200:
        messages.error(request, form.errors["text"][0])
        return redirect("papers:add")
    if form.errors:
        return render(
            request,
            "papers/import_confirm.html",
            {"candidates": form.candidates, "text": form.data.get("text", ""), "form": form},
            status=refused_status(form, 400),
        )
    with transaction.atomic():
        created = [importing.create_from_record(request.user, record) for record in form.new]
    messages.success(request, f"{len(created)} paper{'s' if len(created) != 1 else ''} added.")
    return redirect(created[0] if len(created) == 1 else "papers:list")


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


# Links made for ShortScience.org keep working: permanent redirects to our pages.


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
    summarized = Paper.objects.filter(summary_count__gt=0).order_by("pk")
    count = summarized.count()
    if not count:
        raise Http404("No summarized papers yet.")
    return redirect(summarized[random.randrange(count)])  # noqa: S311 - not for security


# BibTeX downloads: /papers/<pk>.bib, /venues/<slug>/<year>.bib (and, in accounts, a
# member's summarized papers).


@cache_for_anonymous(depends_on=lambda request, pk: [tag("paper", pk)])
def paper_bibtex(request, pk):
    paper = get_object_or_404(Paper.objects.with_header(), pk=pk)
    return bibtex_download([paper], f"{paper.slug}.bib")


@cache_for_anonymous(depends_on=tags(PAPERS))
def venue_year_bibtex(request, slug, year):
    venue = get_object_or_404(Venue, slug=slug)
    papers = Paper.objects.filter(venue=venue, venue_year=_valid_year(year)).with_header()
    return bibtex_download(papers.order_by("title", "pk"), f"{venue.slug}-{year}.bib")
