import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from summaries.models import Figure

pytestmark = [pytest.mark.django_db, pytest.mark.integration, pytest.mark.usefixtures("media")]

URL = "/summaries/figures/"
JSON = {"HTTP_ACCEPT": "application/json"}


def image_file(name="figure.png", image_format="PNG", size=(40, 20), **save_options):
    out = io.BytesIO()
    Image.new("RGB", size, "navy").save(out, image_format, **save_options)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def stored(figure: Figure) -> tuple[str, tuple[int, int], dict, dict, int]:
    """(format, size, EXIF, info, frame count) of the stored file."""
    with Image.open(figure.image.path) as image:
        return (
            image.format,
            image.size,
            dict(image.getexif()),
            dict(image.info),
            getattr(image, "n_frames", 1),
        )


def test_anonymous_is_sent_to_sign_in(client):
    response = client.post(URL, {"image": image_file()})

    assert response.status_code == 302
    assert not Figure.objects.exists()


def test_upload_stores_the_image_and_answers_its_address(author_client, author):
    response = author_client.post(URL, {"image": image_file()}, **JSON)

    figure = Figure.objects.get()
    assert response.status_code == 200
    assert response.json() == {"url": figure.image.url}
    assert figure.image.url.startswith("/media/figures/")
    assert figure.image.url.endswith(".png")
    assert (figure.uploader, figure.width, figure.height) == (author, 40, 20)


def test_upload_without_javascript_shows_the_address_to_paste(author_client):
    response = author_client.post(URL, {"image": image_file()})

    figure = Figure.objects.get()
    assert response.status_code == 200
    assert f'<code class="share__url">{figure.image.url}</code>' in response.content.decode()


def test_jpeg_metadata_is_stripped_and_rotation_applied(author_client):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 degrees
    upload = image_file("photo.jpg", "JPEG", size=(60, 30), exif=exif.tobytes())

    author_client.post(URL, {"image": upload}, **JSON)

    image_format, size, exif, _, _ = stored(Figure.objects.get())
    assert (image_format, size, exif) == ("JPEG", (30, 60), {})


def test_png_text_chunks_are_stripped(author_client):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "my home address")

    author_client.post(URL, {"image": image_file(pnginfo=info)}, **JSON)

    assert "Comment" not in stored(Figure.objects.get())[3]


def test_an_animated_gif_keeps_its_frames(author_client):
    out = io.BytesIO()
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "green", "blue")]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    upload = SimpleUploadedFile("anim.gif", out.getvalue(), content_type="image/gif")

    author_client.post(URL, {"image": upload}, **JSON)

    assert stored(Figure.objects.get())[4] == 3


def test_a_file_that_only_claims_to_be_an_image_is_refused(author_client):
    fake = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")

    response = author_client.post(URL, {"image": fake}, **JSON)

    assert response.status_code == 400
    assert response.json() == {"error": "This file is not a PNG, JPEG, GIF or WebP image."}
    assert not Figure.objects.exists()


def test_other_image_types_are_refused(author_client):
    response = author_client.post(URL, {"image": image_file("f.bmp", "BMP")}, **JSON)

    assert response.json() == {"error": "Only PNG, JPEG, GIF and WebP images can be uploaded."}


def test_too_large_files_are_refused(author_client, monkeypatch):
    monkeypatch.setattr("summaries.figures.MAX_BYTES", 100)

    response = author_client.post(URL, {"image": image_file(size=(400, 400))}, **JSON)

    assert response.status_code == 400
    assert "larger than" in response.json()["error"]


def test_uploads_are_rate_limited(author_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"figure_upload": "1/m/user"}
    author_client.post(URL, {"image": image_file()}, **JSON)

    response = author_client.post(URL, {"image": image_file()}, **JSON)

    assert response.status_code == 429
    assert Figure.objects.count() == 1
