import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

SIGNUP = "/accounts/signup/"
FORM = {
    "email": "grace@example.org",
    "username": "Grace_H",
    "password1": "a-long-passphrase-42",
    "password2": "a-long-passphrase-42",
}


def test_signup_creates_a_member_and_sends_a_verification_mail(client, mailoutbox):
    response = client.post(SIGNUP, FORM)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.username == "grace_h"
    assert user.profile.display_name == ""
    assert [m.to for m in mailoutbox] == [["grace@example.org"]]
    assert mailoutbox[0].subject.startswith("[ShortScience] ")


def test_signup_member_cannot_sign_in_before_verifying(client, mailoutbox):
    client.post(SIGNUP, FORM)
    client.logout()

    response = client.post("/accounts/login/", {"login": "grace_h", "password": FORM["password1"]})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not response.wsgi_request.user.is_authenticated


def test_verification_link_verifies_the_address_and_signs_in(client, mailoutbox, link_in_mail):
    client.post(SIGNUP, FORM)
    confirm = link_in_mail(mailoutbox[-1])

    page = client.get(confirm)
    response = client.post(confirm)

    assert page.status_code == 200
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="grace@example.org").verified is True
    assert response.wsgi_request.user.username == "grace_h"


def test_verifying_from_another_browser_then_signing_in_works(client, mailoutbox, link_in_mail):
    client.post(SIGNUP, FORM)
    client.logout()
    client.post(link_in_mail(mailoutbox[-1]))

    response = client.post(
        "/accounts/login/", {"login": "grace@example.org", "password": FORM["password1"]}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.wsgi_request.user.username == "grace_h"


def test_signups_from_one_address_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    for n in range(2):
        client.post(SIGNUP, FORM | {"email": f"g{n}@example.org", "username": f"g{n}"})
        client.logout()

    response = client.post(SIGNUP, FORM)

    assert response.status_code == 429
    assert "<h1>Too many requests</h1>" in response.content.decode()
    assert User.objects.count() == 2


def test_signup_refuses_a_username_taken_in_another_case(client):
    UserFactory(username="grace_h")

    response = client.post(SIGNUP, FORM)

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "A user with that username already exists."
    ]
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["has space", "slash/y", "dot.ted", "x", "é-accent"])
def test_signup_refuses_usernames_that_are_not_url_safe(client, username):
    response = client.post(SIGNUP, FORM | {"username": username})

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_refuses_reserved_usernames(client):
    response = client.post(SIGNUP, FORM | {"username": "Anonymous"})

    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_signup_keeps_what_was_typed_when_refused(client):
    response = client.post(SIGNUP, FORM | {"password2": "different-passphrase-42"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="grace@example.org"' in html
    assert 'value="Grace_H"' in html


def test_signup_refuses_a_username_that_is_a_users_page_address(client):
    response = client.post(SIGNUP, FORM | {"username": "Notifications"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "Username can not be used. Please use other username."
    ]
    assert User.objects.count() == 0
