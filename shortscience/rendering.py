"""The one Markdown renderer for everything users write: summaries, comments, bios.

render_markdown(text) turns Markdown with LaTeX math into sanitized HTML. It runs once,
when the text is saved; templates show the stored result. The order matters:

1. Python-Markdown with raw HTML switched off: any HTML a user types is escaped text.
2. Before Markdown parses blocks, display math written as its own lines (`$$`, `\\[`,
   `\\begin{env}` lines with no blank line around them) is given blank lines, so it
   becomes a block of its own instead of part of a paragraph.
3. arithmatex (pymdown-extensions) lifts math out before Markdown sees it, so
   underscores, asterisks and backslashes inside $...$ stay as written; KaTeX typesets
   the resulting `span.arithmatex` (`\\(...\\)`) and `div.arithmatex` (`\\[...\\]`) in
   the browser. Display math in the middle of a paragraph splits the paragraph.
4. Our own inline patterns: `\\cite{key}` becomes a placeholder, and bare URLs become
   links, figures (image URLs) or video placeholders (a YouTube/Vimeo URL on its own line).
5. nh3 (Ammonia) cleans the result against an explicit allowlist, as a second wall in
   case an extension ever lets markup through. It allows no iframes.
6. Only then are the placeholders replaced with markup this module writes itself: players
   built from a validated video id, and citation links from `papers.citations`.

Cost: a text at its field's maximum (50,000 characters) renders in well under a second.
Python-Markdown scans to the end of the paragraph for every unmatched `[` or `[a](`, and
some of our math patterns did the same for every `\\[`, `\\(` or `\\begin{x}`; the
patterns below are written so that one start never scans past the next opening of its
kind, and nesting (brackets in link text, blockquotes, lists) is capped. A time limit
(`RENDER_SECONDS`) is the last line of defence: see `_time_limit`.
"""

import re
import signal
import sys
import threading
import time
import xml.etree.ElementTree as ET
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape, unescape
from urllib.parse import urlsplit

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.blockprocessors import HashHeaderProcessor, SetextHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.footnotes import RE_REF_ID, FootnoteExtension
from markdown.extensions.tables import TableProcessor
from markdown.inlinepatterns import BacktickInlineProcessor, InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor as InlineTreeprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString
from pymdownx import arithmatex

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "div", "em", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
    "*": {"class", "id"},
}
URL_SCHEMES = {"http", "https", "mailto"}
URL_ALLOWED = re.compile(r"^(https?://|mailto:|#fn(ref\d{0,4})?:\d{1,4}$)", re.IGNORECASE)
# The one relative URL allowed: uploaded figures. No "." segments, "%" or "\", which
# browsers would resolve to some other path on our site.
MEDIA_FIGURE = re.compile(r"^/media/figures/(?:[\w-][\w.-]*/)*[\w-][\w.-]*$", re.ASCII)
LINK_REL = "nofollow ugc noopener"
# Classes and ids survive only in the forms our own extensions write them.
ALLOWED_CLASS = re.compile(
    r"^(arithmatex|figure|video-embed|cite-pending"
    r"|footnote(-ref|-backref)?|language-[\w+#.-]{1,30})$"
)
# Footnotes and their references; a footnote cited again gets "fnref2:1" and so on.
ALLOWED_ID = re.compile(r"^fn(ref\d{0,4})?:\d{1,4}$")
# Headings in user text start at h3: the page's own h1 and h2 always outrank them.
HEADING_OFFSET = 2

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")
YOUTUBE_URL = re.compile(
    r"https?://(?:www\.|m\.)?"
    r"(?:youtube\.com/(?:watch\?(?:[^#\s]*&)?v=|shorts/)|youtu\.be/)"
    r"(?P<id>[A-Za-z0-9_-]{11})(?:[?&#]\S*)?"
)
VIMEO_URL = re.compile(r"https?://(?:www\.)?vimeo\.com/(?P<id>[0-9]{1,12})(?:[?#]\S*)?")
VIDEO_IDS = {"youtube": re.compile(r"[A-Za-z0-9_-]{11}"), "vimeo": re.compile(r"[0-9]{1,12}")}
PLAYER_URLS = {
    "youtube": "https://www.youtube-nocookie.com/embed/{}",
    "vimeo": "https://player.vimeo.com/video/{}",
}
PLAYER_TITLES = {"youtube": "YouTube video", "vimeo": "Vimeo video"}
CITE_KEY = re.compile(r"[A-Za-z0-9:/_.+-]{1,100}")
# Where a citation link may point: our own pages (lookup_citations returns
# get_absolute_url()) or an absolute http(s) address.
CITE_URL = re.compile(r"^(/(?!/)|https?://)")

# Placeholders as nh3 writes them back out. They can only come from our own extensions:
# typed HTML is escaped, and nh3 drops every class we did not allow.
VIDEO_PLACEHOLDER = re.compile(r'<div class="video-embed">(youtube|vimeo):([\w-]{1,20})</div>')
CITE_PLACEHOLDER = re.compile(r'<span class="cite-pending">([A-Za-z0-9:/_.+,-]{1,10000})</span>')


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"href", "src"}:
        # Absolute http(s)/mailto URLs (nh3 has checked the scheme), in-page footnote
        # anchors and uploaded figures; other relative URLs could point anywhere on our site.
        is_allowed = URL_ALLOWED.match(value) or MEDIA_FIGURE.match(value)
        return value if is_allowed else None
    if attribute == "class":
        kept = [name for name in value.split() if ALLOWED_CLASS.match(name)]
        return " ".join(kept) or None
    if attribute == "id":
        return value if ALLOWED_ID.match(value) else None
    if attribute == "loading":
        return value if value == "lazy" else None
    return value


