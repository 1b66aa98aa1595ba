"""The search page, /search/: ranking and snippets, query syntax, the summaries tab,
identifiers, spelling suggestions and the search box in every page's header. Filters,
pagination and hostile input have files of their own beside this one."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PaperFactory, SummaryFactory, UserFactory
from tests.pages.helpers import SEARCH, html_of, listed, search, tab_links

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


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
