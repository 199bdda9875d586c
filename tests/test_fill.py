"""Column fill (publish/check/fill.py): where each column of the archive's pages ends above
its foot, as the check says it and as two other readers see it (MuPDF, and the pages
as pictures); the tolerance a layout sets; bad tolerances."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import pagefill
import traced
from conftest import ROOT, build_and_check
from publish.check import check, pdffacts
from publish.check.fill import measure
from publish.check.geometry import layout_geometry
from publish.cli import main
from variants import FITTING

TODAY = pytest.mark.skipif(FITTING, reason="the archive as fitted by hand, before the fit stage")

ISSUES = ("mmsp/2016-11", "mmsp/2017-05", "mmsp/2018-03", "cbmm/2010-h1")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Every archive issue built and checked once: {name: (built, report)}."""
    out = tmp_path_factory.mktemp("fill")
    return {name: build_and_check(ROOT / "issues" / name, out) for name in ISSUES}


def _columns(built):
    """(page, PageFill) of every planned page, as the check measures it."""
    facts = pdffacts.read(built.pdf)
    layout = layout_geometry(ROOT / "layouts", built.issue.series.layout)
    return layout, [(n, measure(facts, n, layout, page.columns)) for page in built.issue.pages
                    for n in range(page.first, page.last + 1)]


@pytest.mark.slow
def test_every_column_foot_is_where_mupdf_sees_it(archive):
    compared = 0
    for name, (built, _) in archive.items():
        layout, pages = _columns(built)
        for n, fill in pages:
            band, feet, _ = traced.column_feet(built.pdf, n, layout.margins_mm,
                                            [(c.left, c.right) for c in fill.columns])
            assert band == fill.band, f"{name} page {n}"
            for column, foot in zip(fill.columns, feet):
                assert foot is not None and abs(foot - column.short) <= 0.5, \
                    f"{name} page {n}: check {column}, MuPDF {foot:.1f} mm"
                compared += 1
    # 24 pages: 3 MMSP covers and 9 pages of 3 columns, 9 pages of 2, 3 MMSP back pages of 1
    assert compared == 57


@pytest.mark.slow
def test_three_columns_end_where_the_pages_show_them_as_pictures(archive):
    """poppler's pictures at 50 dpi, cut in thirds: on a page of three columns the thirds
    are the columns, each ending where the check says within 1.5 mm (a pixel is 0.5 mm,
    and a last line without descenders ends on its baseline, 0.2 em above where the check
    takes a line to end). (On two columns a third holds parts of both, and a short last
    line leaves its outer third whiter than its column.)"""
    compared = 0
    for name, (built, _) in archive.items():
        _, pages = _columns(built)
        for (n, fill), picture in zip(pages, pagefill.measure(built.pdf)):
            assert (picture.band is not None) == fill.band, f"{name} page {n}"
            if len(fill.columns) != 3 or n == 1:  # the cover's columns are not thirds
                continue
            for column, third in zip(fill.columns, picture.bands):
                assert abs(third - column.short) <= 1.5, f"{name} page {n}: {fill} {picture}"
                compared += 1
    assert compared == 27  # 9 pages of three columns


@pytest.mark.slow
def test_the_archive_fitted_by_hand_ends_its_columns_within_25_mm_and_says_which_do_not_15(
        archive):
    for name, (built, report) in archive.items():
        assert report.ok, report.format()
        _, pages = _columns(built)
        assert all(c.short <= 25 for _, fill in pages for c in fill.columns), name
        short = {(n, i) for n, fill in pages for i, c in enumerate(fill.columns, 1)
                 if round(c.short) > 15}
        said = {(f.page, int(f.message.split()[1]) if f.message.startswith("column ") else 1)
                for f in report.findings if f.rule == "underfill"}
        assert said == short, name
        assert all(f.severity == "proof" for f in report.findings if f.rule == "underfill")
        feet = report.preflight["column_feet"]
        assert feet["tolerance_mm"] == 15
        assert [p["page"] for p in feet["pages"]] == list(range(1, built.issue.page_count + 1))


