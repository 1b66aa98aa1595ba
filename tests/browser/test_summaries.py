"""Reading and writing summaries in a real browser, with and without JavaScript."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from summaries.models import Summary
from tests.factories import PASSWORD, PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG_ABSTRACT = " ".join(["We study how attention layers route information."] * 12)


@pytest.fixture
def long_paper(transactional_db):
    """A paper with two authors and an abstract long enough to fold."""
    return PaperFactory(
        title="Attention Is All You Need",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        abstract=LONG_ABSTRACT,
        arxiv_id="1706.03762",
    )


@pytest.fixture
def writer(transactional_db):
    return UserFactory(username="writer")


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Login:").fill(username)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-nav__user")).to_have_text(username)


@pytest.mark.parametrize("javascript", [True, False])
def test_abstract_opens_and_closes_with_or_without_javascript(
    page, no_js_page, long_paper, javascript
):
    tab = page if javascript else no_js_page
    tab.goto(long_paper.get_absolute_url())
    text = tab.locator(".abstract__text")
    closed = text.bounding_box()["height"]

    tab.get_by_text("more", exact=True).click()
    opened = text.bounding_box()["height"]
    tab.get_by_text("less", exact=True).click()

    assert opened >= 1.5 * closed
    assert text.bounding_box()["height"] == closed


def test_writing_with_live_preview_then_reading_it_typeset(page, long_paper, writer, screenshot):
    sign_in(page, "writer")
    page.goto(long_paper.get_absolute_url())
    page.get_by_role("link", name="Write a summary", exact=True).last.click()

    page.get_by_label("Summary").fill(
        "The loss is $$\\mathcal{L} = \\sum_i x_i^2$$ and *attention* is $\\sigma(QK^T)$."
    )
    preview = page.locator(".editor__preview")
    expect(preview.locator(".katex-display")).to_have_count(1)
    expect(preview.locator("em")).to_have_text("attention")
    screenshot("summary-editor-preview")
    page.get_by_role("button", name="Publish").click()

    expect(page.locator(".summary__body .katex")).to_have_count(2)
    assert "$" not in page.locator(".summary__body").inner_text()
    assert Summary.objects.get().author == writer
    screenshot("summary-permalink")


def test_draft_survives_a_reload(page, long_paper, writer):
    sign_in(page, "writer")
    page.goto(f"/summaries/new/{long_paper.pk}/")
    page.get_by_label("Summary").fill("Half-written thoughts about $x$")

    page.reload()

    expect(page.get_by_label("Summary")).to_have_value("Half-written thoughts about $x$")
    expect(page.locator(".editor__status")).to_have_text("Your unsaved draft was restored.")


def test_writing_without_javascript_works(no_js_page, long_paper, writer):
    page = no_js_page
    sign_in(page, "writer")
    page.goto(f"/summaries/new/{long_paper.pk}/")
    expect(page.locator(".editor__preview")).to_be_hidden()

    page.get_by_label("Summary").fill("Plain *form* post.")
    page.get_by_role("button", name="Publish").click()

    expect(page.locator(".summary__body em")).to_have_text("form")


def test_editing_shows_the_revision_diff(page, long_paper, writer):
    summary = SummaryFactory(paper=long_paper, author=writer, body="first line\n")
    sign_in(page, "writer")
    page.goto(f"/summaries/{summary.pk}/edit/")

    page.get_by_label("Summary").fill("first line\nsecond line\n")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Revision history").click()

    expect(page.locator(".diff__line--added")).to_have_text("+ second line")


def test_add_image_uploads_and_shows_the_figure_in_the_preview(
    page, long_paper, writer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (120, 80), "teal").save(png, "PNG")
    sign_in(page, "writer")
    page.goto(f"/summaries/new/{long_paper.pk}/")
    page.get_by_label("Summary").fill("Figure 1:")

    page.locator(".js-image-input").set_input_files(
        {"name": "plot.png", "mimeType": "image/png", "buffer": png.getvalue()}
    )

    expect(page.locator(".editor__status")).to_have_text("Image added.")
    expect(page.get_by_label("Summary")).to_have_value(
        re.compile(r"Figure 1:\n/media/figures/\w+\.png\n")
    )
    image = page.locator(".editor__preview img")
    expect(image).to_have_count(1)
    assert image.evaluate("img => img.complete && img.naturalWidth") == 120
