"""The authorization matrix's tables, which tests/test_authorization.py checks: the
personas, the world each row acts on, each row's request, the answer every persona
gets from every view that takes a POST, and what a suspended member may still do."""

import datetime
import io
import types
from dataclasses import dataclass
from typing import NamedTuple

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import Notification, Profile, Suspension
from moderation import services as moderation
from moderation.models import Case, Flag, ModerationLog
from papers.models import Follow, Paper, PaperRedirect
from summaries.models import Comment, CommentVote, Figure, Summary, Vote

PERSONAS = ["anonymous", "other", "author", "suspended", "moderator"]
LOGIN = "login"  # 302 to the sign-in page, with ?next=
SUSPENDED = "suspended"  # 403 with the page that says why and until when
BIBTEX = "@article{lovelace1843, title={Notes on the Analytical Engine}, author={Ada Lovelace}, year={1843}}"  # noqa: E501 - one BibTeX entry, as pasted


# The world each row acts on --------------------------------------------------------------


@dataclass
class World:
    author: object
    other: object
    moderator: object
    member: object  # Eve: a member for moderators to suspend, who flags Ada's summary
    paper: Paper  # added by Ada
    summary: Summary  # Ada's public summary of the paper
    comment: Comment  # Ada's comment under her summary
    unsummarized: Paper  # a paper nobody has summarized
    case: Case  # Eve's flag on Ada's summary


def image_file() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(out, "PNG")
    return SimpleUploadedFile("figure.png", out.getvalue(), content_type="image/png")


def client_for(persona: str, world: World) -> Client:
    client = Client()
    if persona == "suspended":
        Suspension.objects.create(
            user=world.author,
            moderator=world.moderator,
            reason="Posting advertisements",
            ends_at=timezone.now() + datetime.timedelta(days=7),
        )
    user = {
        "anonymous": None,
        "other": world.other,
        "author": world.author,
        "suspended": world.author,
        "moderator": world.moderator,
    }[persona]
    if user is not None:
        client.force_login(user)
    return client


# What a refused request must leave alone.
WATCHED = [
    Profile,
    Summary,
    Comment,
    Vote,
    CommentVote,
    Flag,
    Case,
    ModerationLog,
    Suspension,
    Paper,
    PaperRedirect,
    Follow,
    Figure,
    Notification,
]


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED}


