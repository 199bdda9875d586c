"""A second renderer's view of a PDF: MuPDF (mutool draw) against PDFium (publish's own
pictures), compared where text is painted.

poppler and PDFium forgive fonts that a conforming reader does not (a CFF whose CIDs are
not its glyph ids), so a page that looks right in publish's previews can print boxes or
blanks on a RIP. MuPDF follows the specification there, as Ghostscript does."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from publish.check import pdffacts

DPI = 100
# Ink under a text run, as a share of the darker of the two renderings. The renderers'
# anti-aliasing and CMYK conversion differ by up to a third on one small glyph (a quote mark
# in colour, measured on the archive); a glyph drawn blank or as a box differs by all of it.
TOLERANCE = 0.5


def text_disagreements(pdf: Path) -> list[tuple[int, str, float, float]]:
    """(page, text, PDFium's ink, MuPDF's ink) for each text run whose ink the two
    renderers disagree on by more than TOLERANCE; ink is the mean darkness, 0-255."""
    facts = pdffacts.read(pdf)
    out = []
    document = pdfium.PdfDocument(pdf)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["mutool", "draw", "-q", "-r", str(DPI), "-c", "gray", "-o",
                        f"{folder}/%d.png", str(pdf)], check=True, capture_output=True)
        try:
            for index, page in enumerate(document):
                a = 255.0 - np.asarray(page.render(scale=DPI / 72, grayscale=True).to_pil()
                                       .convert("L"), dtype=float)
                b = 255.0 - np.asarray(Image.open(f"{folder}/{index + 1}.png").convert("L"),
                                       dtype=float)
                left, _, _, top = page.get_mediabox()
                for run in facts.contents[index].runs:
                    x0, y0, x1, y1 = run.box
                    cols = slice(max(int((x0 - left) * DPI / 72), 0), int((x1 - left) * DPI / 72) + 1)
                    rows = slice(max(int((top - y1) * DPI / 72), 0), int((top - y0) * DPI / 72) + 1)
                    ink_a, ink_b = a[rows, cols], b[rows, cols]
                    if ink_a.size == 0 or ink_a.shape != ink_b.shape:
                        continue
                    ink_a, ink_b = float(ink_a.mean()), float(ink_b.mean())
                    if abs(ink_a - ink_b) > TOLERANCE * max(ink_a, ink_b, 1.0):
                        out.append((index + 1, run.text, round(ink_a, 1), round(ink_b, 1)))
        finally:
            document.close()
    return out
