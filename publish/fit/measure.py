"""How full a run of pages is, read from WeasyPrint's laid-out boxes (no PDF needed).

A run is the pages one `<section class="page">` fills: a page, a spread, or pages that
continue one flow. What it measures:

- overflow: content laid out past the run's planned pages (its height summed over the
  columns there), plus content reaching under a band pinned to the page foot;
- for each column that should reach the foot (the lowest row of columns on each page, or
  the page-wide block under them), the white between its last ink and the foot (or the
  band's top);
- where each plan entry of the run starts, so a run whose later entries move to another
  page is seen;
- the body text's line height and words per line, to say an amount in lines and words.

Lengths are CSS pixels inside, millimetres outside.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PX_PER_MM = 96 / 25.4


@dataclass(frozen=True)
class Column:
    page: int  # 0-based, within the run
    index: int  # 1-based, left to right in its row
    white: float  # mm between its last ink and its foot (negative: it runs under a band)


@dataclass
class Fill:
    planned: int  # pages the plan gives the run
    pages: int  # pages it took
    over: float  # mm of content past its planned pages or under a band
    columns: list[Column] = field(default_factory=list)
    starts: dict[str, int] = field(default_factory=dict)  # entry anchor -> page (0-based)
    line: float = 4.3  # mm, one line of body text
    words_per_line: float = 6.0
    body_pt: float = 9.0
    leading: float = 1.36
    # What each lever scales, mm summed over the run (for the search's first guess):
    spaced: float = 0.0  # margins the space lever multiplies
    figures: float = 0.0  # placeholder heights
    text: float = 0.0  # lines of body text

    @property
    def short(self) -> float:
        """The most white at any column foot, mm."""
        return max((c.white for c in self.columns), default=0.0)

    @property
    def worst(self) -> Column | None:
        return max(self.columns, key=lambda c: c.white, default=None)

    def excess(self, tolerance: float) -> float:
        """Signed: mm too long (> 0), or mm of white (< 0) at the emptiest column foot."""
        if self.over > 0.05:
            return self.over
        return -self.short

    def length(self) -> float:
        """Signed, and smooth in the setting: mm of content beyond the columns' room (> 0),
        or the white summed over the foot columns (< 0); the room a run's content takes
        grows with a looser setting whether its columns are balanced or filled in turn."""
        return self.over - sum(max(0.0, c.white) for c in self.columns)

    def fits(self, tolerance: float) -> bool:
        # Whole millimetres, as said: a column 15.3 mm short is within 15 mm.
        return self.over <= 0.05 and round(self.short) <= tolerance


def measure(pages: list, anchor: str, planned: int, entries: list[tuple[str, int]]) -> Fill:
    """The fill of the run whose section has id=anchor, in the laid-out pages of a
    document (each a weasyprint Page); entries: (anchor, planned page offset) of each plan
    entry after the first in the run."""
    run_pages = []
    for number, page in enumerate(pages):
        section = _section(page._page_box, anchor)
        if section is not None:
            run_pages.append((page._page_box, section))
    fill = Fill(planned=planned, pages=len(run_pages), over=0.0)
    ids = {a for a, _ in entries}
    for offset, (page_box, section) in enumerate(run_pages):
        foot = page_box.content_box_y() + page_box.height
        band = _find(section, lambda b: _has_class(b, "page-foot"))
        if band is not None:
            foot = band.border_box_y()
        flow = [c for c in section.children if c is not band and not _has_class(c, "page-foot")]
        for box in _walk(section):
            element = getattr(box, "element", None)
            if element is not None and element.get("id") in ids and \
                    element.get("id") not in fill.starts:
                fill.starts[element.get("id")] = offset
        columns = _foot_columns(flow)
        if offset >= planned:
            fill.over += sum(max(0.0, _ink_bottom(c, c.position_y) - c.position_y)
                             for c in columns) / PX_PER_MM
            continue
        for i, column in enumerate(columns, start=1):
            white = (foot - _ink_bottom(column, column.position_y)) / PX_PER_MM
            if white < 0:
                fill.over += -white
            fill.columns.append(Column(offset, i, white))
    for anchor_, planned_offset in entries:
        found = fill.starts.get(anchor_)
        if found is not None and found > planned_offset:
            fill.over += 10.0 * (found - planned_offset)  # an entry pushed a page late
        elif found is not None and found < planned_offset:  # pulled a page early
            fill.columns.append(Column(found, 0, 50.0 * (planned_offset - found)))
    _body(fill, [s for _, s in run_pages])
    _levers(fill, [s for _, s in run_pages])
    return fill


SPACED = ("block-article", "article-title", "banner", "quote", "figure", "qr", "panel",
          "summary", "promo", "table", "qa", "events")


def _levers(fill: Fill, sections: list) -> None:
    spaced = figures = text = 0.0
    for section in sections:
        size = section.style["font_size"]
        for box in _walk(section):
            name = type(box).__name__
            if name == "LineBox":
                if abs(box.style["font_size"] - size) < 0.01:
                    text += box.height
                continue
            if name in ("TextBox", "InlineBox"):
                continue
            classes = (getattr(box, "element", None) is not None and
                       (box.element.get("class") or "").split()) or ()
            if any(c in SPACED for c in classes):
                spaced += (box.margin_top or 0) + (box.margin_bottom or 0)
            if "figure-placeholder" in classes:
                figures += box.height or 0
    fill.spaced, fill.figures, fill.text = (v / PX_PER_MM for v in (spaced, figures, text))


def _section(page_box, anchor: str):
    html = page_box.children[0] if page_box.children else None
    body = html.children[0] if html is not None and html.children else None
    for child in getattr(body, "children", ()) or ():
        element = getattr(child, "element", None)
        if element is not None and element.get("id") == anchor:
            return child
    return None


def _has_class(box, name: str) -> bool:
    element = getattr(box, "element", None)
    return element is not None and name in (element.get("class") or "").split()


def _walk(box):
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _walk(child)


def _find(box, test):
    for b in _walk(box):
        if test(b):
            return b
    return None


def _is_column(child, parent) -> bool:
    """WeasyPrint lays a multi-column box out as copies of itself, one per column."""
    return getattr(child, "element", None) is getattr(parent, "element", None) and \
        type(child).__name__ == "BlockBox"


def _in_flow(box) -> bool:
    name = type(box).__name__
    if name in ("AbsolutePlaceholder", "LineBox", "TextBox", "InlineBox") or \
            _has_class(box, "end-mark"):
        return False
    style = getattr(box, "style", None)
    return style is None or style["position"] not in ("absolute", "fixed")


def _foot_columns(flow: list) -> list:
    """The boxes whose ends should reach the foot: the lowest row of columns of the page's
    multi-column flow (or what spans the page below them), else the flow itself."""
    candidates = []
    for box in flow:
        if not _in_flow(box):
            continue
        candidates.append(box)
    if not candidates:
        return []
    last = candidates[-1]
    return _columns_of(last)


def _columns_of(box) -> list:
    children = [c for c in getattr(box, "children", ()) or () if _in_flow(c)]
    if any(_is_column(c, box) for c in children):
        # A multi-column box: the row of columns at its end, or the spanning block after it.
        row = []
        for child in children:
            if _is_column(child, box):
                if row and not _is_column(row[-1], box):
                    row = []
                row.append(child)
            else:
                row = [child]
        if len(row) == 1 and not _is_column(row[0], box):
            return row
        return row
    # Not multi-column: the last in-flow block child decides (a cover's foreword columns).
    blocks = [c for c in children if type(c).__name__ not in ("LineBox",)]
    if blocks:
        inner = _columns_of(blocks[-1])
        if len(inner) > 1:
            return inner
    return [box]


def _ink_bottom(box, default: float) -> float:
    """The lowest printed thing in a box: a line of text, a picture, a painted box."""
    bottom = default
    name = type(box).__name__
    if name == "LineBox":
        return max(bottom, box.position_y + box.height) if box.children else bottom
    style = getattr(box, "style", None)
    if style is not None and name not in ("TextBox",):
        painted = _painted(style) or name in ("BlockReplacedBox", "InlineReplacedBox")
        if painted and box.height:
            bottom = max(bottom, box.border_box_y() + box.border_height())
    for child in getattr(box, "children", ()) or ():
        if type(child).__name__ == "AbsolutePlaceholder":
            continue
        bottom = max(bottom, _ink_bottom(child, bottom))
    return bottom


def _painted(style) -> bool:
    color = style["background_color"]
    if color is not None and getattr(color, "alpha", 1) > 0:
        return True
    if style["background_image"] and any(i[0] != "none" for i in style["background_image"]):
        return True
    return any(style[f"border_{side}_width"] for side in ("top", "bottom", "left", "right"))


def _body(fill: Fill, sections: list) -> None:
    """The run's body text: its line height and how many words a line holds."""
    lines = words = 0
    height = 0.0
    for section in sections:
        for box in _walk(section):
            if type(box).__name__ == "LineBox" and getattr(box, "element_tag", "") == "p":
                text = " ".join(t.text for t in _walk(box) if type(t).__name__ == "TextBox")
                if len(text) < 20:
                    continue
                lines += 1
                words += len(text.split())
                height += box.height
    if lines:
        fill.line = height / lines / PX_PER_MM
        fill.words_per_line = words / lines
    if sections:
        style = sections[0].style
        fill.body_pt = style["font_size"] * 0.75
        leading = style["line_height"]
        if isinstance(leading, (int, float)):
            fill.leading = float(leading)
        elif getattr(leading, "unit", None) is None and hasattr(leading, "value"):
            fill.leading = float(leading.value)