class _DemoteHeadings(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if re.fullmatch(r"h[1-6]", element.tag):
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_OFFSET)}"


class _SafeMarkdown(Extension):
    """Raw HTML off (escaped, not passed through) and headings demoted."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 0)


# Math -------------------------------------------------------------------------------

ARITHMATEX_CONFIG = {"generic": True}
# arithmatex's smart dollars, plus Pandoc's rule that a closing $ is never directly
# followed by a digit, so "$5-$10" stays currency.
INLINE_DOLLAR = (
    r"(?:(?<!\\)((?:\\{2})+)(?=\$)"
    r"|(?<!\\)(\$)(?!\s)((?:\\.|[^\\$\x02\x03])+?)(?<!\s)(?:\$)(?!\d))"
)
# arithmatex's block patterns, except that $$...$$ may not contain $$: otherwise a
# block "$$a$$ and $$b$$" would become one formula "a$$ and $$b".
DISPLAY_BLOCK = (
    r"(?s)^(?:"
    r"(?P<dollar>[$]{2})(?P<math>(?:\\.|[^\\$])+?)(?P=dollar)"
    rf"|{arithmatex.RE_BRACKET_BLOCK}|{arithmatex.RE_TEX_BLOCK}"
    r")[ ]*$"
)
# The same three display forms in running text: "so we minimize $$L$$ which gives".
# None of them reaches past another opening of its kind (a `\\[` inside `\\[...\\]`, a
# third level of environments), so a run of unclosed openings costs linear time, not
# one scan to the end of the paragraph per opening.
_ENV_TEXT = r"(?:\\(?!begin\{)[^\x02\x03]|[^\\\x02\x03])"
_ENV_NESTED = rf"\\begin\{{[a-z]+\*?\}}{_ENV_TEXT}*?\\end\{{[a-z]+\*?\}}"
_ENV_NESTED = rf"\\begin\{{[a-z]+\*?\}}(?:{_ENV_TEXT}|{_ENV_NESTED})*?\\end\{{[a-z]+\*?\}}"
DISPLAY_INLINE = (
    r"(?<!\\)\$\$(?P<dollar>(?:\\.|[^\\$\x02\x03])+?)\$\$"
    r"|(?<!\\)\\\[(?P<square>(?:\\[^\[\]\x02\x03]|[^\\\x02\x03])+?)\\\]"
    r"|(?<!\\)(?P<env>\\begin\{(?P<name>[a-z]+\*?)\}"
    rf"(?:{_ENV_TEXT}|{_ENV_NESTED})+?\\end\{{(?P=name)\}})"
)
# arithmatex's \\(...\\), except that it does not reach past another \\(.
INLINE_PAREN = (
    r"(?:(?<!\\)((?:\\{2})+?)(?=\\\()"
    r"|(?<!\\)(\\\()((?:\\[^()\x02\x03]|[^\\\x02\x03])+?)(?:\\\)))"
)
# A line that opens display math: at the margin, or after blockquote markers. The
# markers are matched atomically: "> > > " can be split into markers and spaces in
# exponentially many ways, and a line that opens no math would try them all.
DISPLAY_OPENING = re.compile(
    r"(?P<prefix>(?>(?:[ ]{0,3}>[ ]?)*))(?:\$\$|\\\[|\\begin\{(?P<env>[a-z]+\*?)\})"
)


def _closing_delimiter(opening: re.Match[str]) -> re.Pattern[str]:
    if opening["env"]:
        return re.compile(r"\\end\{" + re.escape(opening["env"]) + r"\}")
    return re.compile(r"\$\$" if opening[0].endswith("$$") else r"\\\]")


def _is_blank(line: str) -> bool:
    return not line.strip(" \t>")


class _SeparateDisplayMath(Preprocessor):
    """Give display math written on its own lines a blank line before and after.

    Summaries often put a `$$` line right under a line of text and go on with text on the
    line after the closing `$$`. Markdown would read all of it as one paragraph; as a
    block of its own, arithmatex takes the lines verbatim. Fenced code is stashed by the
    time this runs, and indented code never starts at the margin, so neither is touched.
    """

    def run(self, lines: list[str]) -> list[str]:
        result: list[str] = []
        index = 0
        self._scans: dict[str, tuple[int, int, int | None]] = {}
        while index < len(lines):
            opening = DISPLAY_OPENING.match(lines[index])
            last = self._last_line(lines, index, opening) if opening else None
            if opening is None or last is None:
                result.append(lines[index])
                index += 1
                continue
            # Inside a blockquote the blank line must keep its ">" to stay in the quote.
            blank = opening["prefix"].rstrip()
            if result and not _is_blank(result[-1]):
                result.append(blank)
            result.extend(lines[index : last + 1])
            if last + 1 < len(lines) and not _is_blank(lines[last + 1]):
                result.append(blank)
            index = last + 1
        return result

    def _last_line(self, lines: list[str], first: int, opening: re.Match[str]) -> int | None:
        """The line that closes the math opened on `first`, if the math ends a line
        and has no blank line in it; None if this is not display math on its own lines.

        An opening inside lines already scanned for the same closing, up to where that
        scan stopped, gets that scan's answer: thousands of unclosed `\\[` lines would
        otherwise each be scanned to the end of the text.
        """
        closing = _closing_delimiter(opening)
        scanned = self._scans.get(closing.pattern)
        if scanned is not None and scanned[0] < first < scanned[1]:
            return scanned[2]
        answer, stop = None, len(lines)
        for number in range(first, len(lines)):
            line = lines[number]
            if number > first and _is_blank(line):
                stop = number
                break
            found = closing.search(line, opening.end() if number == first else 0)
            if found:
                answer = number if not line[found.end() :].strip() else None
                stop = number
                break
        self._scans[closing.pattern] = (first, stop, answer)
        return answer


class _InlineDisplayMath(InlineProcessor):
    """Display math inside a paragraph; _HoistBlocks later gives it a block of its own."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:
        math = m["dollar"] or m["square"] or m["env"]
        element = ET.Element("span", {"class": "arithmatex"})
        element.text = AtomicString(f"\\[{math}\\]")
        return element, m.start(0), m.end(0)


