"""A layout's stylesheets for the screen edition: its CMYK colours as sRGB, no press profile.

A layout gives every colour once, in the printer's inks (`device-cmyk()`), under the press
profile its `@color-profile device-cmyk` names. The screen edition shows the colours the
press prints: each `device-cmyk(c m y k)` becomes the sRGB colour the profile gives it
(LittleCMS through Pillow, relative colorimetric with black point compensation, so black
ink is near-black on screen and the paper is white), and the `@color-profile` rule is
dropped, so the screen PDF carries neither the profile nor an output intent. The text is
changed as it is read, in the render's fetcher; the files stay as they are.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)%?"
_CMYK = re.compile(rf"device-cmyk\(\s*({_NUMBER})\s*,?\s*({_NUMBER})\s*,?\s*({_NUMBER})\s*,?\s*"
                   rf"({_NUMBER})\s*(?:/\s*({_NUMBER})\s*)?\)", re.I)
_PROFILE_RULE = re.compile(r"@color-profile\s+device-cmyk\s*\{([^}]*)\}", re.I)
_SRC = re.compile(r"src\s*:\s*url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", re.I)


def press_profile(css: str, url: str) -> Path | None:
    """The file the stylesheet's `@color-profile device-cmyk` names, if it names one."""
    rule = _PROFILE_RULE.search(css)
    src = _SRC.search(rule[1]) if rule else None
    if not src:
        return None
    target = urljoin(url, src[1])
    return Path(unquote(urlsplit(target).path)) if target.startswith("file:") else None


def for_screen(css: str, profile: Path | None) -> str:
    """The stylesheet with sRGB for every device-cmyk() and no @color-profile device-cmyk."""
    css = _PROFILE_RULE.sub("", css)
    return _CMYK.sub(lambda m: _rgb(m, profile), css)


def _rgb(match: re.Match, profile: Path | None) -> str:
    c, m, y, k = (_fraction(v) for v in match.groups()[:4])
    r, g, b = srgb((c, m, y, k), str(profile) if profile else None)
    alpha = f" / {match[5]}" if match[5] else ""
    return f"rgb({r} {g} {b}{alpha})"


def _fraction(value: str) -> float:
    number = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    return min(1.0, max(0.0, number))


@lru_cache(maxsize=1024)
def srgb(cmyk: tuple[float, float, float, float], profile: str | None) -> tuple[int, int, int]:
    """The sRGB colour (0-255) the press profile prints these inks as; without a profile,
    the naive complement (no layout of the project is without one)."""
    if profile is None:
        c, m, y, k = cmyk
        return tuple(round(255 * (1 - v) * (1 - k)) for v in (c, m, y))
    from PIL import Image, ImageCms
    pixel = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in cmyk))
    return tuple(ImageCms.applyTransform(pixel, _transform(profile)).getpixel((0, 0)))


@lru_cache(maxsize=4)
def _transform(profile: str):
    from PIL import ImageCms
    return ImageCms.buildTransform(
        ImageCms.getOpenProfile(profile), ImageCms.createProfile("sRGB"), "CMYK", "RGB",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
