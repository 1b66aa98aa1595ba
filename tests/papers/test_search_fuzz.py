"""Fuzzing the query building of papers.search against PostgreSQL itself: whatever is
typed (as the search form cleans it), the text PostgreSQL's parser is given parses, and
the spelling and snippet queries made from it parse too. The search page's own fuzz
tests are in tests/pages/test_search_fuzz.py."""

import re

import pytest
from django.db import connection
from hypothesis import example, given
from hypothesis import strategies as st

from pages.forms import SearchForm
from papers.search import (
    CONFIG,
    MAX_WORDS,
    QueryError,
    did_you_mean,
    parsable,
    query_has_words,
    snippet_query,
)
from tests.strategies import search_queries

pytestmark = [pytest.mark.django_db, pytest.mark.integration, pytest.mark.fuzz]


@st.composite
def cleaned_queries(draw):
    """Queries as the search form hands them on: valid, normalized, without NUL."""
    form = SearchForm({"q": draw(search_queries(max_size=500))})
    if not form.is_valid():
        # Only a NUL makes a query of at most 500 characters invalid.
        assert list(form.errors) == ["q"]
        return ""
    return form.cleaned_data["q"]


def parse(text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [CONFIG, text])
        return cursor.fetchone()[0]


@given(cleaned_queries())
@example("-" * 500)
@example("-&" * 250)
@example("a " + "- " * 200 + "b")
@example("(-" * 200)
@example("-\u3000" * 200)
def test_every_query_parses(text):
    assert isinstance(parse(parsable(text)), str)


@given(cleaned_queries())
def test_query_has_words_answers_or_says_there_are_too_many(text):
    try:
        answer = query_has_words(text)
    except QueryError as error:
        answer = str(error)

    assert answer in (True, False) or answer.startswith(
        f"A search can look for at most {MAX_WORDS} different words"
    )


@given(cleaned_queries())
def test_snippet_and_spelling_queries_parse(text):
    suggestion = did_you_mean(text)

    assert isinstance(parse(parsable(suggestion)), str)
    assert isinstance(parse(snippet_query(text)), str)


@given(cleaned_queries())
@example("x--y -- - z")
def test_parsable_keeps_every_word_and_needs_no_second_pass(text):
    once = parsable(text)

    assert re.findall(r"\w+", once) == re.findall(r"\w+", text)
    assert parsable(once) == once