def assert_answer(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif expected == SUSPENDED:
        assert response.status_code == 403
        # The suspended page, or the form again with the same words and the text kept.
        assert "Your account is suspended" in response.content.decode()
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response["Location"].startswith("/accounts/login/")


# Each row's request: (url, data), made after the world and the persona exist -----------


def _mark_notifications_read(w):
    return "/users/notifications/read/", {}


def _edit_profile(w):
    return "/users/ada/edit/", {"display_name": "Ada L.", "bio": "Analyst."}


def _delete_account(w):
    return "/users/ada/delete/", {"summaries": "keep", "confirmation": "ada"}


def _preview(w):
    return "/summaries/preview/", {"body": "*Preview*"}


def _upload_figure(w):
    return "/summaries/figures/", {"image": image_file()}


def _write(w):
    return f"/summaries/new/{w.unsummarized.pk}/", {"body": "A new summary."}


def _edit(w):
    return f"/summaries/{w.summary.pk}/edit/", {"body": "Edited.", "base_version": "1"}


def _delete(w):
    return f"/summaries/{w.summary.pk}/delete/", {}


def _share(w):
    return f"/summaries/{w.summary.pk}/share/", {}


def _unshare(w):
    return f"/summaries/{w.summary.pk}/unshare/", {}


def _vote(w):
    return f"/summaries/{w.summary.pk}/vote/", {"value": "1"}


def _comment_vote(w):
    return f"/summaries/comments/{w.comment.pk}/vote/", {"value": "1"}


def _comment(w):
    return f"/summaries/{w.summary.pk}/comments/", {"body": "A comment."}


def _comment_edit(w):
    return f"/summaries/comments/{w.comment.pk}/edit/", {"body": "Edited comment."}


def _comment_delete(w):
    return f"/summaries/comments/{w.comment.pk}/delete/", {}


def _decide_case(w):
    return f"/moderation/cases/{w.case.pk}/", {
        "decide-decision": "dismiss",
        "decide-reason": "Not spam",
    }


def _flag(w):
    return f"/moderation/flag/summary/{w.summary.pk}/", {"reason": "spam"}


def _hide(w):
    return f"/moderation/summary/{w.summary.pk}/hide/", {"reason": "Spam"}


def _restore(w):
    moderation.hide(w.summary, w.moderator, "Spam")
    return f"/moderation/summary/{w.summary.pk}/restore/", {"reason": "Not spam"}


def _suspend(w):
    return "/moderation/users/eve/suspend/", {"reason": "Spam", "length": "7d"}


def _lift(w):
    moderation.suspend(w.member, w.moderator, "Spam", length=None)
    return "/moderation/users/eve/lift/", {"reason": "Apologised"}


def _add_paper(w):
    return "/papers/new/", {"title": "A New Paper", "authors": "Grace Hopper", "year": "1952"}


def _import(w):
    # Pasted BibTeX is read here, without a request to any source.
    return "/papers/import/", {"text": BIBTEX}


def _import_bibtex(w):
    return "/papers/import/bibtex/", {"text": BIBTEX, "chosen": ["0"]}


def _follow(w):
    return f"/papers/{w.paper.pk}/follow/", {}


def _unfollow(w):
    Follow.objects.create(user=w.author, paper=w.paper)
    return f"/papers/{w.paper.pk}/unfollow/", {}


class Row(NamedTuple):
    request: types.FunctionType
    anonymous: object
    other: object
    author: object
    suspended: object
    moderator: object


# Every view that takes a POST, by URL name. "author" owns what the row acts on; a
# suspended author may still delete what they wrote, leave, and manage share links and
# notifications: what they cannot do is add, follow, flag or moderate anything. Each
# suspended cell must be what the gate's marks make it (test_suspended_cells_...).
MATRIX = {
    # accounts
    "accounts:mark_notifications_read": Row(_mark_notifications_read, LOGIN, 302, 302, 302, 302),
    "accounts:edit_profile": Row(_edit_profile, LOGIN, 403, 302, SUSPENDED, 403),
    # "No suspension check: a suspended member may leave too"; nobody else may.
    "members:delete_account": Row(_delete_account, LOGIN, 403, 302, 302, 403),
    # summaries
    "summaries:preview": Row(_preview, LOGIN, 200, 200, SUSPENDED, 200),
    "summaries:upload_figure": Row(_upload_figure, LOGIN, 200, 200, SUSPENDED, 200),
    "summaries:write": Row(_write, LOGIN, 302, 302, SUSPENDED, 302),
    "summaries:edit": Row(_edit, LOGIN, 403, 302, SUSPENDED, 403),
    "summaries:delete": Row(_delete, LOGIN, 403, 302, 302, 403),
    "summaries:share": Row(_share, LOGIN, 403, 302, 302, 403),
    "summaries:unshare": Row(_unshare, LOGIN, 403, 302, 302, 403),
    # Nobody votes on their own: the suspension is what a suspended author hears first.
    "summaries:vote": Row(_vote, LOGIN, 302, 403, SUSPENDED, 302),
    "summaries:comment_vote": Row(_comment_vote, LOGIN, 302, 403, SUSPENDED, 302),
    "summaries:comment": Row(_comment, LOGIN, 302, 302, SUSPENDED, 302),
    "summaries:comment_edit": Row(_comment_edit, LOGIN, 403, 302, SUSPENDED, 403),
    "summaries:comment_delete": Row(_comment_delete, LOGIN, 403, 302, 302, 403),
    # moderation: for moderators only, but flagging (not one's own) and the log
    "moderation:case": Row(_decide_case, LOGIN, 403, 403, SUSPENDED, 302),
    # Nobody flags what they wrote: that answer comes before the suspension's.
    "moderation:flag": Row(_flag, LOGIN, 302, 403, 403, 302),
    "moderation:hide": Row(_hide, LOGIN, 403, 403, SUSPENDED, 302),
    "moderation:restore": Row(_restore, LOGIN, 403, 403, SUSPENDED, 302),
    "moderation:suspend": Row(_suspend, LOGIN, 403, 403, SUSPENDED, 302),
    "moderation:lift": Row(_lift, LOGIN, 403, 403, SUSPENDED, 302),
    # papers: the import pages answer with the form to confirm (200)
    "papers:add": Row(_add_paper, LOGIN, 302, 302, SUSPENDED, 302),
    "papers:import": Row(_import, LOGIN, 200, 200, SUSPENDED, 200),
    "papers:import_bibtex": Row(_import_bibtex, LOGIN, 302, 302, SUSPENDED, 302),
    "papers:follow": Row(_follow, LOGIN, 302, 302, SUSPENDED, 302),
    "papers:unfollow": Row(_unfollow, LOGIN, 302, 302, SUSPENDED, 302),
}

# Views that answer a POST but change nothing, with the reason.
HARMLESS_POSTS = {
    "rss.xml": "a RedirectView: a POST is redirected like a GET",
}

# The views that take nothing but POST.
POST_ONLY = {
    "accounts:mark_notifications_read",
    "summaries:preview",
    "summaries:share",
    "summaries:unshare",
    "summaries:vote",
    "summaries:comment_vote",
    "summaries:comment",
    "moderation:lift",
    "papers:import",
    "papers:import_bibtex",
    "papers:follow",
    "papers:unfollow",
}


# What a suspended member may still change, and why. Any other write view is closed to
# them: by the gate itself, or by the view through write_refused (accounts/gate.py).
ALLOWED_WHILE_SUSPENDED = {
    "accounts:mark_notifications_read": "reading their own notifications",
    "members:delete_account": "leaving the site",
    "summaries:delete": "taking back what they wrote",
    "summaries:comment_delete": "taking back what they wrote",
    "summaries:share": "a private summary's link, which publishes nothing",
    "summaries:unshare": "a private summary's link, which publishes nothing",
}


# Views that refuse the author for another reason before they ask about a suspension.
REFUSED_BEFORE_THE_SUSPENSION = {"moderation:flag": "nobody flags what they wrote"}