@TODAY
@pytest.mark.slow
def test_a_column_short_of_its_foot_is_said_in_the_report_json_and_verdict(archive, capsys):
    built, _ = archive["mmsp/2017-05"]
    source = ROOT / "issues" / "mmsp" / "2017-05"
    assert main(["check", str(source), "--pdf", str(built.pdf)]) == 0
    out = capsys.readouterr().out.splitlines()
    # Page 5's third column (MuPDF reads the same; see above).
    assert "  proof: page 5: column 3 ends 22 mm short of its foot (tolerance 15 mm): about 5 " \
           "lines [underfill]" in out
    assert "  column feet, mm short of the foot (tolerance 15 mm): page 1 11 18 10; page 2 11 " \
           "20 21; page 3 14 12 22; page 4 7 8 14; page 5 16 16 22; page 6 16 (above the " \
           "band)" in out
    assert "page 5: 1 placeholder figure, 3 columns short of their foot" in out[-1]
    assert main(["check", str(source), "--pdf", str(built.pdf), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["preflight"]["column_feet"]["pages"][5] == {
        "page": 6, "foot": "band", "columns_short_mm": [15.7], "columns_into_band_mm": [0.0]}
    assert "error: page 5: column 3 ends 22 mm short of its foot (tolerance 15 mm): about 5 " \
           "lines [underfill]" in check(built.issue, built.pdf, ROOT / "fonts",
                                        press=True).format()


def _project(tmp_path: Path, fit: str) -> Path:
    """A project whose MMSP series uses a layout 'loose' that extends mmsp with fit; the 5th
    issue copied into it."""
    root = tmp_path / "project"
    (root / "issues" / "mmsp").mkdir(parents=True)
    shutil.copytree(ROOT / "layouts", root / "layouts")
    (root / "layouts" / "loose").mkdir()
    (root / "layouts" / "loose" / "layout.yaml").write_text(
        f"description: the MMSP layout, looser\nextends: mmsp\nfit: {fit}\n")
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    series = (ROOT / "issues" / "mmsp" / "series.yaml").read_text()
    assert "layout: mmsp\n" in series
    (root / "issues" / "mmsp" / "series.yaml").write_text(
        series.replace("layout: mmsp\n", "layout: loose\n"))
    shutil.copytree(ROOT / "issues" / "mmsp" / "2017-05", root / "issues" / "mmsp" / "2017-05")
    return root / "issues" / "mmsp" / "2017-05"


@pytest.mark.slow
def test_the_tolerance_is_the_layouts(archive, tmp_path, capsys):
    built, report = archive["mmsp/2017-05"]
    feet = [mm for page in report.preflight["column_feet"]["pages"]
            for mm in page["columns_short_mm"]]
    counts = {}
    for fit, limit in (("{tolerance: 20}", 20), ("{tolerance: 16}", 16), ("{}", 15),
                       ("{tolerance: 10}", 10), ("{tolerance: 3}", 3)):
        issue = _project(tmp_path / fit.strip("{}: ").replace(" ", "-"), fit)
        assert main(["check", str(issue), "--pdf", str(built.pdf), "--json"]) == 0
        found = json.loads(capsys.readouterr().out)
        assert found["preflight"]["column_feet"]["tolerance_mm"] == limit
        counts[limit] = sum(f["rule"] == "underfill" for f in found["findings"])
        assert counts[limit] == sum(round(mm) > limit for mm in feet), fit
    assert counts[3] > counts[20], counts  # the layout's tolerance is the one applied


@pytest.mark.parametrize("fit, message", [
    ("{tolerance: 200}", "layout.yaml:3:18: fit.tolerance: 200 mm is out of range (0 to 100 mm)"),
    ("{tolerance: -3}", "layout.yaml:3:18: fit.tolerance: -3 mm is out of range (0 to 100 mm)"),
    ("{tolerance: 15mm}", "layout.yaml:3:18: fit.tolerance: expected a number of millimetres, "
                          "found text '15mm'"),
    ("{tolerence: 10}", "layout.yaml:3:7: fit.tolerence: unknown field"),
    ("15", "layout.yaml:3:6: fit: expected a mapping of fields, found a number '15'"),
])
def test_a_bad_tolerance_is_a_located_error_and_nothing_is_built(tmp_path, capsys, fit, message):
    issue = _project(tmp_path, fit)
    out = tmp_path / "out"
    assert main(["build", str(issue), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{issue.parent.parent.parent / 'layouts' / 'loose' / message}" in err, err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.slow
def test_watch_pins_a_column_short_of_its_foot_to_its_page(archive):
    from publish.tools.preview.builder import _check
    built, report = archive["mmsp/2017-05"]
    pins, _, summary = _check(built)
    for n in range(1, 7):
        assert [(p.severity, p.message) for p in pins.get(n, []) if p.rule == "underfill"] == \
            [(f.severity, f.message) for f in report.findings
             if f.rule == "underfill" and f.page == n]
    if not FITTING:
        assert [(p.severity, p.message) for p in pins[5] if p.rule == "underfill"] == [
            ("proof", f"column {n} ends {mm} mm short of its foot (tolerance 15 mm): about "
                      f"{lines} lines") for n, mm, lines in ((1, 16, 4), (2, 16, 4), (3, 22, 5))]
    assert summary == "check passed"  # a proof item is not a failed check
