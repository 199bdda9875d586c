"""Pages as pictures: rasterise two PDFs with PDFium and compare them pixel by pixel.

At the default 144 dpi one pixel is half a point, so a 0.5 pt shift moves every
edge of what shifted by a whole pixel. Both sides are rasterised here by the same
PDFium, so equal pages give equal pixels; the tolerance only absorbs the
anti-aliasing noise of a baseline rasterised by another PDFium version.
"""
from __future__ import annotations

import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DPI = 144
TOLERANCE = 24  # of 255, in any channel
MM_PER_PT = 25.4 / 72
BEFORE, AFTER = (200, 0, 0), (0, 150, 200)  # red: only before; blue: only after


@dataclass
class PageDiff:
    """Page number (1-based) of one issue, compared."""

    number: int
    share: float  # of the page's pixels that changed; 1.0 for a page only one side has
    changed: bool
    before: bool = True  # the page exists on that side
    after: bool = True
    box_mm: tuple[float, float, float, float] | None = None  # left, top, right, bottom; trim
    images: dict[str, str] = field(default_factory=dict)  # "before"/"after"/"overlay" -> file


@dataclass(frozen=True)
class Task:
    before: Path | None
    after: Path | None
    index: int  # 0-based
    dpi: int
    threshold: float  # percent of pixels above which a page counts as changed
    folder: Path  # where the pictures of a changed page go
    stem: str  # file name start, e.g. mmsp-2017-05-p3


def compare(tasks: list[Task], jobs: int) -> list[PageDiff]:
    """Compare every page, jobs at a time in separate processes; results in task order."""
    if jobs <= 1 or len(tasks) <= 1:
        return [compare_page(t) for t in tasks]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        return list(pool.map(compare_page, tasks, chunksize=1))


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(pdf).pages)


def compare_page(task: Task) -> PageDiff:
    before = _render(task.before, task.index, task.dpi) if task.before else None
    after = _render(task.after, task.index, task.dpi) if task.after else None
    number = task.index + 1
    if before is None or after is None:  # a page only one side has
        only = after if after is not None else before
        kind = "after" if after is not None else "before"
        diff = PageDiff(number, 1.0, True, before is not None, after is not None)
        diff.images[kind] = _save(only[0], task.folder, f"{task.stem}-{kind}.png")
        return diff
    (a, trim), (b, _) = before, after
    a, b = _same_size(a, b)
    mask = np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > TOLERANCE
    share = float(mask.mean())
    diff = PageDiff(number, share, share > 0 and share * 100 > task.threshold)
    if diff.changed:
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        scale = task.dpi / 72
        left, top = trim
        diff.box_mm = tuple(round((px / scale - origin) * MM_PER_PT, 1) for px, origin in (
            (cols[0], left), (rows[0], top), (cols[-1] + 1, left), (rows[-1] + 1, top)))
        diff.images = {
            "before": _save(a, task.folder, f"{task.stem}-before.png"),
            "after": _save(b, task.folder, f"{task.stem}-after.png"),
            "overlay": _save(_overlay(a, b, mask, (rows, cols), task.dpi), task.folder,
                             f"{task.stem}-overlay.png")}
    return diff


def _render(pdf: Path, index: int, dpi: int):
    """(RGB pixels, (left, top) of the trim box in points from the page's top-left corner)."""
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(pdf)
    try:
        if index >= len(document):
            return None
        page = document[index]
        media, trim = page.get_mediabox(), page.get_trimbox()
        pixels = page.render(scale=dpi / 72, rev_byteorder=True).to_numpy()
        return pixels[:, :, :3].copy(), (trim[0] - media[0], media[3] - trim[3])
    finally:
        document.close()


def _same_size(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pad both to the larger size with white, so a resized page compares as changed."""
    height, width = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    return tuple(np.pad(x, ((0, height - x.shape[0]), (0, width - x.shape[1]), (0, 0)),
                        constant_values=255) for x in (a, b))


def _overlay(a: np.ndarray, b: np.ndarray, mask: np.ndarray, extent, dpi: int) -> np.ndarray:
    """One picture of what moved: what is on both pages faint grey, ink only before in red,
    ink only after in blue, a colour change in orange, and a magenta frame around it all."""
    grey_a, grey_b = (x.mean(axis=2) for x in (a, b))
    common = np.minimum(grey_a, grey_b)
    out = np.repeat((255 - (255 - common) * 0.3)[:, :, None], 3, axis=2)
    ink = (255 - np.minimum(grey_a, grey_b))[:, :, None] / 255
    for only, colour in ((grey_a + TOLERANCE < grey_b, BEFORE), (grey_b + TOLERANCE < grey_a, AFTER)):
        where = mask & only
        out[where] = (255 - ink[where] * (255 - np.array(colour)))
    recoloured = mask & (np.abs(grey_a - grey_b) <= TOLERANCE)
    out[recoloured] = (255, 140, 0)
    rows, cols = extent
    pad, width = max(2, dpi // 12), max(2, dpi // 36)
    top, bottom = max(0, rows[0] - pad), min(mask.shape[0], rows[-1] + 1 + pad)
    left, right = max(0, cols[0] - pad), min(mask.shape[1], cols[-1] + 1 + pad)
    frame = (230, 0, 200)
    out[top:top + width, left:right] = frame
    out[bottom - width:bottom, left:right] = frame
    out[top:bottom, left:left + width] = frame
    out[top:bottom, right - width:right] = frame
    return out.astype(np.uint8)


def _save(pixels: np.ndarray, folder: Path, name: str) -> str:
    from PIL import Image
    Image.fromarray(pixels).save(folder / name, compress_level=3)
    return name
