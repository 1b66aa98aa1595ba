"""Every page type is accessible: axe-core finds nothing serious or critical in either
colour scheme, nothing scrolls sideways on a 375-pixel phone, and the main actions work
from the keyboard alone with a visible focus indicator. The run leaves a screenshot of
each page at desktop and phone widths (the viewport, 1280 and 375 px wide), light and
dark, in test-artifacts/screenshots/page-NAME-WIDTH-SCHEME.png for people to look at."""

import itertools
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from accounts.services import update_profile
from moderation import services as moderation
from moderation.models import Case, FlagReason
from pages import demo_content
from pages.management.commands.seed_demo import draw_figure
from papers.services import follow_paper
from summaries.models import Summary
from summaries.services import add_comment, cast_vote, store_figure, update_summary
from tests.factories import (
    PASSWORD,
    PaperFactory,
    SummaryFactory,
    UserFactory,
    VenueFactory,
    moderators_group,
)

from .conftest import SCREENSHOTS, watch_for_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# scripts/vendor-axe keeps one version here.
(AXE,) = (Path(__file__).parent / "vendor").glob("axe-core-*/axe.min.js")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}
# Each page is seen in this order, so that each step changes one thing.
VIEWS = [("desktop", "light"), ("desktop", "dark"), ("phone", "dark"), ("phone", "light")]
SERIOUS = {"serious", "critical"}
# The rules whose outcome depends on the colours; every other rule answers the same in
# both schemes, so the dark scheme is checked with these alone.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


class Page(NamedTuple):
    who: str | None  # a username, or None for a visitor
    path: str
    status: int = 200
    ready: str | None = None  # a selector that shows the page's scripts are done


def _summary_text(title: str, author: User) -> str:
    """A demo summary's Markdown (math, headings, lists), its figure drawn and uploaded."""
    body = next(text for paper, _, _, text in demo_content.SUMMARIES if paper == title)
    if "FIGURE" in body:
        body = body.replace("FIGURE", store_figure(author, draw_figure(title)).image.url)
    return body.strip()


@pytest.fixture
def content(transactional_db, settings, tmp_path):
    """A small, lifelike site: members with profiles, venues, papers with keywords,
    summaries with math and a figure, an edited one, comments with a reply, votes, a
    follow, notifications, an open moderation case and a decided one."""
    settings.MEDIA_ROOT = tmp_path
    moderators = moderators_group()
    ada = UserFactory(username="ada")
    update_profile(
        ada.profile,
        {
            "display_name": "Ada Kowalski",
            "affiliation": "University of Warsaw",
            "website": "https://example.org/ada",
            "orcid": "0000-0002-1825-0097",
            "bio": "Optimization for deep networks: why $\\beta_2$ in Adam matters.",
        },
    )
    lin = UserFactory(username="lin_wei")
    update_profile(lin.profile, {"display_name": "Lin Wei", "affiliation": "Tsinghua"})
    tomasz, spammer = UserFactory(username="tomasz"), UserFactory(username="gpu_deals_4u")
    mod = UserFactory(username="mod", is_staff=True)
    mod.groups.add(moderators)
    venue_names = {short: full for short, full, _ in demo_content.VENUES}
    papers = []
    for record in demo_content.PAPERS[:4]:
        short_name, venue_year = record["venue"]
        venue = VenueFactory(
            short_name=short_name, full_name=venue_names[short_name], slug=short_name.lower()
        )
        paper = PaperFactory(
            venue=venue,
            venue_year=venue_year,
            **{
                key: record[key]
                for key in ("title", "authors", "abstract", "year", "published_on", "arxiv_id")
            },
        )
        paper.tags.set(record["tags"])
        papers.append(paper)
    attention, adam, resnet, vae = papers

    transformer = SummaryFactory(
        paper=attention, author=lin, body=_summary_text(attention.title, lin)
    )
    optimizer = SummaryFactory(paper=adam, author=ada, body=_summary_text(adam.title, ada))
    SummaryFactory(paper=resnet, author=lin, body=_summary_text(resnet.title, lin))
    update_summary(
        optimizer,
        ada,
        body=optimizer.body + "\n\n# Update\nAdamW decouples weight decay from the step.",
        is_anonymous=False,
        is_private=False,
        base_version=optimizer.version,
    )
    question = add_comment(
        tomasz,
        transformer,
        body="Nice explanation of the $\\sqrt{d_k}$ scaling. Is the variance argument exact "
        "for learned projections, or only at initialization?",
    )
    add_comment(lin, transformer, body="Only at initialization, strictly.", parent=question)
    add_comment(tomasz, optimizer, body="The *AdamW* remark deserves its own paragraph.")
    own_comment = add_comment(ada, optimizer, body="Agreed, I'll expand it.")
    cast_vote(tomasz, transformer, 1)
    cast_vote(mod, transformer, 1)
    cast_vote(tomasz, optimizer, 1)
    follow_paper(ada, attention)
    spam = add_comment(spammer, transformer, body="Cheap GPUs here, limited offer.")
    moderation.flag(tomasz, spam, reason=FlagReason.SPAM, text="Same text everywhere.")
    moderation.flag(ada, spam, reason=FlagReason.SPAM)
    old_spam = add_comment(spammer, optimizer, body="Train 10x cheaper with our GPUs.")
    moderation.flag(ada, old_spam, reason=FlagReason.SPAM)
    moderation.resolve(
        moderation.open_case(old_spam), mod, Case.Decision.HIDE, "Advertising, not a comment."
    )
    return {
        "transformer": transformer,
        "optimizer": optimizer,
        "own_comment": own_comment,
        "case": moderation.open_case(spam),
        "attention": attention,
        "resnet": resnet,
        "vae": vae,
    }


