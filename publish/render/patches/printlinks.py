"""No screen furniture in the print file: a patch to WeasyPrint 70.

WeasyPrint turns every link of the HTML into a link annotation. On paper an address is
read, not clicked, and a printer's preflight flags annotations in a PDF/X file, above
all those outside the trim, where the press never prints. The print edition keeps only
the links inside the document that lie within the trim: the index's and the page
references' (publish check reads them to prove each "pg.3"), which no RIP prints (no
border, no appearance, not flagged for printing); web and mail links are left out. The
screen edition (tagged, docs/screen.md) keeps every link.
"""
from __future__ import annotations

WEASYPRINT_VERSION = "70.0"


def install() -> bool:
    import weasyprint
    from weasyprint import pdf
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(pdf.add_links, "_publish_patched", False):
        return True
    original = pdf.add_links

    def add_links(links_and_anchors, matrix, document, page, names, tags):
        if tags is not None:  # a tagged PDF is the screen edition: its links are its point
            return original(links_and_anchors, matrix, document, page, names, tags)
        links, anchors = links_and_anchors
        # The trim box in points: the media box is the trim with the same bleed all round.
        x0, y0, x1, y1 = (float(v) for v in page["MediaBox"])
        trim = (0.0, 0.0, x1 + x0, y1 + y0)

        def inside(rectangle) -> bool:
            xs, ys = zip(matrix.transform_point(*rectangle[:2]),
                         matrix.transform_point(*rectangle[2:]))
            return trim[0] - 0.5 <= min(xs) and max(xs) <= trim[2] + 0.5 and \
                trim[1] - 0.5 <= min(ys) and max(ys) <= trim[3] + 0.5
        kept = [link for link in links if link[0] == "internal" and inside(link[2])]
        return original((kept, anchors), matrix, document, page, names, tags)

    add_links._publish_patched = True
    add_links._publish_original = original
    pdf.add_links = add_links
    return True