def _is_display_math(element: ET.Element) -> bool:
    return (
        element.tag == "span"
        and element.get("class") == "arithmatex"
        and (element.text or "").startswith("\\[")
    )


# Bare URLs, figures and videos ----------------------------------------------------

# Not right after "=" or =" either: a URL in typed (and escaped) HTML attributes stays text.
BARE_URL = (
    r"(?<![\w/\\=])(?<!=\")(?<!=')(?:https?://[^\s<>\"'`\x02\x03\\]+|/media/figures/[\w./-]+)"
)


def _trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the URL: "see https://a.org/x)."."""
    while url:
        last = url[-1]
        if last in ".,:;!?*_~'\"" or (
            last in ")]" and url.count("(" if last == ")" else "[") < url.count(last)
        ):
            url = url[:-1]
        else:
            break
    return url


def _is_image_url(url: str) -> bool:
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return path.lower().endswith(IMAGE_EXTENSIONS)


def _video(url: str) -> tuple[str, str] | None:
    if match := YOUTUBE_URL.fullmatch(url):
        return "youtube", match["id"]
    if match := VIMEO_URL.fullmatch(url):
        return "vimeo", match["id"]
    return None


def _is_on_own_line(data: str, start: int, end: int) -> bool:
    line_start = data.rfind("\n", 0, start) + 1
    line_end = data.find("\n", end)
    line_end = len(data) if line_end == -1 else line_end
    return not data[line_start:start].strip() and not data[end:line_end].strip()


def _link(url: str) -> ET.Element:
    link = ET.Element("a", {"href": url})
    link.text = AtomicString(url)
    return link


class _BareUrls(InlineProcessor):
    """A URL typed as plain text: an image becomes a figure, a YouTube or Vimeo URL on its
    own line a player placeholder, anything else a link. Runs after Markdown's own links,
    so URLs inside [text](url) and <url> are already taken."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[ET.Element | None, int | None, int | None]:
        url = _trim_url(m[0])
        end = m.start(0) + len(url)
        if url.startswith("/"):
            if not (MEDIA_FIGURE.match(url) and _is_image_url(url)):
                return None, None, None
        elif len(url) <= len("https://"):
            return None, None, None
        if _is_image_url(url):
            figure = ET.Element("a", {"class": "figure", "href": url})
            # The image is the link's only content, so its alt text is the link's name;
            # a bare URL says nothing more about the picture than that it is one.
            ET.SubElement(figure, "img", {"src": url, "alt": "Figure", "loading": "lazy"})
            return figure, m.start(0), end
        video = _video(url)
        if video and _is_on_own_line(data, m.start(0), end):
            placeholder = ET.Element("div", {"class": "video-embed", "data-url": url})
            placeholder.text = AtomicString(":".join(video))
            return placeholder, m.start(0), end
        return _link(url), m.start(0), end


def _is_video(element: ET.Element) -> bool:
    return element.tag == "div" and element.get("class") == "video-embed"


# Citations -----------------------------------------------------------------------


