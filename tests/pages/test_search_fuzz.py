"""Fuzzing the search page, /search/, through the test client: any query syntax, odd
characters, filters, either tab and any page get a 200, a 400 that says what to change,
or (for a pasted identifier of a paper on the site) a redirect to the paper, each in
time. Each class of failure these found has its own test in test_search_syntax.py."""

import time

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from tests.factories import PaperFactory, SummaryFactory, VenueFactory
from tests.strategies import ODD, search_queries

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.integration,
    pytest.mark.fuzz,
    pytest.mark.usefixtures("_no_page_cache"),
]

SEARCH = reverse("search")
# A request takes some 30 ms on the test data; this budget catches time that grows
# with the query (a statement timeout is a last resort, not what keeps a search fast),
# with room for a loaded machine.
BUDGET_SECONDS = 2.0


@pytest.fixture
def corpus(db):
    """Papers and summaries that the fuzzed words find, so ranking, snippets and the
    spelling suggestions all run: in a venue, over years, with keywords and authors."""
    venue = VenueFactory(short_name="NeurIPS", slug="neurips")
    titles = [
        "Attention Is All You Need",
        "Deep Residual Learning for Image Recognition",
        "Graph Attention Networks",
        "State-of-the-art t-SNE in C++ and node.js",
        "Nested \\sqrt{x} roots",
    ]
    for year, title in enumerate(titles, start=2014):
        paper = PaperFactory(
            title=title,
            abstract=f"{title}: networks learning the graph of attention. " * 3,
            authors=["Ada Lovelace", "Grace O'Neil"],
            venue=venue,
            venue_year=year,
            arxiv_id=f"1706.0376{year - 2014}",
        )
        paper.tags.add("cs.LG")
        SummaryFactory(paper=paper, body=f"Summary of *{title}*: attention, $$x^2$$.")


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "in": st.sampled_from(["papers", "summaries", "", "bogus"]),
        "venue": st.sampled_from(["neurips", "", "nope", "NEURIPS", "'", "\u00e9"]),
        "from": st.one_of(st.integers(-5, 10_000).map(str), st.sampled_from(["", "x", "2e3"])),
        "to": st.one_of(st.integers(-5, 10_000).map(str), st.sampled_from(["", "1.5", " 2020"])),
        "author": st.one_of(st.sampled_from(["lovelace", "o'neil", "%", "_", "!!!"]), st.text()),
        "tag": st.one_of(st.sampled_from(["cs.lg", "CS.LG", "%", ""]), st.text(max_size=120)),
        "has_summaries": st.sampled_from(["on", "1", ""]),
        "page": st.one_of(st.integers(-3, 20_000).map(str), st.sampled_from(["", "x", "1e9"])),
    },
)


def assert_answered_in_time(client, params):
    started = time.monotonic()
    response = client.get(SEARCH, params)
    elapsed = time.monotonic() - started

    assert response.status_code in (200, 302, 400), params
    if response.status_code == 302:
        assert response["Location"].startswith("/papers/")
    if response.status_code == 400 and any("\x00" in value for value in params.values()):
        # The middleware refuses a NUL anywhere in the address, before the view.
        assert "could not be understood" in response.content.decode()
    elif response.status_code == 400:
        assert response.context["form"].errors, params
        assert 'class="field__errors" role="alert"' in response.content.decode()
    assert elapsed < BUDGET_SECONDS, (params, elapsed)


@given(q=search_queries(), tab=st.sampled_from(["papers", "summaries"]))
@example(q="-" * 500, tab="papers")
@example(q="- " * 250, tab="summaries")
@example(q="-&" * 250, tab="papers")
@example(q=" ".join(f"w{n}" for n in range(100)), tab="papers")
@example(q='"' + "attention " * 50 + '"', tab="papers")
@example(q="\u3315" * 500, tab="papers")
@example(q="\ufdfa" * 500, tab="summaries")
@example(q="https://doi.org/10.1234/a%00b", tab="papers")
def test_any_query_is_answered_in_time(client, corpus, q, tab):
    assert_answered_in_time(client, {"q": q, "in": tab})


@given(q=search_queries(max_size=120), filters=FILTERS)
@example(q="attention", filters={"venue": "neurips", "from": "2015", "to": "2016", "page": "9999"})
@example(q="-" * 100, filters={"author": "-" * 100, "tag": "-" * 100})
def test_any_query_with_any_filters_and_page_is_answered_in_time(client, corpus, q, filters):
    assert_answered_in_time(client, {"q": q, **filters})


@given(st.lists(st.sampled_from(ODD), min_size=1, max_size=100).map("".join))
def test_odd_characters_alone_are_answered_in_time(client, corpus, q):
    assert_answered_in_time(client, {"q": q})
