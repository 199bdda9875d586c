"""The ink of a page as MuPDF reads it (`mutool trace`): a second reader for the check.

publish's check reads content streams with its own walker (publish/check/content.py);
these functions read the same page through MuPDF instead, so a figure the check gives
can be compared with what another PDF reader sees. Boxes are in PDF points (y up,
the page's own coordinates), like the check's.
"""
from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

MM = 72 / 25.4
BAND_MIN, BAND_REACH, BAND_WIDTH = 5.0, 14.0, 0.97  # mm, mm, of the text width: a band


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


@lru_cache(maxsize=64)
def _boxes(pdf: Path, stamp: float) -> list[tuple[list[float], list[float]]]:
    """Each page's media and trim box."""
    return [([float(v) for v in p.mediabox],
             [float(v) for v in (p.trimbox if "/TrimBox" in p else p.mediabox)])
            for p in PdfReader(str(pdf)).pages]


@lru_cache(maxsize=4)
def _pages(pdf: Path, stamp: float) -> list[ET.Element]:
    """Every page of the PDF as MuPDF traces it (one run of mutool for the file)."""
    xml = subprocess.run(["mutool", "trace", str(pdf)], check=True, capture_output=True,
                         text=True).stdout
    return ET.fromstring(xml).findall("page")


def boxes(pdf: Path, page: int) -> tuple[list[float], list[float]]:
    return _boxes(pdf, pdf.stat().st_mtime)[page - 1]


def ink(pdf: Path, page: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(kind, box) of everything painted on the page, in painting order: "fill" and
    "stroke" paths, "glyph"s (advance wide, from 0.2 em under the baseline to 0.8 em over
    it), "image"s."""
    root = _pages(pdf, pdf.stat().st_mtime)[page - 1]
    media = boxes(pdf, page)[0]
    out = []

    def pdf_box(points):
        # MuPDF's device space: y down from the media box's top, in points.
        xs = [media[0] + p[0] for p in points]
        ys = [media[3] - p[1] for p in points]
        return min(xs), min(ys), max(xs), max(ys)

    clips = [None]  # the clip in force: WeasyPrint draws a border as a box clipped to a side

    def clipped(box):
        clip = clips[-1]
        if clip is None:
            return box
        box = (max(box[0], clip[0]), max(box[1], clip[1]), min(box[2], clip[2]),
               min(box[3], clip[3]))
        return box if box[2] >= box[0] and box[3] >= box[1] else None

    for el in root.iter():
        m = [float(v) for v in el.get("transform", "1 0 0 1 0 0").split()]
        points = [_apply(m, float(p.get("x")), float(p.get("y"))) for p in el
                  if p.get("x") is not None and p.tag in ("moveto", "lineto", "curveto")]
        box = None
        if el.tag.startswith("clip_"):
            inner = pdf_box(points) if el.tag == "clip_path" and points else None
            clips.append(clips[-1] if inner is None else
                         clipped(inner) or (inner[0], inner[1], inner[0], inner[1]))
            continue
        if el.tag == "pop_clip":
            clips.pop()
            continue
        if el.tag in ("fill_path", "stroke_path") and points:
            box = clipped(pdf_box(points))
            if box is not None:
                out.append((el.tag.split("_")[0], box))
        elif el.tag == "fill_text":
            for span in el.iter("span"):
                size = abs(float(span.get("trm").split()[0]))
                for g in span.iter("g"):
                    if not g.get("unicode", " ").strip():
                        continue
                    x, y = float(g.get("x")), float(g.get("y"))
                    advance = float(g.get("adv")) * size
                    box = clipped(pdf_box([_apply(m, x, y + 0.2 * size),
                                           _apply(m, x + advance, y - 0.8 * size)]))
                    if box is not None:
                        out.append(("glyph", box))
        elif el.tag == "fill_image":
            box = clipped(pdf_box([_apply(m, u, v) for u in (0, 1) for v in (0, 1)]))
            if box is not None:
                out.append(("image", box))
    return out


def text_area(pdf: Path, page: int, margins_mm) -> tuple[float, float, float, float]:
    """left, foot, right, top of the text area in points: the trim less the margins."""
    trim = boxes(pdf, page)[1]
    top, right, bottom, left = margins_mm
    return trim[0] + left * MM, trim[1] + bottom * MM, trim[2] - right * MM, trim[3] - top * MM


def column_feet(pdf: Path, page: int, margins_mm, columns_mm
                ) -> tuple[bool, list[float | None], list[float]]:
    """Whether the page has a band pinned to its foot; for each column (left and right,
    millimetres from the text area's left edge) the millimetres between its lowest ink
    above the foot (the top of that band, where there is one) and that foot; and how far
    each column's ink reaches into the band (crossing its top, or painted before it and
    so under it)."""
    left, foot, right, top = text_area(pdf, page, margins_mm)
    items = [(kind, b, order) for order, (kind, b) in enumerate(ink(pdf, page))
             if b[2] > left + 0.5 and b[0] < right - 0.5 and b[3] > foot + 0.5 and b[1] < top]
    bands = [(b, order) for kind, b, order in items if kind == "fill"
             and b[2] - b[0] >= BAND_WIDTH * (right - left) and b[3] - b[1] >= BAND_MIN * MM
             and b[1] - foot <= BAND_REACH * MM]
    bottom = first = None
    if bands:
        foot = max(b[3] for b, _ in bands)
        bottom = min(b[1] for b, _ in bands)
        first = min(order for _, order in bands)
    feet, reach = [], []
    for x0, x1 in columns_mm:
        strip = [(b, order) for _, b, order in items if b[0] >= left + x0 * MM - 1
                 and b[2] <= left + x1 * MM + 1]
        above = [b for b, _ in strip if b[1] >= foot - 0.5]
        feet.append(max(0.0, (min(b[1] for b in above) - foot) / MM) if above else None)
        into = [foot - b[1] for b, order in strip if bands and b[1] < foot - 0.5 and
                (b[3] > foot + 0.5 or (order < first and b[1] >= bottom - 0.5))]
        reach.append(max(into, default=0.0) / MM)
    return bool(bands), feet, reach