@pytest.fixture
def pages(content) -> dict[str, Page]:
    """Every page type, as a visitor, a member (ada) or a moderator (mod) sees it."""
    summary_url = content["transformer"].get_absolute_url()
    optimizer = content["optimizer"].pk
    return {
        "home": Page(None, "/"),
        "home-best": Page(None, "/?tab=best"),
        "papers": Page(None, "/papers/"),
        "paper": Page(None, content["attention"].get_absolute_url()),
        "summary": Page(None, summary_url),
        "history": Page(None, f"/summaries/{optimizer}/history/"),
        "profile": Page(None, "/users/ada/"),
        "members": Page(None, "/users/"),
        "venues": Page(None, "/venues/"),
        "venue": Page(None, "/venues/neurips/"),
        "venue-year": Page(None, "/venues/neurips/2017/"),
        "years": Page(None, "/years/"),
        "year": Page(None, "/years/2017/"),
        "tags": Page(None, "/tags/"),
        "tag": Page(None, "/tags/transformers/"),
        "author": Page(None, content["attention"].ordered_authors[0].get_absolute_url()),
        "search": Page(None, "/search/?q=attention"),
        "search-summaries": Page(None, "/search/?q=attention&in=summaries"),
        "about": Page(None, "/about/"),
        "sign-in": Page(None, "/accounts/login/"),
        "sign-up": Page(None, "/accounts/signup/"),
        "not-found": Page(None, "/no/such/page/", status=404),
        "summary-member": Page("ada", summary_url),
        "paper-member": Page("ada", content["attention"].get_absolute_url()),
        "write-start": Page("ada", "/summaries/write/?q=residual"),
        "write": Page("ada", f"/summaries/new/{content['vae'].pk}/"),
        "edit": Page("ada", f"/summaries/{optimizer}/edit/", ready=".editor__preview .katex"),
        "comment-edit": Page("ada", f"/summaries/comments/{content['own_comment'].pk}/edit/"),
        "add-paper": Page("ada", "/papers/new/"),
        "notifications": Page("ada", "/users/notifications/"),
        "profile-edit": Page("ada", "/users/ada/edit/"),
        "account-email": Page("ada", "/accounts/email/"),
        "flag": Page("ada", f"/moderation/flag/summary/{content['transformer'].pk}/"),
        "moderation-queue": Page("mod", "/moderation/"),
        "moderation-case": Page("mod", f"/moderation/cases/{content['case'].pk}/"),
        "moderation-log": Page("mod", "/moderation/log/"),
    }


@pytest.fixture
def new_context(browser, live_server):
    """Opens browser contexts on the live server and closes them after the test."""
    opened = []

    def open_context(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


def _sign_in_as(context, username: str | None, base_url: str) -> None:
    """Swap the context's session for the member's, made on the server side (the sign-in
    form has its own keyboard test below)."""
    context.clear_cookies()
    if username is not None:
        client = Client()
        client.force_login(User.objects.get(username=username))
        name = django_settings.SESSION_COOKIE_NAME
        context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base_url}])


