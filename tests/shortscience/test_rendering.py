import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from shortscience.rendering import render_markdown

XSS_VECTORS = Path(__file__).resolve().parents[1] / "data" / "xss_vectors.txt"


def youtube_player(video_id: str) -> str:
    return (
        '<div class="video-embed"><iframe '
        f'src="https://www.youtube-nocookie.com/embed/{video_id}" title="YouTube video" '
        'loading="lazy" allowfullscreen referrerpolicy="strict-origin-when-cross-origin" '
        'sandbox="allow-scripts allow-same-origin allow-presentation"></iframe></div>'
    )


@pytest.fixture(autouse=True)
def paper_lookups(monkeypatch):
    """Citation lookups without the database; every call is recorded."""
    calls: list[set[str]] = []
    known = {
        "conf/nips/VaswaniSPUJGKP17": ("/papers/17/", "Attention Is All You Need"),
        "journals/corr/abs-1706-03762": ("/papers/17/", "Attention Is All You Need"),
        "he2016deep": ("/papers/5/", "Deep Residual Learning"),
    }

    def lookup_citations(keys):
        calls.append(set(keys))
        return {key: known[key] for key in keys if key in known}

    monkeypatch.setattr("shortscience.rendering._lookup_citations", lookup_citations)
    return calls


# Markdown --------------------------------------------------------------------------


def test_markdown_basics():
    html = render_markdown("Some *emphasis*, **strong** and `code`.")

    assert html == (
        "<p>Some <em>emphasis</em>, <strong>strong</strong> and <code>code</code>.</p>"
    )


