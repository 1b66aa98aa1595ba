"""The search page, /search/: ranking, query syntax, tabs, identifiers, filters, spelling
suggestions, pagination, counts, hostile input and the number of queries."""

import datetime
import re
import time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from papers.search import snippet_query
from tests.factories import PaperFactory, SummaryFactory, UserFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

SEARCH = reverse("search")


def search(client, **params):
    return client.get(SEARCH, params)


def listed(response):
    return list(response.context["page"].object_list)


def html_of(response):
    return response.content.decode()


def tab_links(response):
    """The result tabs' addresses, by tab, as parsed query strings."""
    nav = re.search(r'<nav class="tabs" aria-label="Results">(.*?)</nav>', html_of(response), re.S)
    hrefs = re.findall(r'href="([^"]*)"', nav.group(1))
    links = [parse_qs(urlsplit(unescape(href)).query) for href in hrefs]
    return {link["in"][0]: link for link in links}


# Ranking and snippets


def test_a_title_match_ranks_above_an_abstract_match(client):
    in_title = PaperFactory(title="Graph Attention Networks", abstract="Nodes attend.")
    in_abstract = PaperFactory(title="Message Passing", abstract="We pass messages on a graph.")
    PaperFactory(title="Unrelated", abstract="Nothing here.")

    response = search(client, q="graph")

    assert response.status_code == 200
    assert listed(response) == [in_title, in_abstract]
    assert "2 papers" in html_of(response)


def test_authors_rank_above_the_abstract(client):
    by_name = PaperFactory(title="Sequence Models", authors=["Alex Graves"])
    in_abstract = PaperFactory(title="Speech", abstract="As Graves showed, it works.")

    response = search(client, q="graves")

    assert listed(response) == [by_name, in_abstract]


def test_each_paper_shows_its_public_summary_count(client):
    paper = PaperFactory(title="Deep Residual Learning")
    SummaryFactory.create_batch(2, paper=paper)
    SummaryFactory(paper=paper, is_private=True)

    html = html_of(search(client, q="residual"))

    assert "2 summaries</a>" in html


def test_snippets_mark_the_matching_words(client):
    PaperFactory(
        title="Dropout: a simple way", abstract="Dropout prevents units from co-adapting."
    )

    html = html_of(search(client, q="dropout"))

    assert "<mark>Dropout</mark>: a simple way" in html
    assert "<mark>Dropout</mark> prevents units" in html


def test_user_text_in_titles_and_abstracts_is_escaped(client):
    PaperFactory(
        title="<script>alert(1)</script> Attention",
        abstract='Attention <img src=x onerror="alert(2)"> & more.',
    )

    html = html_of(search(client, q="attention"))

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Attention</mark>" in html
    assert "<img src=x" not in html
    assert "<mark>Attention</mark>" in html
    assert "&amp; more" in html


# Query syntax


@pytest.fixture
def translation_papers(db):
    return (
        PaperFactory(title="Neural Machine Translation", abstract="Encoders and decoders."),
        PaperFactory(title="Machine Learning for Neural Data", abstract="Spikes."),
    )


def test_plain_words_must_all_match(client, translation_papers):
    translation, data = translation_papers

    assert set(listed(search(client, q="neural machine"))) == {translation, data}
    assert listed(search(client, q="neural spikes")) == [data]


def test_a_quoted_phrase_needs_its_words_together(client, translation_papers):
    translation, _ = translation_papers

    assert listed(search(client, q='"neural machine"')) == [translation]


def test_a_minus_excludes_a_word(client, translation_papers):
    _, data = translation_papers

    assert listed(search(client, q="neural -translation")) == [data]


def test_or_finds_either_word(client, translation_papers):
    translation, data = translation_papers

    assert listed(search(client, q="decoders spikes")) == []
    assert set(listed(search(client, q="decoders OR spikes"))) == {translation, data}


def test_word_forms_match_by_stem(client):
    paper = PaperFactory(title="Convolutional Networks")

    assert listed(search(client, q="network")) == [paper]


