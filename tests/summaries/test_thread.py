"""A summary's comment thread on its page (summaries.threads): pages of top-level
comments, the one reply form, comments' permalinks, what each reader may do with each
comment, rendered for them on every request, and the comments' texts in the cache."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.utils import timezone

from accounts.models import Profile, Suspension, User
from moderation import services as moderation
from summaries.models import Comment
from summaries.services import add_comment, edit_comment
from summaries.threads import COMMENTS_PER_PAGE, text_key, thread_page
from tests.factories import CommentFactory, CommentVoteFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def page_url(summary, query=""):
    return f"/summaries/{summary.pk}/{query}"


def post_url(summary):
    return f"/summaries/{summary.pk}/comments/"


def article(html: str, comment) -> str:
    """The HTML of one comment on the page."""
    match = re.search(
        rf'<article class="[^"]*" id="comment-{comment.pk}">.*?</article>', html, re.S
    )
    assert match, f"comment {comment.pk} is not on the page"
    return match.group(0)


def actions(html: str, comment) -> list[str]:
    """What the reader may do with a comment, as its footer offers it."""
    footer = re.search(
        r'<footer class="comment__actions">(.*?)</footer>', article(html, comment), re.S
    )
    found = []
    if 'aria-label="Vote up"' in footer.group(1):
        pressed = 'aria-pressed="true"' in footer.group(1)
        found.append("unvote" if pressed else "vote")
    found += re.findall(r"<a [^>]*>([^<]+)</a>", footer.group(1))
    return found


def top_level(summary, count, author) -> list[Comment]:
    return [
        CommentFactory(summary=summary, author=author, body=f"Point {n}.") for n in range(count)
    ]


@pytest.fixture
def carol(db):
    return UserFactory(username="carol")


@pytest.fixture
def discussed(summary, other_user, carol):
    """Ada's summary: bob's comment, carol's reply to it."""
    top = add_comment(other_user, summary, body="Which dataset?")
    add_comment(carol, summary, body="ImageNet, I think.", parent=top)
    return summary


# The reply form ------------------------------------------------------------------------


def test_a_page_has_reply_links_and_no_reply_form_until_one_is_chosen(
    client, discussed, other_user, carol
):
    client.force_login(carol)
    top, reply = Comment.objects.order_by("pk")

    html = client.get(page_url(discussed)).content.decode()

    assert 'id="reply-form"' not in html
    assert html.count('id="comment-form"') == 1
    assert (
        f'<a href="{page_url(discussed)}?page=1&amp;reply={top.pk}#reply-form">reply</a>'
        in article(html, top)
    )
    assert (
        f'<a href="{page_url(discussed)}?page=1&amp;reply={reply.pk}#reply-form">reply</a>'
        in article(html, reply)
    )


def test_the_reply_form_appears_once_under_the_chosen_comment(client, discussed, carol):
    client.force_login(carol)
    top, reply = Comment.objects.order_by("pk")

    html = client.get(page_url(discussed, f"?reply={top.pk}")).content.decode()

    assert html.count('id="reply-form"') == 1
    after_top = html.split(article(html, top), 1)[1]
    form = after_top.split(article(html, reply), 1)[0]
    assert 'id="reply-form"' in form
    assert f'<input type="hidden" name="parent" value="{top.pk}">' in form
    assert '<label for="reply-body">Your reply</label>' in form
    assert html.count('id="id_body"') == 1  # the comment form's, at the end


def test_the_reply_form_can_answer_a_reply(client, discussed, other_user):
    client.force_login(other_user)
    _, reply = Comment.objects.order_by("pk")

    html = client.get(page_url(discussed, f"?reply={reply.pk}")).content.decode()
    posted = client.post(post_url(discussed), {"body": "Thanks, carol.", "parent": reply.pk})

    assert (
        f'<input type="hidden" name="parent" value="{reply.pk}">'
        in html.split(article(html, reply), 1)[1]
    )
    answer = Comment.objects.latest("pk")
    assert (answer.parent_id, answer.reply_to.username) == (reply.parent_id, "carol")
    assert posted["Location"] == f"/summaries/{discussed.pk}/#comment-{answer.pk}"


