import pytest

from accounts.models import Profile

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/users/ada/edit/"
VALID = {
    "display_name": "Ada L.",
    "affiliation": "Somewhere",
    "website": "https://ada.example",
    "orcid": "https://orcid.org/0000-0002-1694-233x",
    "bio": "Hello **world**",
}


def test_anonymous_is_sent_to_sign_in(client, author):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


def test_other_user_is_forbidden(client, author, other_user):
    client.force_login(other_user)

    response = client.post(URL, VALID)

    assert response.status_code == 403
    assert "You can only edit your own profile." in response.content.decode()
    assert Profile.objects.get(user=author).display_name == ""


def test_moderator_is_forbidden_too(client, author, moderator):
    client.force_login(moderator)

    response = client.get(URL)

    assert response.status_code == 403


def test_owner_sees_the_form_with_current_values(author_client, author):
    Profile.objects.filter(user=author).update(affiliation="Old Place")

    response = author_client.get(URL)

    assert response.status_code == 200
    assert 'value="Old Place"' in response.content.decode()


def test_owner_saves_and_the_bio_is_rendered_once(author_client, author):
    response = author_client.post(URL, VALID)

    assert response.status_code == 302
    assert response["Location"] == "/users/ada/"
    profile = Profile.objects.get(user=author)
    assert (profile.display_name, profile.orcid) == ("Ada L.", "0000-0002-1694-233X")
    assert profile.bio_html == "<p>Hello <strong>world</strong></p>"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("orcid", "0000-0002-1825-0098", "check digit is wrong"),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("bio", "x" * 2001, "at most 2000 characters"),
    ],
)
def test_invalid_input_is_shown_back_with_the_typed_text(
    author_client, author, field, value, message
):
    response = author_client.post(URL, VALID | {field: value})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="Ada L."' in response.content.decode()
    assert Profile.objects.get(user=author).display_name == ""


def test_orcid_already_linked_to_another_member_is_refused(author_client, other_user):
    Profile.objects.filter(user=other_user).update(orcid="0000-0002-1694-233X")

    response = author_client.post(URL, VALID)

    assert response.status_code == 200
    assert response.context["form"].errors["orcid"] == [
        "Another member has already linked this ORCID iD."
    ]


def test_owner_sees_the_email_switches_on_by_their_defaults(author_client):
    response = author_client.get(URL)

    html = response.content.decode()
    assert "<legend>E-mail notifications</legend>" in html
    assert (
        '<input type="checkbox" name="email_on_comment" id="id_email_on_comment" checked>' in html
    )
    assert '<input type="checkbox" name="email_on_reply" id="id_email_on_reply" checked>' in html
    assert (
        '<input type="checkbox" name="email_on_followed_paper" id="id_email_on_followed_paper">'
        in html
    )


def test_owner_switches_email_notifications(author_client, author):
    response = author_client.post(URL, VALID | {"email_on_followed_paper": "on"})

    assert response.status_code == 302
    profile = Profile.objects.get(user=author)
    assert (profile.email_on_comment, profile.email_on_reply, profile.email_on_followed_paper) == (
        False,
        False,
        True,
    )
