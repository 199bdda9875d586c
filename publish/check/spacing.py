"""Word spaces of justified lines, measured from the glyphs a PDF draws.

A justified line is set by widening its word spaces (WeasyPrint's `word-spacing`,
the same amount for every space of the line), so the gap from the end of the glyph
before a space to the next glyph's origin, over the space glyph's own advance, is how
loose the line is: 1.0 is the face's natural space, 2.0 twice it (measured from the
end of the word before, as Pango puts half of the widening before the space glyph).
`mutool trace` (MuPDF) lists every glyph a page draws with its origin, advance and
font, so this reads a PDF made anywhere. (PDFium's text page, which the preview uses,
replaces widened spaces with spaces of its own and loses their advance.)

A line is taken as justified when its spaces are widened (by more than 0.05 pt), or
when it is flush with the right edge of widened lines starting at the same left edge
(a justified line that happened to fit). Body lines are those set mostly in the serif
text face (Noto Serif, any weight or style): headings, captions and panels are sans
and ragged. Each page's lines are read in the order PDFium gives its characters.
"""
from __future__ import annotations

import html
import math
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

STRETCHED = 0.05  # pt a space must be widened by for its line to count as justified
FLUSH = 0.3  # pt: a line this close to its column's justified right edge is flush
LIMIT = 3.0  # the widest word space the check accepts, in natural spaces
# A space beside a Chinese character is the gap typography.py sets between Chinese and
# Latin text, not a word space.
_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_BODY_FACE = re.compile(r"^(?:[A-Z]{6}\+)?Noto-?Serif(?:-(?:Bold|Italic|BoldItalic|Regular))?$")


@dataclass(frozen=True)
class Line:
    """One drawn line of text: where it is and how wide its word spaces are."""

    page: int  # 1-based
    number: int  # 1-based, among the page's lines, in reading order as PDFium gives it
    text: str
    left: float  # pt, origin of the first glyph
    right: float  # pt, end of the last glyph's advance
    baseline: float  # pt from the page's top
    ratios: tuple[float, ...]  # each word space over the space glyph's natural advance
    extra: float  # pt added to each word space (the widest)
    body: bool  # set mostly in the body face
    flush: bool = False  # ends at a justified column edge although not widened

    @property
    def justified(self) -> bool:
        return bool(self.ratios) and (self.extra > STRETCHED or self.flush)

    @property
    def widest(self) -> float:
        return max(self.ratios, default=1.0)


@dataclass(frozen=True)
class Glyph:
    char: str
    x: float
    y: float
    advance: float
    face: str


_PAGE = re.compile(r'<page number="(\d+)"')
_SPAN = re.compile(r'<span font="([^"]*)"[^>]*trm="([-\d.]+) ([-\d.]+)')
_NUMBER = r"([-\d.e]+)"
_GLYPH = re.compile(rf'<g unicode="([^"]*)"(?: glyph="[^"]*")? x="{_NUMBER}" y="{_NUMBER}" '
                    rf'adv="{_NUMBER}"')
_TEXT = re.compile(r'<(?:fill|stroke|clip|ignore)_text [^>]*transform='
                   rf'"{_NUMBER} [-\d.e]+ [-\d.e]+ {_NUMBER} {_NUMBER} {_NUMBER}"')
_END = re.compile(r"</(?:fill_text|stroke_text|clip_text|ignore_text)>")


