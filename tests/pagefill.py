"""Page fill and hyphenation measured from a PDF, as a designer reviews a proof.

Empty band: the page's text area is cut into three vertical strips (a third of the
width each, whatever the layout's column count); for each strip, the distance from
the lowest ink (text, rules, tints, placeholder frames) to the foot of the text area.
The page is rasterised with poppler's pdftoppm, so anything printed counts.
A band pinned to the foot (the back page's contacts: a tint across the whole text
width, standing at most a funder line above the foot) is not the end of the columns:
there the distance is measured from the lowest ink above the band to the band's top,
since white above the band is as much a hole as white at the foot.

Hyphen ladder: the longest run of consecutive lines of one paragraph ending in a
hyphen, from poppler's pdftotext -bbox-layout.

Run as a script for the archive table: python tests/pagefill.py dist/*.pdf
"""
from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PdfReader

MM = 72 / 25.4
DPI = 50
# The text area of the layouts (layouts/base/base.css @page margin).
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM = 14, 14, 18
INK = 250  # grey level below which a pixel is printed (the palest tint renders near 245)
BAND_REACH = 14  # mm: how far above the foot a pinned band may end (a funder line under it)
BAND_MIN = 5  # mm: a band is at least this tall (a rule is not a band)
HYPHENS = ("-", "\u2010", "\u00ad")


@dataclass(frozen=True)
class PageFill:
    page: int
    bands: tuple[float, float, float]  # empty millimetres at the foot of each third
    ladder: int  # longest run of consecutive lines ending in a hyphen
    band: tuple[float, float] | None = None  # a band pinned to the foot: its top and
    # bottom, millimetres above the foot of the text area

    @property
    def worst(self) -> float:
        return max(self.bands)


def _pgm(pdf: Path, page: int) -> tuple[int, int, bytes]:
    data = subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", str(page), "-l",
                           str(page), str(pdf)], check=True, capture_output=True).stdout
    magic, width, height, _maxval, pixels = re.match(rb"(P5)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)",
                                                     data, re.S).groups()
    return int(width), int(height), pixels


def _foot_band(width: int, pixels: bytes, c0: int, c1: int, foot: int,
               px: float) -> tuple[int, int] | None:
    """The top and bottom rows of a band across the text area pinned near its foot."""
    def full(y: int) -> bool:
        row = pixels[y * width + c0: y * width + c1]
        return sum(v < INK for v in row) >= 0.97 * len(row)

    y = foot
    while y > foot - BAND_REACH * px:  # over a funder line and its rule, if any
        if not full(y):
            y -= 1
            continue
        bottom = y
        while y > 0 and full(y):
            y -= 1
        if bottom - y >= BAND_MIN * px:  # a band, not a rule
            return y + 1, bottom + 1
    return None


def bands(pdf: Path, page: int, trim: tuple[float, float, float, float],
          media: tuple[float, float, float, float]
          ) -> tuple[tuple[float, ...], tuple[float, float] | None]:
    """Empty millimetres under the lowest ink of each third of the text area (above a
    band pinned to the foot, where there is one), and that band's top and bottom."""
    width, height, pixels = _pgm(pdf, page)
    px = DPI / 25.4  # pixels per millimetre
    left = (trim[0] - media[0]) / MM + MARGIN_LEFT  # millimetres from the media's left
    right = (trim[2] - media[0]) / MM - MARGIN_RIGHT
    foot = (media[3] - trim[1]) / MM - MARGIN_BOTTOM  # text area foot, mm from media top
    found = _foot_band(width, pixels, int(left * px) + 1, int(right * px) - 1,
                       int(foot * px), px)
    band = None
    if found is not None:
        band = (round(foot - found[0] / px, 1), round(max(0.0, foot - found[1] / px), 1))
        foot = found[0] / px
    third = (right - left) / 3
    result = []
    for i in range(3):
        c0, c1 = int((left + i * third) * px) + 1, int((left + (i + 1) * third) * px) - 1
        lowest = 0
        for y in range(int(foot * px) - 1, -1, -1):
            row = pixels[y * width + c0: y * width + c1]
            if min(row) < INK:
                lowest = y + 1
                break
        result.append(round(max(0.0, foot - lowest / px), 1))
    return tuple(result), band


def ladders(pdf: Path) -> list[int]:
    """Per page, the longest run of consecutive lines of a block that end in a hyphen."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ElementTree.fromstring(xml)
    result = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        longest = 0
        for block in page.iter("{http://www.w3.org/1999/xhtml}block"):
            run = 0
            for line in block.iter("{http://www.w3.org/1999/xhtml}line"):
                words = [w.text or "" for w in line.iter("{http://www.w3.org/1999/xhtml}word")]
                if words and words[-1].endswith(HYPHENS) and len(words[-1]) > 1:
                    run += 1
                    longest = max(longest, run)
                else:
                    run = 0
        result.append(longest)
    return result


def measure(pdf: Path) -> list[PageFill]:
    reader = PdfReader(str(pdf))
    runs = ladders(pdf)
    pages = []
    for number, page in enumerate(reader.pages, 1):
        trim = tuple(float(v) for v in (page.trimbox.left, page.trimbox.bottom,
                                        page.trimbox.right, page.trimbox.top))
        media = tuple(float(v) for v in (page.mediabox.left, page.mediabox.bottom,
                                         page.mediabox.right, page.mediabox.top))
        empty, band = bands(pdf, number, trim, media)
        pages.append(PageFill(number, empty, runs[number - 1], band))
    return pages


def main(pdfs: list[str]) -> None:
    total = within = 0
    for pdf in pdfs:
        fills = measure(Path(pdf))
        for f in fills:
            total += 1
            within += f.worst <= 25
        print(f"{Path(pdf).stem}: worst empty band per page (mm) "
              + ", ".join(f"{f.worst:.0f}" for f in fills)
              + "; longest hyphen ladder " + str(max(f.ladder for f in fills)))
    print(f"{within} of {total} pages have no column ending more than 25 mm above the foot")


if __name__ == "__main__":
    main(sys.argv[1:])
