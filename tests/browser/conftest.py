"""Headless Chromium (Debian's package) driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Flags for a root sandbox with no network but loopback: without the background
# networking ones Chromium keeps dialling Google's hosts and logging refusals.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One Chromium for the session, started after the test database exists.

    Playwright's sync API keeps an event loop running in this thread while the browser
    lives, and Django refuses database access from a thread with a running loop unless
    told it is safe. Here it is: the test body and the per-test flush run while no other
    code shares this thread, and the live server answers from its own thread.
    """
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium is not installed at {CHROMIUM} (scripts/ensure-chromium says why); "
            "browser tests need Debian's chromium package"
        )
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch_for_errors(page) -> list[str]:
    """The script errors, console errors (a CSP violation is one) and failed subresources
    of this tab, gathered as they happen. A page itself may answer 4xx: tests visit error
    pages on purpose."""
    errors: list[str] = []

    def on_console(message):
        # Chromium reports every 4xx/5xx load here too; subresources are checked below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server; the test fails on its errors
    (watch_for_errors)."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    errors = watch_for_errors(page)
    yield page
    context.close()
    assert errors == [], "script errors, console errors or failed subresources"


@pytest.fixture
def new_tab(browser, live_server):
    """Opens more tabs, each in a browser of its own (its own cookies: another member, or a
    visitor), with JavaScript or without; the test fails on their errors as on page's."""
    opened = []

    def open_tab(*, javascript: bool = True):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        tab = context.new_page()
        opened.append((context, watch_for_errors(tab)))
        return tab

    yield open_tab
    for context, _ in opened:
        context.close()
    errors = [error for _, tab_errors in opened for error in tab_errors]
    assert errors == [], "script errors, console errors or failed subresources"


@pytest.fixture
def no_js_page(new_tab):
    """A tab with JavaScript switched off, as some readers browse, with page's checks."""
    return new_tab(javascript=False)


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/screenshots/ for people to look at."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
