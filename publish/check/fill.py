"""Column fill, from the PDF alone: where each text column of a page ends above its foot.

A page the plan fills ends its columns at its foot; white under a column's last line
is a hole a designer sends back. What is measured is what every reader of the PDF
sees, the ink the content stream paints (glyphs, filled shapes such as tints, rules
and placeholder frames, images), not the boxes the renderer laid out:

- The foot is the bottom of the text area (the trim less the layout's `@page`
  margin), or the top of a band pinned there: a shape across the text area, at
  least BAND_MIN tall, ending within BAND_REACH of the foot (the back page's
  contacts, over the CBMM funders line). White above such a band is as much a hole
  as white at the foot.
- A block across the columns (a banner, a page-wide panel or figure, the page's
  closing pull quote) ends the columns above it level: CSS balances them there. So
  the columns measured are those under the lowest such block, as the ink shows them:
  runs of ink separated by a gutter; a column the plan has there with no ink at all
  is measured too (it ends where the block does). With nothing under the lowest
  full-width block, that block is the page's one column. On the MMSP cover the ink
  shows three: the foreword's two columns and the index beside them.
- A column ends at its lowest ink; what is left to the foot is said in millimetres
  and in lines of the page's body text (its line pitch, read from the column).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import PublishError
from ..source import model as m
from ..source import schema
from ..source.layout import resolve
from .geometry import LayoutGeometry, layout_geometry
from .pdffacts import PdfFacts
from .report import Report

PT_PER_MM = 72 / 25.4
EDGE = 0.5  # points: what a measurement may be off by
BAND_MIN = 5.0  # mm: a band pinned to the foot is at least this tall (a rule is not a band)
BAND_REACH = 14.0  # mm: how far above the foot a pinned band may end (a funder line under it)
BAND_WIDTH = 0.97  # of the text area: how much of it a band covers
GUTTER = 0.6  # of the layout's column gap: a narrower white strip does not part columns


@dataclass(frozen=True)
class Column:
    left: float  # millimetres from the text area's left edge
    right: float
    short: float  # millimetres of white between the column's lowest ink and its foot
    lines: int  # about how many lines of body text that white holds
    across: bool = False  # a block across the columns, with nothing under it
    into: float = 0.0  # millimetres the column reaches into the band at its foot


@dataclass(frozen=True)
class PageFill:
    page: int
    band: bool  # the foot is the top of a band pinned to the text area's foot
    columns: tuple[Column, ...]  # left to right

    def facts(self) -> dict:
        out = {"page": self.page, "foot": "band" if self.band else "text area",
               "columns_short_mm": [round(c.short, 1) for c in self.columns]}
        if self.band:
            out["columns_into_band_mm"] = [c.into for c in self.columns]
        return out


def tolerance(layouts: Path, name: str) -> float:
    """The layout's fill tolerance in millimetres (`fit: {tolerance}` in layout.yaml)."""
    try:
        return float(resolve(layouts, name).fit.tolerance)
    except PublishError:
        return float(schema.FIT["tolerance"].default)


def measure(facts: PdfFacts, number: int, layout: LayoutGeometry, columns: int
            ) -> PageFill | None:
    """The columns of PDF page number (1-based), the plan giving it columns; None for a
    page with nothing printed in its text area."""
    content = facts.contents[number - 1]
    boxes = facts.boxes[number - 1]
    trim = boxes.trim or boxes.media
    top_mm, right_mm, bottom_mm, left_mm = layout.margins_mm
    left, right = trim[0] + left_mm * PT_PER_MM, trim[2] - right_mm * PT_PER_MM
    foot, top = trim[1] + bottom_mm * PT_PER_MM, trim[3] - top_mm * PT_PER_MM
    width = right - left
    if width <= 0 or top <= foot:
        return None
    # Everything painted in the text area, clipped to its width (the masthead bleeds):
    # [x0, y0, x1, y1, painting order, how far it reaches into a band at the foot].
    ink = [[max(b[0], left), b[1], min(b[2], right), b[3], order, 0.0]
           for b, order in [*((r.box, r.order) for r in content.runs),
                            *((s.box, s.order) for s in content.shapes),
                            *((p.box, p.order) for p in content.pictures)]
           if b[2] > left + EDGE and b[0] < right - EDGE and b[3] > foot + EDGE and b[1] < top]
    bands = [b for b in ink if b[2] - b[0] >= BAND_WIDTH * width
             and b[3] - b[1] >= BAND_MIN * PT_PER_MM and b[1] - foot <= BAND_REACH * PT_PER_MM]
    band = bool(bands)
    if band:
        foot = max(b[3] for b in bands)
        ink = _above(ink, foot, min(b[1] for b in bands), min(b[4] for b in bands))
    if not ink:
        return None
    gap = layout.gap_mm * PT_PER_MM
    n = max(1, columns)
    column = (width - (n - 1) * gap) / n
    across = [b for b in ink if b[2] - b[0] > column + gap]  # crosses a gutter
    ceiling = min((b[1] for b in across), default=top)
    under = [b for b in ink if b not in across and b[3] <= ceiling + EDGE]
    runs: list[list] = []  # [x0, x1, lowest, reach into the band] of each run of ink
    for b in sorted(under):
        if runs and b[0] - runs[-1][1] < GUTTER * gap:
            runs[-1][1] = max(runs[-1][1], b[2])
            runs[-1][2] = min(runs[-1][2], b[1])
            runs[-1][3] = max(runs[-1][3], b[5])
        else:
            runs.append([b[0], b[2], b[1], b[5]])
    reach = max((b[5] for b in across), default=0.0)
    across_end = not runs or reach > 0
    if across_end:  # the full-width block is the page's one column
        runs = [[left, right, ceiling, max([reach, *(r[3] for r in runs)])]]
    else:
        for i in range(n):  # a planned column with no ink under the block
            x0 = left + i * (column + gap)
            x1 = x0 + column
            if not any(min(r[1], x1) - max(r[0], x0) > gap for r in runs):
                runs.append([x0, x1, ceiling, 0.0])
        runs.sort()
    pitch = _pitch(content.runs, foot, top)
    out = []
    for x0, x1, lowest, reach in runs:
        short = max(0.0, (lowest - foot) / PT_PER_MM)
        out.append(Column(round((x0 - left) / PT_PER_MM, 1), round((x1 - left) / PT_PER_MM, 1),
                          short, round(short * PT_PER_MM / pitch), across_end,
                          round(reach / PT_PER_MM, 1)))
    return PageFill(number, band, tuple(out))


