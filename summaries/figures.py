"""Checking and cleaning uploaded figures.

The content decides the type, never the file name or the browser's Content-Type: Pillow
must recognise the bytes as PNG, JPEG, GIF or WebP. The image is then encoded afresh,
which drops EXIF (camera, GPS), text chunks and comments, and applies the EXIF rotation
so phone photos stand the right way up.
"""

import io
import warnings

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


class FigureError(ValueError):
    pass


def clean_figure(data: bytes) -> tuple[bytes, str, int, int]:
    """Return (clean image bytes, file extension, width, height), or raise FigureError."""
    if len(data) > MAX_BYTES:
        raise FigureError(f"The image is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        with warnings.catch_warnings():
            # Pillow warns, then errors, on decompression bombs; refuse both the same way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise FigureError("This file is not a PNG, JPEG, GIF or WebP image.") from None
    except (OSError, SyntaxError, ValueError):
        raise FigureError("This image file is damaged and cannot be read.") from None
    if image.format not in EXTENSIONS:
        raise FigureError("Only PNG, JPEG, GIF and WebP images can be uploaded.")
    if image.width * image.height > MAX_PIXELS:
        raise FigureError("The image has too many pixels; please scale it down.")
    return _reencode(image), EXTENSIONS[image.format], image.width, image.height


def _reencode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image_format = image.format
    if image_format == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
        for frame in frames:
            frame.info = {key: frame.info[key] for key in ("duration",) if key in frame.info}
        frames[0].save(
            out, "GIF", save_all=True, append_images=frames[1:], loop=image.info.get("loop", 0)
        )
        return out.getvalue()
    clean = ImageOps.exif_transpose(image)
    clean.info = {}
    options = {"quality": 90} if image_format in {"JPEG", "WEBP"} else {}
    if image_format == "JPEG" and clean.mode not in {"RGB", "L", "CMYK"}:
        clean = clean.convert("RGB")
    clean.save(out, image_format, **options)
    return out.getvalue()
