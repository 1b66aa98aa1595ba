"""Moderation in a real browser: a member flags a comment, a moderator decides it from
the queue, the comment is gone for visitors, and the public log says who did it and why."""

import pytest
from playwright.sync_api import expect

from summaries.services import add_comment
from tests.factories import PaperFactory, SummaryFactory, UserFactory

from .test_votes import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def spam(transactional_db):
    paper = PaperFactory(title="Attention Is All You Need", authors=["Ashish Vaswani"])
    summary = SummaryFactory(paper=paper, author=UserFactory(username="writer"))
    return add_comment(UserFactory(username="spammer"), summary, body="Cheap GPUs, click here.")


def test_a_flag_goes_through_the_queue_to_a_decision_in_the_public_log(
    browser, live_server, spam, moderator, screenshot, page
):
    UserFactory(username="reader")
    summary_url = spam.summary.get_absolute_url()
    sign_in(page, "reader")
    page.goto(summary_url)
    page.locator(f"#comment-{spam.pk}").get_by_role("link", name="flag").click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_label("Details").fill("An advert.")
    page.get_by_role("button", name="Send the flag").click()
    expect(page.locator(".messages")).to_have_text("Thank you. A moderator will look at it.")

    moderator_tab = browser.new_context(base_url=live_server.url).new_page()
    sign_in(moderator_tab, "mod")
    moderator_tab.goto("/moderation/")
    expect(moderator_tab.locator(".moderation-queue__case")).to_contain_text("An advert.")
    moderator_tab.get_by_role("link", name="Decide").click()
    moderator_tab.get_by_label("Hide it").check()
    moderator_tab.get_by_label("Reason").fill("Advertising")
    moderator_tab.get_by_role("button", name="Decide").click()
    expect(moderator_tab.locator(".messages")).to_have_text("The case is decided and logged.")
    expect(moderator_tab.locator("main")).to_contain_text("No open cases.")

    visitor = browser.new_context(base_url=live_server.url).new_page()
    visitor.goto(summary_url)
    expect(visitor.locator("main")).not_to_contain_text("Cheap GPUs")
    visitor.goto("/moderation/log/")
    entry = visitor.locator(".moderation-log__entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"mod hid comment #{spam.pk} on summary #{spam.summary_id}")
    expect(entry.locator(".moderation-log__reason")).to_have_text("“Advertising”")
    page.goto("/moderation/log/")
    screenshot("moderation-log")
