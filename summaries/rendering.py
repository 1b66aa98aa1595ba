"""The one Markdown renderer for everything users write: summaries, comments, bios.

render_markdown(text) turns Markdown with LaTeX math into sanitized HTML. It runs once,
when the text is saved; templates show the stored result. The order matters:

1. Python-Markdown with raw HTML switched off: any HTML a user types is escaped text.
2. arithmatex (pymdown-extensions) lifts math out before Markdown sees it, so
   underscores, asterisks and backslashes inside $...$ stay as written; KaTeX typesets
   the resulting spans in the browser.
3. nh3 (Ammonia) cleans the result against an explicit allowlist, as a second wall in
   case an extension ever lets markup through.
"""

import re
import xml.etree.ElementTree as ET

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "div", "em", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
    "*": {"class", "id"},
}
URL_SCHEMES = {"http", "https", "mailto"}
URL_ALLOWED = re.compile(r"^(https?://|mailto:|#fn(ref)?:\d{1,4}$)", re.IGNORECASE)
LINK_REL = "nofollow ugc noopener"
# Classes and ids survive only in the forms our own extensions write them.
ALLOWED_CLASS = re.compile(r"^(arithmatex|footnote(-ref|-backref)?|language-[\w+#.-]{1,30})$")
ALLOWED_ID = re.compile(r"^fn(ref)?:\d{1,4}$")
# Headings in user text start at h3: the page's own h1 and h2 always outrank them.
HEADING_OFFSET = 2


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"href", "src"}:
        # Absolute http(s)/mailto URLs (nh3 has checked the scheme) or in-page footnote
        # anchors; relative URLs could point anywhere on our own site.
        return value if URL_ALLOWED.match(value) else None
    if attribute == "class":
        kept = [name for name in value.split() if ALLOWED_CLASS.match(name)]
        return " ".join(kept) or None
    if attribute == "id":
        return value if ALLOWED_ID.match(value) else None
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


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            _SafeMarkdown(),
            "tables",
            "fenced_code",
            "footnotes",
            "sane_lists",
            "pymdownx.arithmatex",
            "pymdownx.tilde",
        ],
        extension_configs={
            "pymdownx.arithmatex": {
                "generic": True,
                "smart_dollar": True,
                "inline_syntax": ["dollar", "round"],
                "block_syntax": ["dollar", "square", "begin"],
            },
            "pymdownx.tilde": {"subscript": False},
        },
        output_format="html",
    )


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to sanitized HTML, safe to show as it is."""
    html = _markdown().convert(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # The one place user text becomes safe HTML: nh3 has just removed everything outside
    # the allowlist above, which is the whole guarantee templates rely on.
    return mark_safe(cleaned)  # noqa: S308 - sanitized by nh3 on the line above


def stored_html(html: str) -> SafeString:
    """Hand HTML that render_markdown produced and a model stored back to templates.

    Model properties call this for their ``*_html`` fields; nothing else in the project
    marks user content safe.
    """
    # Safe because every *_html field is written only with render_markdown's output.
    return mark_safe(html)  # noqa: S308 - output of render_markdown, stored on save
