"""render/patches/pdfstreams.py: remembered compressed streams leave the PDF's bytes as they were."""
from __future__ import annotations

import io
import os
import zlib

import pytest

from conftest import ROOT
from publish.render.patches import pdfstreams
from publish.build import Project, render_issue
from publish.source.load import load


def test_a_remembered_stream_is_what_zlib_gives():
    data = os.urandom(5000) + b"BT /F1 9 Tf (text) Tj ET\n" * 2000
    expected = zlib.compressobj(level=9)
    expected = expected.compress(data) + expected.flush()
    for _ in range(2):  # computed, then remembered
        compressor = pdfstreams._Zlib().compressobj(level=9)
        assert compressor.compress(data[:100]) + compressor.compress(data[100:]) == b""
        assert compressor.flush() == expected
    assert zlib.decompress(expected) == data


def test_the_memory_keeps_to_its_limit():
    memory = pdfstreams._Memory(limit=30_000)
    for n in range(10):
        memory.deflate(os.urandom(10_000), (("level", 9),))
    assert memory.size <= 30_000
    assert len(memory.kept) == 2


def _write(source) -> bytes:
    pdf = io.BytesIO()
    render_issue(load(source), Project.around(source)).write_pdf(pdf)
    return pdf.getvalue()


@pytest.mark.slow
def test_the_pdf_is_the_same_with_and_without_the_memory_and_the_profile_is_remembered():
    import pydyf
    source = ROOT / "issues" / "cbmm" / "2010-h1"
    remembered = _write(source)  # installs the memory
    assert isinstance(pydyf.zlib, pdfstreams._Zlib)
    hits, misses = pdfstreams.memory.hits, pdfstreams.memory.misses
    again = _write(source)
    # The same issue again deflates nothing anew: the colour profile, the font subsets and
    # the pages are remembered.
    assert pdfstreams.memory.misses == misses
    assert pdfstreams.memory.hits > hits
    pydyf.zlib = zlib
    try:
        plain = _write(source)
    finally:
        pdfstreams.install()
    assert remembered == again == plain


def test_a_large_stream_is_kept_on_disk_for_the_next_process_and_checked_when_read(
        tmp_path, monkeypatch):
    from publish.render import private
    monkeypatch.setattr(private, "folder", lambda: tmp_path)
    data = os.urandom(1000) * 200  # a colour profile's size
    options = (("level", 9),)
    expected = zlib.compressobj(level=9)
    expected = expected.compress(data) + expected.flush()
    assert pdfstreams._Memory().deflate(data, options) == expected
    [stored] = (tmp_path / "deflated").iterdir()
    assert stored.read_bytes() == expected
    # A fresh process (memory) reads it; a damaged file is not used, and is replaced.
    assert pdfstreams._Memory().deflate(data, options) == expected
    stored.write_bytes(zlib.compress(b"something else"))
    assert pdfstreams._Memory().deflate(data, options) == expected
    assert stored.read_bytes() == expected
    small = b"BT ET\n" * 100
    pdfstreams._Memory().deflate(small, options)
    assert len(list((tmp_path / "deflated").iterdir())) == 1  # small streams stay in memory
