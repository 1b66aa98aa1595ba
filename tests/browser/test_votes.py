"""Voting on a summary in a real browser: without a reload, and without JavaScript."""

import pytest
from playwright.sync_api import expect

from summaries.models import Summary, Vote
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def voter(transactional_db):
    return UserFactory(username="voter")


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Login:").fill(username)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-nav__user")).to_have_text(username)


def stored_score(summary):
    return Summary.objects.values_list("score", flat=True).get(pk=summary.pk)


def test_voting_up_and_back_updates_the_score_without_a_reload(page, summary, voter, screenshot):
    sign_in(page, "voter")
    page.goto(summary.paper.get_absolute_url())
    address = page.url
    # Gone if the page were loaded again.
    page.evaluate("window.stillTheSamePage = true")
    widget = page.locator(f"#vote-{summary.pk}")
    up = widget.get_by_role("button", name="Vote up")

    up.click()

    expect(widget.locator(".js-vote-score")).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(widget.get_by_role("button", name="Vote down")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert stored_score(summary) == 1
    screenshot("summary-voted-up")
    up.click()
    expect(widget.locator(".js-vote-score")).to_have_text("0")
    expect(up).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.url == address
    assert page.locator(".messages").count() == 0
    assert (stored_score(summary), Vote.objects.count()) == (0, 0)


def test_voting_without_javascript_posts_the_form_and_comes_back(no_js_page, summary, voter):
    page = no_js_page
    sign_in(page, "voter")
    page.goto(summary.paper.get_absolute_url())
    widget = page.locator(f"#vote-{summary.pk}")

    widget.get_by_role("button", name="Vote down").click()

    expect(page.locator(".message--success")).to_have_text("You voted this summary down.")
    expect(widget.locator(".js-vote-score")).to_have_text("-1")
    expect(widget.get_by_role("button", name="Vote down")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.url.endswith(f"{summary.paper.get_absolute_url()}#summary-{summary.pk}")
    assert stored_score(summary) == -1


def test_a_refused_vote_says_why_next_to_the_widget(
    browser, live_server, summary, voter, settings
):
    """A 429 from the server shows its sentence (which limit, when to retry); the page's
    own checks would count the refused fetch as a failed subresource, so this test has
    its own tab."""
    settings.ACCOUNT_RATE_LIMITS = {"vote": "1/m/user"}
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "voter")
    page.goto(summary.get_absolute_url())
    widget = page.locator(f"#vote-{summary.pk}")
    widget.get_by_role("button", name="Vote up").click()
    expect(widget.locator(".js-vote-score")).to_have_text("1")

    widget.get_by_role("button", name="Vote down").click()

    expect(widget.get_by_role("alert")).to_have_text(
        "You have reached the limit of 1 vote per minute. Please try again in a minute."
    )
    expect(widget.locator(".js-vote-score")).to_have_text("1")
    expect(widget.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")
    context.close()
    assert stored_score(summary) == 1
