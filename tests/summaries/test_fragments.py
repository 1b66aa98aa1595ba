"""Parts of pages shared between signed-in readers (summaries.fragments): each reader
gets the page they would get without them, with their own token, votes and links."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from summaries import fragments
from tests.factories import (
    CommentFactory,
    CommentVoteFactory,
    PaperFactory,
    SummaryFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.integration,
    pytest.mark.usefixtures("page_cache"),
]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
QUERIES = 10
NAMES = ("filler", "erin", "bob", "carol", "dave")


@pytest.fixture
def members(db):
    return {name: UserFactory(username=name) for name in NAMES}


@pytest.fixture
def discussed(author, members, moderator):
    """A summary whose comments belong to, were voted on by, or were hidden from
    different readers: carol wrote c1 and the hidden c4, dave the reply c2 and the
    deleted c6, bob wrote c3 and upvoted c1."""
    summary = SummaryFactory(author=author, body="Attention is all you need: $QK^T$.")
    c1 = CommentFactory(summary=summary, author=members["carol"], body="First, $\\alpha$.")
    CommentFactory(summary=summary, author=members["dave"], parent=c1, body="A reply.")
    CommentFactory(summary=summary, author=members["bob"], body="Bob's own view.")
    CommentFactory(
        summary=summary,
        author=members["carol"],
        body="Carol's hidden remark.",
        hidden_at=timezone.now(),
        hidden_by=moderator,
    )
    CommentFactory(summary=summary, author=author, body="The author answers.")
    CommentFactory(
        summary=summary, author=members["dave"], body="Withdrawn.", deleted_at=timezone.now()
    )
    CommentVoteFactory(comment=c1, user=members["bob"])
    return summary


def _reader(user) -> Client:
    client = Client()
    if user is None:
        # A visitor with a session (a sign-out leaves one): no page cache for them.
        client.cookies["sessionid"] = "none"
    else:
        client.force_login(user)
    return client


def _page(client, url) -> tuple[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub("TOKEN", response.content.decode()), [t.name for t in response.templates]


def _fill(url, members) -> None:
    """Have the page's shared parts rendered for each role: a visitor, a member."""
    _page(_reader(None), url)
    _page(_reader(members["filler"]), url)


def _readers(author, members, moderator):
    return {
        "visitor": None,
        "erin": members["erin"],
        "bob": members["bob"],
        "carol": members["carol"],
        "dave": members["dave"],
        "the summary's author": author,
        "moderator": moderator,
    }


@pytest.mark.parametrize("is_anonymous", [False, True])
@pytest.mark.parametrize(
    "name", ["visitor", "erin", "bob", "carol", "dave", "the summary's author", "moderator"]
)
def test_each_reader_gets_the_summary_page_they_would_get_without_shared_parts(
    settings, discussed, author, members, moderator, name, is_anonymous
):
    discussed.is_anonymous = is_anonymous
    discussed.save(update_fields=["is_anonymous"])
    reader = _readers(author, members, moderator)[name]
    url = discussed.get_absolute_url()
    settings.PAGE_CACHE_SECONDS = 0
    alone, _ = _page(_reader(reader), url)
    settings.PAGE_CACHE_SECONDS = 60
    _fill(url, members)

    shared, templates = _page(_reader(reader), url)

    assert shared == alone
    if name in ("visitor", "erin"):
        # Nothing of theirs on the page: every comment came from the cache.
        assert "summaries/_comment.html" not in templates


def test_a_member_sees_their_upvote_and_own_comment_in_the_shared_thread(discussed, members):
    url = discussed.get_absolute_url()
    _page(_reader(members["filler"]), url)

    bob, templates = _page(_reader(members["bob"]), url)
    erin, _ = _page(_reader(members["erin"]), url)

    # c1 (upvoted) and c3 (written) rendered for bob, the rest from the cache.
    assert templates.count("summaries/_comment.html") == 2
    assert bob.count('aria-pressed="true"') == 1
    assert erin.count('aria-pressed="true"') == 0
    own = discussed.comments.get(body="Bob's own view.")
    assert f'href="/summaries/comments/{own.pk}/edit/"' in bob
    assert f'href="/summaries/comments/{own.pk}/edit/"' not in erin


