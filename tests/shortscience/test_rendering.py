"""shortscience/rendering.py, render_markdown(): Markdown and math. Bare URLs, figures and
videos, citations and hostile input have files of their own beside this one."""

import pytest

from shortscience.rendering import render_markdown

# Citation lookups go to the paper_lookups stand-in, never to the database.
pytestmark = pytest.mark.usefixtures("paper_lookups")


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
