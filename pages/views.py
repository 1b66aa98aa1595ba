import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.static import serve

from pages.forms import SearchForm
from papers import search as paper_search
from papers.identifiers import classify
from papers.models import Paper
from papers.popularity import with_recent_views
from shortscience.pagecache import (
    PAPERS,
    SCORES,
    SUMMARIES,
    cache_for_anonymous,
    remember,
    tag,
    tags,
)
from summaries import search as summary_search
from summaries.listing import mark_for_viewer
from summaries.models import Summary, paper_header_lookups

SUMMARIES_PER_PAGE = 10
TABS = ("recent", "best", "popular")
# ?period= on the "best" tab: how far back a summary's creation may lie, in days.
PERIODS = {"week": 7, "month": 30, "year": 365, "all": None}
PERIOD_LABELS = {
    "week": "Past week",
    "month": "Past month",
    "year": "Past year",
    "all": "All time",
}


def _home_listing(request):
    """The tab, period and summaries the home page's address asks for."""
    tab = request.GET.get("tab", "recent")
    if tab not in TABS:
        tab = "recent"
    period = request.GET.get("period", "all")
    if period not in PERIODS:
        period = "all"
    summaries = Summary.objects.visible().for_cards()
    if tab == "recent":
        summaries = summaries.order_by("-updated_at", "-pk")
    elif tab == "best":
        if days := PERIODS[period]:
            since = timezone.now() - datetime.timedelta(days=days)
            summaries = summaries.filter(created_at__gte=since)
        summaries = summaries.order_by("-score", "-created_at", "-pk")
    else:
        summaries = with_recent_views(summaries).order_by(
            "-recent_views", "-score", "-created_at", "-pk"
        )
    return tab, period, summaries


def _home_shows(request):
    """What the home page shows: every listing's count, and the summaries on its page,
    so a vote or a comment on any other summary leaves the cached page alone. Which
    summaries those are is itself kept until the listings change (and, on the "best"
    tab, any score), so a page served from the cache asks the database nothing. The
    "popular" tab, whose order takes longer to work out than the page, changes with the
    listings and within PAGE_CACHE_SECONDS."""
    tab, period, summaries = _home_listing(request)
    if tab == "popular":
        return [SUMMARIES]
    try:
        number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        number = 1
    start = (number - 1) * SUMMARIES_PER_PAGE
    ids = remember(
        f"home:ids:{tab}:{period}:{number}",
        lambda: list(summaries.values_list("pk", flat=True)[start : start + SUMMARIES_PER_PAGE]),
        tags=[SUMMARIES, SCORES] if tab == "best" else [SUMMARIES],
    )
    return [SUMMARIES, *(tag("summary", pk) for pk in ids)]


