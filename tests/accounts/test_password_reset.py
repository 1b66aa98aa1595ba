import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_password_reset_by_mail_sets_a_new_password(client, author, mailoutbox, link_in_mail):
    client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    reset = link_in_mail(mailoutbox[-1])

    form_page = client.get(reset, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset,
        {"password1": "brand-new-passphrase-7", "password2": "brand-new-passphrase-7"},
    )

    assert response.status_code == 302
    author.refresh_from_db()
    assert author.check_password("brand-new-passphrase-7")
    assert not author.check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