# The summaries tab


def test_summaries_tab_finds_public_summaries_by_their_text_with_a_snippet(client):
    summary = SummaryFactory(
        paper__title="Attention Is All You Need",
        body="The transformer drops recurrence entirely & uses <attention>.",
    )
    SummaryFactory(body="Nothing about it.")

    response = search(client, q="recurrence", **{"in": "summaries"})

    assert response.context["tab"] == "summaries"
    assert listed(response) == [summary]
    html = html_of(response)
    assert "Summary of “Attention Is All You Need”" in html
    assert "transformer drops <mark>recurrence</mark> entirely &amp; uses &lt;attention" in html
    assert "<attention>" not in html


def test_summaries_tab_shows_math_as_an_ellipsis_in_snippets(client):
    SummaryFactory(body="The bound $x_1 = y_2$ holds for every gradient step.")

    html = html_of(search(client, q="gradient", **{"in": "summaries"}))

    assert "x_1" not in html
    assert "<mark>gradient</mark>" in html


def test_summaries_tab_never_shows_hidden_private_or_deleted_summaries(client, moderator):
    public = SummaryFactory(body="Kernels everywhere.")
    SummaryFactory(body="Kernels in private.", is_private=True)
    SummaryFactory(body="Kernels, hidden.", hidden_at=timezone.now(), hidden_by=moderator)
    SummaryFactory(body="Kernels, deleted.", deleted_at=timezone.now())

    response = search(client, q="kernels", **{"in": "summaries"})

    assert listed(response) == [public]
    assert "1 summary" in html_of(response)
    assert set(tab_links(response)) == {"papers", "summaries"}
    assert 'Summaries <span class="muted">(1)</span>' in html_of(response)


def test_an_anonymous_summary_does_not_name_its_author(client):
    writer = UserFactory(username="zelda_writer")
    SummaryFactory(author=writer, is_anonymous=True, body="Kernels again.")

    html = html_of(search(client, q="kernels", **{"in": "summaries"}))

    assert "by Anonymous" in html
    assert "zelda_writer" not in html


def test_a_signed_summary_names_its_author(client):
    SummaryFactory(author=UserFactory(username="zelda_writer"), body="Kernels again.")

    assert "by zelda_writer" in html_of(search(client, q="kernels", **{"in": "summaries"}))


def test_the_papers_tab_counts_the_matching_summaries_and_back(client):
    paper = PaperFactory(title="Kernel Methods")
    SummaryFactory.create_batch(3, paper=paper)

    papers_tab = search(client, q="kernel")
    summaries_tab = search(client, q="kernel", **{"in": "summaries"})

    assert 'Papers <span class="muted">(1)</span>' in html_of(papers_tab)
    assert 'Summaries <span class="muted">(3)</span>' in html_of(papers_tab)
    assert 'Papers <span class="muted">(1)</span>' in html_of(summaries_tab)
    assert len(listed(summaries_tab)) == 3


def test_an_unknown_tab_falls_back_to_papers(client):
    paper = PaperFactory(title="Kernel Methods")

    response = search(client, q="kernel", **{"in": "bogus"})

    assert response.status_code == 200
    assert response.context["tab"] == "papers"
    assert listed(response) == [paper]


# Identifiers


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [
        ("1706.03762", "arxiv_id", "1706.03762"),
        ("arXiv:1706.03762v2", "arxiv_id", "1706.03762"),
        ("https://arxiv.org/abs/1706.03762", "arxiv_id", "1706.03762"),
        ("10.1038/NATURE14539", "doi", "10.1038/nature14539"),
        ("https://doi.org/10.1038/nature14539", "doi", "10.1038/nature14539"),
    ],
)
def test_a_pasted_identifier_goes_straight_to_the_paper(client, query, field, value):
    paper = PaperFactory(**{"arxiv_id": "", field: value})
    PaperFactory()  # another paper, which the jump must not pick

    response = search(client, q=query)

    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()