def _above(ink: list[list], top: float, bottom: float, order: int) -> list[list]:
    """The ink of the columns above a band at the foot (its top and bottom; the order it is
    painted in). What of theirs reaches into the band (crossing its top, or painted before
    it where it stands, so under it) is kept at the band's top, with how far it reaches."""
    out = []
    for b in ink:
        if b[1] >= top - EDGE:
            out.append(b)
        elif b[3] > top + EDGE or (b[4] < order and b[1] >= bottom - EDGE):
            out.append([b[0], top, b[2], max(b[3], top), b[4], top - b[1]])
    return out


def _pitch(runs, foot: float, top: float) -> float:
    """The page's body line pitch (points): the most common step between the baselines of
    its most used text size, within one column (runs starting at the same left edge)."""
    sizes = Counter()
    for run in runs:
        sizes[round(run.size, 1)] += len(run.text)
    if not sizes:
        return 12.24
    size = sizes.most_common(1)[0][0]
    lines: dict[float, set[float]] = {}
    for run in runs:
        if round(run.size, 1) == size and foot < run.y < top:
            lines.setdefault(round(run.x), set()).add(round(run.y, 1))
    steps = Counter()
    for baselines in lines.values():
        ordered = sorted(baselines)
        for a, b in zip(ordered, ordered[1:]):
            if 1.0 * size <= b - a <= 2.0 * size:
                steps[round(b - a, 1)] += 1
    return steps.most_common(1)[0][0] if steps else 1.36 * size


def check_fill(issue: m.Issue, facts: PdfFacts, report: Report, layouts: Path,
               press: bool) -> dict:
    """One proof item (an error with press) per column of a planned page that ends more
    than the layout's tolerance above its foot, and an error per column that runs into the
    band at its foot; returns the facts: the tolerance and every planned page's columns."""
    limit = tolerance(layouts, issue.series.layout)
    fills = _fills(issue, facts, report, layout_geometry(layouts, issue.series.layout), limit,
                   press)
    return {"tolerance_mm": limit, "pages": [fill.facts() for fill in fills]}


def _fills(issue: m.Issue, facts: PdfFacts, report: Report, layout: LayoutGeometry | None,
           limit: float, press: bool) -> list[PageFill]:
    if layout is None or facts.page_count != issue.page_count or \
            any(f.rule == "pages" and f.severity == "error" for f in report.findings):
        return []  # pages are not where the plan has them: their fill says nothing yet
    severity = "error" if press else "proof"
    fills = []
    for page in issue.pages:
        if not page.blocks:
            continue  # an empty page is a proof item of its own
        for number in range(page.first, min(page.last, facts.page_count) + 1):
            fill = measure(facts, number, layout, page.columns)
            if fill is None:
                continue
            fills.append(fill)
            foot = "the band at its foot" if fill.band else "its foot"
            for i, col in enumerate(fill.columns, start=1):
                which = "its last block, across the columns," if col.across else \
                    f"column {i}" if len(fill.columns) > 1 else "its column"
                if col.into >= 1:
                    report.add("error", "overflow", f"{which} runs {col.into:.0f} mm into "
                                                    f"{foot}", number)
                if round(col.short) <= limit:  # as said: "16 mm short (tolerance 15 mm)"
                    continue
                lines = f"about {col.lines} line{'s' if col.lines != 1 else ''}"
                report.add(severity, "underfill",
                           f"{which} ends {col.short:.0f} mm short of {foot} (tolerance "
                           f"{limit:g} mm): {lines}", number)
    return fills
