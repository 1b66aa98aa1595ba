import pytest

from accounts.services import update_profile
from tests.factories import UserFactory

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
