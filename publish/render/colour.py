"""The colour step: every figure's image made ready for its target, before rendering.

WeasyPrint 70 embeds an RGB image as DeviceRGB and drops its ICC profile, so under a
CMYK output intent the printer's RIP, not the layout, would decide its colours. Here
each image goes, through LittleCMS (Pillow's ImageCms), from its own colour space
to the target's:

- print: the output condition's CMYK, through the profile the layout declares for
  `@color-profile device-cmyk` (output_profile()); an RGB image from its embedded
  profile (sRGB when it has none), a CMYK one from its profile unless it is already
  in the output condition; grey stays grey (DeviceGray, black ink only). Relative
  colorimetric with black-point compensation, or perceptual when a figure asks;
  the total area coverage (TAC) of the result is held to the layout's ink limit.
- screen: sRGB (for an edition read on screens).

EXIF orientation is applied, transparency flattened onto paper white, palette and
16-bit images reduced to 8 bits, and an image far sharper than it can be printed
(over MAX_PPI in the largest frame it could fill) downsampled. The result is written
to publish's private folder under a name made of everything it depends on (the
image's bytes, the target's profile and limit, the intent, the size), so a rebuild,
or a save in `publish watch`, converts nothing again; the composed HTML points the
renderer at that file.
"""
from __future__ import annotations

import hashlib
import io
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..conditions import DEFAULT_INK_LIMIT, ink_limit
from ..source import model as m
from ..source.layout import Layout

VERSION = "1"  # of the conversion below: a change to it must not reuse older files
MAX_PPI = 600
MIN_PPI = 300  # the layout's `--min-ppi` overrides it
BLEED_MM = 3.0
PAGE_WIDTH_MM = 210.0 + 2 * BLEED_MM  # the widest a frame on an A4 page with bleed can be
JPEG_QUALITY = 95
INTENTS = {"relative": 1, "perceptual": 0}  # LittleCMS's numbers
_REGISTERED = re.compile(r"\b(FOGRA\d+|CGATS21-2-CRPC\d|CGATS TR 00\d|JC200103|JCW2003)\b")


@dataclass(frozen=True)
class Target:
    """What the images are made for: `print` (a CMYK output condition) or `screen` (sRGB)."""

    kind: str
    profile: Path | None = None  # the CMYK output profile (print)
    ink_limit: float = DEFAULT_INK_LIMIT  # percent, C+M+Y+K of any pixel (print)

    @property
    def key(self) -> str:
        profile = hashlib.sha256(self.profile.read_bytes()).hexdigest()[:16] \
            if self.profile else "srgb"
        return f"{self.kind}-{profile}-{self.ink_limit:g}"

    @property
    def condition(self) -> str | None:
        """The registered print condition the profile is for (FOGRA39), if it says."""
        return _condition(_profile(self.profile)) if self.profile else None


def print_target(layout: Layout) -> Target:
    profile = output_profile(layout)
    if profile is None:
        return Target("screen")
    limit = root_number(layout, "--ink-limit")
    if limit is None:
        limit = ink_limit(_condition(_profile(profile)))
    return Target("print", profile, limit)


def screen_target() -> Target:
    return Target("screen")


# -- what the layout declares -------------------------------------------------

def _css(layout: Layout) -> list[tuple[Path, str]]:
    return [(s, re.sub(r"/\*.*?\*/", "", s.read_text(encoding="utf-8"), flags=re.S))
            for s in layout.stylesheets]


def output_profile(layout: Layout) -> Path | None:
    """The CMYK profile the layout's `@color-profile device-cmyk` names (the last rule
    wins, as in CSS), resolved against its stylesheet; None if it names none."""
    found = None
    for sheet, css in _css(layout):
        for rule in re.finditer(r"@color-profile\s+device-cmyk\s*\{([^}]*)\}", css):
            src = re.search(r"src\s*:\s*url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", rule[1])
            if src:
                found = (sheet.parent / src[1]).resolve()
    return found if found is not None and found.is_file() else None