def test_headings_are_demoted_below_the_pages_own():
    html = render_markdown("# Big\n\n## Smaller")

    assert html == "<h3>Big</h3>\n<h4>Smaller</h4>"


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[paper](https://arxiv.org/abs/1706.03762)")

    assert html == (
        '<p><a href="https://arxiv.org/abs/1706.03762" rel="nofollow ugc noopener">paper</a></p>'
    )


def test_typed_html_is_shown_as_text():
    html = render_markdown("<b>bold?</b>")

    assert html == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>"


def test_typed_iframe_is_shown_as_text():
    html = render_markdown('<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>')

    assert html == (
        '<p>&lt;iframe src="https://www.youtube-nocookie.com/embed/x"&gt;&lt;/iframe&gt;</p>'
    )


def test_tables_keep_their_structure():
    html = render_markdown("| a | b |\n|---|--:|\n| 1 | 2 |")

    assert html == (
        '<table>\n<thead>\n<tr>\n<th>a</th>\n<th align="right">b</th>\n</tr>\n</thead>\n'
        '<tbody>\n<tr>\n<td>1</td>\n<td align="right">2</td>\n</tr>\n</tbody>\n</table>'
    )


def test_fenced_code_keeps_its_language_class():
    html = render_markdown("```python\nx = a_b * c_d\n```")

    assert html == '<pre><code class="language-python">x = a_b * c_d\n</code></pre>'


def test_footnotes_keep_their_anchors():
    html = render_markdown("Claim.[^1]\n\n[^1]: Source.")

    assert html == (
        '<p>Claim.<sup id="fnref:1"><a class="footnote-ref" href="#fn:1" '
        'rel="nofollow ugc noopener">1</a></sup></p>\n'
        '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n'
        '<p>Source.&nbsp;<a class="footnote-backref" href="#fnref:1" '
        'title="Jump back to footnote 1 in the text" rel="nofollow ugc noopener">↩</a></p>\n'
        "</li>\n</ol>\n</div>"
    )


def test_strikethrough_uses_del():
    html = render_markdown("~~wrong~~ right")

    assert html == "<p><del>wrong</del> right</p>"


# Math ------------------------------------------------------------------------------


def test_math_keeps_underscores_and_asterisks():
    html = render_markdown("Loss $a_1 * b_2 * c_3$ and $x_i$.")

    assert html == (
        '<p>Loss <span class="arithmatex">\\(a_1 * b_2 * c_3\\)</span> and '
        '<span class="arithmatex">\\(x_i\\)</span>.</p>'
    )


def test_math_keeps_escaped_braces_and_double_backslashes():
    html = render_markdown(r"Set $\{x\}$ and rows $a \\ b$.")

    assert html == (
        '<p>Set <span class="arithmatex">\\(\\{x\\}\\)</span> and rows '
        '<span class="arithmatex">\\(a \\\\ b\\)</span>.</p>'
    )


def test_round_bracket_math_is_inline():
    html = render_markdown(r"Inline \(x_1 * y_1\) here.")

    assert html == '<p>Inline <span class="arithmatex">\\(x_1 * y_1\\)</span> here.</p>'


def test_display_math_block_becomes_a_div():
    html = render_markdown("$$\n\\sum_i x_i^2\n$$")

    assert html == '<div class="arithmatex">\\[\n\\sum_i x_i^2\n\\]</div>'


def test_display_math_mid_paragraph_splits_the_paragraph():
    html = render_markdown(r"so we minimize $$L = \sum_i x_i^2$$ which gives *this*.")

    assert html == (
        "<p>so we minimize</p>\n"
        '<div class="arithmatex">\\[L = \\sum_i x_i^2\\]</div>\n'
        "<p>which gives <em>this</em>.</p>"
    )


def test_display_math_lines_without_blank_lines_become_a_block():
    html = render_markdown("We minimize\n$$\nL = \\sum_i x_i^2 * w_i\n$$\nwhich gives")

    assert html == (
        "<p>We minimize</p>\n"
        '<div class="arithmatex">\\[\nL = \\sum_i x_i^2 * w_i\n\\]</div>\n'
        "<p>which gives</p>"
    )


def test_display_math_lines_starting_like_markdown_stay_math():
    html = render_markdown("Where\n$$\n# x_1\n- y_1\n> z\n$$\nend")

    assert html == (
        '<p>Where</p>\n<div class="arithmatex">\\[\n# x_1\n- y_1\n&gt; z\n\\]</div>\n<p>end</p>'
    )


def test_consecutive_display_math_lines_are_separate_blocks():
    html = render_markdown("$$m_t = g_t$$\n$$v_t = g_t^2$$")

    assert html == (
        '<div class="arithmatex">\\[m_t = g_t\\]</div>\n'
        '<div class="arithmatex">\\[v_t = g_t^2\\]</div>'
    )


def test_two_display_formulas_in_one_paragraph_stay_apart():
    html = render_markdown("$$a$$ and $$b$$")

    assert html == (
        '<div class="arithmatex">\\[a\\]</div>\n<p>and</p>\n<div class="arithmatex">\\[b\\]</div>'
    )


def test_display_math_keeps_matrix_row_breaks():
    html = render_markdown("Let\n$$\n\\begin{pmatrix} a_1 \\\\ b_1 \\end{pmatrix}\n$$")

    assert html == (
        "<p>Let</p>\n"
        '<div class="arithmatex">\\[\n\\begin{pmatrix} a_1 \\\\ b_1 \\end{pmatrix}\n\\]</div>'
    )


def test_square_bracket_display_math_without_blank_lines():
    html = render_markdown("Then\n\\[\nx_1 * x_2\n\\]\nfollows.")

    assert html == (
        '<p>Then</p>\n<div class="arithmatex">\\[\nx_1 * x_2\n\\]</div>\n<p>follows.</p>'
    )


def test_square_bracket_display_math_mid_paragraph():
    html = render_markdown(r"so \[x_1\] holds")

    assert html == '<p>so</p>\n<div class="arithmatex">\\[x_1\\]</div>\n<p>holds</p>'


def test_begin_environment_without_blank_lines_is_display_math():
    html = render_markdown("We have\n\\begin{align}\na_1 &= b \\\\\nc &= d\n\\end{align}\nso")

    assert html == (
        "<p>We have</p>\n"
        '<div class="arithmatex">\\[\\begin{align}\na_1 &amp;= b \\\\\nc &amp;= d\n'
        "\\end{align}\\]</div>\n"
        "<p>so</p>"
    )


def test_display_math_in_a_blockquote_stays_in_the_quote():
    html = render_markdown("> quote\n> $$\n> x_1\n> $$\n> more")

    assert html == (
        "<blockquote>\n<p>quote</p>\n"
        '<div class="arithmatex">\\[\nx_1\n\\]</div>\n'
        "<p>more</p>\n</blockquote>"
    )


def test_display_math_in_a_tight_list_item_is_a_display_span():
    html = render_markdown("- minimize $$x_1$$ now\n- next")

    assert html == (
        '<ul>\n<li>minimize <span class="arithmatex">\\[x_1\\]</span> now</li>\n'
        "<li>next</li>\n</ul>"
    )


def test_display_math_after_a_hard_line_break_leaves_no_empty_break():
    html = render_markdown("Result:  \n$$x_1$$ as claimed")

    assert html == ('<p>Result:</p>\n<div class="arithmatex">\\[x_1\\]</div>\n<p>as claimed</p>')


def test_display_math_leaves_no_stray_dollars():
    html = render_markdown("a $$x$$ b\n$$\ny\n$$\nc $$z\nw$$ d")

    assert "$" not in html


@pytest.mark.parametrize(
    "text",
    [
        "It costs $5 and $10.",
        "Between $5-$10 a month.",
        "From $5,000-$10,000.",
        "Either $20k/$30k or more.",
        "Pay $5 (or $6) now.",
    ],
)
def test_currency_dollars_stay_text(text):
    html = render_markdown(text)

    assert html == f"<p>{text}</p>"


def test_escaped_dollar_is_a_literal_dollar():
    html = render_markdown(r"Costs \$5 and \$x\$, but $y$ is math.")

    assert html == (
        '<p>Costs $5 and $x$, but <span class="arithmatex">\\(y\\)</span> is math.</p>'
    )


def test_dollars_in_code_spans_stay_literal():
    html = render_markdown("Write `$x_1$` or `$$y$$` for math.")

    assert html == "<p>Write <code>$x_1$</code> or <code>$$y$$</code> for math.</p>"


def test_dollars_in_fenced_code_stay_literal():
    html = render_markdown("Text\n\n```\n$$\na_1 * b_1\n$$\n$x$ \\cite{he2016deep}\n```")

    assert html == (
        "<p>Text</p>\n<pre><code>$$\na_1 * b_1\n$$\n$x$ \\cite{he2016deep}\n</code></pre>"
    )


def test_dollars_in_indented_code_stay_literal():
    html = render_markdown("Text\n\n    $$\n    x\n    $$")

    assert html == "<p>Text</p>\n<pre><code>$$\nx\n$$\n</code></pre>"


# Bare URLs, figures, videos --------------------------------------------------------


def test_bare_url_becomes_a_link():
    html = render_markdown("See https://arxiv.org/abs/1706.03762 for details.")

    assert html == (
        '<p>See <a href="https://arxiv.org/abs/1706.03762" rel="nofollow ugc noopener">'
        "https://arxiv.org/abs/1706.03762</a> for details.</p>"
    )


def test_bare_url_leaves_out_closing_punctuation():
    html = render_markdown("(see https://en.wikipedia.org/wiki/Adam_(optimizer)).")

    assert html == (
        '<p>(see <a href="https://en.wikipedia.org/wiki/Adam_(optimizer)" '
        'rel="nofollow ugc noopener">https://en.wikipedia.org/wiki/Adam_(optimizer)</a>).</p>'
    )


def test_bare_url_keeps_its_underscores():
    html = render_markdown("https://example.org/a_b_c and _d_")

    assert html == (
        '<p><a href="https://example.org/a_b_c" rel="nofollow ugc noopener">'
        "https://example.org/a_b_c</a> and <em>d</em></p>"
    )


def test_url_in_code_stays_text():
    html = render_markdown("`https://i.imgur.com/HMaCeip.png`")

    assert html == "<p><code>https://i.imgur.com/HMaCeip.png</code></p>"


def test_bare_image_url_becomes_a_figure():
    html = render_markdown("https://i.imgur.com/HMaCeip.png")

    assert html == (
        '<p><a class="figure" href="https://i.imgur.com/HMaCeip.png" '
        'rel="nofollow ugc noopener"><img alt="Figure" loading="lazy" '
        'src="https://i.imgur.com/HMaCeip.png"></a></p>'
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/plot.JPG",
        "https://example.org/plot.jpeg?width=600&dpr=2",
        "http://example.org/anim.gif",
        "https://example.org/fig.webp",
    ],
)
def test_bare_image_urls_of_each_type_become_figures(url):
    html = render_markdown(f"Figure: {url}")

    assert 'class="figure"' in html
    assert html.count('loading="lazy"') == 1