class _Citations(InlineProcessor):
    r"""`\cite{key}` or `\cite{key1,key2}` becomes a placeholder that render_markdown
    resolves with one lookup for the whole text. Math and code never get here: their
    patterns run first and hand on atomic text."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[ET.Element | None, int | None, int | None]:
        keys = [key.strip() for key in m[1].split(",")]
        if not all(CITE_KEY.fullmatch(key) for key in keys):
            return None, None, None
        placeholder = ET.Element("span", {"class": "cite-pending"})
        placeholder.text = AtomicString(",".join(keys))
        return placeholder, m.start(0), m.end(0)


# Blocks found inside paragraphs ---------------------------------------------------


def _trim_piece(paragraph: ET.Element, *, at_start: bool, at_end: bool) -> None:
    """Strip the whitespace and line breaks left where a paragraph was cut."""
    if at_start:
        while len(paragraph) and paragraph[0].tag == "br" and not (paragraph.text or "").strip():
            paragraph.text = paragraph[0].tail
            paragraph.remove(paragraph[0])
        paragraph.text = (paragraph.text or "").lstrip() or None
    if at_end:
        while (
            len(paragraph) and paragraph[-1].tag == "br" and not (paragraph[-1].tail or "").strip()
        ):
            paragraph.remove(paragraph[-1])
        if len(paragraph):
            paragraph[-1].tail = (paragraph[-1].tail or "").rstrip() or None
        else:
            paragraph.text = (paragraph.text or "").rstrip() or None


def _split_paragraph(paragraph: ET.Element) -> list[ET.Element]:
    """<p>a $$x$$ b</p> -> <p>a</p> <div class="arithmatex">\\[x\\]</div> <p>b</p>."""
    pieces: list[ET.Element] = []
    current = ET.Element("p")
    current.text = paragraph.text
    for child in list(paragraph):
        if _is_display_math(child) or _is_video(child):
            pieces.append(current)
            current = ET.Element("p")
            current.text, child.tail = child.tail, None
            child.tag = "div"
            pieces.append(child)
        else:
            current.append(child)
    pieces.append(current)
    for number, piece in enumerate(pieces):
        if piece.tag == "p":
            _trim_piece(piece, at_start=number > 0, at_end=number < len(pieces) - 1)
    return [piece for piece in pieces if piece.tag != "p" or piece.text or len(piece)]


class _HoistBlocks(Treeprocessor):
    """Display math and video players found in a paragraph become blocks of their own.

    A <div> cannot sit inside a <p>, so the paragraph is split around them. A player
    that ended up somewhere a block cannot go (a heading) turns back into a plain link.
    """

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index in reversed(range(len(parent))):
                child = parent[index]
                if child.tag == "p" and any(_is_display_math(e) or _is_video(e) for e in child):
                    parent[index : index + 1] = _split_paragraph(child)
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if _is_video(child):
                    url = child.attrib.pop("data-url")
                    if parent.tag not in {"div", "li", "blockquote", "td", "th"}:
                        link = _link(url)
                        link.tail = child.tail
                        parent[index] = link


# Bounded cost -------------------------------------------------------------------

# Brackets nested inside a link's text, and blockquotes and lists inside each other,
# deeper than this are text. Python-Markdown recurses once per level of nesting.
MAX_NESTING = 8
# A link's (destination "title") is at most this long once a quote opens a title.
MAX_LINK_TITLE = 300


def _balanced(opening: str, closing: str, depth: int, *, also_not: str = "") -> str:
    """A regex for text with `opening`/`closing` pairs nested at most `depth` deep (and
    none of `also_not`), up to and including the unmatched `closing` that ends it.
    Possessive, so it never backtracks: a start costs at most the text up to the next
    too-deep opening."""
    plain = f"[^{re.escape(opening + closing + also_not)}]"
    inner = f"{plain}*+"
    for _ in range(depth):
        inner = f"(?:{plain}++|{re.escape(opening)}{inner}{re.escape(closing)})*+"
    return f"{inner}{re.escape(closing)}"


LINK_TEXT = re.compile(_balanced("[", "]", MAX_NESTING))
# A link destination in parentheses with no quote (so no title) before it closes.
LINK_DESTINATION = re.compile(_balanced("(", ")", MAX_NESTING, also_not="'\""))


def _get_text(self, data: str, index: int) -> tuple[str, int, bool]:
    """LinkInlineProcessor.getText with a regex instead of a scan to the end of the
    paragraph for every `[` whose `]` never comes."""
    found = LINK_TEXT.match(data, index)
    if found is None:
        return "", len(data), False
    return data[index : found.end() - 1], found.end(), True


def _get_link(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
    """LinkInlineProcessor.getLink on as much text as the link can span: up to its
    closing parenthesis when no title opens first, else up to MAX_LINK_TITLE past the
    quote. Python-Markdown would scan to the end of the paragraph for every `[a](`."""
    opening = self.RE_LINK.match(data, index)
    if opening is None or opening.group(1):
        return type(self).getLink(self, data, index)
    found = LINK_DESTINATION.match(data, opening.end())
    if found is not None:
        return type(self).getLink(self, data[: found.end()], index)
    quote = re.compile(r"[^()'\"]*+['\"]").match(data, opening.end())
    if quote is None or ")" not in data[quote.end() : quote.end() + MAX_LINK_TITLE]:
        return "", None, index, False
    return type(self).getLink(self, data[: quote.end() + MAX_LINK_TITLE], index)


# Python-Markdown replaces each inline match by rebuilding the whole text around a
# placeholder, so n matches in a text of length L cost n * L: 25,000 escapes or 12,500
# code spans took most of a second at 50,000 characters. _Inline does one pattern's
# matches in a single pass instead, searching the text as it was when the pass began.
# That is exact unless the pattern looks behind its start, where the rebuilt text has
# a placeholder's last character: for these patterns, whose only look-behind is one
# character tested against the class given, the original text gives the same answer
# whenever the character before the last match's end is not in that class either.
# Every other pattern searches a fresh copy of the rest of the text after each match,
# which still saves rebuilding all that came before.
NO_LOOK_BEHIND = re.compile(r"(?!)")
LOOK_BEHIND_CLASS = {
    "backtick": re.compile(r"\\"),
    "display-math": re.compile(r"\\"),
    "arithmatex-inline": re.compile(r"\\"),
    "cite": re.compile(r"\\"),
    "escape": NO_LOOK_BEHIND,
    "footnote": NO_LOOK_BEHIND,
    "reference": re.compile("!"),
    "link": re.compile("!"),
    "image_link": NO_LOOK_BEHIND,
    "image_reference": NO_LOOK_BEHIND,
    "short_reference": re.compile("!"),
    "short_image_ref": NO_LOOK_BEHIND,
    "autolink": NO_LOOK_BEHIND,
    "automail": NO_LOOK_BEHIND,
    "linebreak": NO_LOOK_BEHIND,
    "entity": NO_LOOK_BEHIND,
}


# What each inline pattern cannot match without: a text holding none of its triggers is
# not searched at all. A text of 16,000 short paragraphs asks each of 19 patterns about
# each paragraph, which costs more than the rendering itself.
TRIGGERS = {
    "backtick": ("`",),
    "display-math": ("$$", "\\"),
    "arithmatex-inline": ("$", "\\"),
    "cite": ("\\cite",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "bare-url": ("http", "/media/figures/"),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "delimiter": ("~",),
}


# Python-Markdown finds where each inline element goes among its siblings by looking
# through them all, which is quadratic in the elements of one paragraph: 14,000 of them
# took 1.4 s. No summary has a tenth of this many links, formulas and emphases; a text
# with more is refused as too complex.
MAX_INLINE_ELEMENTS = 5_000


class _Inline(InlineTreeprocessor):
    """Python-Markdown's inline treeprocessor, with each pattern applied in one pass."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._look_behind = {
            id(md.inlinePatterns[name]): look_behind
            for name, look_behind in LOOK_BEHIND_CLASS.items()
            if name in md.inlinePatterns
        }

    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        self._inline_elements = 0
        # Each pattern with the strings it cannot match without (None: not known).
        self._patterns = [
            (pattern, TRIGGERS.get(name))
            for pattern, name in zip(
                self.inlinePatterns,
                (item.name for item in self.inlinePatterns._priority),
                strict=True,
            )
        ]
        return super().run(tree, ancestors)

    # Overrides the name-mangled InlineProcessor.__handleInline: the same loop over the
    # patterns, but a pattern none of whose triggers is in the text is passed over.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        start_index = 0
        while patternIndex < len(self._patterns):
            pattern, triggers = self._patterns[patternIndex]
            if triggers is not None and not any(trigger in data for trigger in triggers):
                patternIndex, start_index = patternIndex + 1, 0
                continue
            data, matched, start_index = self._InlineProcessor__applyPattern(
                pattern, data, patternIndex, start_index
            )
            if not matched:
                patternIndex += 1
        return data

    # Overrides the name-mangled InlineProcessor.__applyPattern.
    def _InlineProcessor__applyPattern(
        self, pattern: InlineProcessor, data: str, patternIndex: int, startIndex: int = 0
    ) -> tuple[str, bool, int]:
        if not isinstance(pattern, InlineProcessor):  # an old-style Pattern
            return super()._InlineProcessor__applyPattern(pattern, data, patternIndex, startIndex)
        for exclude in pattern.ANCESTOR_EXCLUDES:
            if exclude.lower() in self.ancestors:
                return data, False, 0
        compiled = pattern.getCompiledRegExp()
        look_behind = self._look_behind.get(id(pattern))
        # The text as Python-Markdown would have it is "".join(pieces) + data[cursor:];
        # `text` is what the pattern searches, with text[i] == data[i + offset].
        pieces: list[str] = []
        cursor, text, offset, position = 0, data, 0, startIndex
        while True:
            for match in compiled.finditer(text, position - offset):
                node, start, end = pattern.handleMatch(match, text)
                if start is not None and end is not None:
                    break
            else:
                break
            # As slices: Python-Markdown cuts the text at these indices, and a link
            # processor does return -1 (the last character) for one broken title.
            start, end = (index + len(text) if index < 0 else index for index in (start, end))
            if start + offset < cursor:  # reaches back into replaced text: never expected
                raise AssertionError(f"{type(pattern).__name__} matched before its start")
            if node is None:
                position = end + offset
                continue
            if not isinstance(node, str) and not isinstance(node.text, AtomicString):
                for child in [node, *node]:
                    if child.text:
                        self.ancestors.append(child.tag.lower())
                        child.text = self._InlineProcessor__handleInline(
                            child.text, patternIndex + 1
                        )
                        self.ancestors.pop()
                    if child.tail:
                        child.tail = self._InlineProcessor__handleInline(child.tail, patternIndex)
            # Text put back as it was (an escaped character) takes no place among siblings.
            if not isinstance(node, str):
                self._inline_elements += sum(1 for _ in node.iter())
            if self._inline_elements > MAX_INLINE_ELEMENTS:
                raise _TooManyElements
            placeholder = self._InlineProcessor__stashNode(node, pattern.type())
            pieces += (data[cursor : start + offset], placeholder)
            cursor = position = end + offset
            if look_behind is not None and not look_behind.match(data, cursor - 1):
                text, offset = data, 0
            else:
                text, offset = placeholder + data[cursor:], cursor - len(placeholder)
        if not pieces:
            return data, False, 0
        pieces.append(data[cursor:])
        return "".join(pieces), False, 0