def root_number(layout: Layout, name: str) -> float | None:
    """A number the layout sets as a custom property (`--ink-limit: 300%`), the last wins."""
    value = None
    for _, css in _css(layout):
        for found in re.finditer(re.escape(name) + r"\s*:\s*([\d.]+)\s*%?\s*[;}]", css):
            value = float(found[1])
    return value


def min_ppi(layout: Layout | None) -> float:
    found = root_number(layout, "--min-ppi") if layout is not None else None
    return found if found else MIN_PPI


# -- frames -------------------------------------------------------------------

@dataclass(frozen=True)
class Frame:
    """The most a figure's frame can be: its declared height, and the widest it can get
    (the column it is in is not known before layout; the page with bleed bounds it)."""

    height_mm: float
    max_width_mm: float
    fit: str = "cover"


def frames(issue: m.Issue) -> list[tuple[m.Page, m.Figure, Frame]]:
    """Every figure with an image, with its page entry and the largest frame it can fill."""
    out: list[tuple[m.Page, m.Figure, Frame]] = []

    def walk(block, page: m.Page, width: float) -> None:
        if isinstance(block, m.Figure):
            if block.image is not None:
                wide = PAGE_WIDTH_MM if block.span == "page" else width
                if block.bleed:  # out over the page's margin to the bleed edge
                    wide = PAGE_WIDTH_MM
                out.append((page, block, Frame(block.height, wide, block.fit)))
            return
        inner = width
        if isinstance(block, m.Panel):
            inner = (PAGE_WIDTH_MM if block.span == "page" else width) / block.columns
        body = getattr(block, "body", ())
        for item in body if isinstance(body, tuple) else ():
            if not isinstance(item, m.Text):
                walk(item, page, inner)

    for page in issue.pages:
        for placed in page.blocks:
            walk(placed.block, page, PAGE_WIDTH_MM / page.columns)
    return out


def printed_size(size: tuple[int, int], frame: Frame) -> tuple[int, int]:
    """The pixels an image of `size` (upright) keeps: all of them, unless even the largest
    frame it could fill would show it at over MAX_PPI."""
    width, height = size
    across = width / (frame.max_width_mm / 25.4)
    down = height / (frame.height_mm / 25.4)
    # cover scales the image to fill both ways (the lower of the two is what it gets at
    # the least); contain to fit inside both (the higher).
    least = min(across, down) if frame.fit == "cover" else max(across, down)
    if least <= MAX_PPI:
        return size
    scale = MAX_PPI / least
    return max(1, round(width * scale)), max(1, round(height * scale))


def upright_size(path: Path) -> tuple[int, int]:
    """The image's pixels as printed (after its EXIF orientation), from its header."""
    from PIL import Image
    with Image.open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


# -- conversion ---------------------------------------------------------------

def private_folder() -> Path:
    """Where converted images are kept: publish's private folder (the renderer may read it)."""
    from .private import folder as private
    folder = private() / "images"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@dataclass
class Stats:
    conversions: int = 0  # images converted in this process (a cached one is not)
    clipped: int = 0  # of them, images whose ink the limit cut


stats = Stats()


KEEP_DAYS = 30  # a converted image no build has used for this long is removed


def prepare(source: Path, target: Target, frame: Frame, intent: str = "relative") -> Path:
    """The image made ready for target, from the cache or converted now."""
    digest, size = _facts(source)
    size = printed_size(size, frame)
    key = hashlib.sha256("\0".join([
        VERSION, digest, target.key, intent, f"{size[0]}x{size[1]}",
    ]).encode()).hexdigest()[:40]
    folder = private_folder()
    for suffix in (".jpg", ".png"):
        done = folder / f"{key}{suffix}"
        if done.is_file():
            try:
                os.utime(done)  # used: kept another KEEP_DAYS
            except OSError:
                pass
            return done
    encoded, suffix = convert(source.read_bytes(), target, size, intent)
    done = folder / f"{key}{suffix}"
    temp = folder / f".{key}.{os.getpid()}"
    temp.write_bytes(encoded)
    os.replace(temp, done)  # two builds converting at once each leave a whole file
    _forget_old(folder)
    return done


