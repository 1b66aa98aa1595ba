"""Summaries prepared for a page and a viewer: loaded in a fixed number of queries, with
what this viewer may see of each computed once. (Django caches the viewer's permissions
on the user object, so asking per summary costs no further queries.)"""

from .models import Summary
from .permissions import can_edit, shows_author


def mark_for_viewer(summaries, user) -> list[Summary]:
    """Set ``show_author`` and ``can_edit`` on each summary for this viewer."""
    summaries = list(summaries)
    for summary in summaries:
        summary.show_author = shows_author(user, summary)
        summary.can_edit = can_edit(user, summary)
    return summaries


def summaries_for_paper(paper, user) -> list[Summary]:
    """A paper's summaries this viewer may see, best first."""
    summaries = (
        Summary.objects.filter(paper=paper)
        .visible_to(user)
        .select_related("author__profile")
        .order_by("-score", "created_at", "pk")
    )
    return mark_for_viewer(summaries, user)