@pytest.mark.parametrize("target", ["hidden", "deleted", "elsewhere", "nonsense"])
def test_no_reply_form_for_a_comment_that_takes_no_reply(
    client, discussed, other_user, carol, moderator, target
):
    hidden = add_comment(carol, discussed, body="Buy my course.")
    moderation.hide(hidden, moderator, "Spam")
    deleted = CommentFactory(summary=discussed, author=carol, deleted_at=timezone.now())
    elsewhere = CommentFactory(summary=SummaryFactory(), author=carol)
    pk = {"hidden": hidden.pk, "deleted": deleted.pk, "elsewhere": elsewhere.pk}.get(target, "x")
    client.force_login(moderator)  # who sees the hidden comment

    html = client.get(page_url(discussed, f"?reply={pk}")).content.decode()

    assert 'id="reply-form"' not in html
    assert html.count('id="comment-form"') == 1


def test_visitors_get_a_sign_in_link_that_comes_back_to_the_reply_form(client, discussed):
    top, _ = Comment.objects.order_by("pk")

    html = client.get(page_url(discussed)).content.decode()

    back = f"/summaries/{discussed.pk}/%3Fpage%3D1%26reply%3D{top.pk}%23reply-form"
    assert f'<a href="/accounts/login/?next={back}">reply</a>' in article(html, top)
    assert 'id="reply-form"' not in html
    assert 'id="comment-form"' not in html


def test_a_refused_reply_comes_back_under_its_comment_with_the_text(client, discussed, carol):
    client.force_login(carol)
    top, reply = Comment.objects.order_by("pk")

    response = client.post(post_url(discussed), {"body": "y" * 10_001, "parent": top.pk})

    html = response.content.decode()
    assert response.status_code == 400
    assert html.count('id="reply-form"') == 1
    form = html.split(article(html, top), 1)[1].split(article(html, reply), 1)[0]
    assert "y" * 10_001 in form
    assert "y" * 10_001 not in html.split('id="comment-form"', 1)[1]
    assert Comment.objects.count() == 2


def test_a_refused_reply_on_a_later_page_comes_back_on_that_page(client, summary, other_user):
    comments = top_level(summary, COMMENTS_PER_PAGE + 1, other_user)
    last = comments[-1]
    client.force_login(other_user)

    response = client.post(post_url(summary), {"body": "", "parent": last.pk})

    html = response.content.decode()
    assert response.context["page"].number == 2
    assert f'<input type="hidden" name="parent" value="{last.pk}">' in html
    assert "The comment is empty." in html.split('id="reply-form"', 1)[1].split("</form>")[0]


