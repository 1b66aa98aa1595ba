import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_user_list_shows_active_members_newest_first(client):
    UserFactory(username="older")
    UserFactory(username="newer")
    UserFactory(username="hidden", is_active=False)

    response = client.get("/users/")

    assert [u.username for u in response.context["page"].object_list] == ["newer", "older"]


@pytest.mark.parametrize("members", [1, 3])
def test_user_list_query_count_does_not_grow(client, django_assert_num_queries, members):
    UserFactory.create_batch(members)

    with django_assert_num_queries(2):
        response = client.get("/users/")

    assert len(response.context["page"].object_list) == members


def test_user_list_paginates(client, monkeypatch):
    monkeypatch.setattr("accounts.views.USERS_PER_PAGE", 2)
    UserFactory.create_batch(3)

    response = client.get("/users/?page=2")

    assert len(response.context["page"].object_list) == 1
    assert 'rel="prev" href="?page=1"' in response.content.decode()
