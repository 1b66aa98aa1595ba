import pytest
from django.utils import timezone

from accounts.models import User
from tests.factories import SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def listed(response) -> list[str]:
    return [member.username for member in response.context["page"].object_list]


def test_user_list_shows_members_without_summaries_newest_first(client):
    UserFactory(username="older")
    UserFactory(username="newer")
    UserFactory(username="hidden", is_active=False)

    response = client.get("/users/")

    assert listed(response) == ["newer", "older"]


def test_user_list_ranks_contributors_by_reputation_before_everyone_else(client):
    UserFactory(username="newcomer")
    SummaryFactory(author__username="good", score=3)
    SummaryFactory(author__username="best", score=5)
    SummaryFactory(author__username="disliked", score=-2)
    UserFactory(username="newest")

    response = client.get("/users/")

    assert listed(response) == ["best", "good", "disliked", "newest", "newcomer"]


def test_user_list_breaks_reputation_ties_by_summary_count(client):
    one = UserFactory(username="one")
    SummaryFactory(author=one, score=2)
    two = UserFactory(username="two")
    SummaryFactory.create_batch(2, author=two, score=1)

    response = client.get("/users/")

    assert listed(response) == ["two", "one"]


def test_user_list_counts_only_named_public_summaries(client):
    member = UserFactory(username="ada")
    now = timezone.now()
    SummaryFactory(author=member, score=2)
    SummaryFactory(author=member, score=10, is_anonymous=True)
    SummaryFactory(author=member, score=20, is_private=True)
    SummaryFactory(author=member, score=30, hidden_at=now)
    SummaryFactory(author=member, score=40, deleted_at=now)

    response = client.get("/users/")

    [listed_member] = response.context["page"].object_list
    assert (listed_member.summary_count, listed_member.reputation) == (1, 2)
    assert "1 summary · reputation 2" in response.content.decode()


def test_user_list_cannot_tell_an_anonymous_author_from_a_newcomer(client):
    UserFactory(username="older")
    SummaryFactory(author__username="unsigned", score=50, is_anonymous=True)
    UserFactory(username="newer")

    response = client.get("/users/")

    html = response.content.decode()
    assert listed(response) == ["newer", "unsigned", "older"]
    assert User.objects.get(username="unsigned").summaries.count() == 1
    assert 'class="member-list__standing"' not in html


@pytest.mark.parametrize("members", [1, 3])
def test_user_list_query_count_does_not_grow(client, django_assert_num_queries, members):
    for _ in range(members):
        SummaryFactory.create_batch(2)

    with django_assert_num_queries(2):
        response = client.get("/users/")

    assert len(response.context["page"].object_list) == members * 2


def test_user_list_paginates(client, monkeypatch):
    monkeypatch.setattr("pages.members.USERS_PER_PAGE", 2)
    UserFactory.create_batch(3)

    response = client.get("/users/?page=2")

    assert len(response.context["page"].object_list) == 1
    assert 'rel="prev" href="?page=1"' in response.content.decode()
