"""Hostile images: small files that decode to huge pictures, and what each one costs.

Every file is checked in a fresh Python process, whose peak resident memory is the
honest measure: Pillow's pixels live outside Python's allocator, where tracemalloc can't
see them. The peak is the kernel's VmHWM, as ru_maxrss keeps the high-water mark of the
pytest process that started the child (Linux carries it across exec). The child may
reserve at most 1 GB, so a file that would still blow up fails here fast instead of
taking the machine's memory.
"""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from summaries import figures
from summaries.models import Figure
from tests.summaries import hostile_images as hostile

pytestmark = [pytest.mark.django_db, pytest.mark.integration, pytest.mark.slow]

PROJECT = Path(__file__).resolve().parents[2]
# Half of the 256 MB a worker may grow to, including the ~15 MB Python and Pillow take.
PEAK_CEILING_MB = 128
# A refused file is refused from its headers: the process barely grows.
REFUSED_GROWTH_MB = 24
SECONDS = 2.0

MEASURE = """
import json, re, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

def peak_mb():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1)) / 1024

from summaries.figures import FigureError, clean_figure
data = open(sys.argv[1], "rb").read()
baseline = peak_mb()
start = time.perf_counter()
try:
    content, extension, width, height = clean_figure(data)
    outcome = ["accepted", extension, width, height]
except FigureError as error:
    outcome = ["refused", str(error)]
except BaseException as error:
    outcome = ["crashed", type(error).__name__, str(error)]
print(json.dumps({
    "outcome": outcome,
    "seconds": time.perf_counter() - start,
    "baseline_mb": baseline,
    "peak_mb": peak_mb(),
}))
"""


def measure(data: bytes, tmp_path) -> dict:
    """clean_figure(data) in a child process: its outcome, time and peak memory."""
    path = tmp_path / "upload"
    path.write_bytes(data)
    child = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    return json.loads(child.stdout)


REFUSED = {
    # The file of the report: 729 bytes, 5000 x 5000, 30 one-pixel frames. Before: 3.4 GB.
    "gif 5000x5000, 30 frames": (lambda: hostile.gif(5000, 5000, 30), figures.TOO_MANY_PIXELS),
    "gif 2000x2000, 30 frames": (
        lambda: hostile.gif(2000, 2000, 30),
        figures.ANIMATION_CANVAS_TOO_LARGE,
    ),
    "gif 1000x1000, 30 frames": (
        lambda: hostile.gif(1000, 1000, 30),
        figures.ANIMATION_TOO_LARGE,
    ),
    "gif of 1001 frames": (lambda: hostile.gif(10, 10, 1001), figures.TOO_MANY_FRAMES),
    # Says 1 x 1; frame 29 sits at (7250, 7250). Before: 2.9 GB.
    "gif whose canvas grows": (lambda: hostile.growing_gif(30, 250), figures.ANIMATION_TOO_LARGE),
    "apng 5000x5000, 30 frames": (
        lambda: hostile.apng(5000, 5000, 30),
        figures.TOO_MANY_PIXELS,
    ),
    "apng 1000x1000, 30 frames": (
        lambda: hostile.apng(1000, 1000, 30),
        figures.ANIMATION_TOO_LARGE,
    ),
    "webp 5000x5000, 30 frames": (
        lambda: hostile.webp(5000, 5000, 30),
        figures.TOO_MANY_PIXELS,
    ),
    "webp 1200x1200, 30 frames": (
        lambda: hostile.webp(1200, 1200, 30),
        figures.ANIMATION_TOO_LARGE,
    ),
    "tiff 9000x9000, 50 pages": (lambda: hostile.tiff(9000, 9000, 50), figures.OTHER_TYPE),
    "ico holding a 9000x9000 png": (lambda: hostile.ico(9000, 9000), figures.OTHER_TYPE),
    "png 9000x9000": (lambda: hostile.png(9000, 9000), figures.TOO_MANY_PIXELS),
    "jpeg claiming 9000x9000": (
        lambda: hostile.jpeg_claiming(9000, 9000),
        figures.TOO_MANY_PIXELS,
    ),
    "png with 60 MB of text": (lambda: hostile.png_text_bomb(60), figures.DAMAGED),
}