def _axe(page, rules: list[str] | None = None) -> list[str]:
    """axe's serious and critical violations on the page, one readable line each."""
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    violations = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", options
    )
    lines = []
    for violation in violations:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            shown = ", ".join(targets[:5]) + (
                f" and {len(targets) - 5} more" if len(targets) > 5 else ""
            )
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']}: {shown}"
            )
    return lines


def _check(page, name: str, path: str, status: int, ready: str | None) -> list[str]:
    """Visit one page, check it in each width and scheme, and take its screenshots."""
    problems = []
    response = page.goto(path)
    if response.status != status:
        problems.append(f"{name}: {path} answered {response.status}, not {status}")
    if ready:
        page.locator(ready).first.wait_for()
    for width, scheme in VIEWS:
        page.set_viewport_size(WIDTHS[width])
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=SCREENSHOTS / f"page-{name}-{width}-{scheme}.png")
        if width == "desktop":
            rules = None if scheme == "light" else COLOUR_RULES
            problems += [f"{name} ({scheme}): {line}" for line in _axe(page, rules)]
        else:
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                problems.append(f"{name} ({scheme}): {scroll} px wide on a {client} px phone")
    page.set_viewport_size(WIDTHS["desktop"])
    page.emulate_media(color_scheme="light")
    return problems


