import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

from shortscience import settings as site_settings
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

LOGIN = "/accounts/login/"


@pytest.mark.parametrize("login", ["ada", "ADA", "ada@example.org"])
def test_login_by_username_in_any_case_or_by_email(client, author, login):
    response = client.post(LOGIN, {"login": login, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.wsgi_request.user == author


def test_login_with_a_wrong_password_says_so(client, author):
    response = client.post(LOGIN, {"login": "ada", "password": "wrong"})

    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert not response.wsgi_request.user.is_authenticated


def test_logout_is_a_post(client, author):
    client.force_login(author)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_rate_limited(client):
    UserFactory(username="target")
    for _ in range(5):
        client.post(LOGIN, {"login": "target", "password": "wrong"})

    response = client.post(LOGIN, {"login": "target", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.fixture
def site_hashers(settings):
    """The site's own password hashers instead of the suite's fast one."""
    settings.PASSWORD_HASHERS = site_settings.PASSWORD_HASHERS


def test_new_passwords_are_hashed_with_argon2id(site_hashers):
    user = UserFactory(username="carol")

    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD)


def test_an_argon2_hash_with_django_defaults_is_upgraded_to_ours(client, site_hashers):
    user = UserFactory(username="carol")
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])

    response = client.post(LOGIN, {"login": "carol", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_older_hash_is_upgraded_to_argon2id_at_sign_in(client, site_hashers):
    user = UserFactory(username="carol")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(LOGIN, {"login": "carol", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_a_wrong_password_leaves_the_older_hash_alone(client, site_hashers):
    user = UserFactory(username="carol")
    old_hash = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.password = old_hash
    user.save(update_fields=["password"])

    client.post(LOGIN, {"login": "carol", "password": "not it"})

    user.refresh_from_db()
    assert user.password == old_hash
