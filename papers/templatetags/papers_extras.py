from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value) -> str:
    """'8 years ago': the largest unit only, as a reader glances at it."""
    return f"{timesince(value, depth=1)} ago" if value else ""