_seen: dict[tuple, tuple[str, tuple[int, int]]] = {}


def _facts(source: Path) -> tuple[str, tuple[int, int]]:
    """The image's digest and upright size, remembered while the file is unchanged (a
    save in `publish watch` composes every figure again)."""
    info = source.stat()
    key = (str(source), info.st_ino, info.st_size, info.st_mtime_ns)
    if key not in _seen:
        if len(_seen) > 1024:
            _seen.clear()
        _seen[key] = (hashlib.sha256(source.read_bytes()).hexdigest(), upright_size(source))
    return _seen[key]


def _forget_old(folder: Path) -> None:
    import time
    old = time.time() - KEEP_DAYS * 86400
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < old:
                path.unlink()
        except OSError:
            pass  # another build removed or replaced it meanwhile


def convert(data: bytes, target: Target, size: tuple[int, int],
            intent: str = "relative") -> tuple[bytes, str]:
    """The image's bytes for target at size: (encoded file, its suffix)."""
    from PIL import Image, ImageOps
    stats.conversions += 1
    with Image.open(io.BytesIO(data)) as opened:
        lossy = opened.format == "JPEG"
        opened.load()
        icc = opened.info.get("icc_profile")
        image = ImageOps.exif_transpose(opened)
    image = _eight_bit(image)
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    if target.kind == "print":
        image = _to_print(image, icc, target, intent)
    else:
        image = _to_screen(image, icc, intent)
    out = io.BytesIO()
    if image.mode == "CMYK" or lossy:
        # WeasyPrint embeds a JPEG as it is (DCTDecode); a CMYK image can only be a JPEG.
        image.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=False)
        return out.getvalue(), ".jpg"
    image.save(out, "PNG")
    return out.getvalue(), ".png"


def _eight_bit(image):
    """One of L, RGB or CMYK, 8 bits, nothing transparent: alpha flattened onto white."""
    import numpy as np
    from PIL import Image
    mode = image.mode
    if mode == "1":
        return image.convert("L")
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        values = np.asarray(image, dtype=np.float64)
        return Image.fromarray(np.clip(np.round(values / 257), 0, 255).astype(np.uint8), "L")
    if mode == "F":
        values = np.asarray(image, dtype=np.float64)
        return Image.fromarray(np.clip(np.round(values * 255), 0, 255).astype(np.uint8), "L")
    if mode == "P" or mode == "PA":
        image = image.convert("RGBA" if "transparency" in image.info or mode == "PA"
                              else "RGB")
        mode = image.mode
    if mode in ("LA", "La", "RGBA", "RGBa"):
        base = "L" if mode.startswith("L") else "RGB"
        paper = Image.new(base, image.size, 255 if base == "L" else (255, 255, 255))
        paper.paste(image.convert(base), mask=image.getchannel("A"))
        return paper
    if mode in ("L", "RGB", "CMYK", "LAB"):
        return image
    return image.convert("RGB")  # RGBX, YCbCr, HSV


@lru_cache(maxsize=32)
def _profile(path_or_bytes):
    from PIL import ImageCms
    if isinstance(path_or_bytes, bytes):
        return ImageCms.ImageCmsProfile(io.BytesIO(path_or_bytes))
    return ImageCms.getOpenProfile(str(path_or_bytes))


def _condition(profile) -> str | None:
    texts = " ".join(str(getattr(profile.profile, name, "") or "")
                     for name in ("profile_description", "model", "copyright"))
    found = _REGISTERED.search(texts)
    return found[1] if found else None


def _space(profile) -> str:
    return (profile.profile.xcolor_space or "").strip()


