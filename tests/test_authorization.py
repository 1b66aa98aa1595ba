"""The authorization matrix: every view that changes data, for every persona.

The URL resolver is walked (through every include but allauth's and the admin's), and
each view that can take a POST must have a row below, so a new write view fails here
until someone decides who may use it. Each row answers, for a visitor, another member,
the author (who owns the objects the row acts on), the author while suspended, and a
moderator: the exact status, and for every refusal that nothing in the database moved.
"""

import datetime
import inspect
import io
import types
from dataclasses import dataclass
from typing import NamedTuple

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image

from accounts.gate import gate_of
from accounts.models import Notification, Profile, Suspension
from moderation import services as moderation
from moderation.models import Case, Flag, FlagReason, ModerationLog
from papers.models import Follow, Paper, PaperRedirect
from summaries.models import Comment, CommentVote, Figure, Summary, Vote
from summaries.services import add_comment
from tests.factories import PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

PERSONAS = ["anonymous", "other", "author", "suspended", "moderator"]
LOGIN = "login"  # 302 to the sign-in page, with ?next=
SUSPENDED = "suspended"  # 403 with the page that says why and until when
BIBTEX = "@article{lovelace1843, title={Notes on the Analytical Engine}, author={Ada Lovelace}, year={1843}}"  # noqa: E501 - one BibTeX entry, as pasted


@pytest.fixture(autouse=True)
def _no_rate_limits(settings, tmp_path):
    """Rate limits have their own tests; here every persona's one post goes through.
    Uploaded figures go to a temporary folder."""
    settings.ACCOUNT_RATE_LIMITS = False
    settings.MEDIA_ROOT = tmp_path


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


@pytest.fixture
def world(author, other_user, moderator):
    member = UserFactory(username="eve")
    paper = PaperFactory(title="Attention Is All You Need", added_by=author)
    summary = SummaryFactory(paper=paper, author=author)
    comment = add_comment(author, summary, body="A note on the second section.")
    moderation.flag(member, summary, reason=FlagReason.SPAM)
    # Bob's comment gives Ada an unread notification; the header counts it.
    add_comment(other_user, summary, body="Thanks, Ada.")
    return World(
        author=author,
        other=other_user,
        moderator=moderator,
        member=member,
        paper=paper,
        summary=summary,
        comment=comment,
        unsummarized=PaperFactory(title="Unsummarized"),
        case=moderation.open_case(summary),
    )


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


MATRIX_CELLS = [
    pytest.param(name, persona, getattr(row, persona), id=f"{name}-{persona}")
    for name, row in MATRIX.items()
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "persona", "expected"), MATRIX_CELLS)
def test_authorization_matrix(world, name, persona, expected):
    client = client_for(persona, world)
    url, data = MATRIX[name].request(world)
    before = snapshot()

    response = client.post(url, data)

    assert_answer(response, expected)
    if expected in (LOGIN, SUSPENDED, 403, 404):
        assert snapshot() == before


# Private and hidden things are not there for those who may not see them ---------------


def _private(w):
    Summary.objects.filter(pk=w.summary.pk).update(is_private=True)


def _hidden(w):
    moderation.hide(w.summary, w.moderator, "Spam")


def _hidden_comment(w):
    moderation.hide(w.comment, w.moderator, "Spam")


def _comment_under_private_summary(w):
    # Ada's comment stays; the summary it is under turns private.
    Summary.objects.filter(pk=w.summary.pk).update(is_private=True)


def _no_such_member(w):
    w.author.is_active = False
    w.author.save()


NOT_THERE = [
    ("summaries:edit", _private, "other"),
    ("summaries:delete", _private, "other"),
    ("summaries:share", _private, "other"),
    ("summaries:unshare", _private, "other"),
    ("summaries:vote", _private, "other"),
    ("summaries:comment", _private, "other"),
    ("moderation:flag", _private, "other"),
    ("summaries:edit", _hidden, "other"),
    ("summaries:delete", _hidden, "other"),
    ("summaries:share", _hidden, "other"),
    ("summaries:vote", _hidden, "other"),
    ("summaries:comment", _hidden, "other"),
    ("moderation:flag", _hidden, "other"),
    # Hidden or private summaries take votes from nobody, not even those who see them.
    ("summaries:vote", _hidden, "author"),
    ("summaries:vote", _hidden, "moderator"),
    ("summaries:vote", _private, "author"),
    ("summaries:comment_vote", _hidden_comment, "other"),
    ("summaries:comment_vote", _hidden_comment, "moderator"),
    ("summaries:comment_vote", _comment_under_private_summary, "other"),
    ("summaries:comment_edit", _hidden_comment, "other"),
    ("summaries:comment_delete", _hidden_comment, "other"),
    ("summaries:comment_edit", _comment_under_private_summary, "other"),
    ("summaries:comment_delete", _comment_under_private_summary, "other"),
    ("accounts:edit_profile", _no_such_member, "other"),
    ("members:delete_account", _no_such_member, "other"),
]


@pytest.mark.parametrize(
    ("name", "make_unseen", "persona"),
    [
        pytest.param(
            name,
            make,
            persona,
            id=f"{name}-{make.__name__.strip('_').replace('_', '-')}-{persona}",
        )
        for name, make, persona in NOT_THERE
    ],
)
def test_what_a_persona_cannot_see_answers_404(world, name, make_unseen, persona):
    client = client_for(persona, world)
    url, data = MATRIX[name].request(world)
    make_unseen(world)
    before = snapshot()

    response = client.post(url, data)

    assert response.status_code == 404
    assert snapshot() == before


# Moderator pages refuse before they look anything up ------------------------------------

