"""Figures' image files, checked before rendering: a picture WeasyPrint cannot use would
otherwise be dropped from the page (or embedded half grey) with the build saying "ok".

Each image is decoded in full with Pillow (WeasyPrint's own image library), so a file
that is empty, truncated, of another format than its name says, or not an image at
all is bad input named with its figure, as is one too large to decode safely.
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

# A full A4 page with bleed at 600 ppi is 5,031 x 7,087 = 36 million pixels; nothing
# printed needs more. A 30,000 x 30,000 PNG of a few KiB would need 2.7 GB to decode.
MAX_PIXELS = 64_000_000
MAX_BYTES = 64 * 1024 * 1024

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a WebP image or other RIFF file"),
    (b"II*\0", "a TIFF image"), (b"MM\0*", "a TIFF image"),
    (b"%PDF", "a PDF document"),
    (b"%!PS", "a PostScript (EPS) file"), (b"\xc5\xd0\xd3\xc6", "a PostScript (EPS) file"),
    (b"BM", "a BMP image"),
]


def problem(path: Path) -> str | None:
    """What is wrong with the image file at path for printing, or None if it is usable."""
    expected = FORMATS[path.suffix.lower()]
    try:
        size = path.stat().st_size
        if size == 0:
            return "is an empty file"
        if size > MAX_BYTES:
            return f"is {size:,} bytes; an image may be at most {MAX_BYTES:,} bytes"
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError as e:
        return f"cannot be read: {e.strerror}"
    found = _kind(head)
    if found != f"a {expected} image":
        return f"is not a {expected} image: it is {found}"

    from PIL import Image, ImageFile
    # WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process when it is imported,
    # which would let a truncated file decode "successfully" with grey where it ends.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[expected]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return _too_large(width * height)
                image.verify()  # checksums and structure, without decoding
            with Image.open(path, formats=[expected]) as image:
                image.load()  # every pixel: a truncated file fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        pixels = re.search(r"\((\d+) pixels\)", str(e))
        return _too_large(int(pixels[1]) if pixels else None)
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        reason = str(e) or type(e).__name__
        if "truncated" in reason.lower():
            return f"is a damaged {expected} image: the file is truncated (it ends early)"
        return f"is a damaged {expected} image ({reason})"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    return None


def _too_large(pixels: int | None) -> str:
    return ((f"has {pixels:,} pixels" if pixels else "has too many pixels") +
            f"; an image may have at most {MAX_PIXELS:,} (a whole A4 page with bleed at "
            "600 ppi has 36 million)")


def _kind(head: bytes) -> str:
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        return "an SVG drawing"
    if text.startswith(b"<"):
        return "an HTML or XML file"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = "\0"
    if all(c.isprintable() or c in "\t\r\n" for c in text):
        return "a text file"
    return "not an image file (unrecognised content)"
