"""Damage a PDF the way it can happen on its way to the printer, with pypdf (and ReportLab
for what is painted on top). Each function writes a new file and returns its path."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ContentStream, NameObject, NumberObject
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

PX = 0.75  # WeasyPrint draws in CSS pixels under a 0.75 scale: 8 pt text is set as 10.667


def _write(writer: PdfWriter, target: Path) -> Path:
    writer.write(str(target))
    return target


def reordered(source: Path, target: Path, order: list[int]) -> Path:
    """The same PDF with its pages in another order (some left out or repeated)."""
    writer = PdfWriter(clone_from=str(source))
    pages = writer._root_object["/Pages"]
    kids = list(pages["/Kids"])
    pages[NameObject("/Kids")] = ArrayObject(kids[i] for i in order)
    pages[NameObject("/Count")] = NumberObject(len(order))
    return _write(writer, target)


def rotated(source: Path, target: Path, page: int, degrees: int = 90) -> Path:
    writer = PdfWriter(clone_from=str(source))
    writer.pages[page - 1].rotate(degrees)
    return _write(writer, target)


def transformed(source: Path, target: Path, page: int, transformation: Transformation) -> Path:
    """The page's content drawn through another transformation; its boxes stay as they were."""
    writer = PdfWriter(clone_from=str(source))
    writer.pages[page - 1].add_transformation(transformation)
    return _write(writer, target)


def _overlay(width: float, height: float, draw) -> PdfReader:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(width, height))
    draw(c)
    c.save()
    buffer.seek(0)
    return PdfReader(buffer)


def painted_over(source: Path, target: Path, page: int, rgb: bool = False) -> Path:
    """A box in paper white over the top half of the page's trim, painted last."""
    writer = PdfWriter(clone_from=str(source))
    p = writer.pages[page - 1]
    trim = [float(v) for v in p.trimbox]

    def draw(c):
        if rgb:
            c.setFillColorRGB(1, 1, 1)
        else:
            c.setFillColorCMYK(0, 0, 0, 0)
        c.rect(trim[0], (trim[1] + trim[3]) / 2, trim[2] - trim[0], (trim[3] - trim[1]) / 2,
               stroke=0, fill=1)
    p.merge_page(_overlay(trim[2], trim[3], draw).pages[0])
    return _write(writer, target)


def text_removed(source: Path, target: Path, page: int, size_pt: float) -> Path:
    """The page without the text set at size_pt (its body text at 8 pt; its titles at 11 pt)."""
    writer = PdfWriter(clone_from=str(source))
    p = writer.pages[page - 1]
    stream = ContentStream(p.get_contents(), writer)
    kept, size = [], None
    for operands, operator in stream.operations:
        if operator == b"Tf":
            size = float(operands[1]) * PX
        if operator in (b"TJ", b"Tj") and size is not None and abs(size - size_pt) < 0.05:
            continue
        kept.append((operands, operator))
    stream.operations = kept
    p.replace_contents(stream)
    return _write(writer, target)


def rgb_text(source: Path, target: Path, page: int) -> Path:
    """The page's black text painted in DeviceRGB black instead of CMYK black ink."""
    writer = PdfWriter(clone_from=str(source))
    p = writer.pages[page - 1]
    stream = ContentStream(p.get_contents(), writer)
    data = stream.get_data().replace(b"/DeviceCMYK cs\n0 0 0 1 scn", b"0 0 0 rg")
    stream.set_data(data)
    p.replace_contents(stream)
    return _write(writer, target)


def destinations_stripped(source: Path, target: Path) -> Path:
    """What a re-save by another tool often does: the named destinations are gone."""
    writer = PdfWriter(clone_from=str(source))
    del writer._root_object["/Names"]
    return _write(writer, target)


def resaved_by_ghostscript(source: Path, target: Path) -> Path:
    """Through Ghostscript's pdfwrite, as a printer's workflow may: fonts re-embedded, named
    destinations, the output intent and the language dropped, ligatures' text mis-mapped."""
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={target}", str(source)], check=True, capture_output=True)
    return target


def shift(dx_mm: float) -> Transformation:
    return Transformation().translate(dx_mm * mm, 0)


def scale(factor: float) -> Transformation:
    return Transformation().scale(factor, factor)
