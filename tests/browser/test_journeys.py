"""The site's main journeys in Chromium, told as one story in four chapters.

1. A visitor reads typeset math and a figure on the home page and a paper page, and opens
   an abstract.
2. Grace signs up, verifies her address, adds "Attention Is All You Need" from its arXiv
   id (the recorded arXiv answer), writes a summary with math and a figure while the
   preview typesets it, then edits it and reads the revision diff.
3. Bob comments on her summary and votes for it without the page reloading; Grace signs
   in and finds the notification.
4. A visitor finds the summary by search and in the Atom feed; Bob flags it, a moderator
   hides it from the queue, and visitors no longer get it.

The database is emptied between tests, so each chapter starts from where the one before
ended, made again through the services the pages call.
"""

import io
import re
from pathlib import Path

import feedparser
import pytest
import responses
from PIL import Image
from playwright.sync_api import expect

from papers.sources.arxiv import API_URL as ARXIV_API
from summaries.models import Summary
from summaries.services import add_comment, cast_vote, publish_summary, store_figure
from tests.factories import PASSWORD, PaperFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SOURCES = Path(__file__).parents[1] / "data" / "sources"
GRACE_PASSWORD = "a-long-passphrase-42"
LONG_ABSTRACT = " ".join(["Deeper networks are harder to train, so we learn residuals."] * 10)
RESIDUAL = "Each block learns $F(x) = H(x) - x$ with weights $\\theta$."
ATTENTION = (
    "The Transformer drops recurrence: attention is "
    "$\\mathrm{softmax}(QK^\\top / \\sqrt{d_k})\\,V$, for all positions at once."
)
EDIT = "Multi-head attention lets each head look at its own subspace."


def png(width: int, height: int) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(data, "PNG")
    return data.getvalue()


def sign_in(page, username, password=PASSWORD):
    """From any page, through the header's link, as a returning member does."""
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in").click()
    page.get_by_label("Login:").fill(username)
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".account-nav__user")).to_have_text(username)


def expect_loaded(image, width: int):
    """The image was fetched and decoded: lazy ones are scrolled to first, as a reader does."""
    image.scroll_into_view_if_needed()
    image.page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0",
        arg=image.element_handle(),
        timeout=5000,
    )
    assert image.evaluate("image => image.naturalWidth") == width


def expect_typeset(body, count: int):
    """KaTeX replaced the TeX: rendered formulas, and no source left in the text."""
    expect(body.locator(".katex")).to_have_count(count)
    text = body.inner_text()
    assert [marker for marker in ("$", "\\(", "\\theta", "\\sqrt") if marker in text] == []


@pytest.fixture
def grace_summary(transactional_db):
    """Where chapter 2 ends: Grace's summary of the paper she added from arXiv."""
    grace = UserFactory(username="grace")
    paper = PaperFactory(
        title="Attention Is All You Need",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        arxiv_id="1706.03762",
        year=2017,
    )
    summary = publish_summary(grace, paper, body=ATTENTION)
    return Summary.objects.get(pk=summary.pk)


# 1. Reading ---------------------------------------------------------------------------


def test_a_visitor_reads_typeset_math_and_a_figure_and_opens_the_abstract(page, media):
    kaiming = UserFactory(username="kaiming")
    figure = store_figure(kaiming, png(160, 90))
    paper = PaperFactory(title="Deep Residual Learning", abstract=LONG_ABSTRACT)
    publish_summary(kaiming, paper, body=f"{RESIDUAL}\n\n{figure.image.url}\n")

    page.goto("/")
    listed = page.locator(".listing-item")
    expect(listed).to_have_count(1)
    expect_typeset(listed.locator(".summary__body"), 2)
    expect_loaded(listed.locator(".summary__body img"), 160)
    listed.get_by_role("link", name="Deep Residual Learning").click()

    expect(page.locator("h1")).to_have_text("Deep Residual Learning")
    body = page.locator(".summary__body")
    expect_typeset(body, 2)
    assert "θ" in body.inner_text()
    expect_loaded(body.locator("img"), 160)
    abstract = page.locator(".paper-header .abstract__text")
    closed = abstract.bounding_box()["height"]
    page.get_by_text("more", exact=True).click()
    expect(page.get_by_label("Show the whole abstract")).to_be_checked()
    assert abstract.bounding_box()["height"] >= 1.5 * closed


