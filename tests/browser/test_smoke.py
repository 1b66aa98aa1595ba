"""A newcomer's first visit: home page, sign-up, e-mail verification, sign-in."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long-passphrase-42"


def test_visitor_signs_up_verifies_and_signs_in(page, screenshot, mailoutbox, live_server):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Welcome to ShortScience")
    expect(page.locator(".welcome__count")).to_have_text("The website has 0 public summaries.")
    screenshot("home")

    page.get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label("Email:").fill("grace@example.org")
    page.get_by_label("Username:").fill("grace")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.locator("h1")).to_have_text("Verify Your Email Address")

    assert [message.to for message in mailoutbox] == [["grace@example.org"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".account-nav__user")).to_have_text("grace")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Login:").fill("grace")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page.locator(".account-nav__user")).to_have_text("grace")
    expect(page).to_have_url(f"{live_server.url}/")
    screenshot("home-signed-in")