@cache_for_anonymous(depends_on=_home_shows)
def home(request):
    """The welcome text and public summaries under their paper's header, on three tabs:
    recently written or edited, best scored (over a period), most read this week."""
    tab, period, summaries = _home_listing(request)
    public = Summary.objects.visible()
    is_every_public_summary = tab != "best" or PERIODS[period] is None
    paginator = Paginator(summaries, SUMMARIES_PER_PAGE)
    # Counting every public summary takes longer than the rest of the page, so it is
    # counted once until the listings change (count is a cached property: this sets it).
    paginator.count = remember(
        f"home:count:{period if tab == 'best' else 'all'}", summaries.count, tags=[SUMMARIES]
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = mark_for_viewer(page.object_list, request.user)
    prefetch_related_objects(page.object_list, *paper_header_lookups())
    # Unless a period narrows them, the listed summaries are the public summaries the
    # welcome text counts.
    summary_count = (
        paginator.count
        if is_every_public_summary
        else remember("home:count:all", public.count, tags=[SUMMARIES])
    )
    return render(
        request,
        "home.html",
        {
            "summary_count": summary_count,
            "page": page,
            "tab": tab,
            "period": period,
            "periods": PERIOD_LABELS.items(),
        },
    )


def about(request):
    return render(request, "about.html")


def media(request, path):
    """Uploaded files (when SERVE_MEDIA is on), from MEDIA_ROOT as it is now."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


RESULTS_PER_PAGE = 20
SEARCH_TABS = {"papers": "Papers", "summaries": "Summaries"}
# Each tab's (id, document) rows matching words and filters, for ranking and counting.
CANDIDATES = {
    "papers": paper_search.paper_candidates,
    "summaries": summary_search.summary_candidates,
}


@cache_for_anonymous(depends_on=tags(SUMMARIES, PAPERS))
def search(request):
    """Papers and summaries by what they say: ranked, with highlighted snippets, on two
    tabs (?in=papers|summaries), narrowed by filters, all in the address.

    A pasted arXiv id, DOI or arXiv/DOI link goes straight to its paper, or offers to
    import it. With few results the page suggests a spelling, made of the words of titles
    and author names nearest to the unknown ones; with none, it shows that search instead.
    A search with too many words, or one PostgreSQL cannot parse, is a 400 that says so.
    """
    form = SearchForm(request.GET)
    tab = request.GET.get("in", "papers")
    if tab not in SEARCH_TABS:
        tab = "papers"
    context = {"form": form, "tab": tab, "searched": False}
    if not form.is_valid():
        return render(request, "search.html", context, status=400)
    text, filters = form.cleaned_data["q"], form.filters()
    identifier = classify(text) if text else None
    if identifier:
        paper = Paper.objects.filter(**{identifier.field: identifier.value}).first()
        if paper:
            return redirect(paper)
        context["missing_identifier"] = identifier
    if not text and not filters:
        return render(request, "search.html", context)
    if text:
        try:
            has_words = paper_search.query_has_words(text)
        except paper_search.QueryError as error:
            form.add_error("q", str(error))
            return render(request, "search.html", context, status=400)
        if not has_words:
            context["no_words"] = True
            return render(request, "search.html", context)
    number = _page_number(request.GET.get("page"))
    if text:
        ids, total, number = _ranked_page(tab, text, filters, number)
        if total < paper_search.FEW and number == 1:
            suggestion = paper_search.did_you_mean(text)
            if suggestion.casefold() == text.casefold():
                suggestion = ""
            if suggestion and not total:
                ids, total, number = _ranked_page(tab, suggestion, filters, 1)
                if total:
                    context.update(corrected_from=text, corrected_to=suggestion)
                    text = suggestion
            elif suggestion:
                context["suggestion"] = suggestion
        other_count = paper_search.count_matches(
            CANDIDATES[_other(tab)](text, filters), paper_search.OTHER_TAB_LIMIT
        )
    else:
        ids, total, number, other_count = _filtered_page(tab, filters, number)
    page = Paginator(range(total), RESULTS_PER_PAGE).page(number)
    if tab == "papers":
        page.object_list = paper_search.papers_with_snippets(ids, text)
    elif text:
        summaries = summary_search.summaries_with_snippets(ids, text)
        page.object_list = mark_for_viewer(summaries, request.user)
    else:
        summaries = Summary.objects.filter(pk__in=ids).for_listing().order_by("-created_at", "-pk")
        page.object_list = mark_for_viewer(summaries, request.user)
    # At most RANK_LIMIT matches are ranked or counted: the count says "more than".
    more = total > paper_search.RANK_LIMIT
    count = paper_search.RANK_LIMIT if more else total
    counts = {tab: (count, more), _other(tab): other_count}
    context.update(
        searched=True,
        page=page,
        count=count,
        more=more,
        result_tabs=[(key, label, *counts[key]) for key, label in SEARCH_TABS.items()],
    )
    return render(request, "search.html", context)


# No search has more pages than this (RANK_LIMIT caps them); a bigger ?page= means the last.
MAX_PAGE = 10_000


def _page_number(value) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _other(tab: str) -> str:
    return "summaries" if tab == "papers" else "papers"


def _ranked_page(tab: str, text: str, filters, number: int):
    """Ids of one page of ranked matches, how many match, and the page number (the last
    page, when the one asked for lies past it)."""
    candidates = CANDIDATES[tab](text, filters)
    ids, total = paper_search.ranked_page(candidates, text, number, RESULTS_PER_PAGE)
    if not ids and number > 1:
        _, total = paper_search.ranked_page(candidates, text, 1, RESULTS_PER_PAGE)
        number = max(1, -(-total // RESULTS_PER_PAGE))
        ids, total = paper_search.ranked_page(candidates, text, number, RESULTS_PER_PAGE)
    return ids, total, number


def _filtered_page(tab: str, filters, number: int):
    """Without words, what the filters leave, newest first: ids of a page, how many
    (counting to RANK_LIMIT + 1, as with words), the page number, and the other tab's
    (count, more)."""
    papers = filters.apply(Paper.objects.all()).order_by("-created_at", "-pk")
    summaries = Summary.objects.visible().filter(filters.paper_q("paper__"))
    summaries = summaries.order_by("-created_at", "-pk")
    shown, other = (papers, summaries) if tab == "papers" else (summaries, papers)
    total = shown.values("pk")[: paper_search.RANK_LIMIT + 1].count()
    number = min(number, max(1, -(-total // RESULTS_PER_PAGE)))
    start = (number - 1) * RESULTS_PER_PAGE
    ids = list(shown.values_list("pk", flat=True)[start : start + RESULTS_PER_PAGE])
    return ids, total, number, paper_search.count_matches(other, paper_search.OTHER_TAB_LIMIT)
