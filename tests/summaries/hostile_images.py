"""Small image files that decode to far more pixels than their size suggests.

Each is written byte by byte (or from a tiny Pillow image), so making one costs this
process almost nothing, however large the canvas it claims.
"""

import io
import struct
import zlib

from PIL import Image


def _zeros_deflated(size: int, row: int) -> bytes:
    """``size`` zero bytes, deflated, compressed one ``row`` at a time."""
    compressor = zlib.compressobj(9)
    line = bytes(row)
    chunks = [compressor.compress(line) for _ in range(size // row)]
    return b"".join([*chunks, compressor.compress(bytes(size % row)), compressor.flush()])


def gif(width: int, height: int, frames: int) -> bytes:
    """A GIF whose screen is width x height, with ``frames`` frames of one pixel each."""
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0))
    out += b"\x00\x00\x00\xff\xff\xff"  # two-colour global palette
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    for number in range(frames):
        out += b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # 0.1 s per frame
        out += b"\x2c" + struct.pack("<HHHHB", number % width, 0, 1, 1, 0)
        out += b"\x02\x02\x4c\x01\x00"  # one white pixel (colour 1), LZW-coded
    return bytes(out + b";")


def growing_gif(frames: int, step: int) -> bytes:
    """A 1 x 1 GIF whose later frames sit ever further out, so the canvas grows as it plays."""
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0))
    out += b"\x00\x00\x00\xff\xff\xff"
    for number in range(frames):
        out += b"\x21\xf9\x04\x00\x0a\x00\x00\x00"
        out += b"\x2c" + struct.pack("<HHHHB", number * step, number * step, 1, 1, 0)
        out += b"\x02\x02\x44\x01\x00"
    return bytes(out + b";")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def apng(width: int, height: int, frames: int) -> bytes:
    """An animated PNG: a blank greyscale first frame of width x height, then one-pixel frames."""
    out = [b"\x89PNG\r\n\x1a\n"]
    out.append(_png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)))
    out.append(_png_chunk(b"acTL", struct.pack(">II", frames, 0)))
    sequence = 0

    def frame_control(w, h, x, y):
        nonlocal sequence
        body = struct.pack(">IIIIIHHBB", sequence, w, h, x, y, 1, 10, 0, 0)
        sequence += 1
        return _png_chunk(b"fcTL", body)

    out.append(frame_control(width, height, 0, 0))
    out.append(_png_chunk(b"IDAT", _zeros_deflated((width + 1) * height, width + 1)))
    for number in range(1, frames):
        out.append(frame_control(1, 1, number % width, 0))
        out.append(_png_chunk(b"fdAT", struct.pack(">I", sequence) + zlib.compress(b"\x00\xff")))
        sequence += 1
    out.append(_png_chunk(b"IEND", b""))
    return b"".join(out)


def png(width: int, height: int) -> bytes:
    """A blank RGBA PNG of width x height (a few hundred kilobytes for 81 million pixels)."""
    ihdr = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    pixels = _png_chunk(b"IDAT", _zeros_deflated((4 * width + 1) * height, 4 * width + 1))
    return b"\x89PNG\r\n\x1a\n" + ihdr + pixels + _png_chunk(b"IEND", b"")


def png_text_bomb(chunks: int) -> bytes:
    """A 1 x 1 PNG carrying ``chunks`` compressed text chunks of 1 MB (minus a little) each."""
    text = b"".join(
        _png_chunk(b"zTXt", b"Comment%d\x00\x00" % n + _zeros_deflated(1_000_000, 10_000))
        for n in range(chunks)
    )
    small = io.BytesIO()
    Image.new("L", (1, 1)).save(small, "PNG")
    data = small.getvalue()
    return data[:33] + text + data[33:]  # after the signature and IHDR


def _riff_chunk(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def webp(width: int, height: int, frames: int) -> bytes:
    """An animated WebP with a width x height canvas and ``frames`` lossless one-pixel frames."""
    one = io.BytesIO()
    Image.new("RGBA", (1, 1), (255, 0, 0, 255)).save(one, "WEBP", lossless=True)
    raw = one.getvalue()
    position = raw.index(b"VP8L")
    (length,) = struct.unpack("<I", raw[position + 4 : position + 8])
    pixel = raw[position : position + 8 + length + length % 2]

    def u24(value):
        return struct.pack("<I", value)[:3]

    chunks = [
        _riff_chunk(b"VP8X", bytes([0x12, 0, 0, 0]) + u24(width - 1) + u24(height - 1)),
        _riff_chunk(b"ANIM", b"\xff\xff\xff\xff" + struct.pack("<H", 0)),
    ]
    for number in range(frames):
        x = (2 * number) % width
        header = u24(x // 2) + u24(0) + u24(0) + u24(0) + u24(100) + b"\x00"
        chunks.append(_riff_chunk(b"ANMF", header + pixel))
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def tiff(width: int, height: int, pages: int) -> bytes:
    """A multi-page RGB TIFF, every page width x height and blank, all sharing one strip."""
    strip = _zeros_deflated(3 * width * height, 3 * width)
    entries = [
        (256, 4, width),  # ImageWidth
        (257, 4, height),  # ImageLength
        (258, 3, 8),  # BitsPerSample (one value stands for all three here)
        (259, 3, 8),  # Compression: deflate
        (262, 3, 2),  # Photometric: RGB
        (273, 4, 8),  # StripOffsets
        (277, 3, 3),  # SamplesPerPixel
        (278, 4, height),  # RowsPerStrip
        (279, 4, len(strip)),  # StripByteCounts
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    first = 8 + len(strip) + len(strip) % 2
    out = bytearray(b"II*\x00" + struct.pack("<I", first) + strip + bytes(len(strip) % 2))
    for page in range(pages):
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            packed = struct.pack("<I", value) if kind == 4 else struct.pack("<HH", value, 0)
            out += struct.pack("<HHI", tag, kind, 1) + packed
        is_last = page == pages - 1
        out += struct.pack("<I", 0 if is_last else first + (page + 1) * ifd_size)
    return bytes(out)


def ico(width: int, height: int) -> bytes:
    """An icon whose one entry says 256 x 256 but holds a blank PNG of width x height."""
    inner = png(width, height)
    entry = struct.pack("<BBBBHHII", 0, 0, 0, 0, 1, 32, len(inner), 6 + 16)
    return struct.pack("<HHH", 0, 1, 1) + entry + inner


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small valid JPEG whose frame header is rewritten to claim width x height."""
    small = io.BytesIO()
    Image.new("RGB", (16, 16), "navy").save(small, "JPEG")
    data = bytearray(small.getvalue())
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def smooth_jpeg(width: int, height: int, *, orientation: int = 1, progressive: bool = False):
    """A real photo-sized JPEG (a smooth gradient, so it stays small), EXIF-rotated."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    gradient.save(out, "JPEG", exif=exif.tobytes(), progressive=progressive, quality=90)
    return out.getvalue()