# 2. Joining and writing ---------------------------------------------------------------


def test_a_newcomer_signs_up_adds_a_paper_from_arxiv_and_writes_a_summary(
    page, media, mailoutbox, live_server, transactional_db
):
    page.goto("/")
    page.get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label("Email:").fill("grace.hopper@example.org")
    page.get_by_label("Username:").fill("grace")
    page.get_by_label("Password:", exact=True).fill(GRACE_PASSWORD)
    page.get_by_label("Password (again):").fill(GRACE_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.locator("h1")).to_have_text("Verify Your Email Address")
    (mail,) = mailoutbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.body).group(0)
    assert (mail.to, link.startswith(live_server.url)) == (["grace.hopper@example.org"], True)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".account-nav__user")).to_have_text("grace")

    page.get_by_role("link", name="Write a summary").click()
    page.get_by_label("Paper", exact=True).fill("arXiv:1706.03762")
    page.get_by_role("button", name="Find the paper").click()
    expect(page.locator("main")).to_contain_text("No paper on ShortScience matches")
    page.get_by_role("link", name="Add the paper").click()
    page.get_by_label("arXiv id, DOI, dblp key, Bibsonomy link or BibTeX").fill("1706.03762")
    with responses.RequestsMock() as arxiv:
        arxiv.get(ARXIV_API, body=(SOURCES / "arxiv_1706.03762.xml").read_bytes())
        page.get_by_role("button", name="Look it up").click()
        expect(page.locator(".notice").first).to_have_text(
            "Filled in from arXiv. Check them, then add the paper."
        )
    expect(page.get_by_label("Title")).to_have_value("Attention Is All You Need")
    page.get_by_role("button", name="Add the paper").click()
    expect(page.locator(".messages")).to_have_text(
        "The paper is added. Would you write the first summary?"
    )
    expect(page.locator("h1")).to_have_text("Attention Is All You Need")

    page.locator(".paper__summaries").get_by_role("link", name="Write a summary").click()
    page.get_by_label("Summary").fill(ATTENTION)
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add image").click()
    chooser.value.set_files(
        {"name": "attention.png", "mimeType": "image/png", "buffer": png(200, 120)}
    )
    expect(page.locator(".editor__status")).to_have_text("Image added.")
    expect(page.get_by_label("Summary")).to_have_value(
        re.compile(r"at once\.\n/media/figures/\w+\.png\n")
    )
    preview = page.locator(".editor__preview")
    expect_typeset(preview, 1)
    expect_loaded(preview.locator("img"), 200)
    page.get_by_role("button", name="Publish").click()

    expect(page.locator(".messages")).to_have_text("Your summary is published.")
    body = page.locator(".summary__body")
    expect_typeset(body, 1)
    expect_loaded(body.locator("img"), 200)
    page.locator(".byline").get_by_role("link", name="edit").click()
    text = page.get_by_label("Summary")
    text.fill(f"{text.input_value().rstrip()}\n\n{EDIT}\n")
    page.get_by_role("button", name="Save").click()
    expect(body).to_contain_text(EDIT)
    page.get_by_role("link", name="Revision history").click()
    expect(page.locator(".diff__line--added")).to_have_text([f"+ {EDIT}"])
    summary = Summary.objects.get()
    assert (summary.author.username, summary.paper.arxiv_id, summary.version) == (
        "grace",
        "1706.03762",
        2,
    )


# 3. Discussion ------------------------------------------------------------------------