class _Escapes(InlineProcessor):
    r"""Markdown's backslash escapes, a run of them as one match: `\[\[\[` is one
    placeholder, not one each. Exactly the pairs Markdown's `\(.)` would escape."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        escaped = "".join(f"{STX}{ord(char)}{ETX}" for char in m[0][1::2])
        return escaped, m.start(0), m.end(0)


class _CodeSpans(BacktickInlineProcessor):
    """Code spans, finding the closing backticks in a list of the text's runs of
    backticks, made once per text, instead of reading on to the end of the text for
    every opening that has no closing run of its length. Same answers as
    BacktickInlineProcessor.find_code_spans."""

    def __init__(self, pattern: str) -> None:
        super().__init__(pattern)
        self._runs_of: str | None = None

    def _index(self, text: str) -> None:
        if self._runs_of is text:
            return
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._by_length: dict[int, list[int]] = {}
        for run in re.finditer("`+", text):
            self._by_length.setdefault(run.end() - run.start(), []).append(len(self._starts))
            self._starts.append(run.start())
            self._ends.append(run.end())
        # _longest[i]: the first of the longest runs from run i on.
        self._longest = [0] * len(self._starts)
        for i in reversed(range(len(self._starts))):
            best = self._longest[i + 1] if i + 1 < len(self._starts) else i
            length = self._ends[i] - self._starts[i]
            longer = length >= self._ends[best] - self._starts[best]
            self._longest[i] = i if longer else best
        self._runs_of = text

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        opening = re.compile("`*").match(text, start)
        ticks, start = opening.end() - start, opening.end()
        self._index(text)
        first = bisect_left(self._starts, start)
        same = self._by_length.get(ticks, [])
        exact = bisect_left(same, first)
        if exact < len(same):
            return start, self._starts[same[exact]]
        if first < len(self._starts):
            best = self._longest[first]
            longest = self._ends[best] - self._starts[best]
            if longest < ticks:
                return start - (ticks - longest), self._starts[best]
        return start + ticks, None


LINK_PROCESSORS = (
    "link", "image_link", "reference", "image_reference", "short_reference",
    "short_image_ref",
)  # fmt: skip
# footnotes' own pattern, except that the label stops at a "[", so a run of "[^" costs
# linear time.
FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\[]*)\]", re.DOTALL)


class _Tables(TableProcessor):
    """Tables whose test reads only the two lines that decide it.

    Python-Markdown tries every block processor on what is left of a list after each
    item, and the table test split and stripped all of it every time."""

    def test(self, parent: ET.Element, block: str) -> bool:
        head = block.split("\n", 2)
        if not super().test(parent, "\n".join(head[:2])):
            return False
        # Only a one-column table with borders reads further: every row needs a pipe.
        return len(head) < 3 or super().test(parent, block)


class _HashHeaders(HashHeaderProcessor):
    """Hash headers, without searching the whole rest of a block again each time another
    processor has taken a line or two off its start ("- " lines as setext headers)."""

    def __init__(self, parser) -> None:
        super().__init__(parser)
        self._searched: tuple[str, int] = ("", -1)

    def test(self, parent: ET.Element, block: str) -> bool:
        searched, found_at = self._searched
        offset = len(searched) - len(block)
        at_line_start = offset == 0 or (offset > 0 and searched[offset - 1] == "\n")
        if at_line_start and searched.endswith(block):
            # The block is the end of the last one searched: its first header is the same.
            if found_at == -1:
                return False
            if found_at >= offset - 1:
                return True
        found = self.RE.search(block)
        self._searched = (block, found.start() if found else -1)
        return found is not None


class _SetextHeaders(SetextHeaderProcessor):
    """Setext headers, splitting off only the two lines they take, not the whole block."""

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n", 2)
        heading = ET.SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])


NESTING_MARKER = re.compile(r"[ ]{0,3}(?:>|[*+-](?=[ ]|$)|\d{1,9}[.)](?=[ ]|$))[ ]?")


class _CapNesting(Preprocessor):
    """Blockquote and list markers at the start of a line past MAX_NESTING levels become
    text (escaped), so that "> > > ..." or "1. 1. 1. ..." cannot recurse past Python's
    limit. Runs after fenced code is stashed."""

    def run(self, lines: list[str]) -> list[str]:
        return [self._capped(line) for line in lines]

    @staticmethod
    def _capped(line: str) -> str:
        position = 0
        for _ in range(MAX_NESTING):
            marker = NESTING_MARKER.match(line, position)
            if marker is None:
                return line
            position = marker.end()
        marker = NESTING_MARKER.match(line, position)
        if marker is None:
            return line
        escape_at = position + len(marker[0]) - len(marker[0].lstrip(" "))
        if line[escape_at].isdigit():
            escape_at += len(re.match(r"\d+", line[escape_at:])[0])
        return f"{line[:escape_at]}\\{line[escape_at:]}"


class _ScienceSyntax(Extension):
    """Math done carefully, bare URLs, figures, videos and citations."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Must come after pymdownx.arithmatex, whose patterns it replaces.
        md.preprocessors.register(_SeparateDisplayMath(md), "separate_display_math", 22)
        md.inlinePatterns.deregister("arithmatex-inline")
        md.inlinePatterns.register(
            arithmatex.InlineArithmatexPattern(
                f"(?:{INLINE_DOLLAR}|{INLINE_PAREN})", ARITHMATEX_CONFIG
            ),
            "arithmatex-inline",
            189.9,
        )
        # Between code spans (190) and inline math (189.9): $$ must win over $.
        md.inlinePatterns.register(_InlineDisplayMath(DISPLAY_INLINE), "display-math", 189.95)
        md.parser.blockprocessors.deregister("arithmatex-block")
        md.parser.blockprocessors.register(
            arithmatex.BlockArithmatexProcessor(DISPLAY_BLOCK, ARITHMATEX_CONFIG, md),
            "arithmatex-block",
            79.9,
        )
        # Before backslash escapes (180) and emphasis, so keys keep their underscores.
        md.inlinePatterns.register(_Citations(r"(?<!\\)\\cite\{([^{}\n]*)\}"), "cite", 185)
        # After Markdown's links (160) and <autolinks> (120), before emphasis (60).
        md.inlinePatterns.register(_BareUrls(BARE_URL), "bare-url", 115)
        # After inline patterns (20), so the math and players exist as elements.
        md.treeprocessors.register(_HoistBlocks(md), "hoist_blocks", 18)
        # Bounded cost (see above). After fenced code (25) is stashed.
        md.preprocessors.register(_CapNesting(md), "cap_nesting", 21)
        for name in LINK_PROCESSORS:
            processor = md.inlinePatterns[name]
            processor.getText = _get_text.__get__(processor)
            processor.getLink = _get_link.__get__(processor)
        md.inlinePatterns["footnote"].compiled_re = FOOTNOTE_REFERENCE
        backtick = md.inlinePatterns["backtick"]
        md.inlinePatterns.register(_CodeSpans(backtick.pattern), "backtick", 190)
        escaped = "".join(re.escape(char) for char in md.ESCAPED_CHARS)
        md.inlinePatterns.register(_Escapes(rf"(?:\\[{escaped}])+", md), "escape", 180)
        # Last: it needs the final list of inline patterns.
        md.treeprocessors.register(_Inline(md), "inline", 20)
        block_processors = md.parser.blockprocessors
        block_processors.register(_HashHeaders(md.parser), "hashheader", 70)
        block_processors.register(_SetextHeaders(md.parser), "setextheader", 60)
        tables = md.parser.blockprocessors["table"]
        md.parser.blockprocessors.register(_Tables(md.parser, tables.config), "table", 75)


