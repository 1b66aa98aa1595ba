"""Refusals at the edges get pages that say what happened: a body over the size limit,
too many fields, a method an address does not take."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def strict_client(client):
    client.raise_request_exception = False
    return client


def test_a_body_over_the_limit_gets_413_saying_so(strict_client, author, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    strict_client.force_login(author)

    response = strict_client.post("/summaries/preview/", {"body": "x" * 2000})

    assert response.status_code == 413
    assert "<h1>Too large</h1>" in response.text
    assert "larger than the site accepts" in response.text


def test_too_many_fields_get_400_saying_so(strict_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10

    response = strict_client.post("/accounts/login/", {f"f{n}": "1" for n in range(50)})

    assert response.status_code == 400
    assert "far too many fields" in response.text


def test_a_bad_request_of_ours_says_what_was_wrong(strict_client):
    response = strict_client.get("/search/?q=a%00b")

    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.text
    assert "The address contains a NUL character." in response.text


def test_a_suspicious_request_gets_the_plain_400_page(strict_client):
    response = strict_client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "The request could not be understood" in response.text
    assert "evil.example" not in response.text


def test_a_method_an_address_does_not_take_gets_405_saying_so(client, author):
    client.force_login(author)

    page = client.get("/summaries/preview/")
    fetched = client.get("/summaries/preview/", **JSON)

    assert page.status_code == 405
    assert page["Allow"] == "POST"
    assert "<h1>Not allowed here</h1>" in page.text
    assert "it takes POST." in page.text
    assert fetched.status_code == 405
    assert fetched.json() == {
        "error": "This address does not take that kind of request: it takes POST."
    }