def test_every_page_type_passes_axe_and_fits_a_phone_in_both_schemes(
    pages, new_context, live_server
):
    """One visit per page: desktop light (all of axe's rules), desktop dark (the colour
    rules), phone dark and phone light (no sideways scroll), a screenshot of each."""
    context = new_context(viewport=WIDTHS["desktop"])
    # The CSP allows no inline script, so page.add_script_tag cannot load axe (Chromium
    # refuses it). An init script comes through the DevTools protocol, which the CSP does
    # not govern: axe is there on every page, and the pages keep their real CSP.
    context.add_init_script(path=AXE)
    page = context.new_page()
    errors = watch_for_errors(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    by_member = sorted(pages.items(), key=lambda item: item[1].who or "")
    for who, group in itertools.groupby(by_member, key=lambda item: item[1].who):
        _sign_in_as(context, who, live_server.url)
        for name, (_, path, status, ready) in group:
            problems += _check(page, name, path, status, ready)

    assert problems == [], "\n".join(["Accessibility problems:", *problems])
    assert errors == [], "script errors, console errors or failed subresources"


# How an element shows that it has focus: its outline and its box shadow, "" for neither.
# A control hidden for looks (the abstract's checkbox) shows its focus on its label.
LOOK = """(element) => {
    const box = element.getBoundingClientRect();
    const hidden = getComputedStyle(element).opacity === "0" || box.width * box.height <= 1;
    const shown = hidden && element.labels?.length ? element.labels[0] : element;
    const style = getComputedStyle(shown);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
        && style.outlineColor !== "rgba(0, 0, 0, 0)";
    return [outline ? `${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : "",
            style.boxShadow === "none" ? "" : style.boxShadow].join(" ").trim();
}"""
# Run in the page after each Tab press, with the element the test is heading for. It
# remembers how the focused element looks, and checks the one focused before: it had an
# indicator, and once focus moved on it looks different.
FOCUS_STEP = f"""(target) => {{
    const look = {LOOK};
    const describe = (element) => element.outerHTML.slice(0, 100);
    const state = window.focusCheck ??= {{previous: null, looked: "", problems: []}};
    const active = document.activeElement;
    const previous = state.previous;
    if (previous && previous !== active && previous.isConnected) {{
        if (!state.looked) state.problems.push(`no focus indicator: ${{describe(previous)}}`);
        else if (look(previous) === state.looked)
            state.problems.push(`looks the same without focus: ${{describe(previous)}}`);
    }}
    state.previous = active === document.body ? null : active;
    state.looked = state.previous ? look(active) : "";
    if (active !== target) return null;
    return {{
        focusVisible: active.matches(":focus-visible"),
        looked: state.looked,
        problems: state.problems,
    }};
}}"""


def tab_to(page, target, *, limit: int = 60) -> None:
    """Press Tab until ``target`` (a locator) has focus, as a keyboard user would, and
    check that every element on the way, and the target, shows a focus indicator that
    goes away when focus moves on."""
    unfocused = target.evaluate(LOOK)
    element = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        reached = page.evaluate(FOCUS_STEP, element)
        if reached is not None:
            break
    else:
        raise AssertionError(f"{limit} presses of Tab never reached {target}")

    assert reached["problems"] == [], f"on the way to {target}"
    assert reached["focusVisible"], f"{target} has focus but not :focus-visible"
    assert reached["looked"] not in ("", unfocused), f"{target} shows no focus indicator"


def skip_to_content(page) -> None:
    """Tab to the "Skip to content" link and follow it: the next Tab goes into the page."""
    tab_to(page, page.get_by_role("link", name="Skip to content"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


def test_main_actions_work_from_the_keyboard_with_a_visible_focus(
    content, new_context, live_server
):
    context = new_context(viewport=WIDTHS["desktop"])
    page = context.new_page()
    errors = watch_for_errors(page)
    transformer, resnet = content["transformer"], content["resnet"]
    keys = page.keyboard
    page.goto("/")

    # Sign in.
    tab_to(page, page.get_by_role("link", name="Sign in", exact=True))
    keys.press("Enter")
    tab_to(page, page.get_by_label("Login:"))
    keys.type("ada")
    tab_to(page, page.get_by_label("Password:"))
    keys.type(PASSWORD)
    keys.press("Enter")
    expect(page.locator(".account-nav__user")).to_have_text("ada")

    # From the home page to a paper, its abstract, and one of its summaries.
    skip_to_content(page)
    tab_to(page, page.locator(".paper-header__title a", has_text="Attention Is All You Need"))
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text("Attention Is All You Need")
    toggle = page.get_by_label("Show the whole abstract")
    skip_to_content(page)
    tab_to(page, toggle)
    keys.press("Space")
    expect(toggle).to_be_checked()
    permalink = page.locator(f"#summary-{transformer.pk}").get_by_role(
        "link", name="link", exact=True
    )
    tab_to(page, permalink)
    keys.press("Enter")
    expect(page).to_have_url(live_server.url + transformer.get_absolute_url())

    # Vote, then comment.
    vote = page.locator(f"#vote-{transformer.pk}")
    tab_to(page, vote.get_by_role("button", name="Vote up"))
    keys.press("Space")
    expect(vote.locator(".js-vote-score")).to_have_text("3")
    expect(vote.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")
    tab_to(page, page.locator("#comment-form textarea"))
    keys.type("Typed without a mouse: $e^{i\\pi} + 1 = 0$.")
    tab_to(page, page.get_by_role("button", name="Post comment"))
    keys.press("Enter")
    expect(page.locator(".comment__body", has_text="Typed without a mouse")).to_have_count(1)

    # Search, open a result, and write a summary of it.
    tab_to(page, page.get_by_label("Search papers and summaries"))
    keys.type("residual")
    keys.press("Enter")
    tab_to(page, page.locator(".search-result__title", has_text="Deep Residual Learning"))
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text(resnet.title)
    skip_to_content(page)
    tab_to(page, page.locator(".page-heading").get_by_role("link", name="Write a summary"))
    keys.press("Enter")
    skip_to_content(page)
    tab_to(page, page.get_by_role("textbox", name="Summary"))
    keys.type("Identity shortcuts make depth trainable: $y = F(x) + x$.")
    tab_to(page, page.get_by_role("button", name="Publish"))
    keys.press("Enter")

    expect(page.locator(".summary__body")).to_contain_text("Identity shortcuts")
    assert Summary.objects.filter(paper=resnet, author__username="ada").count() == 1
    assert errors == [], "script errors, console errors or failed subresources"


def test_tab_to_notices_a_focus_without_indicator(transactional_db, new_context):
    page = new_context().new_page()
    page.goto("/about/")
    # Through the CSSOM, which the CSP allows: links lose their focus ring.
    page.evaluate("document.querySelectorAll('a').forEach(a => { a.style.outline = 'none'; })")

    with pytest.raises(AssertionError, match='no focus indicator: <a class="skip-link"'):
        tab_to(page, page.get_by_role("link", name="Sign in", exact=True))
