"""render_markdown(): \\cite{key} links to the paper with that BibTeX key, looked up
once for all the keys of a text."""

import pytest

from shortscience.rendering import render_markdown

# Citation lookups go to the paper_lookups stand-in, never to the database.
pytestmark = pytest.mark.usefixtures("paper_lookups")


def test_cite_known_key_links_to_the_paper(paper_lookups):
    html = render_markdown(r"As in \cite{conf/nips/VaswaniSPUJGKP17}.")

    assert html == '<p>As in <a class="cite" href="/papers/17/">Attention Is All You Need</a>.</p>'
    assert paper_lookups == [{"conf/nips/VaswaniSPUJGKP17"}]


def test_cite_unknown_key_shows_the_key():
    html = render_markdown(r"See \cite{vaswani2017attention}.")

    assert html == '<p>See <span class="cite cite--unknown">[vaswani2017attention]</span>.</p>'


def test_cite_several_keys_are_looked_up_once(paper_lookups):
    html = render_markdown(
        r"\cite{he2016deep, journals/corr/abs-1706-03762} and \cite{vaswani2017attention}"
    )

    assert html == (
        '<p><a class="cite" href="/papers/5/">Deep Residual Learning</a>, '
        '<a class="cite" href="/papers/17/">Attention Is All You Need</a> and '
        '<span class="cite cite--unknown">[vaswani2017attention]</span></p>'
    )
    assert paper_lookups == [
        {"he2016deep", "journals/corr/abs-1706-03762", "vaswani2017attention"}
    ]


def test_cite_keeps_underscores_in_keys():
    html = render_markdown(r"\cite{my_key_2017} and \cite{other_key}")

    assert html == (
        '<p><span class="cite cite--unknown">[my_key_2017]</span> and '
        '<span class="cite cite--unknown">[other_key]</span></p>'
    )


def test_cite_inside_math_and_code_is_left_alone(paper_lookups):
    html = render_markdown(r"$\cite{he2016deep}$ and `\cite{he2016deep}`")

    assert html == (
        '<p><span class="arithmatex">\\(\\cite{he2016deep}\\)</span> and '
        "<code>\\cite{he2016deep}</code></p>"
    )
    assert paper_lookups == []


@pytest.mark.parametrize(
    "text",
    [
        r"\cite{}",
        r"\cite{a b}",
        r"\cite{key;drop}",
        r"\cite{ok,}",
        "\\cite{" + "k" * 101 + "}",
    ],
)
def test_cite_with_an_invalid_key_stays_text(text, paper_lookups):
    html = render_markdown(text)

    assert html == f"<p>{text}</p>"
    assert paper_lookups == []


def test_text_without_citations_looks_nothing_up(paper_lookups):
    render_markdown("Plain text with $x$ and https://example.org.")

    assert paper_lookups == []


def test_cite_label_and_address_from_the_lookup_are_escaped(monkeypatch):
    monkeypatch.setattr(
        "shortscience.rendering._lookup_citations",
        lambda keys: {
            "good": ('/papers/1/?a=1&b="2"', "<b>Bold</b> & co"),
            "bad": ("javascript:alert(1)", "Evil"),
        },
    )

    html = render_markdown(r"\cite{good,bad}")

    assert html == (
        '<p><a class="cite" href="/papers/1/?a=1&amp;b=&quot;2&quot;">'
        "&lt;b&gt;Bold&lt;/b&gt; &amp; co</a>, "
        '<span class="cite cite--unknown">[bad]</span></p>'
    )
