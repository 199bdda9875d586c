"""publish check on small hostile PDFs: a form that draws itself, forms drawing forms
thousands of times, millions of nested `q`, a stream that inflates to megabytes of
drawing: each is "too complex to check" within seconds, exit 2, no traceback."""
from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, NameObject,
                           NumberObject, StreamObject)

from conftest import FIFTH
from publish.cli import main


def _stream(writer: PdfWriter, data: bytes, **entries) -> StreamObject:
    stream = StreamObject()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream._data = zlib.compress(data, 9)
    for key, value in entries.items():
        stream[NameObject(f"/{key}")] = value
    return stream


def _form(writer: PdfWriter, data: bytes):
    form = _stream(writer, data, Type=NameObject("/XObject"), Subtype=NameObject("/Form"),
                   BBox=ArrayObject([FloatObject(0), FloatObject(0), FloatObject(10),
                                     FloatObject(10)]))
    return writer._add_object(form)


def hostile(path: Path, content: bytes, forms: list[tuple[bytes, list[int]]] = ()) -> Path:
    """A one-page PDF drawing content; forms[i] (its content, the forms /F<j> it may draw)
    is /F<i>, on the page's resources and on each form's."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    refs = [_form(writer, data) for data, _ in forms]
    for ref, (_, draws) in zip(refs, forms):
        ref.get_object()[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"):
            DictionaryObject({NameObject(f"/F{j}"): refs[j] for j in draws})})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
        {NameObject(f"/F{i}"): ref for i, ref in enumerate(refs)})})
    page[NameObject("/Contents")] = writer._add_object(_stream(writer, content))
    with open(path, "wb") as f:
        writer.write(f)
    return path


CASES = {
    "a form drawing itself": (b"/F0 Do", [(b"/F0 Do " * 5, [0])],
                              "the form /F0 draws itself"),
    "two forms drawing each other": (b"/F0 Do", [(b"/F1 Do " * 5, [1]), (b"/F0 Do " * 5, [0])],
                                     "the form /F0 draws itself"),
    "forms drawing forms ten times over": (
        b"/F0 Do", [(b"/F%d Do " % (i + 1) * 10, [i + 1]) for i in range(7)] + [(b"0 0 m", [])],
        "it draws forms more than 20,000 times"),
    "half a million nested q": (b"q " * 500_000, [],
                                "it saves graphics states (q) more than 256 deep"),
    "35 million q": (b"q " * 35_000_000, [],
                     "its pages' drawing instructions come to more than 4 MB (forms counted "
                     "each time drawn)"),
    "forms drawn until 4 MB are walked": (
        b"/F0 Do " * 5000, [(b"0 0 m 1 1 l S " * 200, [])],
        "its pages' drawing instructions come to more than 4 MB (forms counted each time "
        "drawn)"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_pdf_is_too_complex_to_check(case, tmp_path, capsys):
    content, forms, why = CASES[case]
    pdf = hostile(tmp_path / "hostile.pdf", content, forms)
    assert pdf.stat().st_size < 200_000
    # The message is the budget's, not the time limit's: how fast it comes is the
    # budget's business (bench/, not a clock in a test on a busy machine).
    code = main(["check", str(FIFTH), "--pdf", str(pdf)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (f"publish: {pdf}: too complex to check: {why}; a PDF publish builds never "
                   "does this, so it was not checked\n")
