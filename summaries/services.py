"""Writes to summaries: views, commands and tests all call these."""

import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .figures import clean_figure
from .models import Figure, Revision, Summary
from .rendering import render_markdown


class AlreadySummarized(Exception):
    """The member already has a summary of this paper."""

    def __init__(self, existing: Summary):
        super().__init__("You already have a summary of this paper.")
        self.existing = existing


class EditConflict(Exception):
    """The summary changed since the editor opened it; ``current`` is the newer version."""

    def __init__(self, current: Summary):
        super().__init__("This summary was changed since you opened it.")
        self.current = current


def publish_summary(author, paper, *, body: str, is_anonymous=False, is_private=False) -> Summary:
    """Create a summary and its first revision."""
    try:
        with transaction.atomic():
            summary = Summary.objects.create(
                paper=paper,
                author=author,
                body=body,
                body_html=render_markdown(body),
                is_anonymous=is_anonymous,
                is_private=is_private,
            )
            Revision.objects.create(summary=summary, number=1, body=body, editor=author)
    except IntegrityError:
        # Two submissions racing past the view's check: the constraint decides.
        existing = Summary.objects.filter(paper=paper, author=author, deleted_at=None).first()
        if existing is None:
            raise
        raise AlreadySummarized(existing) from None
    return summary


def update_summary(
    summary: Summary, editor, *, body: str, is_anonymous: bool, is_private: bool, base_version: int
) -> Summary:
    """Save an edit made from ``base_version``, keeping the new text as a revision.

    1. Lock the row, so two saves of one summary are taken one after the other.
    2. Refuse (EditConflict) if someone saved since the editor loaded base_version:
       nothing is overwritten silently.
    3. Store text, rendered HTML and flags, bump the version, append the revision.
    """
    with transaction.atomic():
        current = Summary.objects.select_for_update().get(pk=summary.pk)
        if current.version != base_version:
            raise EditConflict(current)
        unchanged = (current.body, current.is_anonymous, current.is_private) == (
            body,
            is_anonymous,
            is_private,
        )
        if unchanged:
            return current
        current.body = body
        current.body_html = render_markdown(body)
        current.is_anonymous = is_anonymous
        current.is_private = is_private
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db(fields=["version"])
        Revision.objects.create(summary=current, number=current.version, body=body, editor=editor)
    return current


def delete_summary(summary: Summary) -> None:
    """Soft delete: the row and its revisions stay; nobody sees it on the site."""
    Summary.objects.filter(pk=summary.pk, deleted_at=None).update(deleted_at=timezone.now())


def hide_summary(summary: Summary, moderator, reason: str) -> None:
    Summary.objects.filter(pk=summary.pk).update(
        hidden_at=timezone.now(), hidden_by=moderator, hidden_reason=reason
    )


def restore_summary(summary: Summary) -> None:
    Summary.objects.filter(pk=summary.pk).update(hidden_at=None, hidden_by=None, hidden_reason="")


def share_summary(summary: Summary) -> str:
    """Give the summary a new share link; any earlier link stops working."""
    token = Summary.new_share_token()
    Summary.objects.filter(pk=summary.pk).update(share_token=token)
    summary.share_token = token
    return token


def revoke_share_link(summary: Summary) -> None:
    Summary.objects.filter(pk=summary.pk).update(share_token=None)
    summary.share_token = None


def store_figure(uploader, data: bytes) -> Figure:
    """Check and clean an uploaded image (FigureError if refused) and store it."""
    content, extension, width, height = clean_figure(data)
    figure = Figure(uploader=uploader, width=width, height=height)
    figure.image.save(f"{secrets.token_hex(12)}.{extension}", ContentFile(content), save=False)
    figure.save()
    return figure
