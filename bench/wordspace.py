"""Word spacing of the archive's justified body lines, measured from the PDFs' glyphs.

    .venv/bin/python bench/wordspace.py [PDF ...]     # default: dist/*.pdf

For each PDF (and in all): the justified body lines (publish/check/spacing.py says
which lines those are), how many have a word space over 1.5x, 2x and 3x the face's
natural space, the widest, and the lines of justified paragraphs set ragged (short of
their column's edge, not a paragraph's last). The issue 23 target: at most 5 % over
2x, none over 3x.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publish.check import spacing  # noqa: E402

LIMITS = (1.5, 2.0, 3.0)


def main(paths: list[str]) -> None:
    pdfs = [Path(p) for p in paths] or sorted((ROOT / "dist").glob("*.pdf"))
    every = []
    print(f"{'PDF':<20} {'lines':>6}" + "".join(f" {f'>{t:g}x':>13}" for t in LIMITS)
          + f" {'widest':>7} {'ragged':>7}")
    ragged = 0
    for pdf in pdfs:
        lines = spacing.lines_of(pdf)
        body = spacing.justified_body(lines)
        every += body
        set_ragged = len(spacing.ragged_lines(lines))
        ragged += set_ragged
        _row(pdf.stem, body, set_ragged)
    if len(pdfs) > 1:
        _row("all", every, ragged)


def _row(name: str, body: list, ragged: int) -> None:
    cells = []
    for times in LIMITS:
        n = sum(line.widest > times for line in body)
        cells.append(f" {n:>5} {n / max(len(body), 1):>6.1%}")
    widest = max((line.widest for line in body), default=0)
    print(f"{name:<20} {len(body):>6}" + "".join(cells) + f" {widest:>7.2f} {ragged:>7}")


if __name__ == "__main__":
    main(sys.argv[1:])
