"""Geometry, from the PDF alone: is each page upright, at its size, where the layout put it?

A page that was rotated, scaled or shifted on its way to the printer keeps all its
text, so the plan checks alone pass it. What gives it away is geometry: the
page's /Rotate, text crossing the trim edge or inside the layout's safe margin,
images crossing the trim without reaching the bleed, body text no longer at the
layout's size, and the text's left edge no longer on the layout's margin.

The layout's numbers come from its stylesheets: `--body-size` and `--safe-margin`
(custom properties in `:root`), the `@page` margin and, for the fill check, the
`column-gap` of `.flow` (a length, or a custom property of `:root` such as `--gap`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import PublishError
from ..source.layout import resolve
from .pdffacts import PdfFacts
from .report import Report

PT_PER_MM = 72 / 25.4
EDGE = 0.5  # points: what a measurement may be off by
SIZE_TOLERANCE = 0.03  # of the body size
SHIFT_MM = 3.0  # how far the text's left edge may sit right of the margin
MIN_CHARS = 200  # a page needs this much text before its body size says anything


@dataclass(frozen=True)
class LayoutGeometry:
    body_pt: float
    safe_mm: float
    margins_mm: tuple[float, float, float, float]  # top, right, bottom, left
    sizes: frozenset[float] = frozenset()  # every font size the stylesheets set, points
    ems: frozenset[float] = frozenset()  # sizes the stylesheets set relative to the body
    gap_mm: float = 5.0  # between text columns (`.flow`'s column-gap)

    def sizes_for(self, body_pt: float | None) -> frozenset[float]:
        """The sizes of a page whose body text the plan sets to body_pt (None: the layout's)."""
        if body_pt is None or body_pt == self.body_pt:
            return self.sizes
        return self.sizes | {body_pt} | {round(em * body_pt, 2) for em in self.ems}


_UNITS = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}


def _mm(value: str) -> float | None:
    m = re.fullmatch(r"\s*(-?[\d.]+)(mm|cm|in|pt|px)\s*", value)
    return float(m[1]) * _UNITS[m[2]] if m else None