def test_an_unknown_arxiv_id_offers_to_import_it(client):
    response = search(client, q="arXiv:2405.99999v1")

    assert response.status_code == 200
    html = html_of(response)
    assert "No paper with arXiv id <code>2405.99999</code>" in html
    assert f'<a href="{reverse("papers:add")}?import=2405.99999">Import it</a>' in html


def test_an_unknown_doi_offers_to_import_it_with_the_doi_quoted(client):
    html = html_of(search(client, q="https://doi.org/10.1000/XYZ123"))

    assert "No paper with DOI <code>10.1000/xyz123</code>" in html
    assert '?import=10.1000%2Fxyz123">Import it</a>' in html


def test_the_import_link_fills_in_the_import_form(author_client):
    response = author_client.get(reverse("papers:add"), {"import": "2405.99999"})

    assert response.status_code == 200
    textarea = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', html_of(response), re.S)
    assert textarea.group(1).strip() == "2405.99999"


def test_the_import_link_escapes_what_it_fills_in(author_client):
    response = author_client.get(reverse("papers:add"), {"import": "</textarea><b>x"})

    assert "&lt;/textarea&gt;&lt;b&gt;x</textarea>" in html_of(response)


# Filters


def test_venue_filter(client, venue):
    there = PaperFactory(title="Learning to Rank", venue=venue, venue_year=2019)
    icml = VenueFactory(short_name="ICML", slug="icml")
    PaperFactory(title="Learning to Sort", venue=icml, venue_year=2019)
    PaperFactory(title="Learning to Search")

    response = search(client, q="learning", venue="neurips")

    assert listed(response) == [there]
    assert "NeurIPS 2019" in html_of(response)


def test_year_filters_include_both_ends(client):
    before = PaperFactory(title="Learning A", year=2015)
    first = PaperFactory(title="Learning B", year=2016)
    last = PaperFactory(title="Learning C", year=2018)
    PaperFactory(title="Learning D", year=2019)

    assert set(listed(search(client, q="learning", year_from=2016, year_to=2018))) == {
        first,
        last,
    }
    assert set(listed(search(client, q="learning", year_to=2016))) == {before, first}


def test_keyword_filter_ignores_case(client):
    tagged = PaperFactory(title="Learning A")
    tagged.tags.add("cs.LG")
    other = PaperFactory(title="Learning B")
    other.tags.add("cs.CV")

    assert listed(search(client, q="learning", tag="CS.lg")) == [tagged]
    assert listed(search(client, tag="cs.lg")) == [tagged]


def test_author_filter_matches_part_of_a_name_ignoring_accents_and_case(client):
    paper = PaperFactory(title="Long Short-Term Memory", authors=["Jürgen Schmidhuber"])
    PaperFactory(title="Long Papers", authors=["Ada Lovelace"])

    assert listed(search(client, q="long", author="schmidhu")) == [paper]
    assert listed(search(client, q="long", author="JURGEN")) == [paper]
    assert listed(search(client, author="gen Schmid")) == [paper]


def test_has_summaries_filter_counts_only_public_summaries(client):
    summarized = PaperFactory(title="Learning A")
    SummaryFactory(paper=summarized)
    privately = PaperFactory(title="Learning B")
    SummaryFactory(paper=privately, is_private=True)
    PaperFactory(title="Learning C")

    assert listed(search(client, q="learning", has_summaries="on")) == [summarized]
    assert listed(search(client, has_summaries="on")) == [summarized]


def test_filters_apply_to_the_summaries_tab(client, venue):
    there = SummaryFactory(paper__venue=venue, paper__venue_year=2019, body="Kernels.")
    SummaryFactory(body="Kernels.")

    response = search(client, q="kernels", venue="neurips", **{"in": "summaries"})

    assert listed(response) == [there]


def test_filters_alone_list_papers_newest_first(client, venue):
    older = PaperFactory(venue=venue, venue_year=2019)
    newer = PaperFactory(venue=venue, venue_year=2019)
    PaperFactory()

    response = search(client, venue="neurips")

    assert response.status_code == 200
    assert listed(response) == [newer, older]
    assert "2 papers" in html_of(response)