def test_uploaded_figure_path_becomes_a_figure():
    html = render_markdown("Results:\n/media/figures/ab12.png\n")

    assert html == (
        '<p>Results:\n<a class="figure" href="/media/figures/ab12.png" '
        'rel="nofollow ugc noopener"><img alt="Figure" loading="lazy" '
        'src="/media/figures/ab12.png"></a></p>'
    )


def test_uploaded_figure_as_markdown_image_is_kept():
    html = render_markdown("![plot](/media/figures/ab12.png)")

    assert html == '<p><img alt="plot" src="/media/figures/ab12.png"></p>'


def test_relative_image_outside_uploaded_figures_is_refused():
    html = render_markdown("![x](/accounts/logout.png) [y](/accounts/logout/) /static/x.png")

    assert html == '<p><img alt="x"> <a rel="nofollow ugc noopener">y</a> /static/x.png</p>'


@pytest.mark.parametrize(
    "path",
    [
        "/media/figures/../../accounts/logout.png",
        "/media/figures/%2e%2e/%2e%2e/accounts/logout.png",
        "/media/figures/./x.png",
    ],
)
def test_uploaded_figure_path_that_climbs_out_is_refused(path):
    html = render_markdown(f"![x]({path})\n\n{path}")

    assert "src=" not in html
    assert "href=" not in html