def test_a_suspended_members_reply_is_refused_with_the_text_kept(
    client, discussed, carol, moderator
):
    Suspension.objects.create(
        user=carol,
        moderator=moderator,
        reason="Spam",
        ends_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(carol)
    top, _ = Comment.objects.order_by("pk")

    response = client.post(post_url(discussed), {"body": "Let me in.", "parent": top.pk})

    form = response.content.decode().split('id="reply-form"', 1)[1].split("</form>")[0]
    assert response.status_code == 403
    assert "Let me in." in form
    assert "Your account is suspended until" in form
    assert Comment.objects.count() == 2


def test_a_reply_to_a_comment_that_went_comes_back_in_the_comment_form(
    client, discussed, carol, other_user
):
    top, _ = Comment.objects.order_by("pk")
    Comment.objects.filter(pk=top.pk).update(deleted_at=timezone.now())
    client.force_login(carol)

    response = client.post(post_url(discussed), {"body": "Too late?", "parent": top.pk})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="reply-form"' not in html
    comment_form = html.split('id="comment-form"', 1)[1]
    assert "The comment you replied to is no longer there." in comment_form
    assert "Too late?" in comment_form


# Pages of top-level comments -------------------------------------------------------------


def test_a_page_holds_its_top_level_comments_with_all_their_replies(client, summary, carol):
    comments = top_level(summary, COMMENTS_PER_PAGE + 1, carol)
    replies = [CommentFactory(summary=summary, author=carol, parent=comments[-1]) for _ in (1, 2)]

    first = client.get(page_url(summary))
    second = client.get(page_url(summary, "?page=2"))

    assert first.context["comments"] == comments[:COMMENTS_PER_PAGE]
    assert second.context["comments"] == comments[COMMENTS_PER_PAGE:]
    assert second.context["comments"][0].thread_replies == replies
    assert (
        f'<a rel="next" href="/summaries/{summary.pk}/?page=2#comments">Next</a>'
        in first.content.decode()
    )
    assert "<span>Page 2 of 2</span>" in second.content.decode()
    assert (
        f'<a rel="prev" href="/summaries/{summary.pk}/?page=1#comments">Previous</a>'
        in second.content.decode()
    )


def test_one_page_of_comments_has_no_page_links(client, summary, carol):
    top_level(summary, COMMENTS_PER_PAGE, carol)

    response = client.get(page_url(summary))

    assert len(response.context["comments"]) == COMMENTS_PER_PAGE
    assert 'class="pagination"' not in response.content.decode()


@pytest.mark.parametrize(("asked", "shown"), [("3", 2), ("0", 2), ("x", 1), ("", 1)])
def test_a_page_past_the_end_is_the_last_and_nonsense_the_first(
    client, summary, carol, asked, shown
):
    top_level(summary, COMMENTS_PER_PAGE + 1, carol)

    response = client.get(page_url(summary, f"?page={asked}"))

    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_pages_are_cut_the_same_for_every_reader(client, summary, carol, moderator):
    comments = top_level(summary, COMMENTS_PER_PAGE + 1, carol)
    moderation.hide(comments[0], moderator, "Off-topic")

    as_visitor = client.get(page_url(summary, "?page=2")).context["comments"]
    client.force_login(moderator)
    as_moderator = client.get(page_url(summary, "?page=2")).context["comments"]

    assert as_visitor == as_moderator == [comments[-1]]


# Permalinks ------------------------------------------------------------------------------


def test_a_comments_permalink_goes_to_the_page_that_holds_it(client, summary, carol):
    comments = top_level(summary, COMMENTS_PER_PAGE + 1, carol)
    reply = CommentFactory(summary=summary, author=carol, parent=comments[-1])

    first = client.get(comments[0].get_absolute_url())
    last = client.get(comments[-1].get_absolute_url())
    replied = client.get(reply.get_absolute_url())

    assert comments[0].get_absolute_url() == f"/summaries/comments/{comments[0].pk}/"
    assert first["Location"] == f"/summaries/{summary.pk}/#comment-{comments[0].pk}"
    assert last["Location"] == f"/summaries/{summary.pk}/?page=2#comment-{comments[-1].pk}"
    assert replied["Location"] == f"/summaries/{summary.pk}/?page=2#comment-{reply.pk}"
    assert f'id="comment-{reply.pk}"' in client.get(replied["Location"]).content.decode()


def test_posting_and_editing_go_to_the_page_that_holds_the_comment(client, summary, carol):
    top_level(summary, COMMENTS_PER_PAGE, carol)
    client.force_login(carol)

    posted = client.post(post_url(summary), {"body": "The fifty-first."})
    comment = Comment.objects.latest("pk")
    edited = client.post(f"/summaries/comments/{comment.pk}/edit/", {"body": "The 51st."})

    assert posted["Location"] == f"/summaries/{summary.pk}/?page=2#comment-{comment.pk}"
    assert edited["Location"] == posted["Location"]


@pytest.mark.parametrize("what", ["hidden comment", "private summary"])
def test_a_permalink_is_404_where_the_reader_may_not_see_the_comment(
    client, summary, carol, moderator, what
):
    comment = add_comment(carol, summary, body="Hmm.")
    if what == "hidden comment":
        moderation.hide(comment, moderator, "Rude")
    else:
        summary.is_private = True
        summary.save(update_fields=["is_private"])

    response = client.get(comment.get_absolute_url())

    assert response.status_code == 404


def test_a_permalink_is_a_page_to_read(client, summary, carol):
    comment = add_comment(carol, summary, body="Hmm.")
    client.force_login(carol)

    response = client.post(comment.get_absolute_url())

    assert response.status_code == 405


# What each reader may do -------------------------------------------------------------------


@pytest.fixture
def anonymous_summary(author, paper, other_user):
    """Ada's anonymous summary: bob's comment, Ada's reply to it, bob's answer to Ada."""
    summary = SummaryFactory(paper=paper, author=author, is_anonymous=True)
    top = add_comment(other_user, summary, body="Who are you?")
    ada = add_comment(author, summary, body="The author.", parent=top)
    add_comment(other_user, summary, body="Hello, author.", parent=ada)
    return summary


READERS = ["visitor", "member", "bob", "ada", "moderator", "suspended"]


def reader_client(client, request, name):
    users = {
        "member": "carol",
        "bob": "other_user",
        "ada": "author",
        "moderator": "moderator",
        "suspended": "carol",
    }
    if name == "visitor":
        return client
    user = request.getfixturevalue(users[name])
    if name == "suspended":
        Suspension.objects.create(
            user=user,
            moderator=request.getfixturevalue("moderator"),
            reason="Spam",
            ends_at=timezone.now() + datetime.timedelta(days=1),
        )
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("reader", "on_bobs", "on_adas"),
    [
        ("visitor", ["reply"], ["reply"]),
        ("member", ["unvote", "reply", "flag"], ["vote", "reply", "flag"]),
        ("suspended", ["unvote", "reply", "flag"], ["vote", "reply", "flag"]),
        ("bob", ["reply", "edit", "delete"], ["vote", "reply", "flag"]),
        ("ada", ["vote", "reply", "flag"], ["reply", "edit", "delete"]),
        (
            "moderator",
            ["vote", "reply", "flag", "hide (moderator)"],
            ["vote", "reply", "flag", "hide (moderator)"],
        ),
    ],
)
def test_each_reader_is_offered_what_they_may_do_with_each_comment(
    client, request, anonymous_summary, carol, reader, on_bobs, on_adas
):
    bobs, adas, _ = Comment.objects.order_by("pk")
    CommentVoteFactory(comment=bobs, user=carol)
    reader = reader_client(client, request, reader)

    html = reader.get(page_url(anonymous_summary)).content.decode()

    assert actions(html, bobs) == on_bobs
    assert actions(html, adas) == on_adas


