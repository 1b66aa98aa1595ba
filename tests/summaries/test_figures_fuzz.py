"""Fuzzing clean_figure with damaged images: it answers or raises FigureError, quickly."""

import io
import struct
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from summaries.figures import FigureError, clean_figure
from tests.summaries import hostile_images as hostile

pytestmark = [pytest.mark.fuzz]

SECONDS_PER_EXAMPLE = 1.0


def _saved(image_format, frames=1, **options):
    images = [
        Image.linear_gradient("L").resize((24, 16)).convert("RGB").rotate(15 * n)
        for n in range(frames)
    ]
    out = io.BytesIO()
    if frames > 1:
        options |= {"save_all": True, "append_images": images[1:], "duration": 100}
    images[0].save(out, image_format, **options)
    return out.getvalue()


SEEDS = {
    "png": _saved("PNG"),
    "apng": _saved("PNG", frames=3),
    "jpeg": _saved("JPEG", quality=80),
    "progressive jpeg": _saved("JPEG", progressive=True),
    "gif": _saved("GIF"),
    "animated gif": _saved("GIF", frames=3),
    "webp": _saved("WEBP"),
    "lossless webp": _saved("WEBP", lossless=True),
    "animated webp": _saved("WEBP", frames=3),
    "hand-made gif": hostile.gif(30, 20, 4),
    "hand-made webp": hostile.webp(30, 20, 4),
}

# Where each format keeps its width and height: rewriting them tries "small file, big
# claim" and inconsistent headers.
SIZE_FIELDS = {
    "png": (16, ">II"),
    "apng": (16, ">II"),
    "gif": (6, "<HH"),
    "animated gif": (6, "<HH"),
    "hand-made gif": (6, "<HH"),
}


@st.composite
def damaged_images(draw):
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    if name in SIZE_FIELDS and draw(st.booleans()):
        offset, layout = SIZE_FIELDS[name]
        limit = 2**32 - 1 if layout.endswith("I") else 2**16 - 1
        size = draw(st.tuples(*[st.integers(0, limit)] * 2))
        data[offset : offset + struct.calcsize(layout)] = struct.pack(layout, *size)
    for _ in range(draw(st.integers(0, 8))):
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        if action == "replace":
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[position : position + draw(st.integers(1, 16))]
        if not data:
            break
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def test_seeds_are_accepted_untouched():
    results = {name: clean_figure(data)[1] for name, data in SEEDS.items()}

    assert results == {
        "png": "png",
        "apng": "png",
        "jpeg": "jpg",
        "progressive jpeg": "jpg",
        "gif": "gif",
        "animated gif": "gif",
        "webp": "webp",
        "lossless webp": "webp",
        "animated webp": "webp",
        "hand-made gif": "gif",
        "hand-made webp": "webp",
    }


@given(data=damaged_images())
def test_damaged_image_is_cleaned_or_refused_quickly(data):
    start = time.perf_counter()

    try:
        result = clean_figure(data)
    except FigureError as error:
        result = str(error)
    seconds = time.perf_counter() - start

    if isinstance(result, str):
        assert result.endswith("."), result  # a sentence to show the member
    else:
        content, extension, width, height = result
        with Image.open(io.BytesIO(content)) as clean:
            assert (clean.width, clean.height) == (width, height)
        assert extension in {"png", "jpg", "gif", "webp"}
    assert seconds < SECONDS_PER_EXAMPLE


@given(data=st.binary(max_size=256))
def test_random_bytes_are_refused(data):
    with pytest.raises(FigureError):
        clean_figure(data)
