"""What rendering user Markdown costs: any text up to its field's maximum length renders
in well under a second, so one preview request cannot hold a worker.

Python-Markdown and our own math patterns were super-linear (some exponential) on a few
repeated inputs; each class found is a regression test below at the summary maximum,
and the fuzz test looks for more by repeating random sequences of Markdown and TeX
building blocks up to each field's maximum.
"""

import gc
import signal
import threading
import time
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.forms import ProfileForm
from shortscience.rendering import (
    RENDER_REFUSED,
    TOO_MANY_ELEMENTS,
    RenderTooSlow,
    render_markdown,
)
from summaries.forms import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, CommentForm, SummaryForm

BIO_MAX_LENGTH = 2_000  # accounts.models.Profile.bio
MAX_LENGTHS = [BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, BIO_MAX_LENGTH]
# Processor time per text at its field's maximum. The aim is under 0.3 s; the margin is
# for slower machines.
SECONDS = 1.0
# A text still rendering after this long has failed; the test stops it rather than wait.
GIVE_UP_SECONDS = 5


class _StillRendering(Exception):
    pass


@contextmanager
def give_up_after(seconds: float):
    """Stop a runaway render from the main thread (where pytest runs tests)."""

    def stop(signum, frame):
        raise _StillRendering

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, stop)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def repeated(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def render_seconds(text: str) -> float:
    """The processor time rendering (or refusing) ``text`` took on this thread: unlike
    the time on the clock, it does not grow when other test runs share the cores."""
    # Garbage left by earlier examples is collected now, not charged to this text.
    gc.collect()
    start = time.thread_time()
    try:
        with give_up_after(GIVE_UP_SECONDS):
            render_markdown(text)
    except _StillRendering:
        return float("inf")
    except RenderTooSlow as error:
        # Refused for too much formatting, the other allowed answer, counts its time;
        # stopped by the time limit (or the recursion limit) is a failure.
        if str(error) == RENDER_REFUSED:
            return float("inf")
    return time.thread_time() - start


@pytest.fixture(autouse=True)
def no_paper_lookups(monkeypatch):
    monkeypatch.setattr("shortscience.rendering._lookup_citations", lambda keys: {})


@pytest.fixture(autouse=True)
def no_timer_left_behind():
    """No test here, nor the renderer's time limit, leaves a timer set or a SIGALRM
    handler of its own behind for the tests that run next."""
    handler = signal.getsignal(signal.SIGALRM)
    yield
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is handler


# Each class found, repeated to the summary maximum. Times at 50,000 characters before
# the fix are in the commit that fixed them.
ATTACKS = {
    "open brackets": "[",
    "open image brackets": "![",
    "unclosed link destinations": "[a](",
    "unclosed image destinations": "![a](",
    "unclosed display brackets": "\\[",
    "unclosed inline parens": "\\(",
    "unclosed environments": "\\begin{x}",
    "nested blockquotes": "> ",
    "nested ordered lists": "1. ",
    "list items": "\n- ",
    "open footnote references": "[^",
    "code spans in brackets": "[`",
    "backtick runs with no closing run of their length": "``a`",
    "dense escapes": "\\*",
    "dense links": "[a](b)",
    "display math lines never closed": "[\n\\",
    "short paragraphs": "[\n\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("unit", ATTACKS.values(), ids=ATTACKS.keys())
def test_a_repeated_attack_renders_quickly_at_the_summary_maximum(unit):
    text = repeated(unit, BODY_MAX_LENGTH)

    assert render_seconds(text) < SECONDS


@pytest.mark.slow
def test_many_references_to_one_footnote_render_quickly():
    # Python-Markdown numbered each further reference by trying every id from the first.
    text = "A claim[^1]. " * 2_000 + "\n\n[^1]: The source."

    assert render_seconds(text) < SECONDS


def test_a_footnote_cited_twice_links_back_to_both_places():
    html = render_markdown("One[^1], two[^1].\n\n[^1]: First.")

    assert '<sup id="fnref:1">' in html
    assert '<sup id="fnref2:1">' in html
    assert 'href="#fnref2:1"' in html


@pytest.mark.django_db
def test_a_text_with_too_much_formatting_is_refused_quickly_with_its_own_message(author):
    text = "$a$ " * 6_000
    form = SummaryForm({"body": text}, user=author)

    start = time.thread_time()
    is_valid = form.is_valid()

    assert time.thread_time() - start < SECONDS
    assert not is_valid
    assert form.errors["body"] == [TOO_MANY_ELEMENTS]
    assert form["body"].value() == text


# Each pattern's matches are replaced in one pass over the text (see _Inline), and a
# run of escapes or a code span's closing is found without rereading the text: the
# output is what Python-Markdown's own processors give, also right where one match ends
# and the next begins.
SAME_AS_PYTHON_MARKDOWN = {
    "\\\\`code` and `more`": "<p>\\<code>code</code> and <code>more</code></p>",
    "`a``b` ``c`": "<p><code>a``b</code> <code>`c</code></p>",
    "``a` b `c``": "<p><code>a` b `c</code></p>",
    "\\*not em\\* \\q \\\\": "<p>*not em* \\q \\</p>",
    "[a](https://a.org)[b](https://b.org)": (
        '<p><a href="https://a.org" rel="nofollow ugc noopener">a</a>'
        '<a href="https://b.org" rel="nofollow ugc noopener">b</a></p>'
    ),
}


@pytest.mark.parametrize(("text", "html"), SAME_AS_PYTHON_MARKDOWN.items())
def test_matches_side_by_side_render_as_python_markdown_renders_them(text, html):
    assert render_markdown(text) == html


# What the fuzz test repeats: Markdown and TeX syntax, and a few plain characters.
BUILDING_BLOCKS = [
    "[", "]", "(", ")", "[a](", "![", "![a](", "[a]", "[a]: ", "<", ">", "> ",
    "\\[", "\\]", "\\(", "\\)", "$", "$$", "\\begin{x}", "\\end{x}", "\\begin{",
    "`", "``", "```", "~~", "*", "**", "_", "__", "- ", "* ", "+ ", "1. ",
    "|", "| a |", "|---|", "[^1]", "[^1]: ", "[^", "\\cite{", "\\cite{a}",
    "https://example.org/a_(b)", "/media/figures/a.png", "\n", "\n\n", " ",
    "    ", "\t", "#", "&", "&amp;", "a", "é", "∑", "\\", "{", "}", "!", "=",
]  # fmt: skip


@pytest.mark.fuzz
@given(
    units=st.lists(
        st.sampled_from(BUILDING_BLOCKS) | st.text(max_size=3),
        min_size=1,
        max_size=8,
    ),
    length=st.sampled_from(MAX_LENGTHS),
)
def test_repeated_building_blocks_render_quickly_at_each_maximum(units, length):
    text = repeated("".join(units) or "a", length)

    assert render_seconds(text) < SECONDS


# The time limit: the last line of defence ------------------------------------------

SLOW = repeated("a\\[", BODY_MAX_LENGTH)  # the slowest known class still left: ~0.5 s


@pytest.fixture
def no_time_to_render(monkeypatch):
    monkeypatch.setattr("shortscience.rendering.RENDER_SECONDS", 0.01)


def test_a_render_over_the_time_limit_is_stopped_on_the_main_thread(no_time_to_render):
    start = time.perf_counter()
    with pytest.raises(RenderTooSlow, match="too complex"):
        render_markdown(SLOW)

    assert time.perf_counter() - start < 0.3
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    assert signal.SIGALRM not in signal.sigpending()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_render_over_the_time_limit_is_stopped_on_another_thread(no_time_to_render):
    outcome = {}

    def render():
        start = time.perf_counter()
        try:
            render_markdown(SLOW)
        except RenderTooSlow:
            outcome["stopped after"] = time.perf_counter() - start

    thread = threading.Thread(target=render)
    thread.start()
    thread.join(timeout=10)

    assert outcome["stopped after"] < 0.3


def test_an_outer_timer_keeps_running_through_a_render():
    previous = signal.signal(signal.SIGALRM, signal.SIG_IGN)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        render_markdown("*fine*")
        left, _ = signal.getitimer(signal.ITIMER_REAL)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

    assert 25 < left <= 30


def test_deep_nesting_past_the_cap_renders_or_is_refused_never_crashes(monkeypatch):
    monkeypatch.setattr("shortscience.rendering.MAX_NESTING", 10_000)

    try:
        html = render_markdown("1. " * 3000)
    except RenderTooSlow:
        return
    assert html.startswith("<ol>")


def test_a_recursion_error_in_the_parser_is_refused_not_a_crash(monkeypatch):
    class Bottomless:
        def convert(self, text):
            return self.convert(text)

    monkeypatch.setattr("shortscience.rendering._markdown", Bottomless)

    with pytest.raises(RenderTooSlow):
        render_markdown("anything")


def test_nesting_past_the_cap_stays_as_text():
    html = render_markdown("> " * 12 + "deep")

    assert html.count("<blockquote>") == 8
    assert "&gt; &gt; &gt; &gt; deep" in html


def test_a_run_of_open_brackets_is_text():
    assert render_markdown("[" * 20 + "[a](https://example.org)") == (
        '<p>[[[[[[[[[[[[[[[[[[[[<a href="https://example.org" rel="nofollow ugc noopener">'
        "a</a></p>"
    )


@pytest.mark.django_db
def test_the_preview_refuses_a_text_over_the_limit_with_a_clear_400(
    author_client, no_time_to_render
):
    response = author_client.post("/summaries/preview/", {"body": SLOW})

    assert response.status_code == 400
    assert response.json() == {"error": RENDER_REFUSED}


@pytest.mark.django_db
def test_the_summary_form_refuses_a_text_over_the_limit_and_keeps_it(author, no_time_to_render):
    form = SummaryForm({"body": SLOW}, user=author)

    assert not form.is_valid()
    assert form.errors["body"] == [RENDER_REFUSED]
    assert form["body"].value() == SLOW


@pytest.mark.django_db
def test_the_comment_form_refuses_a_text_over_the_limit(author, no_time_to_render):
    form = CommentForm({"body": SLOW[:COMMENT_MAX_LENGTH]}, user=author)

    assert not form.is_valid()
    assert form.errors["body"] == [RENDER_REFUSED]


@pytest.mark.django_db
def test_the_bio_form_refuses_a_text_over_the_limit(author, monkeypatch):
    monkeypatch.setattr("shortscience.rendering.RENDER_SECONDS", 0.000_001)
    form = ProfileForm({"bio": SLOW[:BIO_MAX_LENGTH]}, instance=author.profile, user=author)

    assert not form.is_valid()
    assert form.errors["bio"] == [RENDER_REFUSED]