def test_another_member_comments_and_votes_and_the_author_is_notified(
    page, new_tab, grace_summary
):
    UserFactory(username="bob")
    bob = new_tab()
    bob.goto("/")
    sign_in(bob, "bob")
    bob.locator(f"#summary-{grace_summary.pk}").get_by_role("link", name="0 Comments").click()
    bob.get_by_role("textbox", name="Comment").fill("Why divide by $\\sqrt{d_k}$?")
    bob.get_by_role("button", name="Post comment").click()
    expect(bob.locator(".messages")).to_have_text("Your comment is posted.")
    expect(bob.locator(".comment__body .katex")).to_have_count(1)

    address = bob.url
    bob.evaluate("window.stillTheSamePage = true")  # gone if the page loads again
    widget = bob.locator(f"#vote-{grace_summary.pk}")
    widget.get_by_role("button", name="Vote up").click()
    expect(widget.locator(".js-vote-score")).to_have_text("1")
    expect(widget.get_by_role("button", name="Vote up")).to_have_attribute("aria-pressed", "true")
    assert (bob.evaluate("window.stillTheSamePage"), bob.url) == (True, address)
    assert Summary.objects.values_list("score", flat=True).get() == 1

    page.goto("/")
    sign_in(page, "grace")
    notifications = page.get_by_role("link", name="Notifications 1 unread")
    notifications.click()
    notification = page.locator(".notification--unread")
    expect(notification.locator(".notification__text")).to_have_text(
        "bob commented on your summary: Attention Is All You Need"
    )
    notification.get_by_role("link", name="Attention Is All You Need").click()
    expect(page.locator(".comment__body")).to_contain_text("Why divide by")
    expect(page.locator(f"#vote-{grace_summary.pk} .js-vote-score")).to_have_text("1")


# 4. Finding, and moderation -----------------------------------------------------------


def test_search_and_the_feed_find_the_summary_until_a_moderator_hides_it(
    page, new_tab, grace_summary, moderator, live_server
):
    bob_user = UserFactory(username="bob")
    add_comment(bob_user, grace_summary, body="Why divide by $\\sqrt{d_k}$?")
    cast_vote(bob_user, grace_summary, 1)
    summary_url = grace_summary.get_absolute_url()

    page.goto("/")
    box = page.get_by_role("searchbox", name="Search papers and summaries")
    box.fill("drops recurrence")
    box.press("Enter")
    page.get_by_role("link", name="Summaries (1)").click()
    page.get_by_role("link", name="Summary of “Attention Is All You Need”").click()
    expect(page).to_have_url(re.compile(f"{summary_url}$"))
    with page.expect_response(re.compile(r"/feeds/summaries\.atom$")) as feed:
        page.get_by_role("link", name="Feed of new summaries (Atom)").click()
    assert feed.value.headers["content-type"] == "application/atom+xml; charset=utf-8"
    entries = feedparser.parse(feed.value.body()).entries
    assert [(entry.title, entry.link) for entry in entries] == [
        ("Summary of “Attention Is All You Need”", f"{live_server.url}{summary_url}")
    ]

    bob = new_tab()
    bob.goto("/")
    sign_in(bob, "bob")
    bob.locator(f"#summary-{grace_summary.pk}").get_by_role(
        "link", name="link", exact=True
    ).click()
    bob.get_by_role("link", name="Flag", exact=True).click()
    bob.get_by_label("Plagiarism").check()
    bob.get_by_label("Details").fill("The second sentence is the paper's abstract.")
    bob.get_by_role("button", name="Send the flag").click()
    expect(bob.locator(".messages")).to_have_text("Thank you. A moderator will look at it.")

    mod = new_tab()
    mod.goto("/")
    sign_in(mod, "mod")
    mod.get_by_role("link", name="Moderation log").click()
    mod.get_by_role("link", name="Moderation queue").click()
    case = mod.locator(".moderation-queue__case")
    expect(case).to_contain_text("The second sentence is the paper's abstract.")
    case.get_by_role("link", name="Decide").click()
    mod.get_by_label("Hide it").check()
    mod.get_by_label("Reason").fill("Copied from the paper")
    mod.get_by_role("button", name="Decide").click()
    expect(mod.locator(".messages")).to_have_text("The case is decided and logged.")

    page.go_back()
    assert page.reload().status == 404
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.locator(".welcome__count")).to_have_text("The website has 0 public summaries.")
    expect(page.locator(".listing-item")).to_have_count(0)