@pytest.mark.parametrize("reader", READERS)
def test_the_anonymous_summarys_author_stays_anonymous_in_the_thread(
    client, request, anonymous_summary, reader
):
    _, adas, answer = Comment.objects.order_by("pk")
    knows = reader in ("ada", "moderator")
    reader = reader_client(client, request, reader)

    html = reader.get(page_url(anonymous_summary)).content.decode()

    assert ('<a href="/users/ada/">ada</a>' in article(html, adas)) is knows
    assert ("Anonymous" in article(html, adas)) is not knows
    assert ("replying to @ada" in article(html, answer)) is knows
    assert '<span class="badge" title="Wrote the summary">author</span>' in article(html, adas)


@pytest.mark.parametrize("reader", READERS)
def test_a_hidden_comment_shows_to_its_author_and_moderators_only(
    client, request, summary, other_user, moderator, reader
):
    hidden = add_comment(other_user, summary, body="Buy my course.")
    moderation.hide(hidden, moderator, "Spam")
    sees = reader in ("bob", "moderator")
    reader = reader_client(client, request, reader)

    html = reader.get(page_url(summary)).content.decode()

    assert ("Buy my course." in html) is sees
    if sees:
        assert "Hidden by a moderator: Spam." in article(html, hidden)
        assert "reply" not in actions(html, hidden)


# Queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10, 120])
@pytest.mark.parametrize(("reader", "queries"), [("visitor", 5), ("member", 12)])
def test_the_permalinks_queries_do_not_grow_with_comments(
    client, django_assert_num_queries, summary, carol, other_user, count, reader, queries
):
    for n in range(count):
        top = CommentFactory(summary=summary, author=other_user, body=f"Point {n}.")
        if n % 3 == 0:
            CommentFactory(summary=summary, author=carol, parent=top, reply_to=other_user)
            CommentVoteFactory(comment=top, user=carol)
    if reader == "member":
        client.force_login(carol)
        client.get(page_url(summary))  # the session, as a member's later requests find it

    # The summary, its paper's authors and keywords; the number of top-level comments, a
    # page of them with their replies. A member: the session, the member, their rights
    # (2) and notifications; their votes on the summary and on the comments.
    with django_assert_num_queries(queries):
        response = client.get(page_url(summary))

    assert len(response.context["comments"]) == min(count, COMMENTS_PER_PAGE)