UNKNOWN_TARGETS = [
    pytest.param("/moderation/", 200, id="queue"),
    pytest.param("/moderation/cases/999999/", 404, id="case"),
    pytest.param("/moderation/summary/999999/hide/", 404, id="hide-summary"),
    pytest.param("/moderation/comment/999999/restore/", 404, id="restore-comment"),
    pytest.param("/moderation/vote/999999/hide/", 404, id="hide-unknown-kind"),
    pytest.param("/moderation/users/nobody/suspend/", 404, id="suspend"),
    pytest.param("/moderation/users/nobody/lift/", 404, id="lift"),
]


@pytest.mark.parametrize(("url", "for_moderators"), UNKNOWN_TARGETS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_moderator_pages_refuse_others_even_for_what_does_not_exist(
    world, url, for_moderators, persona
):
    client = client_for(persona, world)

    response = client.post(url, {"reason": "Spam"})

    assert_answer(response, {"anonymous": LOGIN, "moderator": for_moderators}.get(persona, 403))


# What the resolver holds -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself when unnamed
    callback: object


def routes(patterns=None, namespace=""):
    """Every URL pattern of ours: through includes, but not into allauth's or the admin's."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            module = pattern.urlconf_module
            if (
                getattr(module, "__name__", "").startswith("allauth")
                or pattern.app_name == "admin"
            ):
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(name or str(pattern.pattern), pattern.callback)


def _wrapped_chain(view):
    while view is not None:
        yield view
        view = getattr(view, "__wrapped__", None)


def allowed_methods(view) -> list[str] | None:
    """The methods require_http_methods (require_POST) lets through, or None for all."""
    for function in _wrapped_chain(view):
        try:
            closure = inspect.getclosurevars(function).nonlocals
        except TypeError:
            continue
        if "request_method_list" in closure:
            return closure["request_method_list"]
    return None


# What a function view reads off the request when it handles a post.
REQUEST_DATA = {"POST", "FILES", "method"}


def _names_in(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names_in(constant)
    return names


def reads_posted_data(view, seen=None) -> bool:
    """Whether the view, or a helper in its own module that it calls, looks at
    request.POST, request.FILES or request.method: read from the compiled code, so it
    holds however the view is written."""
    seen = set() if seen is None else seen
    for function in _wrapped_chain(view):
        code = getattr(function, "__code__", None)
        if code is None or function in seen:
            continue
        seen.add(function)
        names = _names_in(code)
        if names & REQUEST_DATA:
            return True
        helpers = (function.__globals__.get(name) for name in names)
        if any(
            isinstance(helper, types.FunctionType)
            and helper.__module__ == function.__module__
            and reads_posted_data(helper, seen)
            for helper in helpers
        ):
            return True
    return False


def takes_post(view) -> bool:
    if view_class := getattr(view, "view_class", None):
        return hasattr(view_class, "post")
    methods = allowed_methods(view)
    if methods is not None:
        return "POST" in methods
    return reads_posted_data(view)


def test_every_view_that_takes_a_post_has_a_row_in_the_matrix():
    found = {route.name for route in routes() if takes_post(route.callback)}

    assert found == set(MATRIX) | set(HARMLESS_POSTS)


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


def expected_for_suspended(name, view, row: Row):
    """The suspended author's answer, from the gate's mark on the view: what the author
    gets where the view is open to them, else the suspension (but for the views above)."""
    if gate_of(view) == "open" or name in REFUSED_BEFORE_THE_SUSPENSION:
        return row.author
    return SUSPENDED


def test_suspended_cells_follow_from_the_gate():
    views = {route.name: route.callback for route in routes()}

    cells = {name: row.suspended for name, row in MATRIX.items()}
    derived = {
        name: expected_for_suspended(name, views[name], row) for name, row in MATRIX.items()
    }

    assert cells == derived


def test_the_views_open_to_suspended_members_are_the_ones_decided():
    open_views = {
        route.name
        for route in routes()
        if takes_post(route.callback) and gate_of(route.callback) == "open"
    }

    assert open_views == set(ALLOWED_WHILE_SUSPENDED)


def test_views_that_refuse_suspended_members_themselves_call_write_refused():
    refusing = {
        route.name: route.callback
        for route in routes()
        if takes_post(route.callback) and gate_of(route.callback) == "in view"
    }

    missing = sorted(name for name, view in refusing.items() if not calls_write_refused(view))

    assert missing == []
    assert len(refusing) == 13


def calls_write_refused(view) -> bool:
    return any(
        "write_refused" in _names_in(function.__code__)
        for function in _wrapped_chain(view)
        if hasattr(function, "__code__")
    )


def test_the_walk_sees_read_only_pages_as_read_only():
    found = {route.name: takes_post(route.callback) for route in routes()}

    for name in ("home", "summaries:detail", "moderation:queue", "moderation:log", "papers:list"):
        assert found[name] is False, name


def test_post_only_views_are_the_ones_the_resolver_says():
    post_only = {route.name for route in routes() if allowed_methods(route.callback) == ["POST"]}

    assert post_only == POST_ONLY


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_get_on_a_post_only_view_is_405(world, name):
    url, _ = MATRIX[name].request(world)
    client = client_for("moderator", world)
    before = snapshot()

    response = client.get(url)

    assert response.status_code == 405
    assert snapshot() == before


def test_every_moderation_view_but_flag_and_log_requires_a_moderator():
    views = {
        route.name: route.callback for route in routes() if route.name.startswith("moderation:")
    }

    guarded = sorted(
        name for name, view in views.items() if getattr(view, "requires_moderator", False)
    )

    assert guarded == sorted(set(views) - {"moderation:flag", "moderation:log"})
    assert set(views) >= {"moderation:flag", "moderation:log", "moderation:queue"}
