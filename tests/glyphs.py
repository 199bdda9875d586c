"""What a page of a PDF draws, read back with MuPDF (mutool trace and draw): shapes and
pixels for the typography tests."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

_PATH = re.compile(r'<fill_path [^>]*color="([^"]*)"[^>]*transform="([^"]*)"')
_POINT = re.compile(r'<(?:moveto|lineto) x="([-\d.e]+)" y="([-\d.e]+)"')


def black_rectangles(pdf: Path, page: int) -> dict[str, list[tuple[float, float, float, float]]]:
    """Paths filled in pure K, by the transform they are drawn with (one per SVG image):
    each path's box in points from the page's top left."""
    trace = subprocess.run(["mutool", "trace", str(pdf), str(page)], capture_output=True,
                           text=True, check=True).stdout
    found: dict[str, list] = {}
    current = None
    points: list[tuple[float, float]] = []
    for row in trace.splitlines():
        match = _PATH.search(row)
        if match:
            current = match[2] if match[1] == "0 0 0 1" else None
            points = []
            a, b, c, d, e, f = map(float, match[2].split())
            matrix = (a, d, e, f)
            continue
        if current is None:
            continue
        point = _POINT.search(row)
        if point:
            x, y = float(point[1]), float(point[2])
            a, d, e, f = matrix
            points.append((a * x + e, d * y + f))
        elif "</fill_path>" in row and points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            found.setdefault(current, []).append((min(xs), min(ys), max(xs), max(ys)))
            current = None
    return found


def grey(pdf: Path, page: int, dpi: int, out: Path) -> np.ndarray:
    """The page drawn by MuPDF in grey, 0 black to 255 white."""
    png = out / f"page{page}-{dpi}.png"
    subprocess.run(["mutool", "draw", "-q", "-r", str(dpi), "-c", "gray", "-o", str(png),
                    str(pdf), str(page)], check=True, capture_output=True)
    return np.asarray(Image.open(png).convert("L"))