def test_markdown_link_to_an_image_stays_a_link():
    html = render_markdown("[plot](https://i.imgur.com/HMaCeip.png)")

    assert html == (
        '<p><a href="https://i.imgur.com/HMaCeip.png" rel="nofollow ugc noopener">plot</a></p>'
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42s",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?t=42",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
)
def test_youtube_link_on_its_own_line_becomes_a_player(url):
    html = render_markdown(url)

    assert html == youtube_player("dQw4w9WgXcQ")


def test_vimeo_link_on_its_own_line_becomes_a_player():
    html = render_markdown("https://vimeo.com/76979871")

    assert html == (
        '<div class="video-embed"><iframe src="https://player.vimeo.com/video/76979871" '
        'title="Vimeo video" loading="lazy" allowfullscreen '
        'referrerpolicy="strict-origin-when-cross-origin" '
        'sandbox="allow-scripts allow-same-origin allow-presentation"></iframe></div>'
    )


def test_video_line_inside_a_paragraph_splits_it():
    html = render_markdown("The talk:\nhttps://youtu.be/dQw4w9WgXcQ\nis worth it.")

    assert html == f"<p>The talk:</p>\n{youtube_player('dQw4w9WgXcQ')}\n<p>is worth it.</p>"


def test_video_line_in_a_list_item_becomes_a_player():
    html = render_markdown("- https://youtu.be/dQw4w9WgXcQ\n- notes")

    assert html == f"<ul>\n<li>\n{youtube_player('dQw4w9WgXcQ')}\n</li>\n<li>notes</li>\n</ul>"


def test_video_link_inside_a_sentence_stays_a_link():
    html = render_markdown("Watch https://youtu.be/dQw4w9WgXcQ today.")

    assert html == (
        '<p>Watch <a href="https://youtu.be/dQw4w9WgXcQ" rel="nofollow ugc noopener">'
        "https://youtu.be/dQw4w9WgXcQ</a> today.</p>"
    )


def test_video_link_in_a_heading_stays_a_link():
    html = render_markdown("# https://youtu.be/dQw4w9WgXcQ")

    assert html == (
        '<h3><a href="https://youtu.be/dQw4w9WgXcQ" rel="nofollow ugc noopener">'
        "https://youtu.be/dQw4w9WgXcQ</a></h3>"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://youtu.be/dQw4w9WgXc",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",
        "https://www.youtube.com/watch?v=dQw4w9W%3CXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
    ],
)
def test_video_link_with_a_bad_id_stays_a_plain_link(url):
    html = render_markdown(url)

    assert html == f'<p><a href="{url}" rel="nofollow ugc noopener">{url}</a></p>'


def test_markdown_link_to_a_video_stays_a_link():
    html = render_markdown("[talk](https://youtu.be/dQw4w9WgXcQ)")

    assert (
        html
        == '<p><a href="https://youtu.be/dQw4w9WgXcQ" rel="nofollow ugc noopener">talk</a></p>'
    )


def test_typed_placeholder_markup_stays_text(paper_lookups):
    html = render_markdown(
        '`<div class="video-embed">youtube:dQw4w9WgXcQ</div>`\n\n'
        '<span class="cite-pending">he2016deep</span>'
    )

    assert html == (
        '<p><code>&lt;div class="video-embed"&gt;youtube:dQw4w9WgXcQ&lt;/div&gt;</code></p>\n'
        '<p>&lt;span class="cite-pending"&gt;he2016deep&lt;/span&gt;</p>'
    )
    assert paper_lookups == []


# Citations -------------------------------------------------------------------------


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


# Hostile input ---------------------------------------------------------------------

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
