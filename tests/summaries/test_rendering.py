from html.parser import HTMLParser

import pytest

from summaries.rendering import render_markdown


def test_markdown_basics():
    html = render_markdown("Some *emphasis*, **strong** and `code`.")

    assert html == (
        "<p>Some <em>emphasis</em>, <strong>strong</strong> and <code>code</code>.</p>"
    )


def test_math_keeps_underscores_and_asterisks():
    html = render_markdown("Loss $a_1 * b_2 * c_3$ and $x_i$.")

    assert '<span class="arithmatex">\\(a_1 * b_2 * c_3\\)</span>' in html
    assert "<em>" not in html


def test_currency_dollars_stay_text():
    html = render_markdown("It costs $5 and $10.")

    assert html == "<p>It costs $5 and $10.</p>"


def test_headings_are_demoted_below_the_pages_own():
    html = render_markdown("# Big\n\n## Smaller")

    assert html == "<h3>Big</h3>\n<h4>Smaller</h4>"


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[paper](https://arxiv.org/abs/1706.03762)")

    assert html == (
        '<p><a href="https://arxiv.org/abs/1706.03762" rel="nofollow ugc noopener">paper</a></p>'
    )


class _Elements(HTMLParser):
    """Every element and attribute the browser would build from some HTML."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    for tag, attributes in _Elements(html).found:
        assert tag not in {"script", "iframe", "svg", "math", "style", "object", "embed", "form"}
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            if name in {"href", "src"}:
                assert (
                    (value or "").strip().lower().startswith(("http:", "https:", "mailto:", "#"))
                )


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<svg onload=alert(1)>",
        '[x](https://e.org "title" onmouseover="alert(1)")',
        "<<script>script>alert(1)<</script>/script>",
        "[x](&#106;avascript:alert(1))",
        "[x](java\tscript:alert(1))",
    ],
)
def test_hostile_input_is_inert(hostile):
    html = render_markdown(hostile)

    assert_inert(html)


def test_typed_html_is_shown_as_text():
    html = render_markdown("<b>bold?</b>")

    assert html == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>"