class _Footnotes(FootnoteExtension):
    """Python-Markdown's footnotes, with duplicate references numbered in linear time.

    Each further reference to one footnote gets the next free id ("fnref2:1",
    "fnref3:1", ...), which the extension finds by trying every id from the first: 7,000
    references to one footnote took 35 s. Every id up to the last one given out is
    taken (the set only grows), so trying from the last one gives the same answer.
    """

    def reset(self) -> None:
        super().reset()
        self._last_ref: dict[str, str] = {}

    # The extension's own method, but for where the search starts.
    def unique_ref(self, reference: str, found: bool = False) -> str:
        if not found:
            return reference
        original, separator = reference, self.get_separator()
        reference = self._last_ref.get(original, original)
        while reference in self.used_refs:
            ref, rest = reference.split(separator, 1)
            number = RE_REF_ID.match(ref)
            reference = (
                f"{number[1]}{int(number[2]) + 1}{separator}{rest}"
                if number
                else f"{ref}2{separator}{rest}"
            )
        self.used_refs.add(reference)
        self.found_refs[original] = self.found_refs.get(original, 0) + 1
        self._last_ref[original] = reference
        return reference


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            _SafeMarkdown(),
            "tables",
            "fenced_code",
            _Footnotes(),
            "sane_lists",
            "pymdownx.arithmatex",
            "pymdownx.tilde",
            _ScienceSyntax(),
        ],
        extension_configs={
            "pymdownx.arithmatex": {
                "generic": True,
                "smart_dollar": True,
                "inline_syntax": ["dollar", "round"],
                "block_syntax": ["dollar", "square", "begin"],
            },
            "pymdownx.tilde": {"subscript": False},
            # align="right" survives nh3; the default style="text-align: right" would not.
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )


