from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.timesince import timesince

from papers.validation import is_link

register = template.Library()


@register.filter
def ago(value) -> str:
    """'8 years ago': the largest unit only, as a reader glances at it."""
    return f"{timesince(value, depth=1)} ago" if value else ""


@register.simple_tag
def tag_link(name: str):
    """A keyword linked to its page; as plain text when it has no address (a row
    stored before keywords were checked may hold a slash)."""
    try:
        return format_html('<a href="{}">{}</a>', reverse("papers:tag", args=[name]), name)
    except NoReverseMatch:
        return name


@register.simple_tag
def external_link(url: str, label: str):
    """``label`` linked to ``url`` when it is an http(s) address; else the label and
    the address as text, so a javascript: or data: value stored long ago never runs."""
    if is_link(url):
        return format_html('<a href="{}" rel="nofollow ugc noopener">{}</a>', url, label)
    return format_html('{} <span class="muted">({})</span>', label, url)