def test_filters_alone_list_summaries_newest_first(client, venue):
    older = SummaryFactory(paper__venue=venue, paper__venue_year=2019)
    newer = SummaryFactory(paper__venue=venue, paper__venue_year=2019)
    SummaryFactory()

    response = search(client, venue="neurips", **{"in": "summaries"})

    assert listed(response) == [newer, older]


def test_an_unknown_venue_is_a_bad_request_with_a_message(client):
    response = search(client, q="learning", venue="no-such-venue")

    assert response.status_code == 400
    assert "There is no such venue" in html_of(response)


def test_a_year_range_ending_before_it_starts_is_a_bad_request(client):
    response = search(client, year_from=2020, year_to=2010)

    assert response.status_code == 400
    assert "The range ends before it starts." in html_of(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year_from": "abc"}, "Enter a whole number."),
        ({"year_from": "99999"}, "less than or equal to 9999"),
        ({"year_to": "-1"}, "greater than or equal to 1000"),
        ({"tag": "x" * 101}, "at most 100 characters"),
        ({"author": "x" * 201}, "at most 200 characters"),
    ],
)
def test_invalid_filters_are_a_bad_request_with_a_message(client, params, message):
    response = search(client, q="learning", **params)

    assert response.status_code == 400
    assert message in html_of(response)
    assert "Traceback" not in html_of(response)


@pytest.mark.parametrize(
    "params",
    [
        {"author": "<script>alert(1)</script>"},
        {"tag": "'; --"},
        {"tag": "%"},
        {"author": "%_"},
    ],
)
def test_hostile_filters_find_nothing_and_are_escaped(client, params):
    PaperFactory(title="Learning A")

    response = search(client, q="learning", **params)

    assert response.status_code == 200
    assert listed(response) == []
    assert "<script>alert(1)" not in html_of(response)


def test_the_tabs_keep_the_query_and_filters_in_the_address(client, venue):
    PaperFactory(title="Learning to Rank", venue=venue, venue_year=2019)

    response = search(client, q="learning", venue="neurips", year_from=2000)

    links = tab_links(response)
    assert links["summaries"] == {
        "q": ["learning"],
        "venue": ["neurips"],
        "year_from": ["2000"],
        "in": ["summaries"],
    }
    assert links["papers"]["q"] == ["learning"]
    assert links["papers"]["venue"] == ["neurips"]


def test_the_form_shows_the_filters_from_the_address(client, venue):
    html = html_of(search(client, q="learning", venue="neurips", author="Lovelace"))

    assert re.search(r'<option value="neurips" selected>', html)
    assert 'name="author" value="Lovelace"' in html
    assert '<details class="search-form__filters" open>' in html


# Spelling


def test_a_misspelled_search_without_results_shows_the_corrected_one(client):
    paper = PaperFactory(title="Attention Is All You Need")

    response = search(client, q="attenton")

    assert listed(response) == [paper]
    html = html_of(response)
    assert "Nothing matches “attenton”." in html
    assert 'Showing results for <a href="?q=attention"><strong>attention</strong></a>' in html


def test_a_misspelled_author_name_is_corrected_too(client):
    paper = PaperFactory(title="Long Short-Term Memory", authors=["Sepp Hochreiter"])

    response = search(client, q="hochriter memory")

    assert listed(response) == [paper]
    assert "Showing results for" in html_of(response)
    assert "hochreiter memory" in html_of(response)


def test_few_results_and_a_misspelled_word_suggest_a_spelling(client):
    PaperFactory(title="Attention Is All You Need")
    typo = PaperFactory(title="Notes", abstract="On attenton, spelled wrong.")

    response = search(client, q="attenton")

    assert listed(response) == [typo]
    html = html_of(response)
    assert 'Did you mean <a href="?q=attention">attention</a>?' in html
    assert "Nothing matches" not in html


