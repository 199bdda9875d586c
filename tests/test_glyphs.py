"""Glyphs as a RIP prints them: every code shown resolves through the embedded font program
(publish/check/glyphs.py), and a second renderer (MuPDF) draws the text PDFium draws."""
from __future__ import annotations

from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from conftest import ROOT
from publish.check import pdffacts
from renderers import text_disagreements

pytestmark = pytest.mark.slow

CHARACTERS = "外国人入境就业许可"


def _subset(target: Path, retain_gids: bool) -> Path:
    """The serif Chinese face cut to a few characters, its glyphs renumbered (as the faces
    shipped before were) or kept at their numbers."""
    font = TTFont(ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf")
    options = subset.Options()
    options.retain_gids = retain_gids
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=CHARACTERS + "Permit")
    subsetter.subset(font)
    font.save(target)
    return target


def _document(font: Path, target: Path) -> Path:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    html = (f"<style>@font-face {{ font-family: Cut; src: url({font.as_uri()}) }}"
            "@page { size: 120mm 60mm; margin: 5mm } p { font: 20pt Cut }</style>"
            f"<p>Permit</p><p>{CHARACTERS}</p>")
    HTML(string=html).write_pdf(target, font_config=FontConfiguration())
    return target


@pytest.fixture(scope="module")
def cut(tmp_path_factory):
    folder = tmp_path_factory.mktemp("glyphs")
    return {retain: _document(_subset(folder / f"cut-{retain}.otf", retain),
                              folder / f"cut-{retain}.pdf") for retain in (False, True)}


def test_a_renumbered_cjk_subset_is_an_error_for_each_character(cut):
    found = pdffacts.read(cut[False]).unresolved
    assert [(u.page, u.char, u.font) for u in found] == \
        [(1, c, "Cut") for c in "Permit" + CHARACTERS]
    assert found[6].message == (
        "'外' (U+5916) in font Cut is CID 16, which the embedded font's CFF charset does not "
        "have: a RIP prints .notdef (a box or nothing)")


def test_a_subset_that_keeps_its_glyph_numbers_resolves_every_code(cut):
    assert pdffacts.read(cut[True]).unresolved == []


def test_mupdf_draws_blanks_where_the_renumbered_subset_is_used(cut):
    """What the rule above stands for, seen: PDFium draws the characters, MuPDF does not."""
    assert [(page, text) for page, text, _, _ in text_disagreements(cut[False])] == \
        [(1, "Permit"), (1, CHARACTERS)]
    assert text_disagreements(cut[True]) == []


def test_the_fifth_issue_prints_the_same_text_in_mupdf_as_in_pdfium(fifth):
    built, report = fifth
    assert text_disagreements(built.pdf) == []
    assert not [f for f in report.findings if f.rule == "missing-glyph"]


def test_a_truetype_cid_font_whose_cids_map_to_other_glyphs_is_an_error(fifth, tmp_path):
    """A CIDFontType2 goes through its CIDToGIDMap: one that sends each CID to the next
    glyph prints every character as another one; each is named with the one printed."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject
    built, _ = fifth
    writer = PdfWriter(clone_from=str(built.pdf))
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        if str(font["/BaseFont"]).endswith("+Noto-Serif"):
            shifted = DecodedStreamObject()
            shifted.set_data(b"".join((cid + 1).to_bytes(2, "big") for cid in range(2000)))
            font["/DescendantFonts"][0].get_object()[NameObject("/CIDToGIDMap")] = \
                writer._add_object(shifted)
    writer.write(tmp_path / "shifted.pdf")
    found = pdffacts.read(tmp_path / "shifted.pdf").unresolved
    assert found and all(u.font == "Noto-Serif" for u in found)
    by_char = {u.char: u.message for u in found}
    assert by_char["a"].startswith("'a' (U+0061) in font Noto-Serif is CID ")
    assert by_char["a"].endswith(", which the font gives to 'b': a RIP prints that instead")