def test_forms_in_shared_parts_carry_the_readers_own_token(discussed, members):
    url = discussed.get_absolute_url()
    _reader(members["filler"]).get(url)
    erin = Client(enforce_csrf_checks=True)
    erin.force_login(members["erin"])
    page = erin.get(url).content.decode()
    assert fragments.placeholder() not in page
    top = discussed.comments.get(body="First, $\\alpha$.")
    # The reply form under c1, from the thread the filler's request rendered.
    form = re.search(
        rf'name="csrfmiddlewaretoken" value="([^"]+)">\s*<input[^>]+value="{top.pk}"', page
    )

    answer = erin.post(
        f"/summaries/{discussed.pk}/comments/",
        {"body": "Erin replies.", "parent": top.pk, "csrfmiddlewaretoken": form.group(1)},
    )

    assert answer.status_code == 302
    assert discussed.comments.filter(author=members["erin"], parent=top).exists()


def test_a_new_comment_shows_in_the_shared_thread_at_once(discussed, members):
    url = discussed.get_absolute_url()
    erin = _reader(members["erin"])
    before, _ = _page(erin, url)

    _reader(members["dave"]).post(
        f"/summaries/{discussed.pk}/comments/", {"body": "Dave adds a *new* point."}
    )
    after, _ = _page(erin, url)

    assert "new</em> point" not in before
    assert "new</em> point" in after


@pytest.mark.parametrize("tab", ["recent", "best"])
@pytest.mark.parametrize("name", ["visitor", "erin", "bob", "moderator"])
def test_each_reader_gets_the_home_page_they_would_get_without_shared_parts(
    settings, members, moderator, name, tab
):
    mine = SummaryFactory(author=members["bob"], body="Bob on *batch norm*.")
    voted = SummaryFactory(body="On $\\epsilon$-greedy exploration.")
    SummaryFactory(body="A third, on dropout.", is_anonymous=True)
    VoteFactory(summary=voted, user=members["bob"], value=-1)
    reader = {"visitor": None, "moderator": moderator} | members
    url = f"/?tab={tab}"
    settings.PAGE_CACHE_SECONDS = 0
    alone, _ = _page(_reader(reader[name]), url)
    settings.PAGE_CACHE_SECONDS = 60
    _fill(url, members)

    shared, templates = _page(_reader(reader[name]), url)

    assert shared == alone
    rendered = templates.count("summaries/_listing_item.html")
    assert rendered == {"visitor": 0, "erin": 0, "bob": 2, "moderator": 3}[name]
    assert mine.paper.title in shared


@pytest.mark.parametrize("name", ["erin", "bob", "the paper's summary author"])
def test_each_reader_gets_the_paper_page_they_would_get_without_shared_parts(
    settings, members, author, name
):
    paper = PaperFactory()
    SummaryFactory(paper=paper, author=author, body="Ada's view.")
    voted = SummaryFactory(paper=paper, body="Another view.")
    VoteFactory(summary=voted, user=members["bob"])
    reader = members | {"the paper's summary author": author}
    url = paper.get_absolute_url()
    settings.PAGE_CACHE_SECONDS = 0
    alone, _ = _page(_reader(reader[name]), url)
    settings.PAGE_CACHE_SECONDS = 60
    _page(_reader(members["filler"]), url)

    shared, _ = _page(_reader(reader[name]), url)

    assert shared == alone


def test_a_members_summary_page_costs_the_same_queries_for_3_or_30_comments(
    author, members, django_assert_num_queries
):
    readers = []
    for count in (3, 30):
        summary = SummaryFactory(author=author)
        CommentFactory.create_batch(count, summary=summary, author=members["carol"])
        _reader(members["filler"]).get(summary.get_absolute_url())
        readers.append((_reader(members["erin"]), summary.get_absolute_url()))

    for erin, url in readers:
        # The session, the member, their rights, their notifications; the summary,
        # its paper, the paper's authors and keywords; erin's votes and comments there.
        with django_assert_num_queries(QUERIES):
            erin.get(url)


def test_a_thread_is_kept_for_members_when_the_first_reader_has_comments_there(discussed, members):
    url = discussed.get_absolute_url()

    bob, bob_templates = _page(_reader(members["bob"]), url)
    erin, erin_templates = _page(_reader(members["erin"]), url)

    # bob's request rendered the thread for a plain member (4 comments: the hidden and
    # the deleted one drop out) and his own two again; erin's came whole from the cache,
    # without bob's upvote or edit link.
    assert bob_templates.count("summaries/_comment.html") == 4 + 2
    assert "summaries/_comment.html" not in erin_templates
    assert bob.count('aria-pressed="true"') == 1
    assert erin.count('aria-pressed="true"') == 0
    own = discussed.comments.get(body="Bob's own view.")
    assert f'href="/summaries/comments/{own.pk}/edit/"' not in erin