def test_the_or_operator_is_not_taken_for_a_misspelled_word(client):
    PaperFactory(title="Attention Is All You Need")
    PaperFactory(title="Graph Networks", authors=["Genevieve Orr"])

    response = search(client, q="attention OR graph")

    assert len(listed(response)) == 2
    assert "Did you mean" not in html_of(response)


def test_enough_results_suggest_nothing(client):
    PaperFactory(title="Attention Is All You Need")
    for _ in range(5):
        PaperFactory(title="Notes", abstract="On attenton, spelled wrong.")

    html = html_of(search(client, q="attenton"))

    assert "Did you mean" not in html


def test_a_correctly_spelled_search_suggests_nothing(client):
    PaperFactory(title="Attention Is All You Need")

    html = html_of(search(client, q="attention"))

    assert "Did you mean" not in html
    assert "Nothing matches" not in html


def test_nothing_near_any_known_word_says_no_papers_match(client):
    PaperFactory(title="Attention Is All You Need")

    response = search(client, q="zyxwvut")

    assert response.status_code == 200
    assert listed(response) == []
    assert "No papers match." in html_of(response)


# Pagination and counts


@pytest.fixture
def graph_papers(db):
    return [PaperFactory(title=f"Graph Study {n}") for n in range(25)]


def test_results_come_twenty_to_a_page(client, graph_papers):
    first = search(client, q="graph")
    second = search(client, q="graph", page=2)

    assert len(listed(first)) == 20
    assert len(listed(second)) == 5
    assert set(listed(first)) | set(listed(second)) == set(graph_papers)
    assert "Page 1 of 2" in html_of(first)
    assert "25 papers" in html_of(first)


def test_the_next_page_link_keeps_the_query_and_filters(client, graph_papers):
    html = html_of(search(client, q="graph", year_from=2000))

    link = re.search(r'<a rel="next" href="([^"]*)"', html).group(1)
    assert parse_qs(urlsplit(unescape(link)).query) == {
        "q": ["graph"],
        "year_from": ["2000"],
        "page": ["2"],
    }


def test_a_page_past_the_end_shows_the_last_page(client, graph_papers):
    response = search(client, q="graph", page=999)

    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert len(listed(response)) == 5


@pytest.mark.parametrize("page", ["abc", "", "0", "-3", "1.5"])
def test_a_page_that_is_not_a_page_number_shows_the_first(client, graph_papers, page):
    response = search(client, q="graph", page=page)

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(listed(response)) == 20


def test_filters_alone_paginate_too(client, graph_papers):
    response = search(client, year_from=2000, page=999)

    assert response.context["page"].number == 2
    assert len(listed(response)) == 5


def test_a_huge_page_number_shows_the_last_page(client, graph_papers):
    response = search(client, q="graph", page=10**20)

    assert response.status_code == 200
    assert response.context["page"].number == 2


def test_past_the_rank_limit_the_page_says_more_than(client, monkeypatch):
    monkeypatch.setattr("papers.search.RANK_LIMIT", 3)
    for n in range(5):
        PaperFactory(title=f"Graph Study {n}")

    response = search(client, q="graph")

    html = html_of(response)
    assert "More than 3 papers match; the best of the first 3 found are shown." in html
    assert 'Papers <span class="muted">(3+)</span>' in html


def test_filters_alone_past_the_rank_limit_say_more_than(client, monkeypatch):
    monkeypatch.setattr("papers.search.RANK_LIMIT", 3)
    PaperFactory.create_batch(5, year=2020)

    html = html_of(search(client, year_from=2020))

    assert "More than 3 papers match." in html


def test_the_other_tab_counts_up_to_its_limit(client, monkeypatch):
    monkeypatch.setattr("papers.search.OTHER_TAB_LIMIT", 2)
    SummaryFactory.create_batch(3, paper__title="Graph Study")

    html = html_of(search(client, q="graph"))

    assert 'Summaries <span class="muted">(2+)</span>' in html


# Hostile and odd input


