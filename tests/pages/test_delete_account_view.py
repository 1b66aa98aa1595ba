import re

import pytest
from django.test import Client

from accounts.models import Suspension, User
from pages.deletion import delete_account
from summaries.models import Comment, Summary
from summaries.services import add_comment
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/users/ada/delete/"
KEEP = {"summaries": "keep", "confirmation": "ada"}
REMOVE = {"summaries": "remove", "confirmation": "ada"}


def is_deleted(user) -> bool:
    return User.objects.get(pk=user.pk).is_deleted


# Permission matrix ------------------------------------------------------------------------


def test_delete_anonymous_is_sent_to_sign_in(client, author):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize("viewer", ["other_user", "moderator"])
def test_delete_of_someone_else_is_forbidden(client, request, author, viewer):
    client.force_login(request.getfixturevalue(viewer))

    page = client.get(URL)
    response = client.post(URL, KEEP)

    assert (page.status_code, response.status_code) == (403, 403)
    assert "Only the member can do this with their account." in response.content.decode()
    assert not is_deleted(author)


def test_delete_of_nobody_is_not_found(author_client):
    response = author_client.get("/users/nobody/delete/")

    assert response.status_code == 404


def test_delete_page_offers_the_export_first_and_both_choices(author_client):
    response = author_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert html.index('href="/users/ada/export.json"') < html.index('name="summaries"')
    assert (
        '<input type="radio" name="summaries" value="keep" id="id_summaries_0" required>' in html
    )
    assert (
        '<input type="radio" name="summaries" value="remove" id="id_summaries_1" required>' in html
    )
    assert '<label for="id_confirmation">Type your username, ada, to confirm</label>' in html


def test_edit_profile_links_to_the_export_and_the_deletion(author_client):
    response = author_client.get("/users/ada/edit/")

    html = response.content.decode()
    assert '<h2 id="your-data-heading">Your data</h2>' in html
    assert 'href="/users/ada/export.json" download' in html
    assert 'href="/users/ada/delete/"' in html


# Refusals ----------------------------------------------------------------------------------


def test_delete_with_the_username_typed_wrong_is_refused(author_client, author, summary):
    response = author_client.post(URL, KEEP | {"confirmation": "bob"})

    assert response.status_code == 400
    assert response.context["form"].errors["confirmation"] == [
        "That is not your username: type ada to confirm."
    ]
    assert not is_deleted(author)
    assert Summary.objects.get(pk=summary.pk).is_anonymous is False
    assert response.wsgi_request.user == author


def test_delete_without_a_choice_is_refused(author_client, author):
    response = author_client.post(URL, {"confirmation": "ada"})

    assert response.status_code == 400
    assert "Choose what becomes of your summaries and comments." in response.content.decode()
    assert not is_deleted(author)


def test_delete_accepts_the_username_in_another_case(author_client, author):
    response = author_client.post(URL, KEEP | {"confirmation": " ADA "})

    assert response.status_code == 302
    assert is_deleted(author)


# Keeping the summaries ---------------------------------------------------------------------


def test_delete_keeping_signs_out_and_says_so(author_client, author):
    response = author_client.post(URL, KEEP, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert not response.wsgi_request.user.is_authenticated
    assert "Your account is deleted: your summaries stay, as Anonymous." in (
        response.content.decode()
    )
    assert is_deleted(author)


def test_kept_summary_reads_as_anonymous(author_client, author, summary):
    author_client.post(URL, KEEP)

    response = Client().get(f"/summaries/{summary.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "First <em>version</em> with" in html
    assert re.search(r'<span class="byline__author">\s*Anonymous\s*</span>', html)
    assert "/users/deleted." not in html


def test_kept_comment_shows_as_former_member(author_client, author, other_user, others_summary):
    add_comment(author, others_summary, body="Well argued.")

    author_client.post(URL, KEEP)
    response = Client().get(f"/summaries/{others_summary.pk}/")

    html = response.content.decode()
    assert "Well argued." in html
    assert "Former member" in html
    assert ">ada<" not in html


def test_deleted_members_profile_is_not_found(author_client, author):
    author_client.post(URL, KEEP)

    responses = [Client().get(path) for path in ("/users/ada/", f"/users/deleted.{author.pk}/")]

    assert [r.status_code for r in responses] == [404, 404]


# Removing the summaries --------------------------------------------------------------------


def test_delete_removing_takes_the_summaries_down(author_client, author, summary):
    response = author_client.post(URL, REMOVE, follow=True)

    assert "Your account is deleted, with your writing." in response.content.decode()
    assert Client().get(f"/summaries/{summary.pk}/").status_code == 404
    assert Summary.objects.get(pk=summary.pk).body == ""


def test_replies_to_a_removed_comment_stay_under_comment_deleted(
    author_client, author, other_user, others_summary
):
    mine = add_comment(author, others_summary, body="I disagree.")
    add_comment(other_user, others_summary, body="Why, though?", parent=mine)

    author_client.post(URL, REMOVE)
    response = Client().get(f"/summaries/{others_summary.pk}/")

    html = response.content.decode()
    assert "Comment deleted." in html
    assert "Why, though?" in html
    assert "I disagree." not in html
    assert Comment.objects.get(pk=mine.pk).body == ""
    assert Summary.objects.get(pk=others_summary.pk).comment_count == 1


# Afterwards --------------------------------------------------------------------------------


@pytest.mark.parametrize("choice", [KEEP, REMOVE])
@pytest.mark.parametrize("login", ["ada", "ada@example.org", "deleted.{pk}"])
def test_nobody_can_sign_in_to_a_deleted_account(author_client, author, choice, login):
    author_client.post(URL, choice)

    response = Client().post(
        "/accounts/login/", {"login": login.format(pk=author.pk), "password": PASSWORD}
    )

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_sessions_on_other_devices_end(author, author_client):
    laptop = Client()
    laptop.force_login(author)
    assert laptop.get("/users/notifications/").status_code == 200

    author_client.post(URL, KEEP)
    response = laptop.get("/users/notifications/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/users/notifications/"


def test_the_email_address_can_sign_up_again(author_client, author, mailoutbox):
    author_client.post(URL, REMOVE)

    response = Client().post(
        "/accounts/signup/",
        {
            "email": "ada@example.org",
            "username": "ada_again",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.get(email="ada@example.org").username == "ada_again"
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]


def test_a_moderator_can_delete_their_own_account(client, moderator):
    client.force_login(moderator)

    response = client.post("/users/mod/delete/", {"summaries": "keep", "confirmation": "mod"})

    assert response.status_code == 302
    assert is_deleted(moderator)


def test_a_suspended_member_can_still_delete_their_account(author_client, author, moderator):
    Suspension.objects.create(user=author, moderator=moderator, reason="Shouting")

    response = author_client.post(URL, REMOVE)

    assert response.status_code == 302
    assert is_deleted(author)


def test_signing_up_as_a_deleted_accounts_old_style_name_cannot_block_its_deletion(client, author):
    client.post(
        "/accounts/signup/",
        {
            "email": "mallory@example.org",
            "username": f"deleted-{author.pk}",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )

    delete_account(author, keep_summaries=True)

    assert is_deleted(author)
