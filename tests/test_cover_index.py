"""The cover index's tint fits its content and the cover's columns, measured from the PDF.

A small MMSP issue is built twice: a long foreword beside a one-entry index (the tint
runs down beside the foreword and ends level with its last line), and a short foreword
beside a long index (the tint ends a padding's depth under the last entry).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import ROOT, TempProject
from publish.build import build

pytestmark = pytest.mark.slow  # every test here renders

MM = 72 / 25.4
XHTML = "{http://www.w3.org/1999/xhtml}"
PADDING = 5 * MM  # the index's padding (layouts/base/base.css .index)

LONG_FOREWORD = "\n\n".join(
    f"Paragraph {n} of the foreword: the project held meetings, trainings and study "
    "tours with partners in Beijing and in Europe, and this issue reports on them, "
    "from the first workshop of the year to the closing conference in the autumn."
    for n in range(1, 9))


def _issue(project: TempProject, name: str, foreword: str, articles: int) -> Path:
    series = project.root / "issues" / "mmsp"
    folder = series / name
    folder.mkdir(parents=True)
    if not (series / "series.yaml").exists():
        shutil.copy(ROOT / "issues" / "mmsp" / "series.yaml", series / "series.yaml")
    entries = "".join(f"""
      - article:
          id: item-{n}
          title: News item {n} from the project office
          body: |
            A short report on item {n}.
""" for n in range(1, articles + 1))
    (folder / "issue.yaml").write_text(f"""\
number: 9
date: 2024-03
pages:
  - page: 1
    blocks:
      - foreword:
          body: |
{chr(10).join("            " + line for line in foreword.splitlines())}
          signature: {{name: A. Writer, role: Head of Office}}
      - index: {{}}
  - page: 2
    blocks:{entries}
      - contacts: {{}}
""")
    return folder


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """The cover's words: (x0, y0, x1, y1) in points from the media box's top left, text."""
    xml = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    return [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
             float(w.get("yMax")), w.text or "") for w in root.iter(XHTML + "word")]


def _tint_run(pdf: Path, x: float) -> tuple[float, float]:
    """Top and bottom (points) of the longest run of tinted pixels down the line at x."""
    ppm = subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", str(pdf)],
                         check=True, capture_output=True).stdout
    width, height, pixels = re.match(rb"P6\s+(\d+)\s+(\d+)\s+\d+\s(.*)", ppm, re.S).groups()
    width, height = int(width), int(height)
    column = [pixels[(y * width + int(x)) * 3:(y * width + int(x)) * 3 + 3]
              for y in range(height)]
    # The tint: pale (a light blue in print, not paper white), as the index's padding shows.
    tinted = [min(rgb) < 250 and min(rgb) > 200 for rgb in column]
    best, start = (0, 0), None
    for y, on in enumerate(tinted + [False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            best = max(best, (start, y), key=lambda r: r[1] - r[0])
            start = None
    return float(best[0]), float(best[1])


def _measure(project: TempProject, name: str, foreword: str, articles: int, out: Path):
    built = build(_issue(project, name, foreword, articles), out)
    words = _words(built.pdf)
    heading = next(w for w in words if w[4] == "FOREWORD")  # under the masthead
    # The index's content box starts where its entries do, 2 mm left of the page label's text.
    index_left = min(x0 for x0, _, _, _, t in words if t == "PAGE") - 2 * MM - 1
    index = [w for w in words if w[0] >= index_left and w[1] >= heading[1] - PADDING]
    foreword_words = [w for w in words if w[2] < index_left - PADDING and w[1] >= heading[1]]
    top, bottom = _tint_run(built.pdf, index_left - PADDING / 2)
    return top, bottom, index, foreword_words


def test_the_index_tint_runs_beside_a_long_foreword_and_ends_with_it(project, tmp_path):
    top, bottom, index, foreword = _measure(project, "long-foreword", LONG_FOREWORD, 1,
                                            tmp_path / "out")
    assert any(t == "News" for *_, t in index), index
    assert top < min(w[1] for w in index) and bottom > max(w[3] for w in index)
    # The index is short; its tint still runs down to the foreword's last line.
    last_line = max(w[3] for w in foreword)
    assert bottom - max(w[3] for w in index) > 50 * MM
    assert abs(bottom - last_line) < 3 * MM, (bottom / MM, last_line / MM)
    # ...and starts level with the foreword's heading.
    assert abs(top - min(w[1] for w in foreword)) < PADDING + 1 * MM


def test_the_index_tint_encloses_a_long_index_and_ends_under_it(project, tmp_path):
    top, bottom, index, foreword = _measure(project, "long-index",
                                            "A short foreword.", 16, tmp_path / "out")
    entries = [w for w in index if w[4] == "News"]
    assert len(entries) == 16, entries
    assert top < min(w[1] for w in index)
    # A padding's depth under the last entry (a fixed height would end elsewhere).
    last = max(w[3] for w in index)
    assert bottom > last
    assert abs(bottom - last - PADDING) < 3 * MM, ((bottom - last) / MM)
    assert max(w[3] for w in foreword) < bottom - 50 * MM  # the foreword is the short one
