"""render_markdown() against hostile input: the XSS corpus (tests/data/xss_vectors.txt),
alone and inside the site's own syntax, renders to inert HTML only."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from shortscience.rendering import render_markdown

# Citation lookups go to the paper_lookups stand-in, never to the database.
pytestmark = pytest.mark.usefixtures("paper_lookups")

XSS_VECTORS = Path(__file__).resolve().parents[1] / "data" / "xss_vectors.txt"


# Everything render_markdown may produce from user text. The only iframes come from our
# own players, and none of the vectors below is a valid video link.
SAFE_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "div", "em", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    "href", "src", "title", "alt", "width", "height", "loading", "align", "start", "class",
    "id", "rel",
}  # fmt: skip
SAFE_URL = re.compile(
    r"^(https?://|mailto:|#fn(ref)?:\d+$|/media/figures/(?:[\w-][\w.-]*/)*[\w-][\w.-]*$)",
    re.IGNORECASE | re.ASCII,
)
DANGEROUS_TAGS = {"script", "iframe", "svg", "math", "style", "object", "embed", "form"}


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from some HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    for tag, attributes in _Elements(html).found:
        assert tag not in DANGEROUS_TAGS, tag
        assert tag in SAFE_TAGS, tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            assert name in SAFE_ATTRIBUTES, (tag, name)
            if name in {"href", "src"}:
                is_citation = tag == "a" and attributes.get("class") == "cite"
                assert SAFE_URL.match(value or "") or (
                    is_citation and (value or "").startswith("/papers/")
                ), (tag, name, value)


def load_vectors() -> list[pytest.param]:
    vectors = []
    for number, line in enumerate(XSS_VECTORS.read_text().splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            vector = line.replace("␤", "\n").replace("␉", "\t")
            vectors.append(pytest.param(vector, id=f"line{number}"))
    return vectors


def test_xss_corpus_is_large_enough():
    vectors = load_vectors()

    assert len(vectors) >= 50


@pytest.mark.parametrize("hostile", load_vectors())
def test_hostile_input_is_inert(hostile):
    html = render_markdown(hostile)

    assert_inert(html)


@pytest.mark.parametrize(
    "hostile",
    [
        "[x](javascript:alert(1))",
        "<svg onload=alert(1)>",
        "<script>alert(1)</script>",
    ],
)
def test_hostile_input_inside_summary_syntax_is_inert(hostile):
    html = render_markdown(
        f"Intro $x_1$ and\n$$\ny\n$$\n{hostile}\nhttps://i.imgur.com/a.png\n"
        f"\\cite{{he2016deep}}\n\n> {hostile}\n\n- {hostile}\n\n| a |\n|---|\n| {hostile} |"
    )

    assert_inert(html)


@pytest.mark.parametrize(
    "html",
    [
        "<script>x</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<img src="data:image/png;base64,AA">',
        '<a href="/accounts/logout/">x</a>',
        '<img src="/media/figures/../x.png">',
        '<p onclick="x">x</p>',
        '<p style="color:red">x</p>',
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
    ],
)
def test_assert_inert_catches_hostile_html(html):
    with pytest.raises(AssertionError):
        assert_inert(html)
