"""Valid but unusual PDFs (ISO 32000 colour spaces, patterns, shadings, inline images,
nested forms, soft masks, annotations), each made from a fresh build of the 5th issue by
painting after its text on page 3: each ends in a finding or a pass, never in "not a
readable PDF" (a spot colour painted after text once crashed the content walker)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from press_faults import Stream, edited
from publish.check import check

pytestmark = pytest.mark.slow

SRGB = Path("/usr/share/color/icc/ghostscript/srgb.icc")
CMYK_PROFILE = ROOT / "layouts/base/color/FOGRA39-publish.icc"
TINT = {"/FunctionType": 2, "/Domain": [0, 1], "/C0": [0, 0, 0, 0], "/C1": [1, 0.7, 0, 0.1],
        "/N": 1}
BOX = b"4 4 12 12 re f"  # in the corner below the trim's safe margin: no text is there
TEXT_AFTER = b"BT /HUHQIP 8 Tf 39.685 30 Td <0030> Tj ET "  # at the left margin, 14 mm

CORPUS = {
    "separation": (dict(paint=TEXT_AFTER + b"/Spot cs 0.5 scn " + BOX, resources={
        "/ColorSpace": {"/Spot": ["/Separation", "/Gold", "/DeviceCMYK", TINT]}}),
        ["spot-colour"]),
    "separation-stroke": (dict(paint=b"/Spot CS 1 SCN 1 w 4 4 m 16 4 l S", resources={
        "/ColorSpace": {"/Spot": ["/Separation", "/Gold", "/DeviceCMYK", TINT]}}),
        ["spot-colour"]),
    "separation-black": (dict(paint=b"/K cs 1 scn " + BOX, resources={
        "/ColorSpace": {"/K": ["/Separation", "/Black", "/DeviceCMYK", TINT]}}), []),
    "devicen-spot": (dict(paint=b"/N cs 0.2 0.5 1 scn " + BOX, resources={"/ColorSpace": {
        "/N": ["/DeviceN", ["/Cyan", "/Magenta", "/Varnish"], "/DeviceCMYK", {
            "/FunctionType": 4, "/Domain": [0, 1, 0, 1, 0, 1], "/Range": [0, 1] * 4,
            "/__stream__": True}]}}), ["spot-colour"]),
    "devicen-process": (dict(paint=b"/N cs 0.2 1 scn " + BOX, resources={"/ColorSpace": {
        "/N": ["/DeviceN", ["/Cyan", "/Black"], "/DeviceCMYK", TINT]}}), []),
    "icc-rgb": (dict(paint=TEXT_AFTER + b"/RGBicc cs 1 0 0 scn " + BOX, resources={
        "/ColorSpace": {"/RGBicc": ["/ICCBased", Stream({"/N": 3}, SRGB.read_bytes())]}}),
        ["colour"]),
    "icc-cmyk": (dict(paint=b"/C cs 0.1 0.2 0.3 0.4 scn " + BOX, resources={
        "/ColorSpace": {"/C": ["/ICCBased", Stream({"/N": 4}, CMYK_PROFILE.read_bytes())]}}),
        []),
    "cal-rgb": (dict(paint=b"/Cal cs 0 1 0 scn " + BOX, resources={"/ColorSpace": {
        "/Cal": ["/CalRGB", {"/WhitePoint": [0.9505, 1, 1.089]}]}}), ["colour"]),
    "indexed-rgb": (dict(paint=b"/I cs 1 sc " + BOX, resources={"/ColorSpace": {
        "/I": ["/Indexed", "/DeviceRGB", 1, "\xff\x00\x00\x00\xff\x00"]}}), ["colour"]),
    "indexed-cmyk": (dict(paint=b"/I cs 0 sc " + BOX, resources={"/ColorSpace": {
        "/I": ["/Indexed", "/DeviceCMYK", 0, "\x10\x20\x30\x40"]}}), []),
    "lab": (dict(paint=b"/L cs 50 20 -30 scn " + BOX, resources={"/ColorSpace": {
        "/L": ["/Lab", {"/WhitePoint": [0.9642, 1, 0.8249], "/Range": [-100, 100, -100, 100]}]
    }}), []),
    "gray-and-stroke-operators": (dict(paint=b"0.5 g 0.2 G 0 0 0 1 K 1 w " + BOX +
                                       b" 4 4 m 16 16 l S"), []),
    "tiling-pattern-cmyk": (dict(paint=b"/Pattern cs /P0 scn " + BOX, resources={"/Pattern": {
        "/P0": Stream({"/PatternType": 1, "/PaintType": 1, "/TilingType": 1,
                       "/BBox": [0, 0, 4, 4], "/XStep": 4, "/YStep": 4, "/Resources": {}},
                      b"0 0 0 1 k 0 0 2 2 re f")}}), []),
    "tiling-pattern-rgb": (dict(paint=b"/Pattern cs /P0 scn " + BOX, resources={"/Pattern": {
        "/P0": Stream({"/PatternType": 1, "/PaintType": 1, "/TilingType": 1,
                       "/BBox": [0, 0, 4, 4], "/XStep": 4, "/YStep": 4, "/Resources": {}},
                      b"1 0 0 rg 0 0 2 2 re f")}}), ["colour"]),
    "uncoloured-pattern": (dict(paint=b"/PC cs 0 0 0 1 /P0 scn " + BOX, resources={
        "/ColorSpace": {"/PC": ["/Pattern", "/DeviceCMYK"]},
        "/Pattern": {"/P0": Stream({"/PatternType": 1, "/PaintType": 2, "/TilingType": 1,
                                    "/BBox": [0, 0, 4, 4], "/XStep": 4, "/YStep": 4,
                                    "/Resources": {}}, b"0 0 2 2 re f")}}), []),
    "shading-pattern-cmyk": (dict(paint=b"/Pattern cs /P1 scn " + BOX, resources={
        "/Pattern": {"/P1": {"/PatternType": 2, "/Shading": {
            "/ShadingType": 2, "/ColorSpace": "/DeviceCMYK", "/Coords": [0, 0, 20, 0],
            "/Function": {"/FunctionType": 2, "/Domain": [0, 1], "/C0": [0, 0, 0, 0],
                          "/C1": [0.2, 0.3, 0.4, 0.5], "/N": 1}}}}}), []),
    "radial-shading-stitched": (dict(paint=b"q " + BOX[:-1] + b"W n /Sh sh Q", resources={
        "/Shading": {"/Sh": {"/ShadingType": 3, "/ColorSpace": "/DeviceCMYK",
                             "/Coords": [10, 10, 0, 10, 10, 8], "/Function": {
                                 "/FunctionType": 3, "/Domain": [0, 1], "/Bounds": [0.5],
                                 "/Encode": [0, 1, 0, 1], "/Functions": [TINT, TINT]}}}}), []),
    "inline-image-cmyk": (dict(paint=b"q 0.4 0 0 0.4 4 4 cm BI /W 2 /H 2 /CS /CMYK /BPC 8 ID "
                                     + bytes(16) + b" EI Q"), []),
    "inline-image-rgb": (dict(paint=b"q 0.4 0 0 0.4 4 4 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID "
                                    + bytes(12) + b" EI Q"), ["colour"]),
    "inline-image-indexed": (dict(paint=b"q 0.4 0 0 0.4 4 4 cm BI /W 2 /H 2 /CS [/I /RGB 1 <ff0000"
                                        b"00ff00>] /BPC 8 ID " + bytes(4) + b" EI Q"),
                             ["colour"]),
    "nested-forms": (dict(paint=b"/F1 Do", resources={"/XObject": {"/F1": Stream(
        {"/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, 0, 20, 20], "/Resources": {
            "/XObject": {"/F2": Stream({"/Type": "/XObject", "/Subtype": "/Form",
                                        "/BBox": [0, 0, 20, 20], "/Resources": {}},
                                       b"0.3 0.2 0 0 k " + BOX)}}},
        b"q /F2 Do Q")}}), []),
    "nested-form-rgb": (dict(paint=b"/F1 Do", resources={"/XObject": {"/F1": Stream(
        {"/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, 0, 20, 20], "/Resources": {
            "/XObject": {"/F2": Stream({"/Type": "/XObject", "/Subtype": "/Form",
                                        "/BBox": [0, 0, 20, 20], "/Resources": {}},
                                       b"0 0 1 rg " + BOX)}}},
        b"q /F2 Do Q")}}), ["colour"]),
    "form-rgb-group": (dict(paint=b"/F1 Do", resources={"/XObject": {"/F1": Stream(
        {"/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, 0, 20, 20], "/Resources": {},
         "/Group": {"/Type": "/Group", "/S": "/Transparency", "/CS": "/DeviceRGB"}},
        b"0 0 0 1 k " + BOX)}}), ["colour"]),
    "soft-mask-rgb": (dict(paint=b"q /SM gs 0 0 0 1 k " + BOX + b" Q", resources={
        "/ExtGState": {"/SM": {"/Type": "/ExtGState", "/SMask": {
            "/Type": "/Mask", "/S": "/Luminosity", "/G": Stream(
                {"/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, 0, 20, 20],
                 "/Resources": {}, "/Group": {"/Type": "/Group", "/S": "/Transparency",
                                              "/CS": "/DeviceRGB"}},
                b"1 1 1 rg 0 0 20 20 re f")}}}}), ["colour"]),
    "knockout-overprint": (dict(paint=b"/F1 Do", resources={"/XObject": {"/F1": Stream(
        {"/Type": "/XObject", "/Subtype": "/Form", "/BBox": [0, 0, 20, 20],
         "/Resources": {"/ExtGState": {"/O": {"/op": True, "/OP": True, "/OPM": 1}}},
         "/Group": {"/Type": "/Group", "/S": "/Transparency", "/K": True}},
        b"/O gs 0.5 0 0 0 k " + BOX)}}), ["overprint"]),
    "annotation-rgb": (dict(entries={"/Annots": [{
        "/Type": "/Annot", "/Subtype": "/Square", "/Rect": [4, 4, 16, 16], "/F": 4,
        "/C": [1, 0, 0], "/AP": {"/N": Stream({"/Type": "/XObject", "/Subtype": "/Form",
                                               "/BBox": [0, 0, 12, 12], "/Resources": {}},
                                              b"1 0 0 RG 0 0 12 12 re S")}}]}),
        ["colour"]),
}


def _build(value):
    """TINT-like dicts marked __stream__ become PostScript calculator functions."""
    if isinstance(value, dict) and value.get("/__stream__"):
        entries = {k: v for k, v in value.items() if k != "/__stream__"}
        return Stream(entries, b"{ 0 }")
    if isinstance(value, dict):
        return {k: _build(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_build(v) for v in value]
    return value


@pytest.fixture(scope="module")
def corpus(fifth, tmp_path_factory):
    built, _ = fifth
    folder = tmp_path_factory.mktemp("valid")
    return {name: edited(built.pdf, folder / f"{name}.pdf", 3,
                         **{k: _build(v) for k, v in edit.items()})
            for name, (edit, _) in CORPUS.items()}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_an_unusual_valid_pdf_ends_in_a_finding_or_a_pass(fifth, corpus, name):
    built, good = fifth
    report = check(built.issue, corpus[name], ROOT / "fonts")  # raising would fail the test
    known = {(f.rule, f.message) for f in good.findings}
    new = [f for f in report.findings if (f.rule, f.message) not in known]
    assert sorted({f.rule for f in new}) == CORPUS[name][1], "\n".join(map(str, new))