def test_an_empty_search_shows_how_to_search(client):
    response = search(client)

    assert response.status_code == 200
    assert "How to search" in html_of(response)
    assert response.context["searched"] is False


@pytest.mark.parametrize(
    ("query", "shows"),
    [
        ("", "How to search"),
        ("   ", "How to search"),
        ("the of and", "That search has no words to look for"),
        ("!!! ??? ...", "That search has no words to look for"),
        ('"unbalanced', "0 papers"),
        ('a "b', "0 papers"),
        ("-", "That search has no words to look for"),
        ("--", "That search has no words to look for"),
        ("OR", "That search has no words to look for"),
        ("OR OR", "That search has no words to look for"),
        ("a OR", "That search has no words to look for"),
        ("'; DROP TABLE papers_paper; --", "0 papers"),
        ("a & b | !c <-> d", "0 papers"),
        ("x:*", "0 papers"),
        ("(((", "That search has no words to look for"),
        ("😀🔥 attention", "1 paper"),
        ("注意力", "0 papers"),
        ("attention\u200b", "1 paper"),
        ("%00", "0 papers"),
        ("\\", "That search has no words to look for"),
        ("<script>alert(1)</script>", "0 papers"),
    ],
)
@pytest.mark.parametrize("tab", ["papers", "summaries"])
def test_hostile_queries_get_an_answer_never_an_error(client, query, shows, tab):
    SummaryFactory(paper__title="Attention Is All You Need", body="A plain summary.")

    response = search(client, q=query, **{"in": tab})

    assert response.status_code == 200
    html = html_of(response)
    if tab == "summaries":
        shows = shows.replace("0 papers", "0 summaries").replace("1 paper", "1 summary")
    assert shows in html
    assert "Traceback" not in html
    assert "<script>alert(1)" not in html


def test_a_query_too_long_is_a_bad_request_with_a_message(client):
    response = search(client, q="a " * 5_000)

    assert response.status_code == 400
    assert "A search can be at most 500 characters long" in html_of(response)


def test_a_query_that_grows_past_the_limit_when_folded_is_a_bad_request(client):
    # U+FDFA, one character, folds to 18 letters and spaces.
    response = search(client, q="\ufdfa" * 100)

    assert response.status_code == 400
    assert "A search can be at most 500 characters long" in html_of(response)


def test_a_query_of_500_characters_is_fine(client):
    assert search(client, q="x" * 500).status_code == 200


def test_a_nul_character_is_a_bad_request(client):
    assert client.get(SEARCH + "?q=%00").status_code == 400
    assert client.get(SEARCH + "?q=attention&author=a%00b").status_code == 400


def test_a_script_in_the_query_is_escaped_in_the_boxes_and_the_title(client):
    html = html_of(search(client, q="<script>alert(1)</script>"))

    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script>alert(1)" not in html
    assert f'name="q" placeholder="Search papers and summaries" value="{escaped}"' in html
    assert re.search(rf'<input type="search" name="q" value="{re.escape(escaped)}"', html)
    assert f"<title>{escaped} \u2013 Search" in html


def test_a_quote_in_the_query_cannot_leave_the_value_attribute(client):
    html = html_of(search(client, q='x" autofocus onfocus="alert(1)'))

    assert 'onfocus="alert(1)' not in html
    assert "x&quot; autofocus onfocus=&quot;alert(1)" in html


# Queries


@pytest.fixture
def learning_papers(db):
    """Papers as results show them: three authors, two keywords, a venue, a summary."""
    venue = VenueFactory(short_name="NeurIPS", slug="neurips")

    def make(count):
        for n in range(count):
            paper = PaperFactory(
                title=f"Deep Learning {n}",
                authors=["Ada Lovelace", "Charles Babbage", f"Grace Hopper{n}"],
                venue=venue,
                venue_year=2017,
            )
            paper.tags.add("cs.LG", "math.OC")
            SummaryFactory(paper=paper, body="Learning, summarized.")

    return make


