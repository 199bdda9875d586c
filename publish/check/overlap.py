"""Text printed over other text, from the PDF alone.

A word too long for its column (a long URL, a name with no break point) runs on into
the next column and is printed over what stands there; every word is still in the PDF,
so the plan and text checks pass it. What gives it away is geometry: two pieces of
visible text whose boxes cover the same place. Text that something opaque is painted
over later (a running header under the cover's masthead) is not visible, so it
overprints nothing.
"""
from __future__ import annotations

from .content import Box, PageContent
from .pdffacts import PdfFacts
from .report import Report

PT_PER_MM = 72 / 25.4
ACROSS = 1.0  # points two boxes may share side by side (kerning, italic overhang)
DOWN = 0.5  # the share of the lower box's height two boxes must share to count


def check_overlaps(facts: PdfFacts, report: Report) -> None:
    for number, content in enumerate(facts.contents, start=1):
        clashes = overprinted(content)
        if clashes:
            a, b, across = clashes[0]
            more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
            report.add("error", "overlap",
                       f"text printed over other text: {_quoted(a)} over {_quoted(b)}, "
                       f"{across / PT_PER_MM:.1f} mm across{more}; a word too long for its "
                       "column runs into the next (give it a break point or shorten it)",
                       number)


def overprinted(content: PageContent) -> list[tuple[str, str, float]]:
    """Pairs of visible text runs that share a place: (earlier text, later text, width)."""
    covers = [(item.order, item.box) for item in content.shapes if item.opaque]
    covers += [(item.order, item.box) for item in content.pictures]
    runs = [r for r in content.runs if r.text.strip()
            and not any(order > r.order and _inside(r.box, box) for order, box in covers)]
    runs.sort(key=lambda r: r.box[1])
    found = []
    for i, a in enumerate(runs):
        for b in runs[i + 1:]:
            if b.box[1] >= a.box[3]:
                break  # sorted by bottom: no later run reaches down into a
            across = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
            down = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
            lower = min(a.box[3] - a.box[1], b.box[3] - b.box[1])
            if across > ACROSS and down > DOWN * lower:
                first, then = (a, b) if a.order < b.order else (b, a)
                found.append((first.text, then.text, across))
    return found


def _inside(inner: Box, outer: Box) -> bool:
    return (outer[0] - ACROSS <= inner[0] and inner[2] <= outer[2] + ACROSS
            and outer[1] - ACROSS <= inner[1] and inner[3] <= outer[3] + ACROSS)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text[:40]}..."' if len(text) > 40 else f'"{text}"'
