import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import update_profile
from summaries.models import Comment, Summary
from summaries.services import add_comment, cast_vote, delete_comment
from tests.factories import SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def member(author):
    update_profile(
        author.profile,
        {
            "display_name": "Ada Lovelace",
            "affiliation": "Analytical Engines Ltd",
            "website": "https://ada.example",
            "orcid": "0000-0002-1825-0097",
            "bio": "I study $e^{i\\pi}$ and *engines*.\n\n<script>alert(1)</script>",
        },
    )
    return author


def test_profile_shows_the_members_public_details(client, member):
    response = client.get("/users/ada/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ada Lovelace</h1>" in html
    assert "Analytical Engines Ltd" in html
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in html
    assert 'href="https://ada.example" rel="nofollow ugc noopener"' in html
    assert "<em>engines</em>" in html
    assert '<span class="arithmatex">\\(e^{i\\pi}\\)</span>' in html


def test_profile_bio_shows_typed_html_as_text(client, member):
    response = client.get("/users/ada/")

    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_profile_never_shows_the_email_address(client, member):
    response = client.get("/users/ada/")

    assert "ada@example.org" not in response.content.decode()


def test_profile_address_in_another_case_redirects_to_the_real_one(client, member):
    response = client.get("/users/ADA/")

    assert response.status_code == 301
    assert response["Location"] == "/users/ada/"


def test_profile_of_nobody_is_404(client):
    response = client.get("/users/nobody/")

    assert response.status_code == 404


def test_profile_of_a_deactivated_member_is_404(client):
    UserFactory(username="left", is_active=False)

    response = client.get("/users/left/")

    assert response.status_code == 404


def test_edit_link_is_shown_to_the_owner_only(client, member, other_user):
    client.force_login(other_user)
    as_other = client.get("/users/ada/").content.decode()
    client.force_login(member)
    as_owner = client.get("/users/ada/").content.decode()

    assert 'href="/users/ada/edit/"' not in as_other
    assert 'href="/users/ada/edit/"' in as_owner


# Standing: summary count and reputation ------------------------------------------------


@pytest.fixture
def mixed_summaries(author):
    """One of each kind the author may have, with distinct scores, oldest first."""
    now = timezone.now()
    return {
        "public": SummaryFactory(author=author, score=5, paper__title="Public One"),
        "public_too": SummaryFactory(author=author, score=2, paper__title="Public Two"),
        "anonymous": SummaryFactory(
            author=author, score=7, is_anonymous=True, paper__title="Unsigned Paper"
        ),
        "private": SummaryFactory(
            author=author, score=3, is_private=True, paper__title="Private Paper"
        ),
        "hidden": SummaryFactory(author=author, score=4, hidden_at=now, paper__title="Hidden"),
        "deleted": SummaryFactory(author=author, score=6, deleted_at=now, paper__title="Gone"),
    }


@pytest.mark.parametrize("viewer", [None, "other_user", "moderator"])
def test_profile_standing_counts_only_named_public_summaries_for_others(
    client, request, mixed_summaries, viewer
):
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    response = client.get("/users/ada/")

    html = response.content.decode()
    standing = response.context["standing"]
    assert (standing.summary_count, standing.reputation) == (2, 7)
    assert (standing.anonymous_count, standing.anonymous_reputation) == (0, 0)
    assert "<strong>2</strong> public summaries" in html
    assert "reputation <strong>7</strong>" in html
    assert "Only you see your" not in html


def test_profile_standing_counts_anonymous_summaries_for_the_member_only(
    author_client, mixed_summaries
):
    response = author_client.get("/users/ada/")

    html = response.content.decode()
    standing = response.context["standing"]
    assert (standing.summary_count, standing.reputation) == (3, 14)
    assert (standing.named_count, standing.named_reputation) == (2, 7)
    assert "reputation <strong>14</strong>" in html
    assert "Others see 2 summaries and a reputation of 7." in html


def test_profile_reputation_is_the_score_from_votes(
    client, author, summary, other_user, moderator
):
    cast_vote(other_user, summary, 1)
    cast_vote(moderator, summary, 1)

    response = client.get("/users/ada/")

    assert response.context["standing"].reputation == 2


# Summaries ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", [None, "other_user", "moderator"])
def test_profile_lists_only_named_public_summaries_to_others(
    client, request, mixed_summaries, viewer
):
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    response = client.get("/users/ada/")

    html = response.content.decode()
    assert list(response.context["page"].object_list) == [
        mixed_summaries["public_too"],
        mixed_summaries["public"],
    ]
    for title in ["Unsigned Paper", "Private Paper", "Hidden", "Gone"]:
        assert title not in html


def test_profile_lists_all_but_deleted_summaries_to_the_member_marked(
    author_client, mixed_summaries
):
    response = author_client.get("/users/ada/")

    html = response.content.decode()
    assert list(response.context["page"].object_list) == [
        mixed_summaries[kind]
        for kind in ["hidden", "private", "anonymous", "public_too", "public"]
    ]
    assert "Anonymous: others don't see it here" in html
    assert "Private: others don't see it here" in html
    assert "Hidden by a moderator" in html
    assert "Gone" not in html


def test_profile_summary_shows_its_paper_date_score_comments_and_excerpt(
    client, summary, paper, other_user
):
    Summary.objects.filter(pk=summary.pk).update(score=4)
    add_comment(other_user, summary, body="Nice.")

    response = client.get("/users/ada/")

    html = response.content.decode()
    assert f'<a href="{paper.get_absolute_url()}">Attention Is All You Need</a>' in html
    assert f'<time datetime="{summary.created_at.isoformat()}">' in html
    assert "score 4" in html
    assert f'<a href="/summaries/{summary.pk}/#comments">1 Comment</a>' in html
    assert "First <em>version</em> with" in html
    assert f'<a href="/summaries/{summary.pk}/">Read the summary</a>' in html


def test_profile_top_tab_orders_summaries_by_score(client, author):
    low = SummaryFactory(author=author, score=1)
    high = SummaryFactory(author=author, score=5)
    middle = SummaryFactory(author=author, score=3)

    top = client.get("/users/ada/?sort=top")
    newest = client.get("/users/ada/")

    assert list(top.context["page"].object_list) == [high, middle, low]
    assert list(newest.context["page"].object_list) == [middle, high, low]
    assert '<a class="tabs__tab" href="?sort=top" aria-current="page">Top</a>' in (
        top.content.decode()
    )


def test_profile_unknown_sort_shows_the_newest_first(client, author):
    older = SummaryFactory(author=author, score=9)
    newer = SummaryFactory(author=author, score=1)

    response = client.get("/users/ada/?sort=worst")

    assert response.context["sort"] == "newest"
    assert list(response.context["page"].object_list) == [newer, older]


def test_profile_summaries_paginate_and_keep_the_sort(client, author, monkeypatch):
    monkeypatch.setattr("pages.members.SUMMARIES_PER_PAGE", 2)
    lowest = SummaryFactory(author=author, score=1)
    SummaryFactory.create_batch(2, author=author, score=5)

    response = client.get("/users/ada/?sort=top&page=2")

    html = response.content.decode()
    assert list(response.context["page"].object_list) == [lowest]
    assert 'rel="prev" href="?sort=top&amp;page=1"' in html
    assert '<a class="tabs__tab" href="?sort=newest">Newest</a>' in html


def test_profile_without_summaries_says_so(client, author):
    response = client.get("/users/ada/")

    assert list(response.context["page"].object_list) == []
    assert "No public summaries yet." in response.content.decode()


# Recent comments ------------------------------------------------------------------------


@pytest.fixture
def bobs_summary(other_user):
    return SummaryFactory(author=other_user, paper__title="Bob's Paper")


def test_profile_lists_the_ten_newest_visible_comments(client, author, bobs_summary):
    comments = [add_comment(author, bobs_summary, body=f"Point {n}") for n in range(13)]
    delete_comment(comments[12])
    Comment.objects.filter(pk=comments[11].pk).update(hidden_at=timezone.now())

    response = client.get("/users/ada/")

    assert response.context["comments"] == comments[10:0:-1]


def test_profile_comment_links_to_the_comment_and_names_the_paper(client, author, bobs_summary):
    comment = add_comment(author, bobs_summary, body="I *agree*.")

    response = client.get("/users/ada/")

    html = response.content.decode()
    assert (
        f'<a href="/summaries/comments/{comment.pk}/">On a summary of “Bob&#x27;s Paper”</a>'
    ) in html
    assert "I <em>agree</em>." in html


@pytest.mark.parametrize("viewer", [None, "other_user", "moderator"])
def test_profile_hides_comments_under_the_members_anonymous_summary_from_others(
    client, request, author, other_user, viewer
):
    unsigned = SummaryFactory(author=author, is_anonymous=True, paper__title="Unsigned Paper")
    question = add_comment(other_user, unsigned, body="Who wrote this?")
    add_comment(author, unsigned, body="Thanks for asking", parent=question)
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    response = client.get("/users/ada/")

    html = response.content.decode()
    assert response.context["comments"] == []
    assert "Thanks for asking" not in html
    assert "Unsigned Paper" not in html


def test_profile_shows_the_member_their_comments_under_their_anonymous_summary(
    author_client, author, other_user
):
    unsigned = SummaryFactory(author=author, is_anonymous=True)
    reply = add_comment(author, unsigned, body="Thanks for asking")

    response = author_client.get("/users/ada/")

    assert response.context["comments"] == [reply]


@pytest.mark.parametrize("change", ["is_private", "hidden_at", "deleted_at"])
def test_profile_hides_comments_on_summaries_no_longer_public(
    client, author, bobs_summary, change
):
    add_comment(author, bobs_summary, body="Noted.")
    value = True if change == "is_private" else timezone.now()
    Summary.objects.filter(pk=bobs_summary.pk).update(**{change: value})

    response = client.get("/users/ada/")

    assert response.context["comments"] == []
    assert "Bob&#x27;s Paper" not in response.content.decode()


# Feed and query count --------------------------------------------------------------------


def test_profile_links_the_members_atom_feed(client, member):
    response = client.get("/users/ada/")

    feed = reverse("feed_user", args=["ada"])
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        f'title="Summaries by Ada Lovelace" href="{feed}">'
    ) in response.content.decode()


@pytest.mark.parametrize(("viewer", "queries"), [(None, 5), ("author", 8)])
@pytest.mark.parametrize("count", [1, 3])
def test_profile_query_count_is_fixed(
    client, request, django_assert_num_queries, author, other_user, viewer, queries, count
):
    for _ in range(count):
        SummaryFactory(author=author)
        add_comment(author, SummaryFactory(author=other_user), body="Good.")
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    with django_assert_num_queries(queries):
        response = client.get("/users/ada/")

    assert len(response.context["page"].object_list) == count
    assert len(response.context["comments"]) == count
