"""The figure upload refuses an oversized body from its Content-Length, unread."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from summaries.figures import MAX_BYTES, MAX_REQUEST_BYTES, TOO_LARGE
from summaries.models import Figure

pytestmark = [pytest.mark.django_db, pytest.mark.integration, pytest.mark.usefixtures("media")]

URL = "/summaries/figures/"


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def oversized_post(client, **headers):
    return client.generic(
        "POST",
        URL,
        content_type="multipart/form-data; boundary=x",
        **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(100 * 1024 * 1024)},
        **headers,
    )


@pytest.fixture
def strict_client(author):
    """A signed-in client that checks CSRF tokens, as browsers meet them."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    return client


def png_upload():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, "PNG")
    return SimpleUploadedFile("f.png", out.getvalue(), content_type="image/png")


def test_oversized_body_gets_413_json_unread(strict_client):
    response = oversized_post(strict_client, HTTP_ACCEPT="application/json")

    assert response.status_code == 413
    assert response.json() == {"error": TOO_LARGE}
    assert not Figure.objects.exists()


def test_oversized_body_gets_413_page_unread(strict_client):
    response = oversized_post(strict_client)

    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert response.templates[0].name == "summaries/figure_upload.html"


def test_oversized_body_from_a_visitor_is_sent_to_sign_in_unread(db):
    response = oversized_post(Client(enforce_csrf_checks=True))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_largest_image_fits_in_the_largest_body(author_client):
    image = png_upload().read()
    image += bytes(MAX_BYTES - len(image))  # trailing bytes after IEND, which Pillow skips
    body = encode_multipart(BOUNDARY, {"image": SimpleUploadedFile("f.png", image)})
    assert len(body) <= MAX_REQUEST_BYTES

    response = author_client.generic(
        "POST",
        URL,
        body,
        content_type=MULTIPART_CONTENT,
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {"url": Figure.objects.get().image.url}


def test_upload_without_a_csrf_token_is_still_refused(strict_client):
    response = strict_client.post(URL, {"image": png_upload()})

    assert response.status_code == 403
    assert not Figure.objects.exists()


def test_upload_with_its_csrf_token_is_stored(strict_client):
    strict_client.get(URL)
    token = strict_client.cookies["csrftoken"].value

    response = strict_client.post(
        URL, {"image": png_upload(), "csrfmiddlewaretoken": token}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response.json() == {"url": Figure.objects.get().image.url}


def test_two_files_in_one_request_are_a_400(author_client):
    response = author_client.post(URL, {"image": [png_upload(), png_upload()]})

    assert response.status_code == 400
    assert not Figure.objects.exists()
