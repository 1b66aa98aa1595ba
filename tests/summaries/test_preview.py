import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/summaries/preview/"


def test_preview_renders_with_the_same_function_as_saving(author_client):
    response = author_client.post(URL, {"body": "# Title\n\n$x_1$ and <script>alert(1)</script>"})

    assert response.status_code == 200
    assert response.json() == {
        "html": '<h3>Title</h3>\n<p><span class="arithmatex">\\(x_1\\)</span> and '
        "&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    }


def test_preview_is_post_only(author_client):
    response = author_client.get(URL)

    assert response.status_code == 405


def test_preview_needs_a_signed_in_member(client):
    response = client.post(URL, {"body": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_preview_needs_the_csrf_token(client, author):
    client.handler.enforce_csrf_checks = True
    client.force_login(author)

    response = client.post(URL, {"body": "x"})

    assert response.status_code == 403


def test_preview_of_an_overlong_text_is_a_clear_400(author_client):
    response = author_client.post(URL, {"body": "x" * 50_001})

    assert response.status_code == 400
    assert response.json() == {"error": "The text is too long to preview."}


def test_preview_is_rate_limited(author_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"summary_preview": "2/m/user"}
    author_client.post(URL, {"body": "1"})
    author_client.post(URL, {"body": "2"})

    response = author_client.post(URL, {"body": "3"})

    assert response.status_code == 429
