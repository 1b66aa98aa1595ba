"""Parts of pages that many signed-in readers share, rendered once and kept in the cache.

A summary card or a comment reads the same for every member who neither wrote it nor
voted on it: the same score, author, vote buttons (unpressed), reply form and flag link.
Only the CSRF token in its forms is the reader's own. So such a part is rendered once per
reader *role* and kept in the cache (Redis when REDIS_URL is set) under the page
cache's content generation, which every write moves on (shortscience.pagecache): a vote,
a comment, an edit or a moderator's decision renders every part afresh, as it does whole
pages for visitors.

The parts a reader's own actions change, the summaries and comments they wrote or
voted on, are rendered for them on every request; callers name those items. Readers
whose view differs everywhere (moderators, who see hidden items and their controls) get
everything rendered for them.

A part is rendered from an explicit context (no context processors), so it cannot pick
up who is reading; the templates it renders read the viewer's rights from the flags the
listing functions set on each item (summaries.listing, summaries.threads). Its forms
carry a placeholder where the CSRF token goes, replaced with the reader's token when the
part is served.
"""

import functools
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe

from accounts.permissions import can_moderate
from shortscience.pagecache import address, generation

MEMBER, VISITOR = "member", "visitor"


def seconds() -> int:
    """How long a part is kept: ten times as long as a page. A write makes it stale at
    once (the generation), and parts show no time that ages in minutes (a paper header's
    "8 years ago" counts from a date), so this only bounds the memory they hold; and a
    page refilled after PAGE_CACHE_SECONDS is put together from parts, not rendered anew."""
    return 10 * settings.PAGE_CACHE_SECONDS


def role(user) -> str | None:
    """The reader's role, or None when parts are rendered for this reader alone."""
    if not user.is_authenticated:
        return VISITOR
    if can_moderate(user):
        return None
    return MEMBER


@functools.cache
def placeholder() -> str:
    """What a shared part's forms carry where the reader's CSRF token goes.

    The same in every worker (parts are shared between them) and not guessable, so no
    one can write it into a comment to have another reader's token printed there.
    """
    return salted_hmac("summaries.fragments.csrf", "placeholder", algorithm="sha256").hexdigest()


def keys(kind: str, pks, reader: str, request) -> dict[int, str]:
    """The cache keys of parts: their kind and item, the reader's role, the content
    generation, and the page's address (forms in parts send the reader back there)."""
    prefix = f"part:{generation()}:{kind}:{reader}:{address(request)}"
    return {pk: f"{prefix}:{pk}" for pk in pks}


def marker() -> str:
    """A fresh mark to cut a rendered part into pieces (see ``cut``)."""
    return secrets.token_hex(8)


def cut(html: str, mark: str) -> list[tuple[int | None, str]]:
    """Split HTML with ``<!--{mark}:PK-->…<!--/{mark}-->`` around items into pieces:
    (PK, the item's HTML) and (None, the HTML between items)."""
    pattern = re.compile(rf"<!--{mark}:(\d+)-->(.*?)<!--/{mark}-->", re.DOTALL)
    pieces, end = [], 0
    for match in pattern.finditer(html):
        pieces.append((None, html[end : match.start()]))
        pieces.append((int(match.group(1)), match.group(2)))
        end = match.end()
    pieces.append((None, html[end:]))
    return pieces


def join(request, pieces, own: dict[int, str]) -> SafeString:
    """The pieces as one part for this reader: ``own`` items (pk: HTML rendered for the
    reader) in place of the shared ones, and the reader's CSRF token in the forms."""
    html = "".join(own.get(pk, piece) if pk is not None else piece for pk, piece in pieces)
    if placeholder() in html:
        # Only then: asking for the token sets the CSRF cookie, which keeps a visitor's
        # page out of the page cache. One masked token serves all the page's parts.
        if not hasattr(request, "_part_token"):
            request._part_token = get_token(request)
        html = html.replace(placeholder(), request._part_token)
    # Made from our templates, whose autoescaping escaped everything from users.
    return mark_safe(html)  # noqa: S308


class Parts:
    """One page's parts of one kind for one request: ``render(item)`` gives an item's
    HTML, from the cache unless the item is ``personal`` or the reader has no role.

    ``template`` renders one item from ``context(item)``, a dict; ``personal`` holds the
    primary keys of the items rendered for this reader alone (theirs, voted on).
    """

    def __init__(self, request, template: str, items, context, *, personal=()):
        self.request = request
        self.template = template
        self.context = context
        self.personal = set(personal)
        self._items = list(items)
        self.reader = role(request.user) if settings.PAGE_CACHE_SECONDS else None
        shared = [item.pk for item in self._items if self._is_shared(item)]
        self._keys = keys(template, shared, self.reader, request) if shared else {}
        self._found = cache.get_many(self._keys.values()) if self._keys else {}

    def to_render(self) -> list:
        """The items this request renders: not found in the cache."""
        return [item for item in self._items if self._keys.get(item.pk) not in self._found]

    def _is_shared(self, item) -> bool:
        return self.reader is not None and item.pk not in self.personal

    def render(self, item) -> SafeString:
        if not self._is_shared(item):
            return join(self.request, [(None, self._render(item))], {})
        key = self._keys[item.pk]
        html = self._found.get(key)
        if html is None:
            html = self._render(item)
            cache.set(key, html, seconds())
        return join(self.request, [(None, html)], {})

    def _render(self, item) -> str:
        context = self.context(item) | {"csrf_token": placeholder(), "request": self.request}
        return render_to_string(self.template, context)
