import pytest
from django.test import override_settings
from django.utils import timezone

from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_home_counts_only_public_summaries(client):
    SummaryFactory.create_batch(2)
    SummaryFactory(is_private=True)
    SummaryFactory(hidden_at=timezone.now())
    SummaryFactory(deleted_at=timezone.now())

    response = client.get("/")

    assert "The website has 2 public summaries." in response.content.decode()


def test_home_lists_latest_summaries_under_their_paper_header(client):
    older = SummaryFactory(paper__title="Older Paper", body="Older *summary*")
    newer = SummaryFactory(
        paper__title="Newer Paper", body="Newer summary with $\\alpha_1$", is_anonymous=True
    )
    SummaryFactory(paper__title="Private Paper", is_private=True)

    response = client.get("/")

    html = response.content.decode()
    assert list(response.context["page"].object_list) == [newer, older]
    assert html.index("Newer Paper") < html.index("Older Paper")
    assert "Private Paper" not in html
    assert '<span class="arithmatex">\\(\\alpha_1\\)</span>' in html
    assert "<em>summary</em>" in html
    assert 'class="abstract__toggle"' in html
    assert f'href="/summaries/{older.pk}/">link</a>' in html
    assert f'href="/users/{newer.author.username}/"' not in html


@pytest.mark.parametrize("summaries", [1, 3])
def test_home_query_count_does_not_grow_with_summaries(
    client, django_assert_num_queries, summaries
):
    for _ in range(summaries):
        summary = SummaryFactory(paper=PaperFactory(authors=["A One", "B Two"]))
        summary.paper.tags.add("cs.LG", "optimization")

    with django_assert_num_queries(4):
        response = client.get("/")

    assert len(response.context["page"].object_list) == summaries


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
