"""The print file without screen furniture: no web links, no annotation outside the trim
(publish/render/patches/printlinks.py), and font subsets named for their issue, so two issues'
files merged or imposed together never have two different subsets of one name
(publish/render/patches/subsetnames.py)."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import ROOT, build_and_check
from press_faults import edited
from publish.check import check

pytestmark = pytest.mark.slow


def _subsets(pdf) -> set[str]:
    names = set()
    for page in PdfReader(str(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture(scope="module")
def sixth(tmp_path_factory):
    return build_and_check(ROOT / "issues" / "mmsp" / "2018-03", tmp_path_factory.mktemp("6"))


def test_the_print_file_keeps_only_links_inside_the_document_and_the_trim(sixth):
    built, report = sixth
    annotations = [a.get_object() for page in PdfReader(str(built.pdf)).pages
                   for a in page.get("/Annots") or []]
    # The 6th issue's text links to the ILO convention and other web pages (20 links on
    # pages 3 and 6 before); the index's and the page references' links stay.
    assert len(annotations) >= 50  # a link broken over two lines is two annotations
    assert all(a["/Subtype"] == "/Link" and "/Dest" in a and "/A" not in a
               for a in annotations)
    assert not [f for f in report.findings if f.rule == "annotation"]


def test_a_web_link_or_an_annotation_outside_the_trim_is_found(fifth, tmp_path):
    built, _ = fifth
    pdf = edited(built.pdf, tmp_path / "links.pdf", 2, entries={"/Annots": [
        {"/Type": "/Annot", "/Subtype": "/Link", "/Rect": [60, 60, 120, 70],
         "/A": {"/S": "/URI", "/URI": "https://www.iom.int/"}},
        {"/Type": "/Annot", "/Subtype": "/Text", "/Rect": [590, 800, 610, 820]}]})
    found = [str(f) for f in check(built.issue, pdf, ROOT / "fonts", press=True).findings
             if f.rule == "annotation"]
    assert found == [
        "error: page 2: annotation 1 is a link to https://www.iom.int/: screen furniture, "
        "which the print edition leaves out [annotation]",
        "error: page 2: annotation 2 (Text) at 208-215 mm across, 8-15 mm down reaches "
        "outside the trim: a print file keeps none there [annotation]"]


def test_font_subsets_are_named_for_their_issue(fifth, sixth, tmp_path):
    fifth_names, sixth_names = _subsets(fifth[0].pdf), _subsets(sixth[0].pdf)
    assert all(re.fullmatch(r"/[A-Z]{6}\+[\w-]+", n) for n in fifth_names | sixth_names)
    # Both issues use Noto Sans and Noto Serif, with different glyphs: never one name.
    assert {n[8:] for n in fifth_names} & {n[8:] for n in sixth_names} >= {
        "Noto-Sans", "Noto-Serif", "Noto-Sans-Bold", "Noto-Sans-CJK-SC"}
    assert fifth_names.isdisjoint(sixth_names)
    # And the same issue built again names them the same (the archive is reproducible).
    again, _ = build_and_check(ROOT / "issues" / "mmsp" / "2018-03", tmp_path)
    assert _subsets(again.pdf) == sixth_names


def test_the_output_profile_is_embedded_as_the_file_it_is(fifth):
    """Not as LittleCMS writes it back (500,516 bytes for the 246,964 of the file, another
    digest): a printer's portal knows a profile by its bytes (publish/render/patches/colorprofile.py)."""
    reader = PdfReader(str(fifth[0].pdf))
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/DestOutputProfile"].get_object().get_data() == \
        (ROOT / "layouts" / "base" / "color" / "FOGRA39-publish.icc").read_bytes()
