"""Full-text search of papers, on PostgreSQL: documents kept by triggers (PaperSearch),
queries in the syntax of web search engines, and trigram similarity for typos: words
no title or author name has are matched to the nearest ones that do (did_you_mean).

The query and the documents are parsed with the same text search configuration, CONFIG.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from papers.models import Author, Authorship, Paper, PaperSearch, normalize_name
from shortscience.rendering import highlighted

CONFIG = "english"
# ts_headline marks matches with these (characters of Unicode's private use area); the
# page escapes the snippet and turns them into <mark> (shortscience.rendering.highlighted).
START_SEL, STOP_SEL = "\ue000", "\ue001"
# Ranking reads the document of every match; a query matching more than this many
# papers ranks the first ones found, and the page says "more than" that many.
RANK_LIMIT = 1000
# The other tab's count (summaries on the papers tab, and back) stops here: "(100+)".
OTHER_TAB_LIMIT = 100
# Fewer matches than this, and the page suggests a spelling (did_you_mean).
FEW = 5


# websearch_to_tsquery keeps each "-" on a stack until a word comes, and the stack holds
# 32: 33 minus signs failed with "tsquery stack too small". The characters it skips
# between two minus signs are spaces and ! & | ( ) <; a run of minus signs means one.
MINUS_RUN = re.compile(r"-(?:[\s!&|()<]*-)+")


def parsable(text: str) -> str:
    """The text as websearch_to_tsquery gets it: each run of minus signs made one, so
    "--word" excludes the word as snippet_query and did_you_mean take it to."""
    return MINUS_RUN.sub("-", text)


def websearch_query(text: str) -> SearchQuery:
    """Words, "quoted phrases", -excluded words and OR, as on web search engines."""
    return SearchQuery(parsable(text), config=CONFIG, search_type="websearch")


# Snippets mark at most this many distinct words of the query.
SNIPPET_TERMS = 16
TERM = re.compile(r"\w[\w'-]*", re.UNICODE)


def snippet_query(text: str) -> str:
    """The words a snippet marks: the query's distinct words, not excluded (-word) nor
    OR, each on its own ("a OR b OR …").

    Not the query itself: ts_headline's time grows steeply with a long phrase of one
    repeated word in a text that holds it (60 nested \\sqrt{ took 50 s), and any member
    can write such a text and anyone search for it. Marking words one by one is cheap.
    """
    words = (
        match.group(0).lower()
        for match in TERM.finditer(text)
        if match.group(0) != "OR" and text[max(0, match.start() - 1) : match.start()] != "-"
    )
    return " OR ".join(list(dict.fromkeys(words))[:SNIPPET_TERMS])


def headline(expression, text: str, **options) -> SearchHeadline:
    """ts_headline of the expression for the words of the text's query (snippet_query),
    matches between START_SEL and STOP_SEL (shortscience.rendering.highlighted makes them
    <mark>), fragments joined by …"""
    return SearchHeadline(
        expression,
        websearch_query(snippet_query(text)),
        config=CONFIG,
        start_sel=START_SEL,
        stop_sel=STOP_SEL,
        fragment_delimiter=" … ",
        **options,
    )


# ts_rank weighs every pair of a query's words at every pair of their places in a
# document: its time grows with the square of the words (a summary of 30 words written
# 256 times each took 0.13 s to rank against those 30, and 60 took 0.5 s).
MAX_WORDS = 32
# The lexemes of a tsquery's text: 'graph' & !'o''neil' (a quote inside is doubled).
LEXEME = r"'((?:[^']|'')*)'"
# What PostgreSQL answers a query its parser cannot take: a syntax error, a program
# limit (a word too long, the query too big or too deeply nested), its internal
# "tsquery stack too small", or bad data. Anything else (a lost connection, a statement
# timeout) is no fault of the query.
QUERY_ERROR_STATES = {"42601", "54000", "54001", "XX000"}


class QueryError(ValueError):
    """A search that cannot be run; the message says what to change."""


def query_has_words(text: str) -> bool:
    """Whether the text leaves any word to search for once common words ("the", "of")
    and punctuation are dropped. One small query.

    Raises QueryError when it looks for more than MAX_WORDS different words, or when
    PostgreSQL cannot parse it. The statement only parses the text: in autocommit, as
    web requests run, its failure leaves nothing behind; in a transaction, it aborts it.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(DISTINCT lexeme[1])
                  FROM regexp_matches(websearch_to_tsquery(%s::regconfig, %s)::text, %s, 'g')
                       AS lexeme
                """,
                [CONFIG, parsable(text), LEXEME],
            )
            words = cursor.fetchone()[0]
    except DatabaseError as error:
        state = getattr(error.__cause__, "sqlstate", None) or ""
        if not (state in QUERY_ERROR_STATES or state.startswith("22")):
            raise
        raise QueryError(
            'That search could not be read; try it with fewer signs such as - and " '
            "between its words."
        ) from error
    if words > MAX_WORDS:
        raise QueryError(
            f"A search can look for at most {MAX_WORDS} different words; "
            "try its most telling ones."
        )
    return words > 0


@dataclass
class Filters:
    """What narrows a search, besides its words; each is optional."""

    venue: object = None  # a Venue
    year_from: int | None = None
    year_to: int | None = None
    tag: str = ""
    author: str = ""
    has_summaries: bool = False

    def __bool__(self):
        return any(
            (self.venue, self.year_from, self.year_to, self.tag, self.author, self.has_summaries)
        )

    def paper_q(self, prefix: str = "") -> Q:
        """These filters, but "has summaries", as a condition on papers (prefix: the
        path to the paper, e.g. "paper__" from a summary)."""
        return self._q(f"{prefix}venue", f"{prefix}year", f"{prefix}pk")

    def apply(self, papers: QuerySet) -> QuerySet:
        """Papers narrowed by all these filters."""
        papers = papers.filter(self.paper_q())
        if self.has_summaries:
            papers = papers.filter(_has_public_summary("pk"))
        return papers

    def apply_to_documents(self, documents: QuerySet) -> QuerySet:
        """PaperSearch rows narrowed by all these filters: year and venue are columns of
        their own, so the filters most used need no join."""
        documents = documents.filter(self._q("venue_id", "year", "paper_id"))
        if self.has_summaries:
            documents = documents.filter(_has_public_summary("paper_id"))
        return documents

    def _q(self, venue: str, year: str, paper: str) -> Q:
        condition = Q()
        if self.venue:
            condition &= Q(**{venue: self.venue.pk})
        if self.year_from:
            condition &= Q(**{f"{year}__gte": self.year_from})
        if self.year_to:
            condition &= Q(**{f"{year}__lte": self.year_to})
        if self.tag:
            condition &= Q(**{f"{paper}__in": _tagged(self.tag)})
        if self.author:
            condition &= Q(**{f"{paper}__in": _by_author(self.author)})
        return condition


def _tagged(name: str):
    """Papers with this keyword (keywords ignore case). The keyword and the content type
    are looked up first, so the database walks one index of tagged items."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    tag = Tag.objects.filter(name__iexact=name).values("pk")[:1]
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Paper), tag_id=tag
    ).values("object_id")


