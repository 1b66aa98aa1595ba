import pytest
from django.utils import timezone

from moderation import services as moderation
from summaries.services import revoke_share_link, share_summary
from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def url(summary):
    return f"/summaries/{summary.pk}/"


def test_permalink_shows_the_paper_header_and_the_summary(client, summary):
    response = client.get(url(summary))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="paper-header__title"><a href="' in html
    assert "First <em>version</em> with" in html
    assert f'<a href="/users/{summary.author.username}/">' in html


def test_anonymous_summary_hides_its_author_from_others(client, other_user, author, paper):
    summary = SummaryFactory(paper=paper, author=author, is_anonymous=True)
    client.force_login(other_user)

    response = client.get(url(summary))

    html = response.content.decode()
    assert "Anonymous" in html
    assert f"/users/{author.username}/" not in html


@pytest.mark.parametrize("viewer", ["author", "moderator"])
def test_anonymous_summary_names_its_author_to_them_and_moderators(
    client, request, author, paper, viewer
):
    summary = SummaryFactory(paper=paper, author=author, is_anonymous=True)
    client.force_login(request.getfixturevalue(viewer))

    response = client.get(url(summary))

    assert f'<a href="/users/{author.username}/">' in response.content.decode()


def test_hidden_summary_is_404_for_visitors_and_other_members(
    client, other_user, summary, moderator
):
    moderation.hide(summary, moderator, "Off-topic")

    as_visitor = client.get(url(summary))
    client.force_login(other_user)
    as_other = client.get(url(summary))

    assert (as_visitor.status_code, as_other.status_code) == (404, 404)


def test_hidden_summary_tells_its_author_why(author_client, summary, moderator):
    moderation.hide(summary, moderator, "Off-topic")

    response = author_client.get(url(summary))

    assert "Hidden by a moderator: Off-topic." in response.content.decode()


def test_hidden_summary_is_visible_to_moderators(client, summary, moderator):
    moderation.hide(summary, moderator, "Off-topic")
    client.force_login(moderator)

    response = client.get(url(summary))

    assert response.status_code == 200
    assert "Hidden by a moderator" in response.content.decode()


def test_private_summary_is_404_for_others_and_the_moderator(client, other_user, moderator, paper):
    summary = SummaryFactory(paper=paper, is_private=True)
    statuses = []
    for viewer in (None, other_user, moderator):
        if viewer:
            client.force_login(viewer)
        statuses.append(client.get(url(summary)).status_code)

    assert statuses == [404, 404, 404]


def test_share_link_opens_a_private_summary_until_revoked(client, paper):
    summary = SummaryFactory(paper=paper, is_private=True, body="Secret notes")
    token = share_summary(summary)

    shared = client.get(f"/summaries/shared/{token}/")
    revoke_share_link(summary)
    revoked = client.get(f"/summaries/shared/{token}/")

    assert shared.status_code == 200
    assert "Secret notes" in shared.content.decode()
    assert shared.headers["Cache-Control"].startswith("max-age=0")
    assert revoked.status_code == 404


def test_a_new_share_link_replaces_the_old_one(client, paper):
    summary = SummaryFactory(paper=paper, is_private=True)
    old = share_summary(summary)
    new = share_summary(summary)

    assert client.get(f"/summaries/shared/{old}/").status_code == 404
    assert client.get(f"/summaries/shared/{new}/").status_code == 200
    assert len(new) >= 40


def test_share_and_unshare_are_post_only_and_author_only(client, author, other_user, paper):
    summary = SummaryFactory(paper=paper, author=author, is_private=True)
    client.force_login(other_user)
    forbidden = client.post(f"/summaries/{summary.pk}/share/")
    client.force_login(author)
    by_get = client.get(f"/summaries/{summary.pk}/share/")

    shared = client.post(f"/summaries/{summary.pk}/share/")

    summary.refresh_from_db()
    assert (forbidden.status_code, by_get.status_code, shared.status_code) == (404, 405, 302)
    assert summary.share_token


def test_deleted_summary_is_404_for_everyone_including_its_author(author_client, paper, author):
    summary = SummaryFactory(paper=paper, author=author, deleted_at=timezone.now())

    response = author_client.get(url(summary))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_permalink_query_count_is_fixed(client, django_assert_num_queries, summary, count):
    summary.paper.tags.add(*[f"tag{n}" for n in range(count)])

    # The summary, its paper's authors and keywords, its comments.
    with django_assert_num_queries(4):
        response = client.get(url(summary))

    assert response.status_code == 200
