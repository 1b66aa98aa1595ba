"""Checking and cleaning uploaded figures.

The content decides the type, never the file name or the browser's Content-Type: Pillow
must recognise the bytes as PNG, JPEG, GIF or WebP, and no other decoder is ever tried.
The image is then encoded afresh, which drops EXIF (camera, GPS), text chunks and
comments, and applies the EXIF rotation so phone photos stand the right way up.

A small file can describe a huge picture: a GIF of 729 bytes may claim a 5000 x 5000
canvas and 30 frames, which decode to 3 GB. So the pixels an image will decode to are
counted from its headers, over all its frames, and an image past the limits below is
refused before any pixel is decoded. Decoding then goes one frame at a time, and a GIF
whose canvas grows from frame to frame is counted again before each frame is decoded.
With these limits no upload, taken or refused, makes a worker grow by more than about
120 MB (tests/summaries/test_figure_limits.py measures it).
"""

import io
import struct
import warnings

from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
# The most an upload request may send: the image, the multipart headers and the form's
# CSRF token. The server or proxy in front should refuse more (docs/limits.md).
MAX_REQUEST_BYTES = MAX_BYTES + 64 * 1024
# A still image: 4096 x 3072, a 12-megapixel phone photo (4032 x 3024) and a little more.
# Pillow holds a colour pixel in 4 bytes, so this is 50 MB decoded, twice that while the
# EXIF rotation is applied.
MAX_PIXELS = 4096 * 3072
# An animation: the encoders keep several whole canvases (WebP's about eight) and the PNG
# and GIF ones every frame, so its canvas is held to full HD and all its frames together,
# counted at the canvas size, to 16 million pixels: 100 frames of 400 x 400, say.
MAX_ANIMATION_CANVAS = 1920 * 1080
MAX_ANIMATION_PIXELS = 16_000_000
MAX_FRAMES = 1000

EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
# Pillow keeps a PNG's text chunks, inflated, in memory: up to 64 MB of them by default.
# They are thrown away here, and honest files carry a few kilobytes. (This is Pillow's
# process-wide setting; nothing else in the site reads PNG files.)
PngImagePlugin.MAX_TEXT_MEMORY = 4 * 1024 * 1024

# Pillow opens a JPEG holding several pictures (a phone's depth map, say) as MPO; only
# its first picture, the photo itself, is kept.
SAVED_AS = {"MPO": "JPEG"}

TOO_LARGE = f"The image is larger than {MAX_BYTES // (1024 * 1024)} MB."
NOT_AN_IMAGE = "This file is not a PNG, JPEG, GIF or WebP image."
OTHER_TYPE = "Only PNG, JPEG, GIF and WebP images can be uploaded."
DAMAGED = "This image file is damaged and cannot be read."
TOO_MANY_PIXELS = (
    f"The image has too many pixels (at most {MAX_PIXELS // 1_000_000} million); "
    "please scale it down."
)
TOO_MANY_FRAMES = f"The animation has too many frames (at most {MAX_FRAMES})."
ANIMATION_CANVAS_TOO_LARGE = (
    "The animation is too large: it may be at most 1920 x 1080 pixels (or as many in "
    "another shape). Please scale it down."
)
ANIMATION_TOO_LARGE = (
    "The animation is too large: its width x height x number of frames may be at most "
    f"{MAX_ANIMATION_PIXELS // 1_000_000} million pixels. Please make it smaller or shorter."
)

# What Pillow raises on a damaged file; it documents no narrower set. Image.open itself
# catches the last four from its format parsers.
_DECODING_ERRORS = (
    OSError,
    ValueError,
    EOFError,
    KeyError,
    SyntaxError,
    IndexError,
    TypeError,
    struct.error,
)


class FigureError(ValueError):
    pass


def clean_figure(data: bytes) -> tuple[bytes, str, int, int]:
    """Return (clean image bytes, file extension, width, height), or raise FigureError.

    1. Open the file with the four accepted formats' parsers only (headers, no pixels).
    2. Refuse it if its canvas, frame count or canvas x frames is past the limits.
    3. Decode and re-encode it frame by frame, checking the canvas again before each.
    """
    if len(data) > MAX_BYTES:
        raise FigureError(TOO_LARGE)
    with warnings.catch_warnings():
        # Pillow's warnings about odd but readable files don't matter, as the image is
        # encoded afresh; its decompression-bomb warning is a refusal like ours.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(data) as image:
                frames = _frame_count(image)
                content = _reencode(image, frames)
                return content, EXTENSIONS[image.format], image.width, image.height
        except FigureError:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise FigureError(TOO_MANY_PIXELS) from None
        except (*_DECODING_ERRORS, MemoryError):
            raise FigureError(DAMAGED) from None


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=tuple(EXTENSIONS))
    except UnidentifiedImageError:
        raise FigureError(OTHER_TYPE if _is_other_image(data) else NOT_AN_IMAGE) from None
    if image.format in SAVED_AS:
        image.seek(0)
        image.format = SAVED_AS[image.format]
    return image


def _is_other_image(data: bytes) -> bool:
    """Whether any of Pillow's formats claims these bytes, judged by their first 16 bytes
    as Image.open does, without parsing the file."""
    Image.init()
    prefix = data[:16]
    for _factory, accept in Image.OPEN.values():
        try:
            if accept is not None and accept(prefix):
                return True
        except _DECODING_ERRORS:
            continue
    return False


def _frame_count(image: Image.Image) -> int:
    """The number of frames, after checking that they fit the limits. Reads headers only:
    Pillow's GIF parser skips over the pixel data to count frames."""
    _check_canvas(image)
    if image.format == "JPEG":  # including a former MPO, of which only frame 0 is kept
        return 1
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_FRAMES:
        raise FigureError(TOO_MANY_FRAMES)
    if frames > 1:
        _check_canvas(image, frames=frames)
    return frames


def _check_canvas(image: Image.Image, frames: int = 1) -> None:
    """Refuse an image or animation of ``frames`` frames, each decoded at the canvas's
    present size, that the limits don't allow."""
    pixels = image.width * image.height
    if pixels > MAX_PIXELS:
        raise FigureError(TOO_MANY_PIXELS)
    if frames > 1 and pixels > MAX_ANIMATION_CANVAS:
        raise FigureError(ANIMATION_CANVAS_TOO_LARGE)
    if frames > 1 and pixels * frames > MAX_ANIMATION_PIXELS:
        raise FigureError(ANIMATION_TOO_LARGE)


def _reencode(image: Image.Image, frames: int) -> bytes:
    out = io.BytesIO()
    image_format = image.format
    if frames > 1:
        # A GIF's frames may lie outside its stated canvas, which then grows as it plays:
        # step through them once, checking the canvas before each is decoded. Each step
        # keeps only the frame before, and the writer then reads the frames again.
        for number in range(frames):
            image.seek(number)
            _check_canvas(image, frames=frames)
            image.load()
        image.seek(0)
        options = {"comment": b""} if image_format == "GIF" else {"icc_profile": None}
        image.save(out, image_format, save_all=True, loop=image.info.get("loop", 0), **options)
        return out.getvalue()
    image.load()
    ImageOps.exif_transpose(image, in_place=True)
    image.info = {}
    options = {"quality": 90} if image_format in {"JPEG", "WEBP"} else {}
    clean = image
    if image_format == "JPEG" and image.mode not in {"RGB", "L", "CMYK"}:
        clean = image.convert("RGB")
    clean.save(out, image_format, **options)
    return out.getvalue()
