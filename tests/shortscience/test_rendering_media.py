"""render_markdown(): bare URLs become links, image URLs and uploaded figures become
figures, and a video link on its own line becomes a player."""

import pytest

from shortscience.rendering import render_markdown

# Citation lookups go to the paper_lookups stand-in, never to the database.
pytestmark = pytest.mark.usefixtures("paper_lookups")


def youtube_player(video_id: str) -> str:
    return (
        '<div class="video-embed"><iframe '
        f'src="https://www.youtube-nocookie.com/embed/{video_id}" title="YouTube video" '
        'loading="lazy" allowfullscreen referrerpolicy="strict-origin-when-cross-origin" '
        'sandbox="allow-scripts allow-same-origin allow-presentation"></iframe></div>'
    )


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
