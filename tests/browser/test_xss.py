"""Hostile text posted through the site's own forms, then read in headless Chromium.

Every vector of the corpus (tests/data/xss_vectors.txt and tests/data/xss/*.txt) goes in
with the test client, the way a member's browser would send it: as a profile (bio,
display name, affiliation), as a paper added by hand (title, abstract), as a summary, as
a comment, and as a search query. Chromium then opens the pages that show them and fails
the test if anything ran or nearly did:

- an init script, run in every frame before the page's own scripts, records calls to
  alert, confirm, prompt and print, any write to document.title, and CSP violations;
- a dialog that opens anyway is recorded too;
- the page fixture fails on any console error, which is what a CSP violation logs;
- once the page has loaded (and static/js/math.js has typeset its math), the body is
  searched for markup no template of ours writes: inline event handlers, script URLs,
  frames, scripts, styles, SVG or MathML outside KaTeX's output. That is unsanitized
  input that happened not to fire.

The vectors go in chunks, one test each, so pytest-xdist spreads them. Posts cost the
most, then page loads, so each vector is posted as few times as its fields need and
every page that can show a whole chunk does. Each vector has its own member, paper,
summary and comment, but the summaries are all of the chunk's first paper and the
comments all on its first summary: that paper's page shows every summary, that
summary's page every comment, the paper list every title. The home page and a search on
each tab for a word most vectors contain show hostile titles, abstracts and summary
snippets. Bios and search queries show one per page, so there the vectors go in groups:
a bio holds as many as fit in its 2,000 characters (each vector a paragraph of its own;
each is also rendered alone, as a summary and as a comment), a query as many as fit in
500. The members who write the bios take its start as their display name and its end as
their affiliation.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.forms import BaseForm
from django.utils.html import conditional_escape

from accounts.models import Profile, User
from papers.models import Paper
from summaries.models import Comment, Summary
from summaries.threads import comment_url as thread_url_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BASE_DIR = Path(__file__).resolve().parents[2]
DATA = BASE_DIR / "tests" / "data"
CORPUS = [DATA / "xss_vectors.txt", *sorted((DATA / "xss").glob("*.txt"))]
BLNS = DATA / "xss" / "blns-script-injection.txt"
FETCH_BLNS = BASE_DIR / "scripts" / "fetch-blns"
CHUNK_SIZE = 50
# As papers.views.PAPERS_PER_PAGE: the paper list shows a chunk's titles on two pages.
PAPERS_PER_PAGE = 25
# In most vectors, so searching for it shows many hostile titles, abstracts and summaries.
COMMON_WORD = "alert"
# The profile form's shorter fields get the vector's start.
DISPLAY_NAME_MAX, AFFILIATION_MAX = 100, 200
# The longest bio and search query the forms take.
BIO_MAX, QUERY_MAX = 2000, 500
# Chromium's work for each page load shrinks with the viewport.
VIEWPORT = {"width": 480, "height": 320}


def read_vectors(path: Path) -> list[str]:
    """One vector a line; "#" lines and blank ones skipped; ␤ is a newline and ␉ a tab.

    Split on "\\n" only: str.splitlines() would also cut at the form feeds, NELs and
    line separators some vectors contain.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    return [
        line.replace("␤", "\n").replace("␉", "\t")
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


VECTORS = list(dict.fromkeys(vector for path in CORPUS for vector in read_vectors(path)))
CHUNKS = [VECTORS[start : start + CHUNK_SIZE] for start in range(0, len(VECTORS), CHUNK_SIZE)]

SENTINEL = """
(() => {
  const fired = (window.__xss = []);
  const violations = (window.__csp = []);
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { fired.push(`${name}(${args.map(String).join(", ")})`); };
  }
  const title = Object.getOwnPropertyDescriptor(Document.prototype, "title");
  Object.defineProperty(Document.prototype, "title", {
    get() { return title.get.call(this); },
    set(value) { fired.push(`document.title = ${value}`); title.set.call(this, value); },
  });
  window.addEventListener("securitypolicyviolation", (event) => {
    violations.push(
      `CSP ${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile}:${event.lineNumber}: ${event.sample}`
    );
  }, true);
})();
"""

# Runs after the load event. math.js has typeset by then: it is a deferred script, and
# typesets the whole document as it runs, before DOMContentLoaded. One more task turn
# lets autofocus, <details open> and the like fire before the sentinel is read.
INSPECT = """
async () => {
  await new Promise((done) => setTimeout(done));
  const origin = location.origin;
  const injected = [];
  const describe = (element) => element.outerHTML.slice(0, 200);
  const forbidden = new Set([
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
    "link", "style", "template", "noscript", "portal",
  ]);
  const SCRIPT_URL = /^(javascript|vbscript|livescript|data):/;
  const urlAttributes = new Set([
    "href", "xlink:href", "src", "srcset", "lowsrc", "dynsrc", "action", "data",
    "background", "poster", "codebase", "cite", "ping", "values", "to", "from",
  ]);
  for (const element of document.body.querySelectorAll("*")) {
    const tag = element.localName;
    const isOurScript = tag === "script" && element.src.startsWith(`${origin}/static/`)
      && !element.textContent.trim();
    if (forbidden.has(tag) && !isOurScript) injected.push(`<${tag}>: ${describe(element)}`);
    if ((tag === "svg" || tag === "math") && !element.closest(".katex")) {
      injected.push(`<${tag}> outside KaTeX: ${describe(element)}`);
    }
    if (tag === "form" && !element.action.startsWith(`${origin}/`)) {
      injected.push(`form to ${element.action}`);
    }
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on") || name === "srcdoc" || name === "formaction") {
        injected.push(`${name} on <${tag}>: ${describe(element)}`);
      } else if (urlAttributes.has(name) && SCRIPT_URL.test(value)) {
        injected.push(`${name}="${attribute.value}" on <${tag}>`);
      }
    }
  }
  return {
    problems: [...window.__xss, ...window.__csp, ...injected],
    hasMath: typeof (window.ShortScience || {}).typeset === "function" && !!window.katex,
    formulas: document.querySelectorAll(".arithmatex").length,
    typeset: document.querySelectorAll(".arithmatex[data-typeset]").length,
    query: (document.querySelector("main input[name=q]") || {}).value,
  };
}
"""


@dataclass
class Posted:
    """One vector as stored through the forms."""

    vector: str
    member: User
    paper: Paper
    summary: Summary


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Every vector is posted from one address, several times over: the per-address
    # limits would refuse most of them, and their counts outlive a test's flush.
    settings.ACCOUNT_RATE_LIMITS = {}


@pytest.fixture
def browse(page):
    """visit(url): open a page of the live server; what it found there, as a dict.

    ``then``, a function in JavaScript, runs once the page has loaded, before the
    inspection.
    """
    dialogs: list[str] = []
    page.set_viewport_size(VIEWPORT)
    page.add_init_script(SENTINEL)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def visit(url: str, then: str | None = None) -> dict:
        response = page.goto(url)
        if then:
            page.evaluate(then)
        found = page.evaluate(INSPECT)
        problems = found["problems"] + [f"dialog: {message}" for message in dialogs]
        problems += [f"a frame: {frame.url}" for frame in page.frames[1:]]
        if not found["hasMath"]:
            problems.append("math.js did not run")
        dialogs.clear()
        return {**found, "url": url, "status": response.status, "problems": problems}

    return visit


def post(client, url: str, data: dict) -> str:
    """Submit one of the site's forms and return where it redirects.

    Every vector is acceptable input (non-blank, within the fields' lengths, from a
    member with a verified address), so a refusal means the pages would be read without
    the vector on them: the test fails, saying whether the form showed its error.
    """
    response = client.post(url, data)
    if response.status_code != 302:
        forms = {
            id(value): value
            for context in response.context or []
            for value in context.flatten().values()
            if isinstance(value, BaseForm) and value.errors
        }
        errors = [
            error for form in forms.values() for field in form.errors.values() for error in field
        ]
        html = response.content.decode()
        shown = bool(errors) and all(conditional_escape(error) in html for error in errors)
        pytest.fail(f"{url} answered {response.status_code}: {errors} (shown: {shown})")
    return response["Location"]


def post_everywhere(client, vector: str, first: Posted | None) -> Posted:
    """A new member adds a paper titled with the vector and writes it as a summary and a
    comment: the summary of the chunk's first paper and the comment on its first summary
    (their own, for the first vector)."""
    member = UserFactory()
    client.force_login(member)

    paper_url = post(
        client,
        "/papers/new/",
        {"title": vector, "authors": "Ada Lovelace", "abstract": vector, "year": "2020"},
    )
    paper = Paper.objects.get(added_by=member)
    summarized = first.paper if first else paper
    summary_url = post(client, f"/summaries/new/{summarized.pk}/", {"body": vector})
    summary = Summary.objects.get(paper=summarized, author=member)
    commented = first.summary if first else summary
    comment_url = post(client, f"/summaries/{commented.pk}/comments/", {"body": vector})
    comment = Comment.objects.get(summary=commented, author=member)

    assert (paper.title, paper.abstract) == (" ".join(vector.split()), vector.strip())
    assert (summary.body, comment.body) == (vector, vector)
    assert [paper_url, summary_url, comment_url] == [
        paper.get_absolute_url(),
        summary.get_absolute_url(),
        # Posting goes to the comment on the page of the thread that holds it.
        thread_url_of(comment),
    ]
    return Posted(vector, member, paper, summary)


def write_bio(client, member: User, bio: str) -> str:
    """The member saves ``bio`` in their profile, with its start as their display name
    and its end as their affiliation; their profile's address."""
    client.force_login(member)
    name, affiliation = bio[:DISPLAY_NAME_MAX], bio[-AFFILIATION_MAX:]

    location = post(
        client,
        f"/users/{member.username}/edit/",
        {"display_name": name, "affiliation": affiliation, "website": "", "orcid": "", "bio": bio},
    )

    profile = Profile.objects.get(user=member)
    assert (profile.bio, profile.display_name, profile.affiliation) == (
        bio.strip(),
        name.strip(),
        affiliation.strip(),
    )
    assert location == member.get_absolute_url()
    return location


def packed(vectors: list[str], separator: str, limit: int) -> list[str]:
    """The vectors in order, joined with ``separator`` into as few texts of at most
    ``limit`` characters as go."""
    texts = [vectors[0]]
    for vector in vectors[1:]:
        joined = f"{texts[-1]}{separator}{vector}"
        if len(joined) <= limit:
            texts[-1] = joined
        else:
            texts.append(vector)
    return texts


def test_corpus_has_at_least_150_distinct_vectors():
    counts = {path.name: len(read_vectors(path)) for path in CORPUS}

    assert counts[BLNS.name] == 235
    assert len(VECTORS) >= 150


def test_blns_section_is_the_one_fetch_blns_pins():
    pinned = re.search(r'^SHA256="([0-9a-f]{64})"$', FETCH_BLNS.read_text(), re.MULTILINE)

    assert hashlib.sha256(BLNS.read_bytes()).hexdigest() == pinned[1]


def test_the_inspection_sees_script_that_ran_and_markup_that_could(transactional_db, browse):
    # A real inline handler would make Chromium report a CSP violation the moment it is
    # set, and the page fixture would fail; a made-up "on" attribute is flagged alike.
    found = browse(
        "/about/",
        then="""() => {
          alert("ran");
          document.title = "changed";
          document.querySelector("main").insertAdjacentHTML(
            "beforeend",
            '<a href="javascript:x()" onfoo="x()">x</a><svg></svg>'
            + '<form action="https://elsewhere.example/"></form>'
          );
        }""",
    )

    assert found["problems"] == [
        "alert(ran)",
        "document.title = changed",
        'href="javascript:x()" on <a>',
        'onfoo on <a>: <a href="javascript:x()" onfoo="x()">x</a>',
        "<svg> outside KaTeX: <svg></svg>",
        "form to https://elsewhere.example/",
    ]


@pytest.mark.parametrize(
    "chunk",
    CHUNKS,
    ids=[f"{n * CHUNK_SIZE + 1}-{n * CHUNK_SIZE + len(c)}" for n, c in enumerate(CHUNKS)],
)
def test_hostile_text_stays_inert_on_every_page(chunk, client, transactional_db, browse):
    first = post_everywhere(client, chunk[0], None)
    posted = [first, *(post_everywhere(client, vector, first) for vector in chunk[1:])]
    # Each vector a paragraph (or block) of its own.
    bios = packed(chunk, "\n\n", BIO_MAX)
    profile_urls = [
        write_bio(client, item.member, bio) for item, bio in zip(posted, bios, strict=False)
    ]
    queries = packed(chunk, " ", QUERY_MAX)
    stored = [
        Paper.objects.count(),
        Summary.objects.count(),
        Comment.objects.count(),
        Profile.objects.exclude(bio="").count(),
    ]
    paper_list_pages = range(1, -(-len(chunk) // PAPERS_PER_PAGE) + 1)

    pages = [
        browse(first.paper.get_absolute_url()),
        browse(first.summary.get_absolute_url()),
        *(browse(f"/papers/?page={number}") for number in paper_list_pages),
        browse("/users/"),
        browse("/"),
        browse(f"/search/?{urlencode({'q': COMMON_WORD})}"),
        browse(f"/search/?{urlencode({'q': COMMON_WORD, 'in': 'summaries'})}"),
        *(browse(url) for url in profile_urls),
    ]
    searches = [browse(f"/search/?{urlencode({'q': query})}") for query in queries]
    pages += searches

    assert stored == [len(chunk)] * 3 + [len(bios)]
    assert [(page["url"], page["problems"]) for page in pages if page["problems"]] == []
    assert [page["url"] for page in pages if page["status"] not in (200, 400)] == []
    # Each query reached its search page (an input's value loses line breaks).
    assert [page["query"] for page in searches] == [query.replace("\n", "") for query in queries]
    # KaTeX typeset the math on every page that has some (math.js leaves as source only
    # a formula that makes KaTeX itself throw: a macro doubling its argument overflows
    # the stack).
    assert [page["url"] for page in pages if page["formulas"] and not page["typeset"]] == []
