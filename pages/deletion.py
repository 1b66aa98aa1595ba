"""A member's own data: the export of everything they wrote, and deleting their account.

The export (``export_member_data``) is a JSON object, version ``EXPORT_VERSION``:

- ``format``, ``version``, ``exported_at``, ``site``: what this file is and when it was made.
- ``account``: username, e-mail addresses (with verified/primary), date joined, last sign-in.
- ``profile``: display name, affiliation, website, ORCID iD, bio (its Markdown source) and
  the e-mail notification switches.
- ``summaries``: every summary, deleted ones included, with its paper (id, title, arXiv
  id, DOI, page), its current text (Markdown), the anonymous/private flags, score, dates,
  whether and why a moderator hid it, and ``revisions``: every saved version's number,
  text and date.
- ``comments``: every comment with its summary (id, page, paper title), the comment it
  replies to (``parent_id``), text, dates, and whether it is hidden (and why) or deleted.
- ``summary_votes`` (+1/-1) and ``comment_votes`` (upvotes), with what they were on.
- ``follows`` and ``papers_added``: papers, with when.
- ``figures``: each uploaded image's address, width and height in pixels, and date.
- ``flags``: what the member reported (kind and id of the item), the reason and details.
- ``suspensions``: of this account, with the reason and dates.

Dates are ISO 8601 in UTC; addresses are absolute. The export names no other member.
"""

from urllib.parse import urljoin

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Profile, Suspension, User
from moderation.models import Flag
from papers.models import Follow, Paper
from summaries.models import Comment, CommentVote, Figure, Revision, Summary, Vote
from summaries.services import delete_comment

EXPORT_FORMAT = "shortscience-member-data"
EXPORT_VERSION = 1

# Cleared on deletion: everything on the profile that says who the member is.
PROFILE_IDENTITY_FIELDS = ("display_name", "affiliation", "website", "orcid", "bio", "bio_html")


# Export ----------------------------------------------------------------------------------


def export_member_data(user: User) -> dict:
    """Everything ``user`` made or said on the site, as plain JSON-ready data (see the
    module docstring for its shape). One query per kind of thing, whatever the amounts."""
    profile = Profile.objects.get(user=user)
    revisions = {}
    for revision in Revision.objects.filter(summary__author=user).order_by("summary", "number"):
        revisions.setdefault(revision.summary_id, []).append(
            {
                "number": revision.number,
                "body": revision.body,
                "created_at": _iso(revision.created_at),
            }
        )
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(timezone.now()),
        "site": settings.SITE_URL,
        "account": {
            "username": user.username,
            "emails": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
            ],
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "profile": {
            "display_name": profile.display_name,
            "affiliation": profile.affiliation,
            "website": profile.website,
            "orcid": profile.orcid,
            "bio": profile.bio,
            "email_on_comment": profile.email_on_comment,
            "email_on_reply": profile.email_on_reply,
            "email_on_followed_paper": profile.email_on_followed_paper,
        },
        "summaries": [
            {
                "id": summary.pk,
                "url": _absolute(summary.get_absolute_url()),
                "paper": _paper(summary.paper),
                "body": summary.body,
                "is_anonymous": summary.is_anonymous,
                "is_private": summary.is_private,
                "score": summary.score,
                "created_at": _iso(summary.created_at),
                "updated_at": _iso(summary.updated_at),
                "hidden_at": _iso(summary.hidden_at),
                "hidden_reason": summary.hidden_reason,
                "deleted_at": _iso(summary.deleted_at),
                "revisions": revisions.get(summary.pk, []),
            }
            for summary in Summary.objects.filter(author=user)
            .select_related("paper")
            .order_by("created_at", "pk")
        ],
        "comments": [
            {
                "id": comment.pk,
                "url": _absolute(comment.get_absolute_url()),
                "summary": {
                    "id": comment.summary_id,
                    "url": _summary_url(comment.summary_id),
                    "paper_title": comment.summary.paper.title,
                },
                "parent_id": comment.parent_id,
                "body": comment.body,
                "created_at": _iso(comment.created_at),
                "edited_at": _iso(comment.edited_at),
                "hidden_at": _iso(comment.hidden_at),
                "hidden_reason": comment.hidden_reason,
                "deleted_at": _iso(comment.deleted_at),
            }
            for comment in Comment.objects.filter(author=user)
            .select_related("summary__paper")
            .order_by("created_at", "pk")
        ],
        "summary_votes": [
            {
                "summary_id": vote.summary_id,
                "summary_url": _summary_url(vote.summary_id),
                "paper_title": vote.summary.paper.title,
                "value": vote.value,
                "created_at": _iso(vote.created_at),
                "updated_at": _iso(vote.updated_at),
            }
            for vote in Vote.objects.filter(user=user)
            .select_related("summary__paper")
            .order_by("created_at", "pk")
        ],
        "comment_votes": [
            {
                "comment_id": vote.comment_id,
                "comment_url": _absolute(vote.comment.get_absolute_url()),
                "created_at": _iso(vote.created_at),
            }
            for vote in CommentVote.objects.filter(user=user)
            .select_related("comment")
            .order_by("created_at", "pk")
        ],
        "follows": [
            {"paper": _paper(follow.paper), "created_at": _iso(follow.created_at)}
            for follow in Follow.objects.filter(user=user)
            .select_related("paper")
            .order_by("created_at", "pk")
        ],
        "papers_added": [
            {"paper": _paper(paper), "created_at": _iso(paper.created_at)}
            for paper in Paper.objects.filter(added_by=user).order_by("created_at", "pk")
        ],
        "figures": [
            {
                "url": _absolute(figure.image.url),
                "width": figure.width,
                "height": figure.height,
                "created_at": _iso(figure.created_at),
            }
            for figure in Figure.objects.filter(uploader=user).order_by("created_at", "pk")
        ],
        "flags": [
            {
                "kind": flag.case.kind,
                "target_id": flag.case.target_id,
                "reason": flag.reason,
                "text": flag.text,
                "created_at": _iso(flag.created_at),
            }
            for flag in Flag.objects.filter(reporter=user)
            .select_related("case")
            .order_by("created_at", "pk")
        ],
        "suspensions": [
            {
                "reason": suspension.reason,
                "starts_at": _iso(suspension.starts_at),
                "ends_at": _iso(suspension.ends_at),
                "lifted_at": _iso(suspension.lifted_at),
            }
            for suspension in Suspension.objects.filter(user=user).order_by("starts_at", "pk")
        ],
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _absolute(url: str) -> str:
    """A site path as a full address; an address that is already one stays as it is."""
    return urljoin(settings.SITE_URL + "/", url)


