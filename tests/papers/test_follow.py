import pytest
from django.contrib.messages import get_messages

from papers.models import Follow
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

JSON = {"HTTP_ACCEPT": "application/json"}


def follow_url(paper):
    return f"/papers/{paper.pk}/follow/"


def unfollow_url(paper):
    return f"/papers/{paper.pk}/unfollow/"


def followers(paper):
    return list(Follow.objects.filter(paper=paper).values_list("user__username", flat=True))


@pytest.mark.parametrize("url", [follow_url, unfollow_url])
def test_follow_by_a_visitor_asks_them_to_sign_in(client, paper, url):
    response = client.post(url(paper))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(paper)}"
    assert followers(paper) == []


@pytest.mark.parametrize("url", [follow_url, unfollow_url])
def test_follow_by_get_is_not_allowed(author_client, paper, url):
    response = author_client.get(url(paper))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("url", [follow_url, unfollow_url])
def test_follow_of_an_unknown_paper_is_404(author_client, paper, url):
    paper.pk += 1000

    response = author_client.post(url(paper))

    assert response.status_code == 404


def test_follow_by_a_member_follows_and_goes_back_to_the_paper(author_client, paper):
    response = author_client.post(follow_url(paper))

    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()
    assert followers(paper) == ["ada"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You follow this paper: you will hear of each new summary."
    ]


def test_follow_twice_follows_once(author_client, paper):
    author_client.post(follow_url(paper))

    response = author_client.post(follow_url(paper))

    assert response.status_code == 302
    assert followers(paper) == ["ada"]


def test_unfollow_by_a_follower_stops_following(author_client, author, other_user, paper):
    Follow.objects.create(user=author, paper=paper)
    Follow.objects.create(user=other_user, paper=paper)

    response = author_client.post(unfollow_url(paper))

    assert response["Location"] == paper.get_absolute_url()
    assert followers(paper) == ["bob"]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You no longer follow this paper."
    ]


def test_unfollow_when_not_following_changes_nothing(author_client, other_user, paper):
    Follow.objects.create(user=other_user, paper=paper)

    response = author_client.post(unfollow_url(paper))

    assert response.status_code == 302
    assert followers(paper) == ["bob"]


def test_follow_from_javascript_gets_json(author_client, paper):
    response = author_client.post(follow_url(paper), **JSON)

    assert response.status_code == 200
    assert response.json() == {"following": True}
    assert followers(paper) == ["ada"]


def test_unfollow_from_javascript_gets_json(author_client, author, paper):
    Follow.objects.create(user=author, paper=paper)

    response = author_client.post(unfollow_url(paper), **JSON)

    assert response.json() == {"following": False}
    assert followers(paper) == []


def test_paper_page_offers_a_member_to_follow(author_client, other_user, paper):
    Follow.objects.create(user=other_user, paper=paper)

    response = author_client.get(paper.get_absolute_url())

    html = response.content.decode()
    assert response.context["paper"].is_following is False
    assert f'<form method="post" action="/papers/{paper.pk}/follow/">' in html
    assert '<button type="submit" class="button follow__button">Follow</button>' in html
    assert '<span class="follow__count muted">1 follower</span>' in html


def test_paper_page_offers_a_follower_to_unfollow(author_client, author, other_user, paper):
    Follow.objects.create(user=author, paper=paper)
    Follow.objects.create(user=other_user, paper=paper)

    response = author_client.get(paper.get_absolute_url())

    html = response.content.decode()
    assert response.context["paper"].is_following is True
    assert f'<form method="post" action="/papers/{paper.pk}/unfollow/">' in html
    assert '<button type="submit" class="button follow__button">Unfollow</button>' in html
    assert '<span class="follow__count muted">2 followers</span>' in html


def test_paper_page_shows_visitors_the_count_but_no_button(client, other_user, paper):
    Follow.objects.create(user=other_user, paper=paper)

    response = client.get(paper.get_absolute_url())

    html = response.content.decode()
    assert response.context["paper"].is_following is False
    assert '<span class="follow__count muted">1 follower</span>' in html
    assert "follow__button" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_paper_page_query_count_does_not_grow_with_followers(
    client, django_assert_num_queries, author, paper, count
):
    Follow.objects.create(user=author, paper=paper)
    for _ in range(count - 1):
        Follow.objects.create(user=UserFactory(), paper=paper)
    client.force_login(author)

    # The follower count and the viewer's own follow ride on the paper's query.
    with django_assert_num_queries(9):
        response = client.get(paper.get_absolute_url())

    assert response.context["paper"].follower_count == count


@pytest.mark.parametrize("url", [follow_url, unfollow_url])
def test_follow_by_a_suspended_member_is_refused_and_says_why(
    author_client, author, paper, suspended, url
):
    Follow.objects.create(user=author, paper=paper)

    page = author_client.post(url(paper))
    fetched = author_client.post(url(paper), **JSON)

    assert page.status_code == 403
    assert "<h1>Your account is suspended</h1>" in page.text
    assert fetched.status_code == 403
    assert fetched.json() == {
        "error": "Your account is suspended until a moderator lifts it: Posting advertisements"
    }
    assert followers(paper) == ["ada"]