# The comments' texts in the cache --------------------------------------------------------


def keyed(summary, user=None):
    """{comment pk: its text's cache key} as the thread marks them for ``user``."""
    page = thread_page(summary, user or AnonymousUser(), 1)
    shown = [c for top in page.object_list for c in (top, *top.thread_replies)]
    return {c.pk: text_key(c, "template") for c in shown}


@pytest.mark.parametrize(
    "change",
    [
        lambda c: Comment.objects.filter(pk=c.pk).update(body_html="<p>Edited.</p>"),
        lambda c: Comment.objects.filter(pk=c.pk).update(edited_at=timezone.now()),
        lambda c: Profile.objects.filter(user=c.author).update(display_name="Robert"),
        lambda c: User.objects.filter(pk=c.author_id).update(deleted_at=timezone.now()),
    ],
    ids=["body", "edited", "display name", "author gone"],
)
def test_a_texts_key_changes_with_what_it_shows(discussed, change):
    top, _ = Comment.objects.order_by("pk")
    before = keyed(discussed)

    change(top)

    after = keyed(discussed)
    assert after[top.pk] != before[top.pk]
    assert {pk: key for pk, key in after.items() if pk != top.pk} == {
        pk: key for pk, key in before.items() if pk != top.pk
    }


def test_a_texts_key_ignores_what_it_does_not_show(discussed, carol):
    top, _ = Comment.objects.order_by("pk")
    before = keyed(discussed)

    Comment.objects.filter(pk=top.pk).update(score=5, body="Other *source*, same HTML.")
    CommentVoteFactory(comment=top, user=carol)

    assert keyed(discussed, carol) == keyed(discussed) == before


def test_a_texts_key_differs_for_readers_shown_different_names(anonymous_summary, author):
    _, adas, answer = Comment.objects.order_by("pk")

    as_visitor = keyed(anonymous_summary)
    as_ada = keyed(anonymous_summary, author)

    assert as_visitor[adas.pk] != as_ada[adas.pk]  # "Anonymous" or ada
    assert as_visitor[answer.pk] != as_ada[answer.pk]  # "replying to @ada" or not


def test_a_hidden_texts_key_changes_with_the_moderators_note(summary, other_user, moderator):
    comment = add_comment(other_user, summary, body="Hmm.")
    visible = keyed(summary, moderator)[comment.pk]
    moderation.hide(comment, moderator, "Rude")
    hidden = keyed(summary, moderator)[comment.pk]
    Comment.objects.filter(pk=comment.pk).update(hidden_reason="Off-topic")

    assert len({visible, hidden, keyed(summary, moderator)[comment.pk]}) == 3


def test_a_changed_template_gives_new_keys(discussed):
    [top] = thread_page(discussed, AnonymousUser(), 1).object_list

    assert text_key(top, "one") != text_key(top, "two")


@pytest.mark.usefixtures("page_cache")
def test_the_page_shows_a_comments_new_text_at_once(client, discussed, other_user, carol):
    client.force_login(carol)
    top, _ = Comment.objects.order_by("pk")
    before = client.get(page_url(discussed)).content.decode()

    edit_comment(top, body="Which *split* of the dataset?")
    after = client.get(page_url(discussed)).content.decode()

    assert "Which dataset?" in article(before, top)
    assert "Which <em>split</em> of the dataset?" in article(after, top)
    assert '<span class="muted">edited</span>' in article(after, top)


@pytest.mark.usefixtures("page_cache")
def test_a_page_reads_all_its_texts_at_once_and_stores_the_missing_ones_at_once(
    client, summary, carol, monkeypatch
):
    top_level(summary, 3, carol)
    client.force_login(carol)  # a visitor's whole page would come from that cache
    cache = caches["pages"]
    calls = []
    for name in ("get_many", "set_many"):
        method = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *a, _n=name, _m=method, **k: calls.append(_n) or _m(*a, **k)
        )

    first = client.get(page_url(summary)).content.decode()
    stored = list(calls)
    calls.clear()
    second = client.get(page_url(summary)).content.decode()

    assert stored == ["get_many", "set_many"]
    assert calls == ["get_many"]
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", second) == token.sub("", first)
    assert "<p>Point 2.</p>" in first  # the cached text is not escaped again
