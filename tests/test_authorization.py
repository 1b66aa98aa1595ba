"""The authorization matrix: every view that changes data, for every persona.

The URL resolver is walked (through every include but allauth's and the admin's), and
each view that can take a POST must have a row in the matrix, so a new write view fails
here until someone decides who may use it. Each row answers, for a visitor, another
member, the author (who owns the objects the row acts on), the author while suspended,
and a moderator: the exact status, and for every refusal that nothing in the database
moved. The tables (personas, rows, who may do what) are in tests/authorization.py.
"""

import inspect
import types
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.gate import gate_of
from moderation import services as moderation
from moderation.models import FlagReason
from summaries.models import Summary
from summaries.services import add_comment
from tests.authorization import (
    ALLOWED_WHILE_SUSPENDED,
    HARMLESS_POSTS,
    LOGIN,
    MATRIX,
    PERSONAS,
    POST_ONLY,
    REFUSED_BEFORE_THE_SUSPENSION,
    SUSPENDED,
    Row,
    World,
    assert_answer,
    client_for,
    snapshot,
)
from tests.factories import PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings, tmp_path):
    """Rate limits have their own tests; here every persona's one post goes through.
    Uploaded figures go to a temporary folder."""
    settings.ACCOUNT_RATE_LIMITS = False
    settings.MEDIA_ROOT = tmp_path


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
