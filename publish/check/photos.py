"""Photographs: each image in the PDF matched to the figure that placed it, then judged as
a printer would.

- Resolution: the pixels per inch the image is printed at (a photo cropped to its
  frame is enlarged, so its crop has fewer pixels per inch than the whole would). Below
  the layout's `--min-ppi` (300 unless it says) the photo is a proof item that says
  what it has and what it needs, an error under `--press`; below 150 it is an error.
- Bleed: a figure meant to bleed (`bleed: left`) must reach the bleed edge on that side.

An image is matched to its figure by its pixels (the size the colour step prints it at,
colour.printed_size) on the pages its figure is planned for; an image no figure
accounts for (a PDF built elsewhere) is still judged, by its pixels alone.
"""
from __future__ import annotations

import math
from pathlib import Path

from ..errors import PublishError
from ..render import colour
from ..source import model as m
from ..source.layout import resolve
from .pdffacts import ImageUse, PdfFacts
from .report import Report

PT_PER_MM = 72 / 25.4
PRINTABLE_PPI = 150  # below this a photo prints visibly as pixels: an error even for a proof
EDGE = 0.5  # points


def check_photos(issue: m.Issue, facts: PdfFacts, report: Report, layouts: Path,
                 press: bool = False) -> None:
    try:
        layout = resolve(layouts, issue.series.layout)
    except PublishError:
        layout = None
    wanted = colour.min_ppi(layout)
    bleeds = {n: boxes.bleed or boxes.media for n, boxes in enumerate(facts.boxes, start=1)}
    for image, figure in matched(issue, facts):
        _resolution(image, figure, wanted, press, report)
        if figure is not None and figure.bleed:
            _bleeds(image, figure, bleeds[image.page], report)


def matched(issue: m.Issue, facts: PdfFacts) -> list[tuple[ImageUse, m.Figure | None]]:
    """Every image of the PDF, with the figure that placed it where one is found."""
    unused = list(range(len(facts.images)))
    found: dict[int, m.Figure] = {}
    for page, figure, frame in colour.frames(issue):
        try:
            pixels = colour.printed_size(colour.upright_size(figure.image), frame)
        except OSError:
            continue
        pages = range(page.first, issue.end_limit(page) + 1)
        for k in unused:
            image = facts.images[k]
            if image.page in pages and image.pixels == pixels:
                found[k] = figure
                unused.remove(k)
                break
    return [(image, found.get(k)) for k, image in enumerate(facts.images)]


def _resolution(image: ImageUse, figure: m.Figure | None, wanted: float, press: bool,
                report: Report) -> None:
    ppi = image.ppi
    if ppi >= wanted:
        return
    x0, y0, x1, y1 = image.shown
    width, height = (x1 - x0) / PT_PER_MM, (y1 - y0) / PT_PER_MM
    needs = colour.ppi_needed_pixels(image.pixels, ppi, wanted)
    name = f"'{figure.image.name}'" if figure is not None else "an image"
    message = (f"{name} on page {image.page} is {image.pixels[0]} x {image.pixels[1]} px "
               f"shown at {width:.0f} x {height:.0f} mm: {math.floor(ppi)} ppi; "
               f"{wanted:g} ppi needs {needs[0]} x {needs[1]} px")
    if ppi < PRINTABLE_PPI:
        report.add("error", "image-resolution",
                   message + f" (below {PRINTABLE_PPI} ppi it prints as visible pixels)",
                   image.page)
    else:
        report.add("error" if press else "proof", "image-resolution", message, image.page)


def _bleeds(image: ImageUse, figure: m.Figure, bleed, report: Report) -> None:
    x0, _, x1, _ = image.shown
    short = {"left": x0 - bleed[0], "right": bleed[2] - x1}
    sides = ("left", "right") if figure.bleed == "both" else (figure.bleed,)
    for side in sides:
        if short[side] > EDGE:
            report.add("error", "geometry",
                       f"'{figure.image.name}' is meant to bleed off the {side} edge but stops "
                       f"{short[side] / PT_PER_MM:.1f} mm short of the bleed edge", image.page)