def _comments_out(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


@lru_cache(maxsize=8)
def _read(sheets: tuple[Path, ...], stamps: tuple[float, ...]) -> LayoutGeometry | None:
    body = safe = None
    gap = "5mm"
    properties: dict[str, str] = {}
    margins = [None, None, None, None]
    sizes: set[float] = set()
    ems: set[float] = set()
    for sheet in sheets:
        css = _comments_out(sheet.read_text(encoding="utf-8"))
        for m in re.finditer(r"font(?:-size)?\s*:[^;}]*?(?<![\w.-])([\d.]+)(pt|em)\b", css):
            (sizes if m[2] == "pt" else ems).add(float(m[1]))
        for m in re.finditer(r"--body-size\s*:\s*([^;}]+)", css):
            body = _mm(m[1]) or body
        for m in re.finditer(r"--safe-margin\s*:\s*([^;}]+)", css):
            safe = _mm(m[1]) if _mm(m[1]) is not None else safe
        for m in re.finditer(r":root\s*\{([^}]*)\}", css):
            properties.update(re.findall(r"(--[\w-]+)\s*:\s*([^;}]+)", m[1]))
        for m in re.finditer(r"(?:^|\})\s*\.flow\s*\{([^}]*)\}", css):
            gap = next(iter(re.findall(r"column-gap\s*:\s*([^;}]+)", m[1])), gap)
        # Only the plain @page rule (not :first or :left) sets the margins of text pages.
        for rule in re.finditer(r"@page\s*\{((?:[^{}]|\{[^{}]*\})*)\}", css):
            own = re.sub(r"@[\w-]+\s*\{[^{}]*\}", "", rule[1])
            for decl in re.finditer(r"(margin(?:-top|-right|-bottom|-left)?)\s*:\s*([^;}]+)",
                                    own):
                values = [_mm(v) for v in decl[2].split()]
                if None in values:
                    continue
                if decl[1] == "margin":
                    margins = _box_sides(values)
                else:
                    margins[["-top", "-right", "-bottom", "-left"].index(
                        decl[1][len("margin"):])] = values[0]
    if body is None or safe is None or None in margins:
        return None
    body_pt = body / (25.4 / 72)
    sizes |= {body_pt} | {round(em * body_pt, 2) for em in ems}
    value = re.fullmatch(r"\s*var\(\s*(--[\w-]+)\s*\)\s*", gap)
    gap_mm = _mm(properties.get(value[1], "") if value else gap)
    return LayoutGeometry(body_pt, safe, tuple(margins), frozenset(sizes), frozenset(ems),
                          5.0 if gap_mm is None else gap_mm)


def _box_sides(v: list[float]) -> list[float]:
    """CSS shorthand: 1 to 4 values to top, right, bottom, left."""
    if len(v) == 1:
        return v * 4
    if len(v) == 2:
        return [v[0], v[1], v[0], v[1]]
    if len(v) == 3:
        return [v[0], v[1], v[2], v[1]]
    return v[:4]


def layout_geometry(layouts: Path, name: str) -> LayoutGeometry | None:
    """The layout's body size, safe margin and page margins; None if it does not say."""
    try:
        sheets = resolve(layouts, name).stylesheets
    except PublishError:
        return None
    return _read(sheets, tuple(s.stat().st_mtime for s in sheets))


def check_geometry(facts: PdfFacts, report: Report, layout: LayoutGeometry | None,
                   bodies: dict[int, float] | None = None, bleed_mm: float = 0) -> None:
    """bodies: the body size (points) the plan sets for a page, where it sets one;
    bleed_mm: the bleed the layout draws beyond a page that has no BleedBox (the screen
    edition's page is the trim: what print runs into the bleed is cut at its edge)."""
    bodies = bodies or {}
    reach = bleed_mm * PT_PER_MM
    for number, (content, boxes) in enumerate(zip(facts.contents, facts.boxes), start=1):
        rotation = facts.rotations[number - 1] if facts.rotations else 0
        if rotation:
            report.add("error", "geometry", f"the page is rotated {rotation}° (/Rotate): "
                                            "the plan's pages are upright", number)
        trim = boxes.trim or boxes.media
        bleed = boxes.bleed or (boxes.media if boxes.trim else (
            trim[0] - reach, trim[1] - reach, trim[2] + reach, trim[3] + reach))
        _text_edges(number, content.runs, trim, layout, report)
        _images(number, content.pictures, trim, bleed, report)
        _beyond_bleed(number, content, bleed, report)
        if layout is not None:
            _scale_and_position(number, content, trim, layout, report, bodies.get(number))


def _side_overshoot(box, frame) -> tuple[str, float]:
    """How far box reaches out of frame, and on which side (0 if inside)."""
    sides = {"left": frame[0] - box[0], "bottom": frame[1] - box[1],
             "right": box[2] - frame[2], "top": box[3] - frame[3]}
    side = max(sides, key=sides.get)
    return side, sides[side]


def _text_edges(number, runs, trim, layout, report) -> None:
    out = Counter()
    worst: dict[str, float] = {}
    close = Counter()
    closest: dict[str, float] = {}
    safe = layout.safe_mm * PT_PER_MM if layout else 0
    for run in runs:
        side, over = _side_overshoot(run.box, trim)
        if over > EDGE:
            out[side] += 1
            worst[side] = max(worst.get(side, 0), over)
        elif safe and over > -safe + EDGE:
            close[side] += 1
            closest[side] = max(closest.get(side, -safe), over)
    for side, count in out.items():
        report.add("error", "geometry",
                   f"{count} line(s) of text cross the {side} trim edge, by up to "
                   f"{worst[side] / PT_PER_MM:.1f} mm", number)
    for side, count in close.items():
        report.add("error", "geometry",
                   f"{count} line(s) of text inside the {layout.safe_mm:g} mm safe margin at "
                   f"the {side} edge ({-closest[side] / PT_PER_MM:.1f} mm from the trim)", number)


def _images(number, pictures, trim, bleed, report) -> None:
    # A photo cropped to its frame is judged by the part that prints, inside its clip.
    for picture in pictures:
        side, over = _side_overshoot(picture.shown, trim)
        if over <= EDGE:
            continue
        reach = _side_overshoot(picture.shown, bleed)[1] if side else 0
        if reach >= -EDGE:
            continue  # a designed bleed: it runs to the bleed edge
        report.add("error", "geometry",
                   f"an image ({picture.pixels[0]}x{picture.pixels[1]} px) crosses the {side} "
                   f"trim edge by {over / PT_PER_MM:.1f} mm without reaching the bleed", number)


def _beyond_bleed(number, content, bleed, report) -> None:
    worst = 0.0
    for item in [*content.runs, *content.shapes]:
        worst = max(worst, _side_overshoot(item.box, bleed)[1])
    for picture in content.pictures:
        worst = max(worst, _side_overshoot(picture.shown, bleed)[1])
    if worst > 2 * EDGE:
        report.add("error", "geometry", f"content reaches {worst / PT_PER_MM:.1f} mm beyond "
                                        "the bleed edge: it is cut off", number)


def _scale_and_position(number, content, trim, layout, report, body_pt=None) -> None:
    """The page's most used text size is one the layout sets, and its text starts at the
    layout's left margin: a page scaled or moved as a whole fails one or the other."""
    runs = content.runs
    sizes = Counter()
    for run in runs:
        sizes[round(run.size, 2)] += len(run.text)
    if sum(sizes.values()) < MIN_CHARS:
        return
    common = sizes.most_common(1)[0][0]
    body = body_pt or layout.body_pt
    if not any(abs(common - size) <= size * SIZE_TOLERANCE for size in layout.sizes_for(body_pt)):
        report.add("error", "geometry",
                   f"most text is {common:.1f} pt, a size the layout does not set: the page's "
                   f"content looks scaled to {common / body:.0%} (body text is "
                   f"{body:g} pt)", number)
    # A tinted panel's text is indented by its padding: the panel itself marks the margin.
    text_left = min(run.box[0] for run in runs)
    lefts = [item.box[0] for item in content.shapes] + [p.shown[0] for p in content.pictures]
    left = min([text_left] + [x for x in lefts if x >= trim[0] - EDGE])
    margin = trim[0] + layout.margins_mm[3] * PT_PER_MM
    shift = (left - margin) / PT_PER_MM
    if shift < 0:
        shift = min(0.0, (text_left - margin) / PT_PER_MM)
    if shift > SHIFT_MM or shift < -1:
        where = "right of" if shift > 0 else "left of"
        report.add("error", "geometry",
                   f"the text's left edge is {abs(shift):.1f} mm {where} the layout's "
                   f"{layout.margins_mm[3]:g} mm margin: the page's content has moved", number)
