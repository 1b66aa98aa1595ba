import pytest
from allauth.account.models import EmailAddress

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_change_email_sends_a_verification_to_the_new_address(author_client, author, mailoutbox):
    response = author_client.post(
        "/accounts/email/", {"action_add": "", "email": "ada@newplace.example"}
    )

    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["ada@newplace.example"]]
    new = EmailAddress.objects.get(email="ada@newplace.example")
    assert (new.user, new.verified) == (author, False)


def test_email_page_requires_sign_in(client):
    response = client.get("/accounts/email/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
