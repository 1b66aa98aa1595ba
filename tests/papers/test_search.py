"""papers/search.py: the queries the search page builds from what was typed."""

from papers.search import snippet_query


def test_snippets_mark_each_distinct_word_looked_for_once():
    query = '"deep deep deep" -shallow networks OR nets Deep'

    assert snippet_query(query) == "deep OR networks OR nets"
