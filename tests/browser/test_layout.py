"""Every page type fits a phone and works in both colour schemes."""

import pytest
from playwright.sync_api import expect

from accounts.services import update_profile
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "home": "/",
    "about": "/about/",
    "members": "/users/",
    "profile": "/users/ada/",
    "sign-in": "/accounts/login/",
    "sign-up": "/accounts/signup/",
    "not-found": "/no/such/page/",
    "search": "/search/?q=optimization+networks&year_from=2020",
    "moderation-log": "/moderation/log/",
}


@pytest.fixture
def member(transactional_db):
    user = UserFactory(username="ada")
    update_profile(
        user.profile,
        {
            "display_name": "Ada Kowalski",
            "affiliation": "A university with a rather long name, to test wrapping",
            "website": "https://example.org/a/very/long/path/that/should/wrap/on/a/phone",
            "orcid": "0000-0002-1825-0097",
            "bio": "Optimization for deep networks: why $\\beta_2$ in Adam matters.",
        },
    )
    return user


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_fit_a_375_pixel_phone_without_horizontal_scroll(page, member, screenshot, scheme):
    page.set_viewport_size({"width": 375, "height": 800})
    page.emulate_media(color_scheme=scheme)
    too_wide = {}
    for name, path in PAGES.items():
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[name] = width
        screenshot(f"{name}-phone-{scheme}")

    assert too_wide == {}


def test_dark_scheme_changes_the_colours(page):
    page.goto("/")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")

    assert (light, dark) == ("rgb(253, 253, 251)", "rgb(21, 22, 26)")