@lru_cache(maxsize=32)
def _transform(source, source_mode: str, destination, destination_mode: str, intent: str):
    from PIL import ImageCms
    return ImageCms.buildTransform(
        _profile(source), _profile(destination), source_mode, destination_mode,
        renderingIntent=INTENTS[intent], flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


def _to_print(image, icc: bytes | None, target: Target, intent: str):
    from PIL import ImageCms
    output = target.profile
    own = _profile(icc) if icc else None
    if image.mode == "L":
        return image  # grey prints in black ink alone, as DeviceGray
    if image.mode == "LAB":  # a TIFF in CIE Lab
        image = ImageCms.applyTransform(image, _transform(_lab(), "LAB", output, "CMYK", intent))
    elif image.mode == "RGB":
        source = icc if own is not None and _space(own) == "RGB" else _srgb()
        image = ImageCms.applyTransform(image, _transform(source, "RGB", output, "CMYK", intent))
    elif image.mode == "CMYK" and own is not None and _space(own) == "CMYK" and \
            icc != output.read_bytes() and \
            not (_condition(own) and _condition(own) == target.condition):
        image = ImageCms.applyTransform(image, _transform(icc, "CMYK", output, "CMYK", intent))
    if image.mode == "CMYK":
        image = _within(image, target, intent)
    return image


def _within(image, target: Target, intent: str):
    """The image with no pixel over the ink limit: a CMYK image in the output condition
    that exceeds it (a naive conversion without a black plate) is separated again through
    the output profile, which puts grey into black; what still exceeds is cut, cyan,
    magenta and yellow alike, so the black plate and the hue are kept."""
    import numpy as np
    from PIL import Image, ImageCms
    limit = target.ink_limit * 255 / 100
    if _total_ink(np.asarray(image)).max() <= limit:
        return image
    stats.clipped += 1
    again = ImageCms.applyTransform(
        image, _transform(target.profile, "CMYK", target.profile, "CMYK", intent))
    pixels = np.asarray(again, dtype=np.float64)
    total = pixels.sum(axis=2)
    if total.max() > limit:
        black = pixels[..., 3]
        colour = pixels[..., :3].sum(axis=2)
        room = np.clip(limit - black, 0, None)
        scale = np.where(total > limit, room / np.maximum(colour, 1e-9), 1.0)
        pixels[..., :3] *= np.minimum(scale, 1.0)[..., None]
        pixels[..., 3] = np.minimum(black, limit)
    # Rounding down keeps every pixel within the limit.
    return Image.fromarray(np.floor(pixels + 1e-6).astype(np.uint8), "CMYK")


def _total_ink(pixels):
    """C+M+Y+K of each pixel, 0-1020 (channel by channel: numpy's sum over the last axis
    took 0.4 s for an A4 photo, this 0.05 s)."""
    import numpy as np
    total = pixels[..., 0].astype(np.uint16)
    for channel in (1, 2, 3):
        total += pixels[..., channel]
    return total


def _to_screen(image, icc: bytes | None, intent: str):
    from PIL import ImageCms
    own = _profile(icc) if icc else None
    if image.mode == "LAB":
        return ImageCms.applyTransform(image, _transform(_lab(), "LAB", _srgb(), "RGB", intent))
    if image.mode == "L" or own is None:
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    mode = "CMYK" if image.mode == "CMYK" else "RGB"
    if _space(own) != mode:
        return image.convert("RGB")
    return ImageCms.applyTransform(image, _transform(icc, mode, _srgb(), "RGB", intent))


@lru_cache(maxsize=1)
def _lab() -> bytes:
    from PIL import ImageCms
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB", 5000)).tobytes()


@lru_cache(maxsize=1)
def _srgb() -> bytes:
    from PIL import ImageCms
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def prepared(issue: m.Issue, layout: Layout, target: Target | None = None) -> dict[int, Path]:
    """Each figure's converted image, by id() of the figure."""
    target = target or print_target(layout)
    out: dict[int, Path] = {}
    for _, figure, frame in frames(issue):
        out[id(figure)] = prepare(figure.image, target, frame, figure.intent)
    return out


def ppi_needed_pixels(pixels: tuple[int, int], ppi: float, wanted: float) -> tuple[int, int]:
    """The pixels a photo shown at ppi would need to reach wanted ppi, cropped the same."""
    return math.ceil(pixels[0] * wanted / ppi), math.ceil(pixels[1] * wanted / ppi)