@pytest.mark.parametrize("count", [1, 3])
def test_the_papers_tab_makes_as_many_queries_for_many_results_as_for_one(
    client, learning_papers, django_assert_num_queries, count
):
    learning_papers(count)

    # Any words?, the ranked page, a spelling (fewer than FEW results), the other tab's
    # count, the papers, their authorships, their keywords, the venues of the filter.
    with django_assert_num_queries(8):
        response = search(client, q="learning")

    assert len(listed(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_summaries_tab_makes_as_many_queries_for_many_results_as_for_one(
    client, learning_papers, django_assert_num_queries, count
):
    learning_papers(count)

    # Any words?, the ranked page, a spelling, the other tab's count, the summaries with
    # their papers, their papers' authorships and keywords, the venues of the filter.
    with django_assert_num_queries(8):
        response = search(client, q="learning", **{"in": "summaries"})

    assert len(listed(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_filters_alone_make_as_many_queries_for_many_results_as_for_one(
    client, learning_papers, django_assert_num_queries, count
):
    learning_papers(count)

    with django_assert_num_queries(8):
        response = search(client, venue="neurips", tag="cs.lg", author="lovelace")

    assert len(listed(response)) == count


# The header


@pytest.mark.parametrize("url", ["/", "/about/", "/papers/", SEARCH])
def test_every_page_has_the_search_box_in_its_header(client, url):
    html = html_of(client.get(url))

    header = re.search(r"<header.*?</header>", html, re.S).group(0)
    form = re.search(r'<form class="site-search" method="get" action="([^"]*)"', header)
    assert form.group(1) == SEARCH
    assert 'name="q"' in header


def test_the_header_box_keeps_the_search(client):
    html = html_of(search(client, q="graph attention"))

    assert (
        '<input type="search" id="site-search-q" name="q" '
        'placeholder="Search papers and summaries" value="graph attention">'
    ) in html


def test_a_paper_page_has_the_search_box_too(client):
    paper = PaperFactory(published_on=datetime.date(2017, 6, 12))

    html = html_of(client.get(paper.get_absolute_url()))

    assert f'action="{SEARCH}" role="search"' in html


def test_an_author_filter_of_only_punctuation_finds_nothing(client):
    PaperFactory(title="Graph networks", authors=["Ada Lovelace"])

    response = search(client, q="graph", author="!!!")

    assert response.status_code == 200
    assert listed(response) == []


def test_full_width_letters_and_invisible_characters_are_folded(client):
    PaperFactory(title="Attention Is All You Need")

    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "attention")
    for query in (full_width, "atten\u200btion", "\u200eattention\u2060"):
        response = search(client, q=query)
        assert [paper.title for paper in listed(response)] == ["Attention Is All You Need"], query


# Found by the XSS corpus: ts_headline's time grows steeply with a long phrase of one
# repeated word in a text that holds it; 60 nested \sqrt{ took 50 s.
NESTED_ROOTS = "$$" + "\\sqrt{" * 60 + "x" + "}" * 60 + "$$"


@pytest.mark.parametrize("tab", ["papers", "summaries"])
def test_a_long_phrase_of_one_repeated_word_is_found_and_marked_in_time(client, tab):
    paper = PaperFactory(title="Nested roots", abstract=NESTED_ROOTS)
    SummaryFactory(paper=paper, body=NESTED_ROOTS)

    started = time.monotonic()
    response = client.get("/search/", {"q": NESTED_ROOTS, "in": tab})
    elapsed = time.monotonic() - started

    html = response.content.decode()
    assert response.status_code == 200
    assert elapsed < 1
    assert 'href="/papers/' in html
    if tab == "papers":
        assert "\\<mark>sqrt</mark>{\\<mark>sqrt</mark>{" in html
    else:  # A summary's snippet shows its math as "…".
        assert "Nested roots" in html


def test_snippets_mark_each_distinct_word_looked_for_once():
    query = '"deep deep deep" -shallow networks OR nets Deep'

    assert snippet_query(query) == "deep OR networks OR nets"
