"""What the site promises to do without JavaScript, in Chromium with it switched off:
reading (the TeX source stands in for typeset math), opening an abstract (a CSS
checkbox), voting by a form post that comes back with the new score, and writing a
summary without the live preview."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from summaries.models import Summary, Vote
from summaries.services import publish_summary, store_figure
from tests.factories import PaperFactory, UserFactory

from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG_ABSTRACT = " ".join(["Deeper networks are harder to train, so we learn residuals."] * 10)
BODY = "Each block learns $F(x) = H(x) - x$ with weights $\\theta$.\n\n$$y = F(x) + x$$\n"


@pytest.fixture
def resnet_paper(transactional_db):
    return PaperFactory(title="Deep Residual Learning", abstract=LONG_ABSTRACT)


@pytest.fixture
def illustrated_summary(resnet_paper, settings, tmp_path):
    """A summary with inline and display math and an uploaded figure."""
    settings.MEDIA_ROOT = tmp_path
    kaiming = UserFactory(username="kaiming")
    image = io.BytesIO()
    Image.new("RGB", (160, 90), "teal").save(image, "PNG")
    figure = store_figure(kaiming, image.getvalue())
    return publish_summary(kaiming, resnet_paper, body=f"{BODY}\n{figure.image.url}\n")


def test_a_reader_reads_the_math_source_and_the_figure_and_opens_the_abstract(
    no_js_page, illustrated_summary
):
    page = no_js_page

    page.goto("/")
    page.get_by_role("link", name="Deep Residual Learning").click()

    expect(page.locator("h1")).to_have_text("Deep Residual Learning")
    body = page.locator(".summary__body")
    expect(body.locator(".katex")).to_have_count(0)
    expect(body.locator(".arithmatex")).to_have_text(
        ["\\(F(x) = H(x) - x\\)", "\\(\\theta\\)", "\\[y = F(x) + x\\]"]
    )
    image = body.locator("img")
    expect(image).to_have_js_property("naturalWidth", 160)
    abstract = page.locator(".abstract__text")
    closed = abstract.bounding_box()["height"]
    page.get_by_text("more", exact=True).click()
    expect(page.get_by_label("Show the whole abstract")).to_be_checked()
    assert abstract.bounding_box()["height"] >= 1.5 * closed
    page.get_by_text("less", exact=True).click()
    expect(page.get_by_label("Show the whole abstract")).not_to_be_checked()
    assert abstract.bounding_box()["height"] == closed


def test_a_member_votes_by_form_and_comes_back_to_the_new_score(no_js_page, illustrated_summary):
    UserFactory(username="bob")
    page = no_js_page
    page.goto("/")
    sign_in(page, "bob")
    widget = page.locator(f"#vote-{illustrated_summary.pk}")

    widget.get_by_role("button", name="Vote up").click()

    expect(page.locator(".message--success")).to_have_text("You voted this summary up.")
    expect(widget.locator(".js-vote-score")).to_have_text("1")
    expect(widget.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")
    assert page.url.endswith(f"/#summary-{illustrated_summary.pk}")
    assert list(Vote.objects.values_list("user__username", "value")) == [("bob", 1)]
    widget.get_by_role("button", name="Vote up").click()
    expect(widget.locator(".js-vote-score")).to_have_text("0")
    expect(widget.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "false")
    assert (Vote.objects.count(), Summary.objects.get().score) == (0, 0)


def test_a_member_writes_a_summary_without_the_live_preview(no_js_page, resnet_paper):
    UserFactory(username="writer")
    page = no_js_page
    page.goto("/")
    sign_in(page, "writer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Papers").click()
    page.get_by_role("link", name="Deep Residual Learning").click()
    page.locator(".paper__summaries").get_by_role("link", name="Write a summary").click()

    expect(page.locator(".editor__preview")).to_be_hidden()
    expect(page.get_by_role("button", name="Add image")).to_be_hidden()
    expect(page.get_by_role("link", name="Upload an image")).to_be_visible()
    page.get_by_label("Summary").fill(BODY)
    page.get_by_role("button", name="Publish").click()

    expect(page.locator(".messages")).to_have_text("Your summary is published.")
    expect(page.locator(".summary__body .arithmatex")).to_have_text(
        ["\\(F(x) = H(x) - x\\)", "\\(\\theta\\)", "\\[y = F(x) + x\\]"]
    )
    summary = Summary.objects.get()
    assert (summary.author.username, summary.paper, summary.body) == ("writer", resnet_paper, BODY)