def _by_author(name: str):
    """Papers by an author whose name contains these words, in any case or accents."""
    wanted = normalize_name(name)
    if not wanted:  # Only punctuation: no author's name contains nothing.
        return Authorship.objects.none().values("paper_id")
    authors = Author.objects.filter(normalized_name__contains=wanted)
    return Authorship.objects.filter(author__in=authors).values("paper_id")


def _has_public_summary(paper: str):
    # Paper.summary_count counts the public summaries (kept by the database).
    return Exists(Paper.objects.filter(pk=OuterRef(paper), summary_count__gt=0))


def paper_candidates(text: str, filters: Filters) -> QuerySet:
    """(paper id, document) of the papers matching the text and filters."""
    documents = PaperSearch.objects.filter(document=websearch_query(text))
    return filters.apply_to_documents(documents).values_list("paper_id", "document")


def ranked_page(candidates: QuerySet, text: str, number: int, per_page: int):
    """One page of ids from (id, document) candidates, best first, and how many
    candidates there are, counting to RANK_LIMIT + 1. One query.

    Ranking reads every candidate's document, so only the first RANK_LIMIT + 1 matches
    found are ranked: for a query that matches half the site, the best of those. The
    weights of the documents put title matches first, then authors, keywords and
    identifiers, then the abstract or the text of a summary.
    """
    try:
        sql, params = candidates.order_by()[: RANK_LIMIT + 1].query.sql_with_params()
    except EmptyResultSet:  # A filter that can match nothing: no need to ask.
        return [], 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT id, count(*) OVER ()
              FROM ({sql}) AS candidates (id, document)
             ORDER BY ts_rank(document, websearch_to_tsquery(%s::regconfig, %s)) DESC, id DESC
             LIMIT %s OFFSET %s
            """,  # noqa: S608 - sql is the ORM's own, with its parameters passed apart
            [*params, CONFIG, parsable(text), per_page, (number - 1) * per_page],
        )
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def count_matches(queryset: QuerySet, cap: int = RANK_LIMIT) -> tuple[int, bool]:
    """How many rows, counting no further than cap: (count, whether there are more)."""
    count = queryset.order_by().values("pk")[: cap + 1].count()
    return min(count, cap), count > cap


def papers_with_snippets(ids: list[int], text: str | None) -> list[Paper]:
    """The papers of a result page in the order given, each with its summary count and,
    when there is a query, its title and abstract with the matching words marked."""
    papers = Paper.objects.filter(pk__in=ids).for_listing()
    if text:
        papers = papers.annotate(
            title_snippet=headline("title", text, highlight_all=True),
            abstract_snippet=headline(
                "abstract", text, max_words=35, min_words=15, max_fragments=2
            ),
        )
    by_id = {paper.pk: paper for paper in papers}
    found = [by_id[pk] for pk in ids if pk in by_id]
    if text:
        for paper in found:
            paper.title_highlighted = highlighted(paper.title_snippet, START_SEL, STOP_SEL)
            paper.abstract_highlighted = highlighted(paper.abstract_snippet, START_SEL, STOP_SEL)
    return found


WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


def _looked_for(word: re.Match) -> bool:
    """Whether a WORD of a query is one it looks for: not the OR operator, not an
    excluded word (-word), and of a length a title word can have."""
    text, start = word.string, word.start()
    return (
        2 <= len(word.group(0)) <= 40
        and word.group(0) != "OR"
        and text[max(0, start - 1) : start] != "-"
    )


def did_you_mean(text: str) -> str:
    """The text with its unknown words replaced by the nearest known ones (words of
    titles and author names), or "" when there is nothing better to suggest."""
    words = [match.group(0).lower() for match in WORD.finditer(text) if _looked_for(match)]
    words = words[:10]
    if not words:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.word, (
                SELECT w.word FROM papers_searchword w
                 WHERE w.word %% t.word
                 ORDER BY similarity(w.word, t.word) DESC, w.ndoc DESC, w.word
                 LIMIT 1)
              FROM unnest(%s::text[]) AS t(word)
             WHERE NOT EXISTS (SELECT 1 FROM papers_searchword w WHERE w.word = t.word)
            """,
            [words],
        )
        corrections = {word: better for word, better in cursor.fetchall() if better}
    if not corrections:
        return ""

    def replace(match):
        if not _looked_for(match):
            return match.group(0)
        return corrections.get(match.group(0).lower(), match.group(0))

    return WORD.sub(replace, text)