ACCEPTED_AT_THE_LIMITS = {
    "jpeg 4096x3072, rotated": (
        lambda: hostile.smooth_jpeg(4096, 3072, orientation=6),
        ("jpg", 3072, 4096),
    ),
    "progressive jpeg 4096x3072, rotated": (
        lambda: hostile.smooth_jpeg(4096, 3072, orientation=8, progressive=True),
        ("jpg", 3072, 4096),
    ),
    "png 4096x3072": (lambda: hostile.png(4096, 3072), ("png", 4096, 3072)),
    "gif 1920x1080, 7 frames": (lambda: hostile.gif(1920, 1080, 7), ("gif", 1920, 1080)),
    "gif 400x400, 100 frames": (lambda: hostile.gif(400, 400, 100), ("gif", 400, 400)),
    "apng 1920x1080, 7 frames": (lambda: hostile.apng(1920, 1080, 7), ("png", 1920, 1080)),
    "webp 1920x1080, 7 frames": (lambda: hostile.webp(1920, 1080, 7), ("webp", 1920, 1080)),
}


@pytest.mark.parametrize("case", REFUSED)
def test_hostile_image_is_refused_from_its_headers(case, tmp_path):
    make, message = REFUSED[case]

    result = measure(make(), tmp_path)

    assert result["outcome"] == ["refused", message]
    assert result["peak_mb"] - result["baseline_mb"] < REFUSED_GROWTH_MB
    assert result["peak_mb"] < PEAK_CEILING_MB
    assert result["seconds"] < SECONDS


@pytest.mark.parametrize("case", ACCEPTED_AT_THE_LIMITS)
def test_largest_allowed_image_stays_within_the_memory_ceiling(case, tmp_path):
    make, (extension, width, height) = ACCEPTED_AT_THE_LIMITS[case]

    result = measure(make(), tmp_path)

    assert result["outcome"] == ["accepted", extension, width, height]
    assert result["peak_mb"] < PEAK_CEILING_MB
    assert result["seconds"] < SECONDS


def test_upload_of_a_gif_bomb_answers_a_clear_400(author_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bomb = SimpleUploadedFile("cat.gif", hostile.gif(5000, 5000, 30), content_type="image/gif")

    response = author_client.post(
        "/summaries/figures/", {"image": bomb}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": figures.TOO_MANY_PIXELS}
    assert not Figure.objects.exists()


def test_animation_keeps_its_frames_and_loses_its_comment():
    data = hostile.gif(20, 20, 5)
    # A comment extension right after the header, palette and loop block (38 bytes).
    data = data[:38] + b"\x21\xfe\x0cmy home town\x00" + data[38:]
    assert Image.open(io.BytesIO(data)).info["comment"] == b"my home town"

    content, extension, width, height = figures.clean_figure(data)

    with Image.open(io.BytesIO(content)) as clean:
        assert (clean.format, clean.n_frames, clean.size) == ("GIF", 5, (20, 20))
        assert "comment" not in clean.info
    assert (extension, width, height) == ("gif", 20, 20)


def test_a_phone_photo_with_a_depth_map_is_kept_as_its_photo():
    photo, depth = Image.new("RGB", (40, 30), "navy"), Image.new("RGB", (20, 15), "grey")
    out = io.BytesIO()
    photo.save(out, "MPO", save_all=True, append_images=[depth])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"

    content, extension, width, height = figures.clean_figure(out.getvalue())

    with Image.open(io.BytesIO(content)) as clean:
        assert (clean.format, clean.size) == ("JPEG", (40, 30))
    assert (extension, width, height) == ("jpg", 40, 30)