# After sanitizing ----------------------------------------------------------------


def _player(m: re.Match[str]) -> str:
    provider, video_id = m[1], m[2]
    if not VIDEO_IDS[provider].fullmatch(video_id):
        return ""
    # Every variable part here is a fixed string of ours or an id of [A-Za-z0-9_-].
    return (
        '<div class="video-embed">'
        f'<iframe src="{PLAYER_URLS[provider].format(video_id)}" '
        f'title="{PLAYER_TITLES[provider]}" loading="lazy" allowfullscreen '
        'referrerpolicy="strict-origin-when-cross-origin" '
        'sandbox="allow-scripts allow-same-origin allow-presentation"></iframe></div>'
    )


# Which papers cite keys name: set by the papers app (papers.citations), which this layer
# cannot import. Without it, every key is unknown.
_citation_lookups = []


def resolves_citations(lookup):
    """Register ``lookup(keys) -> {key: (url, label)}`` for \\cite{key}; a decorator."""
    _citation_lookups[:] = [lookup]
    return lookup


def _lookup_citations(keys: set[str]) -> dict[str, tuple[str, str]]:
    return _citation_lookups[0](keys) if _citation_lookups else {}


def _citation(key: str, found: tuple[str, str] | None) -> str:
    if found and CITE_URL.match(found[0]):
        url, label = found
        return f'<a class="cite" href="{escape(url)}">{escape(label)}</a>'
    return f'<span class="cite cite--unknown">[{escape(key)}]</span>'


def _resolve_citations(html: str) -> str:
    """Replace every citation placeholder, with one lookup for all keys in the text."""
    groups = CITE_PLACEHOLDER.findall(html)
    if not groups:
        return html
    found = _lookup_citations({key for group in groups for key in group.split(",")})
    return CITE_PLACEHOLDER.sub(
        lambda m: ", ".join(_citation(key, found.get(key)) for key in m[1].split(",")), html
    )


