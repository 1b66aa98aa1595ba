import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_sign_in_page_lists_no_provider_when_none_is_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}

    response = client.get("/accounts/login/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "GitHub" not in html
    assert "ORCID" not in html
    assert "/accounts/github/login/" not in html


def test_sign_in_page_offers_a_configured_provider(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {"APPS": [{"client_id": "id", "secret": "secret"}]}
    }

    response = client.get("/accounts/login/")

    html = response.content.decode()
    assert "/accounts/github/login/" in html
    assert "/accounts/orcid/login/" not in html
