import pytest
from django.test import override_settings

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_home_shows_the_live_member_count_and_newest_members(client):
    UserFactory(username="first")
    UserFactory(username="second")
    UserFactory(username="gone", is_active=False)

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "The website has 2 members." in html
    assert html.index("second") < html.index("first")
    assert "gone" not in html


@pytest.mark.parametrize("members", [1, 3])
def test_home_query_count_does_not_grow_with_members(client, django_assert_num_queries, members):
    UserFactory.create_batch(members)

    with django_assert_num_queries(2):
        response = client.get("/")

    assert response.context["member_count"] == members


def test_every_page_shares_the_base_layout(client):
    response = client.get("/about/")

    html = response.content.decode()
    assert html.startswith("<!doctype html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<a href="/users/">Users</a>' in html
    assert '<a href="/about/">About ShortScience</a>' in html
    assert "<h1>About ShortScience</h1>" in html


def test_header_shows_sign_in_links_to_visitors(client):
    response = client.get("/")

    html = response.content.decode()
    assert 'href="/accounts/login/"' in html
    assert 'href="/accounts/signup/"' in html


def test_header_shows_the_signed_in_username_and_a_sign_out_form(client, author):
    client.force_login(author)

    response = client.get("/")

    html = response.content.decode()
    assert '<a class="account-nav__user" href="/users/ada/">ada</a>' in html
    assert 'action="/accounts/logout/"' in html
    assert 'href="/accounts/login/"' not in html


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_unknown_address_gets_the_404_page_in_the_layout(client):
    response = client.get("/no/such/page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert html.startswith("<!doctype html>")
    assert "<h1>Page not found</h1>" in html


@override_settings(ROOT_URLCONF="tests.shortscience.urls_for_errors")
def test_server_error_gets_the_500_page_in_the_layout(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    html = response.content.decode()
    assert response.status_code == 500
    assert html.startswith("<!doctype html>")
    assert "<h1>Something went wrong</h1>" in html
    assert "deliberate failure" not in html
