"""The profile's links wait for a verified e-mail address; sign-up has a honeypot
(accounts/forms.py)."""

import pytest

from accounts.models import Profile, User

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

LINKS_ERROR = (
    "Links can be posted once your e-mail address is verified. "
    '<a href="/accounts/email/">Verify it on your e-mail page</a>, or take the links and '
    "images out of your text to post it now."
)
EDIT = "/users/newbie/edit/"


# Profile -----------------------------------------------------------------------------------


def test_an_unverified_member_cannot_put_a_link_in_their_bio(unverified_client, unverified):
    response = unverified_client.post(EDIT, {"bio": "Buy at https://spam.example"})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"bio": [LINKS_ERROR]}
    assert LINKS_ERROR in html
    assert "Buy at https://spam.example</textarea>" in html
    assert Profile.objects.get(user=unverified).bio == ""


def test_an_unverified_member_cannot_set_a_website(unverified_client, unverified):
    response = unverified_client.post(EDIT, {"website": "https://spam.example"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"website": [LINKS_ERROR]}
    assert 'value="https://spam.example"' in response.content.decode()
    assert Profile.objects.get(user=unverified).website == ""


def test_an_unverified_member_keeps_the_website_they_had(unverified_client, unverified):
    Profile.objects.filter(user=unverified).update(
        website="https://ada.example", bio="Home: https://ada.example"
    )

    response = unverified_client.post(
        EDIT,
        {
            "website": "https://ada.example",
            "bio": "Home: https://ada.example. Now at a new lab.",
        },
    )

    profile = Profile.objects.get(user=unverified)
    assert response.status_code == 302
    assert (profile.website, profile.bio) == (
        "https://ada.example",
        "Home: https://ada.example. Now at a new lab.",
    )


def test_an_unverified_member_saves_a_bio_without_links(unverified_client, unverified):
    response = unverified_client.post(EDIT, {"bio": "I study example.org-scale graphs."})

    assert response.status_code == 302
    assert Profile.objects.get(user=unverified).bio == "I study example.org-scale graphs."


def test_a_verified_member_sets_links_in_their_profile(author_client, author):
    response = author_client.post(
        "/users/ada/edit/",
        {"website": "https://ada.example", "bio": "See [my lab](https://lab.example)."},
    )

    profile = Profile.objects.get(user=author)
    assert response.status_code == 302
    assert (profile.website, profile.bio) == (
        "https://ada.example",
        "See [my lab](https://lab.example).",
    )


# Sign-up honeypot --------------------------------------------------------------------------

SIGNUP = "/accounts/signup/"
FORM = {
    "email": "grace@example.org",
    "username": "grace",
    "password1": "a-long-passphrase-42",
    "password2": "a-long-passphrase-42",
}


def test_the_sign_up_form_has_a_honeypot_people_never_see(client):
    response = client.get(SIGNUP)

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p class="honeypot">\n'
        '    <label for="id_website">Leave this field empty: it is here to catch spam '
        "robots</label>\n"
        '    <input type="text" name="website" aria-hidden="true" tabindex="-1" '
        'autocomplete="off" id="id_website">'
    ) in html


def test_a_filled_honeypot_refuses_the_sign_up_and_stores_nothing(client, mailoutbox):
    response = client.post(SIGNUP, FORM | {"website": "https://spam.example"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This was sent as if by a robot: a field that people never see was filled in. "
        "If you are a person, please send it again."
    ]
    assert 'value="grace@example.org"' in response.content.decode()
    assert User.objects.exists() is False
    assert mailoutbox == []


def test_an_empty_honeypot_lets_the_sign_up_through(client, mailoutbox):
    response = client.post(SIGNUP, FORM | {"website": ""})

    assert response.status_code == 302
    assert list(User.objects.values_list("username", flat=True)) == ["grace"]
    assert [m.to for m in mailoutbox] == [["grace@example.org"]]