def _summary_url(summary_id: int) -> str:
    return _absolute(reverse("summaries:detail", args=[summary_id]))


def _paper(paper: Paper) -> dict:
    return {
        "id": paper.pk,
        "title": paper.title,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "url": _absolute(paper.get_absolute_url()),
    }


# Deletion --------------------------------------------------------------------------------


def delete_account(user: User, *, keep_summaries: bool) -> None:
    """Delete the member's account, keeping their summaries as Anonymous
    (``keep_summaries``) or removing their summaries and comments.

    The user row stays, emptied, because flags, cases, the moderation log, votes and what
    the member chose to leave refer to it; ``deleted_at`` marks it, and ``display_name``
    then says "Former member". In one transaction:

    1. Lock the user row: a second request (a double click) waits, then finds the account
       deleted and does nothing.
    2. Their writing. Keeping: every summary turns anonymous and stays, comments stay.
       Removing: summaries are soft-deleted with their text and revisions erased; comments
       are deleted as the site's comment delete does (replies stay readable under
       "Comment deleted", counters stay right), then erased. Either way, what they had
       already deleted themselves is erased too.
    3. What is theirs alone goes: notifications to them, follows, e-mail addresses,
       social sign-ins, figures when their summaries go (files once the transaction
       commits, so a rollback loses none).
    4. The profile and the account are emptied; the password becomes unusable.

    Their sessions end without touching them: Django checks on every request that a
    session's password hash still matches the user's (the documented "session
    invalidation on password change"), and the sign-in backend refuses inactive users.
    Votes stay, so every score stays the sum of its votes.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().only("deleted_at").get(pk=user.pk)
        if locked.deleted_at is not None:
            return
        now = timezone.now()
        summaries = Summary.objects.filter(author=user)
        if keep_summaries:
            summaries.filter(deleted_at=None).update(is_anonymous=True)
            _erase_summaries(summaries.exclude(deleted_at=None))
            _erase_comments(Comment.objects.filter(author=user).exclude(deleted_at=None))
        else:
            summaries.filter(deleted_at=None).update(deleted_at=now)
            _erase_summaries(summaries)
            for comment in Comment.objects.filter(author=user, deleted_at=None).only(
                "pk", "summary_id", "hidden_at"
            ):
                delete_comment(comment)
            _erase_comments(Comment.objects.filter(author=user))
            _delete_figures(user)
        Notification.objects.filter(recipient=user).delete()
        Follow.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        profile = user.profile
        for field in PROFILE_IDENTITY_FIELDS:
            setattr(profile, field, "")
        profile.save(update_fields=PROFILE_IDENTITY_FIELDS)
        # A moderator who leaves stops being one; their log entries keep pointing here.
        user.groups.clear()
        user.user_permissions.clear()
        # A dot is outside what sign-up accepts (validate_username): nobody can take
        # this name first and block the deletion.
        user.username = f"deleted.{user.pk}"
        user.email = user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.deleted_at = now
        user.save(
            update_fields=[
                "username",
                "email",
                "first_name",
                "last_name",
                "password",
                "is_active",
                "is_staff",
                "is_superuser",
                "deleted_at",
            ]
        )


def _erase_summaries(summaries) -> None:
    Revision.objects.filter(summary__in=summaries).delete()
    summaries.update(body="", body_html="", share_token=None)


def _erase_comments(comments) -> None:
    comments.update(body="", body_html="")


def _delete_figures(user: User) -> None:
    figures = list(Figure.objects.filter(uploader=user))
    Figure.objects.filter(pk__in=[figure.pk for figure in figures]).delete()

    def delete_files():
        for figure in figures:
            figure.image.delete(save=False)

    transaction.on_commit(delete_files)
