"""The search page against hostile and odd input: empty, overlong, NUL, script and
quote-breaking queries, folded letters, a long repeated phrase; an answer, never an
error."""

import re
import time

import pytest

from tests.factories import PaperFactory, SummaryFactory
from tests.pages.helpers import SEARCH, html_of, listed, search

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


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
