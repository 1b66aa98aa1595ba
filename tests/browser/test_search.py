"""Searching from the header box, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def papers(transactional_db):
    attention = PaperFactory(
        title="Attention Is All You Need",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        abstract="The dominant sequence transduction models are based on recurrent networks. "
        "We propose the Transformer, based solely on attention mechanisms.",
    )
    SummaryFactory(paper=attention, body="Self-attention replaces recurrence entirely.")
    PaperFactory(title="Neural Machine Translation by Jointly Learning to Align and Translate")
    return attention


@pytest.mark.parametrize("width", [1280, 375])
def test_a_misspelled_search_from_the_header_finds_the_paper(page, papers, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    box = page.get_by_role("searchbox", name="Search papers and summaries")
    box.fill("atention is all you need")
    box.press("Enter")

    expect(page.get_by_text("Nothing matches “atention is all you need”")).to_be_visible()
    result = page.locator(".search-result").first
    expect(result.locator(".search-result__title")).to_have_text("Attention Is All You Need")
    expect(result.locator("mark").first).to_have_text("Attention")
    expect(page.get_by_role("link", name="1 summary")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"search-{width}")

    page.get_by_role("link", name="Summaries (1)").click()
    expect(page.locator(".search-result__snippet mark").first).to_have_text("attention")
