"""The ink of a page as MuPDF reads it (`mutool trace`): a second reader for the check.

publish's check reads content streams with its own walker (publish/check/content.py);
these functions read the same page through MuPDF instead, so a figure the check gives
can be compared with what another PDF reader sees. Boxes are in PDF points (y up,
the page's own coordinates), like the check's.
"""
from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from pypdf import PdfReader

MM = 72 / 25.4
BAND_MIN, BAND_REACH, BAND_WIDTH = 5.0, 14.0, 0.97  # mm, mm, of the text width: a band


def _apply(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def ink(pdf: Path, page: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(kind, box) of everything painted on the page: "fill" and "stroke" paths, "glyph"s
    (advance wide, from 0.2 em under the baseline to 0.8 em over it), "image"s."""
    xml = subprocess.run(["mutool", "trace", str(pdf), str(page)], check=True,
                         capture_output=True, text=True).stdout
    root = ET.fromstring(xml).find("page")
    x0, y0, x1, y1 = (float(v) for v in root.get("mediabox").split())
    media = [float(v) for v in PdfReader(str(pdf)).pages[page - 1].mediabox]
    out = []

    def pdf_box(points):
        # MuPDF's device space: y down from the media box's top, in points.
        xs = [media[0] + p[0] for p in points]
        ys = [media[3] - p[1] for p in points]
        return min(xs), min(ys), max(xs), max(ys)

    for el in root.iter():
        m = [float(v) for v in el.get("transform", "1 0 0 1 0 0").split()]
        if el.tag in ("fill_path", "stroke_path"):
            points = [_apply(m, float(p.get("x")), float(p.get("y"))) for p in el.iter()
                      if p.get("x") is not None]
            if points:
                out.append((el.tag.split("_")[0], pdf_box(points)))
        elif el.tag == "fill_text":
            for span in el.iter("span"):
                size = abs(float(span.get("trm").split()[0]))
                for g in span.iter("g"):
                    if not g.get("unicode", " ").strip():
                        continue
                    x, y = float(g.get("x")), float(g.get("y"))
                    advance = float(g.get("adv")) * size
                    out.append(("glyph", pdf_box([_apply(m, x, y + 0.2 * size),
                                                  _apply(m, x + advance, y - 0.8 * size)])))
        elif el.tag == "fill_image":
            out.append(("image", pdf_box([_apply(m, u, v) for u in (0, 1) for v in (0, 1)])))
    return out


def text_area(pdf: Path, page: int, margins_mm) -> tuple[float, float, float, float]:
    """left, foot, right, top of the text area in points: the trim less the margins."""
    p = PdfReader(str(pdf)).pages[page - 1]
    trim = [float(v) for v in (p.trimbox if "/TrimBox" in p else p.mediabox)]
    top, right, bottom, left = margins_mm
    return trim[0] + left * MM, trim[1] + bottom * MM, trim[2] - right * MM, trim[3] - top * MM


def column_feet(pdf: Path, page: int, margins_mm, columns_mm) -> tuple[bool, list[float]]:
    """Whether the page has a band pinned to its foot, and for each column (left and right,
    millimetres from the text area's left edge) the millimetres between its lowest ink and
    its foot (the top of that band, where there is one)."""
    left, foot, right, top = text_area(pdf, page, margins_mm)
    items = [(kind, b) for kind, b in ink(pdf, page)
             if b[2] > left + 0.5 and b[0] < right - 0.5 and b[3] > foot + 0.5 and b[1] < top]
    bands = [b for kind, b in items if kind == "fill" and b[2] - b[0] >= BAND_WIDTH * (right - left)
             and b[3] - b[1] >= BAND_MIN * MM and b[1] - foot <= BAND_REACH * MM]
    if bands:
        foot = max(b[3] for b in bands)
    out = []
    for x0, x1 in columns_mm:
        inside = [b for _, b in items if b[0] >= left + x0 * MM - 1 and
                  b[2] <= left + x1 * MM + 1 and b[1] >= foot - 0.5]
        out.append(max(0.0, (min(b[1] for b in inside) - foot) / MM) if inside else None)
    return bool(bands), out
