"""Guards on what members write, for every form that takes their text: links wait for a
verified e-mail address, and robots give themselves away by filling in a honeypot."""

from html.parser import HTMLParser

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from shortscience.rendering import render_markdown

from .permissions import can_post_links

LINKS_NEED_VERIFIED_EMAIL = (
    "Links can be posted once your e-mail address is verified. "
    '<a href="{}">Verify it on your e-mail page</a>, or take the links and images out '
    "of your text to post it now."
)
# The honeypot's name: comment-spam robots fill in a "website" without fail.
HONEYPOT = "website"
HONEYPOT_FILLED = (
    "This was sent as if by a robot: a field that people never see was filled in. "
    "If you are a person, please send it again."
)


class _LinkFinder(HTMLParser):
    """The addresses rendered HTML links to or shows: links and images and video players,
    not the footnote anchors and citation links the renderer writes itself."""

    def __init__(self):
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            href = attributes.get("href") or ""
            is_ours = href.startswith("#") or "cite" in (attributes.get("class") or "").split()
            if href and not is_ours:
                self.found.add(href)
        elif tag in {"img", "iframe"} and attributes.get("src"):
            self.found.add(attributes["src"])


def links_in(text: str) -> set[str]:
    """Where ``text`` links to once rendered: what render_markdown turns into links (bare
    URLs included), and nothing that only looks like an address ("example.org")."""
    finder = _LinkFinder()
    finder.feed(str(render_markdown(text)))
    finder.close()
    return finder.found


def refuse_new_links(user, text: str, before: str = "") -> None:
    """ValidationError if ``text`` links to anything ``before`` did not and ``user`` may
    not post links yet (accounts.permissions.can_post_links). Links already there stay,
    so a member can still edit what they wrote before."""
    # One query for most members; only those who may not post links pay for rendering.
    if can_post_links(user):
        return
    added = links_in(text)
    if added and before:
        added -= links_in(before)
    if added:
        raise unverified_links_error()


def unverified_links_error() -> forms.ValidationError:
    return forms.ValidationError(
        format_html(LINKS_NEED_VERIFIED_EMAIL, reverse("account_email")),
        code="links_unverified",
    )


class HoneypotInput(forms.TextInput):
    """Never shows a value, so a person whose browser filled it in gets it back empty."""

    def format_value(self, value):
        return None


class _HoneypotBoundField(forms.BoundField):
    def css_classes(self, extra_classes=None):
        # The class on the field's wrapper in a form rendered whole, as allauth renders
        # sign-up; static/css/site.css takes it off screen.
        return " ".join(filter(None, [super().css_classes(extra_classes), "honeypot"]))


class HoneypotField(forms.CharField):
    """A field people never see and robots that fill in every field do: off screen by a
    CSS class (the CSP allows no inline style), out of the tab order, not autofilled,
    and labelled for screen-reader users to leave empty. HoneypotMixin.clean() refuses
    a form with it filled in."""

    bound_field_class = _HoneypotBoundField

    def __init__(self, **kwargs):
        attrs = {"aria-hidden": "true", "tabindex": "-1", "autocomplete": "off"}
        kwargs.setdefault("label", "Leave this field empty: it is here to catch spam robots")
        super().__init__(
            required=False, strip=False, widget=HoneypotInput(attrs), label_suffix="", **kwargs
        )


class HoneypotMixin:
    """For a form with a HoneypotField named HONEYPOT: filled in, the form is invalid,
    so nothing is stored."""

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(HONEYPOT_FILLED, code="honeypot")
        return data