class RenderTooSlow(ValueError):
    """The text took longer than RENDER_SECONDS to render, or nested deeper than
    Python can recurse, and was given up. Forms show the message as a field error."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or RENDER_REFUSED)


RENDER_SECONDS = 2.0
RENDER_REFUSED = (
    "This text is too complex to display: it takes too long to format. Long runs of "
    "unclosed brackets, quotes or list markers are the usual cause; please simplify them."
)


TOO_MANY_ELEMENTS = (
    f"This text has too much formatting to display: more than {MAX_INLINE_ELEMENTS:,} "
    "links, formulas, "
    "emphases and other marks. Please simplify it or split it up."
)


class _TooManyElements(Exception):
    """Raised inside the renderer past MAX_INLINE_ELEMENTS."""


class _OutOfTime(Exception):
    """Raised inside the renderer when its time is up; render_markdown turns it into
    RenderTooSlow. Not a RenderTooSlow itself, so no Markdown code catches it as a
    ValueError on the way out."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the code inside with _OutOfTime once `seconds` have passed.

    On the main thread (gunicorn's sync workers, management commands, pytest) a
    real-time interval timer (setitimer) raises it from a SIGALRM handler: that also
    interrupts a long regex match, which checks for signals as it goes. A timer that
    was already set (say by a test that gives up on a hung render) keeps going: if it
    is due first it fires as it would have, else it is set again afterwards, less the
    time spent here.

    Signals reach only the main thread, so on any other thread (a threaded server,
    Django's runserver, the live test server) a profile function (sys.setprofile, which
    is per thread) checks the clock at every Python and C function call and raises it
    there; Python then removes the profile function. It makes rendering about 1.5 times
    slower on that thread, and it cannot stop a single C call such as one regex match,
    which is why the patterns themselves are written to run in linear time.
    """
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        yield from _limit_by_timer(seconds)
    else:
        yield from _limit_by_profile(seconds)


# Once the time is up the alarm repeats this often, until the render stops: Python
# ignores an exception raised inside a destructor, so an alarm that lands in one (the
# garbage collector running a __del__) is let pass and the next one stops the render.
RETRY_SECONDS = 0.02


def _limit_by_timer(seconds: float) -> Iterator[None]:
    def out_of_time(signum, frame):
        if not _in_destructor(frame):
            raise _OutOfTime

    started = time.monotonic()
    due, interval = signal.getitimer(signal.ITIMER_REAL)
    if due and due <= seconds:
        yield
        return
    previous = signal.signal(signal.SIGALRM, out_of_time)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, RETRY_SECONDS)
        yield
    finally:
        # With SIGALRM blocked, so that our timer cannot go off halfway through and
        # leave our handler installed or the outer timer unset; an alarm of ours that
        # is already pending is taken off, not handed to the previous handler.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if signal.SIGALRM in signal.sigpending():
                signal.sigwait({signal.SIGALRM})
            signal.signal(signal.SIGALRM, previous)
            if due:
                left = due - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), interval)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})


def _in_destructor(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


def _limit_by_profile(seconds: float) -> Iterator[None]:
    previous = sys.getprofile()
    if previous is not None:  # a profiler is running: leave it alone
        yield
        return
    deadline = time.monotonic() + seconds

    def check(frame, event, arg):
        if time.monotonic() > deadline:
            raise _OutOfTime

    sys.setprofile(check)
    try:
        yield
    finally:
        sys.setprofile(None)


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to sanitized HTML, safe to show as it is.

    Raises RenderTooSlow if that takes more than RENDER_SECONDS: no text up to our
    fields' maximum lengths is known to, but a worker must never be held by one.
    """
    try:
        with _time_limit(RENDER_SECONDS):
            html = _markdown().convert(text)
    except (_OutOfTime, RecursionError) as error:
        raise RenderTooSlow from error
    except _TooManyElements as error:
        raise RenderTooSlow(TOO_MANY_ELEMENTS) from error
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    finished = _resolve_citations(VIDEO_PLACEHOLDER.sub(_player, cleaned))
    # The one place user text becomes safe HTML: nh3 has just removed everything outside
    # the allowlist above, and the only markup added since is ours, built from validated
    # video ids and escaped citation lookups. That is the whole guarantee templates rely on.
    return mark_safe(finished)  # noqa: S308 - sanitized by nh3, then only our own markup


def stored_html(html: str) -> SafeString:
    """Hand HTML that render_markdown produced and a model stored back to templates.

    Model properties call this for their ``*_html`` fields; nothing else in the project
    marks user content safe.
    """
    # Safe because every *_html field is written only with render_markdown's output.
    return mark_safe(html)  # noqa: S308 - output of render_markdown, stored on save


def highlighted(snippet: str, start: str, stop: str, *, from_html: bool = False) -> SafeString:
    """A search snippet (from ts_headline, which marks matches with start and stop) as
    HTML: all its text escaped (entities decoded first when it comes from stored HTML),
    and matches wrapped in <mark>. Stray markers in user text only toggle marks, always
    balanced."""
    pieces, marking = [], False
    for piece in re.split(f"({re.escape(start)}|{re.escape(stop)})", snippet):
        if piece in (start, stop):
            wanted = piece == start
            if wanted != marking:
                pieces.append("<mark>" if wanted else "</mark>")
                marking = wanted
        elif piece:
            pieces.append(escape(unescape(piece) if from_html else piece, quote=False))
    if marking:
        pieces.append("</mark>")
    # Safe: every piece of text is escaped; the only markup is the <mark> added here.
    return mark_safe("".join(pieces))  # noqa: S308 - escaped text and our own <mark>