def _pages(pdf: Path | str) -> dict[int, list[Glyph | None]]:
    """Every page's glyphs in drawing order (None where a text object ends), in points
    from the page's top left corner."""
    trace = subprocess.run(["mutool", "trace", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    pages: dict[int, list[Glyph | None]] = {}
    glyphs: list[Glyph | None] = []
    face, size, ctm = "", 0.0, (1.0, 1.0, 0.0, 0.0)
    for row in trace.splitlines():
        if "<g " in row:
            match = _GLYPH.search(row)
            if match:
                char, x, y, adv = match.groups()
                a, d, e, f = ctm
                glyphs.append(Glyph(html.unescape(char), a * float(x) + e,
                                    d * float(y) + f, abs(a) * float(adv) * size, face))
        elif "<span" in row:
            match = _SPAN.search(row)
            if match:
                face = re.sub(r"^[A-Z]{6}\+", "", match[1])
                size = math.hypot(float(match[2]), float(match[3]))
        elif "_text " in row and _TEXT.search(row):
            ctm = tuple(map(float, _TEXT.search(row).groups()))
        elif "<page " in row:
            glyphs = pages.setdefault(int(_PAGE.search(row)[1]), [])
        elif _END.search(row):
            glyphs.append(None)
    return pages


def _runs(glyphs: list[Glyph | None]) -> list[list[Glyph]]:
    """Consecutive glyphs on one baseline, left to right."""
    runs: list[list[Glyph]] = []
    current: list[Glyph] = []
    for g in glyphs:
        if g is None or g.char in "\r\n":
            if current:
                runs.append(current)
            current = []
            continue
        if current and (abs(g.y - current[-1].y) > 0.5 or g.x < current[-1].x - 0.5):
            runs.append(current)
            current = []
        current.append(g)
    if current:
        runs.append(current)
    return runs


def _join(runs: list[list[Glyph]]) -> list[list[Glyph]]:
    """PDFium ends a run where a gap is wider than it expects (a loose word space): runs
    on one baseline that follow each other through a space glyph are one line."""
    lines: list[list[Glyph]] = []
    for run in runs:
        if lines:
            last = lines[-1]
            if (last[-1].char == " " and abs(run[0].y - last[-1].y) < 0.5
                    and run[0].x > last[-1].x):
                last.extend(run)
                continue
        lines.append(run)
    return lines


def page_lines(glyphs: list[Glyph | None], page: int) -> list[Line]:
    lines = []
    for number, drawn in enumerate(_join(_runs(glyphs)), 1):
        # A ligature ("ff", "fi") is one glyph and, after it, its other letters with no
        # advance: they are part of it.
        glyphs = []
        for g in drawn:
            if glyphs and g.advance == 0 and g.char != " " and abs(g.x - glyphs[-1].x) < 0.01:
                last = glyphs[-1]
                glyphs[-1] = Glyph(last.char + g.char, last.x, last.y, last.advance, last.face)
            else:
                glyphs.append(g)
        while glyphs and glyphs[-1].char == " ":
            glyphs = glyphs[:-1]
        if not glyphs:
            continue
        ratios, extra = [], 0.0
        for before, space, after in zip(glyphs, glyphs[1:], glyphs[2:]):
            if space.char == " " and before.char != " " and after.char != " " \
                    and space.advance > 0 and not (_HAN.match(before.char[-1])
                                                   or _HAN.match(after.char[0])):
                # Pango widens a space on both sides (half the extra before the
                # glyph): the word space is from one word's end to the next's start.
                gap = after.x - (before.x + before.advance)
                ratios.append(gap / space.advance)
                extra = max(extra, gap - space.advance)
        faces = Counter(g.face for g in glyphs if g.char != " ")
        body_glyphs = sum(n for face, n in faces.items() if _BODY_FACE.match(face))
        lines.append(Line(page, number, "".join(g.char for g in glyphs), glyphs[0].x,
                          glyphs[-1].x + glyphs[-1].advance, glyphs[0].y, tuple(ratios),
                          extra, body_glyphs * 2 > sum(faces.values())))
    return _mark_flush(lines)


def _mark_flush(lines: list[Line]) -> list[Line]:
    edges: dict[float, Counter] = defaultdict(Counter)
    for line in lines:
        if line.extra > STRETCHED and line.ratios:
            edges[round(line.left)][round(line.right, 1)] += 1
    marked = []
    for line in lines:
        if line.ratios and line.extra <= STRETCHED and edges.get(round(line.left)):
            edge = edges[round(line.left)].most_common(1)[0][0]
            if abs(line.right - edge) <= FLUSH:
                line = Line(**{**line.__dict__, "flush": True})
        marked.append(line)
    return marked


def lines_of(pdf: Path | str) -> list[Line]:
    """Every line of text of the PDF, page by page."""
    return [line for page, glyphs in sorted(_pages(pdf).items())
            for line in page_lines(glyphs, page)]


def justified_body(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.body and line.justified]


def loose_share(lines: list[Line], times: float) -> float:
    """The share of justified body lines with a word space over `times` the natural space."""
    body = justified_body(lines)
    return sum(line.widest > times for line in body) / len(body) if body else 0.0


def ragged_lines(lines: list[Line]) -> list[Line]:
    """Lines of justified paragraphs set ragged: short of their column's justified edge,
    not a paragraph's last line (the next line follows at the page's line pitch, from
    the same left edge), next to a justified line of the same paragraph."""
    found = []
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    for page_lines_ in by_page.values():
        steps = Counter(round(b.baseline - a.baseline, 1)
                        for a, b in zip(page_lines_, page_lines_[1:])
                        if a.body and b.body and abs(a.left - b.left) < 0.5
                        and b.baseline > a.baseline)
        if not steps:
            continue
        pitch = steps.most_common(1)[0][0]
        edges: dict[float, Counter] = defaultdict(Counter)
        for line in page_lines_:
            if line.body and line.justified:
                edges[round(line.left)][round(line.right, 1)] += 1

        def follows(a: Line, b: Line) -> bool:
            return abs(a.left - b.left) < 0.5 and abs(b.baseline - a.baseline - pitch) < 0.3

        for k, line in enumerate(page_lines_):
            if not line.body or line.justified or not edges.get(round(line.left)):
                continue
            after = page_lines_[k + 1] if k + 1 < len(page_lines_) else None
            before = page_lines_[k - 1] if k else None
            if after is None or not follows(line, after):
                continue  # a paragraph's last line
            edge = edges[round(line.left)].most_common(1)[0][0]
            if line.right > edge - 1.0:
                continue
            if after.justified or (before is not None and follows(before, line)
                                   and before.justified):
                found.append(line)
    return found


def _where(line: Line, page_lines_: list[Line]) -> str:
    """Column and line number as a reader counts them, and the line's first words."""
    lefts = sorted({round(other.left) for other in page_lines_
                    if other.body and other.justified})
    column = sum(1 for left in lefts if left <= round(line.left) + 1)
    same = [other for other in page_lines_ if other.body
            and abs(round(other.left) - round(line.left)) <= 12
            and other.baseline < line.baseline]
    words = " ".join(line.text.split()[:5])
    return f"column {max(column, 1)}, line {len(same) + 1} (“{words}…”)"


def check_spacing(pdf: Path, report) -> None:
    """Warn of justified lines with word spaces over 3 times natural, each by page,
    column, line and first words. (Lines publish sets ragged instead are counted by
    bench/wordspace.py, not warned of: a build of the archive would list a hundred.)"""
    if shutil.which("mutool") is None:
        return  # setup.sh installs it; without it there is nothing to measure with
    lines = lines_of(pdf)
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    for line in justified_body(lines):
        if line.widest > LIMIT:
            report.add("warning", "word-spacing",
                       f"{_where(line, by_page[line.page])}: word spaces "
                       f"{line.widest:.1f} times natural (at most {LIMIT:g})", line.page)
