"""Full-text search of public summaries (SummarySearch documents, kept by triggers)."""

from django.db.models import F, Func, QuerySet, Value

from papers.search import START_SEL, STOP_SEL, Filters, headline, websearch_query
from shortscience.rendering import highlighted
from summaries.models import Summary, SummarySearch


def summary_candidates(text: str, filters: Filters) -> QuerySet:
    """(summary id, document) of the public summaries matching the text, on papers
    matching the filters ("has summaries" narrows papers only: every summary's paper
    has one). Only public summaries have documents (the triggers see to it)."""
    documents = SummarySearch.objects.filter(document=websearch_query(text))
    if filters:
        documents = documents.filter(filters.paper_q("summary__paper__"))
    return documents.values_list("summary_id", "document")


def _plain_text(html_field: str) -> Func:
    """The words of stored HTML: math (kept as TeX, which would show as code) becomes an
    ellipsis, other tags spaces. Entities stay, and the page unescapes them."""
    without_math = Func(
        F(html_field),
        Value(r'<(span|div) class="arithmatex">[^<]*</(span|div)>'),
        Value(" … "),
        Value("g"),
        function="regexp_replace",
    )
    return Func(without_math, Value("<[^>]*>"), Value(" "), Value("g"), function="regexp_replace")


def summaries_with_snippets(ids: list[int], text: str) -> list[Summary]:
    """The summaries of a result page in the order given, each with its paper's header
    and a snippet of its text with the matching words marked."""
    summaries = (
        Summary.objects.visible()
        .filter(pk__in=ids)
        .for_listing()
        .annotate(
            snippet=headline(
                _plain_text("body_html"), text, max_words=40, min_words=20, max_fragments=2
            )
        )
    )
    by_id = {summary.pk: summary for summary in summaries}
    found = [by_id[pk] for pk in ids if pk in by_id]
    for summary in found:
        summary.snippet_highlighted = highlighted(
            summary.snippet, START_SEL, STOP_SEL, from_html=True
        )
    return found
