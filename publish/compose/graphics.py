"""Graphics generated with ReportLab and embedded as data: URIs (no files, no fetches)."""
from __future__ import annotations

import base64
from functools import lru_cache

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


@lru_cache(maxsize=64)
def qr_data_uri(data: str) -> str:
    """A QR code for data as an SVG data: URI; vector, so it prints sharp at any size."""
    widget = QrCodeWidget(data, barLevel="M", barBorder=0)
    x0, y0, x1, y1 = widget.getBounds()
    width, height = x1 - x0, y1 - y0
    drawing = Drawing(width, height)
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing)
    # The DOCTYPE names a DTD on the web; nothing here may even look like a fetch.
    svg = svg[svg.index("<svg"):]
    # Black ink only: an RGB black would print as four inks, soft-edged where they misregister.
    svg = svg.replace("fill: rgb(0%,0%,0%)", "fill: device-cmyk(0 0 0 1)")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
