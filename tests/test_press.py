"""The press preflight (publish/check/press.py): the nine faults a prepress review found
passing as "ready for press", each put into a fresh build of the 5th issue with pypdf and
each reported with its page, object and amount; a proof without --press, an error with."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from press_faults import Stream, edited
from publish.check import check

pytestmark = pytest.mark.slow

SPOT = ["/Separation", "/PANTONE#20286#20C", "/DeviceCMYK",
        {"/FunctionType": 2, "/Domain": [0, 1], "/C0": [0, 0, 0, 0], "/C1": [1, 0.7, 0, 0.1],
         "/N": 1}]
SWOP = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Ghostscript's, SWOP

FAULTS = {
    "hairline": dict(page=3, paint=b"q 0 0 0 1 K 0.05 w 100 400 m 300 400 l S Q"),
    "overprint": dict(page=1, before=b"/GSop gs", resources={"/ExtGState": {
        "/GSop": {"/Type": "/ExtGState", "/OP": True, "/op": True, "/OPM": 1}}}),
    "spot": dict(page=2, paint=b"q /Spot cs 1 scn 4 4 12 12 re f Q",
                 resources={"/ColorSpace": {"/Spot": SPOT}}),
    "rich-black": dict(page=3, replace=(b"/DeviceCMYK cs\n0 0 0 1 scn",
                                        b"/DeviceCMYK cs\n0.6 0.6 0.6 1 scn")),
    "band-400": dict(page=1, replace=(b"1 0.72 0 0.18 scn", b"1 1 1 1 scn")),
    "box-380": dict(page=4, paint=b"q 1 1 0.8 1 k 100 100 80 60 re f Q"),
    "rgb-shading": dict(page=5, paint=b"q 50 50 200 60 re W n /ShRGB sh Q", resources={
        "/Shading": {"/ShRGB": {"/ShadingType": 2, "/ColorSpace": "/DeviceRGB",
                                "/Coords": [50, 0, 250, 0], "/Function": {
                                    "/FunctionType": 2, "/Domain": [0, 1], "/C0": [1, 0, 0],
                                    "/C1": [0, 0, 1], "/N": 1}}}}),
    "rgb-group": dict(page=6, entries={"/Group": {"/Type": "/Group", "/S": "/Transparency",
                                                  "/CS": "/DeviceRGB"}}),
    "profile-swapped": dict(page=1, profile=SWOP.read_bytes() if SWOP.is_file() else b""),
    "profile-altered": dict(page=1, profile=None),  # made from the build's own, below
}


def _make(source: Path, target: Path, page: int, replace=None, **edits) -> Path:
    if replace is not None:
        from pypdf import PdfWriter
        from pypdf.generic import ContentStream
        writer = PdfWriter(clone_from=str(source))
        p = writer.pages[page - 1]
        stream = ContentStream(p.get_contents(), writer)
        assert replace[0] in stream.get_data()
        stream.set_data(stream.get_data().replace(*replace, 1 if page == 1 else -1))
        p.replace_contents(stream)
        writer.write(str(target))
        return target
    return edited(source, target, page, **edits)


@pytest.fixture(scope="module")
def faults(fifth, tmp_path_factory):
    built, _ = fifth
    folder = tmp_path_factory.mktemp("press")
    out = {}
    for name, edit in FAULTS.items():
        if name == "profile-altered":
            # The same profile with its rendering intent (outside its MD5 profile ID) changed:
            # its label, description and ID all still say FOGRA39.
            own = bytearray((ROOT / "layouts/base/color/FOGRA39-publish.icc").read_bytes())
            own[67] ^= 2
            edit = dict(edit, profile=bytes(own))
        pdf = _make(built.pdf, folder / f"{name}.pdf", **edit)
        out[name] = (check(built.issue, pdf, ROOT / "fonts"),
                     check(built.issue, pdf, ROOT / "fonts", press=True))
    return out


def _press(report) -> list[str]:
    rules = {"ink-limit", "rich-black", "hairline", "overprint", "spot-colour",
             "output-profile", "output-intent", "colour"}
    return [str(f) for f in report.ordered() if f.rule in rules]


def test_the_good_pdf_has_no_press_fault(fifth):
    _, report = fifth
    assert _press(report) == []
    press = report.preflight
    assert press["ink"] == {"percent": 190.0, "page": 1, "object": "fill, the page content",
                            "limit": 330}
    assert press["thinnest_line_pt"] is None and press["spot_colours"] == []
    assert press["output_profile"]["sha256"].startswith("9d54aff9")


@pytest.mark.parametrize("name, message", [
    ("hairline", "proof: page 3: a line 0.050 pt wide in the page content at 35-106 mm "
                 "across, 156 mm down: lines under 0.125 pt break up on press [hairline]"),
    ("overprint", "proof: page 1: text in white with overprint on, in the page content at "
                  "145-155 mm across, 64-67 mm down (9 times): overprinted white vanishes on "
                  "press [overprint]"),
    ("spot", "proof: page 2: a fill in Separation 'PANTONE 286 C' in the page content at 1-6 "
             "mm across, 291-296 mm down: a plate the layout does not declare (PANTONE 286 C; "
             "declare it in --spot-colours) [spot-colour]"),
    # Where the caption lands moves with the fit: its place is a pattern.
    ("rich-black", re.compile(r"proof: page 3: text at 7\.0 pt in rich black 60/60/60/100 in "
                              r"the page content at 139-165 mm across, \d+-\d+ mm down \(\d+ "
                              r"times\): text under 12 pt is set in black ink alone "
                              r"\(0/0/0/100\), or it blurs in register \[rich-black\]")),
    ("band-400", "proof: page 1: a fill of 400% ink (100/100/100/100) in the page content at "
                 "0-213 mm across, 0-52 mm down: over FOGRA39's 330% [ink-limit]"),
    ("box-380", "proof: page 4: a fill of 380% ink (100/100/80/100) in the page content at "
                "35-63 mm across, 241-262 mm down: over FOGRA39's 330% [ink-limit]"),
    ("rgb-shading", "error: page 5: shading /ShRGB in DeviceRGB (the page content at 18-88 mm "
                    "across, 258-279 mm down) under the CMYK print condition: give it in CMYK "
                    "[colour]"),
    ("rgb-group", "error: page 6: the page's transparency group in DeviceRGB (the page "
                  "content) under the CMYK print condition: give it in CMYK [colour]"),
    ("profile-swapped", "error: the output profile \"Artifex CMYK SWOP Profile\" (sha256 "
                        "8472fa1493a024b8...) describes SWOP, but the output intent declares "
                        "FOGRA39: a RIP converts to the profile, not to the label "
                        "[output-intent]"),
    ("profile-altered", "proof: the output profile \"publish FOGRA39 (ISO Coated v2) CMYK, "
                        "from FOGRA39L.ti3\" (sha256 "),
])
def test_each_fault_is_reported_with_page_object_and_amount(faults, name, message):
    report, pressed = faults[name]
    found, found_pressed = _press(report), _press(pressed)
    assert len(found) == 1, "\n".join(found)
    if isinstance(message, re.Pattern):
        assert message.fullmatch(found[0]), found[0]
    else:
        assert found[0].startswith(message), found[0]
    assert found_pressed == [found[0].replace("proof:", "error:", 1)]
    assert report.verdict() != "ready for press" and not pressed.ok


def test_a_profile_labelled_and_described_fogra39_is_still_known_by_its_content(faults):
    (found,) = _press(faults["profile-altered"][0])
    assert found.endswith("...) is not a FOGRA39 profile publish knows by its content: a "
                          "printer's portal that identifies profiles by content may reject it "
                          "[output-profile]")


def test_a_spot_colour_the_layout_declares_is_no_fault(fifth, faults, tmp_path):
    from publish.check.press import declared_spots
    layouts = tmp_path / "layouts"
    (layouts / "spot").mkdir(parents=True)
    shutil.copytree(ROOT / "layouts" / "base", layouts / "base")
    (layouts / "spot" / "layout.yaml").write_text("extends: base\nstylesheets: [spot.css]\n")
    (layouts / "spot" / "spot.css").write_text(
        ':root { --spot-colours: "PANTONE 286 C", "HKS 43 K"; }\n')
    assert declared_spots(layouts, "spot") == {"PANTONE 286 C", "HKS 43 K"}
    assert declared_spots(ROOT / "layouts", "mmsp") == frozenset()
    built, _ = fifth
    from publish.check import pdffacts
    from publish.check.press import check_press
    from publish.check.report import Report
    pdf = Path(faults["spot"][0].pdf)
    for spots, found in ((frozenset(), ["spot-colour"]),
                         (declared_spots(layouts, "spot"), [])):
        report = Report(pdf, built.issue.file, 6, 6)
        facts = check_press(pdffacts.read(pdf), report, spots, True)
        assert [f.rule for f in report.findings if f.rule != "output-profile"] == found
        assert facts["spot_colours"] == ["PANTONE 286 C"]


def test_image_pixels_over_the_ink_limit_are_found(fifth, tmp_path):
    """Ink is measured in an image's pixels too: a CMYK image of 8x8 px, its lower half
    in 100/100/90/100 (390 %), the rest 20/20/20/20."""
    built, _ = fifth
    rows = [bytes([51, 51, 51, 51] * 8)] * 4 + [bytes([255, 255, 230, 255] * 8)] * 4
    pdf = edited(built.pdf, tmp_path / "image.pdf", 4, paint=b"q 8 0 0 8 4 4 cm /Ink Do Q",
                 resources={"/XObject": {"/Ink": Stream({
                     "/Type": "/XObject", "/Subtype": "/Image", "/Width": 8, "/Height": 8,
                     "/ColorSpace": "/DeviceCMYK", "/BitsPerComponent": 8}, b"".join(rows))}})
    report = check(built.issue, pdf, ROOT / "fonts")
    assert _press(report) == [
        "proof: page 4: image /Ink (8x8 px) in the page content at 1-4 mm across, 293-296 mm "
        "down lays down up to 390% ink: over FOGRA39's 330% (convert it with the condition's "
        "profile) [ink-limit]"]
    assert report.preflight["ink"] == {"percent": 390.2, "page": 4,
                                       "object": "image /Ink, the page content", "limit": 330}


def test_the_facts_block_and_json_report_the_press_facts(fifth, capsys):
    import json

    from conftest import FIFTH
    from publish.cli import main
    built, _ = fifth
    main(["check", str(FIFTH), "--pdf", str(built.pdf)])
    out = capsys.readouterr().out.splitlines()
    assert "  max ink 190% (page 1, fill, the page content; limit 330%)" in out
    assert "  output profile \"publish FOGRA39 (ISO Coated v2) CMYK, from FOGRA39L.ti3\" (CMYK " \
        "prtr, ICC 2.2, 246964 bytes, sha256 9d54aff92a289dc8bdac188bdfe8c87f811b2c149e0da4247" \
        "48264b27c4cd03d, publish's own FOGRA39 profile (ArgyllCMS, from FOGRA39L.ti3; not a " \
        "standard profile))" in out
    main(["check", str(FIFTH), "--pdf", str(built.pdf), "--json"])
    facts = json.loads(capsys.readouterr().out)["preflight"]
    assert facts["output_profile"]["sha256"] == \
        "9d54aff92a289dc8bdac188bdfe8c87f811b2c149e0da424748264b27c4cd03d"
    assert facts["ink"]["limit"] == 330 and facts["spot_colours"] == []


def test_the_profile_is_embedded_once(fifth):
    """One ICC stream in the file: the output intent's, which the CMYK colour space shares."""
    from pypdf import PdfReader
    reader = PdfReader(str(fifth[0].pdf))
    profiles = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if hasattr(obj, "get_data") and obj.get("/N") is not None and \
                obj.get_data()[36:40] == b"acsp":  # an ICC profile's signature
            profiles.append(number)
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert profiles == [intent.raw_get("/DestOutputProfile").idnum]
