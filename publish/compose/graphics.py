"""Graphics generated with ReportLab and embedded as data: URIs (no files, no fetches)."""
from __future__ import annotations

import base64
from functools import lru_cache

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.colors import white

# ISO/IEC 18004 asks for four modules of light margin on every side of a QR code: a reader
# finds the code by its finder patterns against that margin. It is part of the image (and
# of the block's `size`), painted white, so a tinted panel or a neighbour placed close
# cannot eat into it.
QUIET_ZONE = 4  # modules


@lru_cache(maxsize=64)
def qr_data_uri(data: str, screen: bool = False) -> str:
    """A QR code for data, with its quiet zone, as an SVG data: URI; vector, so it prints
    sharp at any size. screen: in RGB (the screen edition has no CMYK)."""
    # A whole number of units: ReportLab rounds the SVG's viewBox, and would crop the rest.
    width = height = 100
    widget = QrCodeWidget(data, barLevel="M", barBorder=QUIET_ZONE, barWidth=width,
                          barHeight=height)
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=white, strokeColor=None))
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing)
    # The DOCTYPE names a DTD on the web; nothing here may even look like a fetch.
    svg = svg[svg.index("<svg"):]
    # Black ink only: an RGB black would print as four inks, soft-edged where they misregister;
    # the quiet zone is paper, no ink at all. The screen edition keeps RGB.
    if not screen:
        svg = svg.replace("fill: rgb(0%,0%,0%)", "fill: device-cmyk(0 0 0 1)")
        svg = svg.replace("fill: rgb(100%,100%,100%)", "fill: device-cmyk(0 0 0 0)")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
