"""Every page of the archive as an editor changes it: its longest article one paragraph
longer (about 60 words from another article of the issue) or one shorter
(tests/variants.py), each variant built and checked in a temporary project.

Today publish does not fit pages itself: the archive was fitted by hand, and a variant
runs onto an extra page, under the back page's contacts band, or leaves a hole at a
column's foot. What these tests hold today is that the check says so, and says it
truly: each figure it gives is the one MuPDF reads from the same PDF. Once the fit
stage lands (issue 18), switch FITTING on (tests/variants.py): every variant must then
fit its pages, pass its check and end each column within the layout's tolerance.

A sample of the variants, one of each thing a variant can do to its pages, is built by
default (six builds); `./test.sh --all-variants` builds all 32, every page of the four
issues (about a minute of CPU).
"""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

import traced
import variants
from conftest import ROOT, build_and_check
from variants import FITTING
from publish.check import check, pdffacts
from publish.check.fill import measure, tolerance
from publish.check.geometry import layout_geometry

# Variants of the sample the fit does not bring within the tolerance yet; for each, the
# build gives the advice of what to cut or add (issue 18, point 3).
NOT_YET = {
    ("mmsp/2016-11", "5", "shorter"): "beyond the bounds: 64 mm short at the loosest setting",
    ("cbmm/2010-h1", "4", "longer"): "one flow over four pages: column 2 of page 2 ends 31 mm "
                                      "short at the nearest setting found",
    ("mmsp/2017-05", "6", "longer"): "the back page: its last block ends 19 mm short of the "
                                      "band at the nearest setting found",
}

pytestmark = pytest.mark.slow  # every test here renders

ISSUES = ("cbmm/2010-h1", "mmsp/2016-11", "mmsp/2017-05", "mmsp/2018-03")
VARIANTS = [(name, page, kind) for name in ISSUES
            for page, kind in variants.plan(ROOT / "issues" / name)]
SAMPLE = {
    ("mmsp/2017-05", "2", "longer"),  # runs onto an extra page
    ("cbmm/2010-h1", "4", "longer"),  # one flow: its back page's columns run under the band
    ("mmsp/2017-05", "6", "longer"),  # the closing quote runs under the contacts band
    ("mmsp/2016-11", "5", "shorter"),  # the 108 mm hole
    ("mmsp/2018-03", "4/5", "shorter"),  # a spread
    ("mmsp/2018-03", "2", "shorter"),  # two columns
}
assert SAMPLE <= set(VARIANTS)
PARAMS = [pytest.param(*v, id=f"{v[0]}-p{v[1]}-{v[2]}",
                       marks=() if v in SAMPLE else pytest.mark.all_variants) for v in VARIANTS]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each variant, built and checked once for the module, when a test first asks."""
    folder = tmp_path_factory.mktemp("variants")
    cache = {}

    def get(name: str, page: str, kind: str):
        if (name, page, kind) not in cache:
            variant = variants.make(ROOT / "issues" / name, page, kind, folder)
            built, report = build_and_check(variant.issue, variant.issue.parents[2] / "dist")
            cache[name, page, kind] = variant, built, report
        return cache[name, page, kind]
    return get


def _column(message: str) -> int:
    found = re.match(r"column (\d+) ", message)
    return int(found[1]) if found else 1


def _truth(built, report):
    """What MuPDF reads of the PDF, against what the check says: returns "runs over" when
    the PDF has more pages than the plan, else each planned page's columns as
    (page, column, mm short as MuPDF reads it, mm into the band)."""
    pages = len(PdfReader(str(built.pdf)).pages)
    if pages > built.issue.page_count:
        return "runs over"
    layout = layout_geometry(ROOT / "layouts", built.issue.series.layout)
    facts = pdffacts.read(built.pdf)
    out = []
    for entry in built.issue.pages:
        for n in range(entry.first, entry.last + 1):
            fill = measure(facts, n, layout, entry.columns)
            band, feet, reach = traced.column_feet(built.pdf, n, layout.margins_mm,
                                                   [(c.left, c.right) for c in fill.columns])
            assert band == fill.band, n
            for i, (column, foot, into) in enumerate(zip(fill.columns, feet, reach), 1):
                assert abs(into - column.into) <= 0.5, (n, i, column, into)
                if not into:  # into the band, the column's ink ends where the band starts
                    assert foot is not None and abs(foot - column.short) <= 0.5, \
                        (n, i, column, foot)
                out.append((n, i, column.short, into))
    return out


@pytest.mark.parametrize("name, page, kind", PARAMS)
def test_the_check_says_truly_what_the_variant_does_to_its_pages(made, name, page, kind):
    variant, built, report = made(name, page, kind)
    limit = tolerance(ROOT / "layouts", built.issue.series.layout)
    truth = _truth(built, report)
    errors = {f.rule for f in report.errors}
    if truth == "runs over":
        assert {"page-count", "overflow"} <= errors, report.format()
        return
    short = {(n, i) for n, i, mm, into in truth if not into and round(mm) > limit}
    said = {(f.page, _column(f.message)) for f in report.findings if f.rule == "underfill"}
    assert said == short, report.format()
    into = {(n, i) for n, i, mm, reach in truth if reach >= 1}
    said = {(f.page, _column(f.message)) for f in report.findings
            if f.rule == "overflow" and "into the band" in f.message}
    assert said == into, report.format()
    if into:
        assert not report.ok


@pytest.mark.skipif(FITTING, reason="publish fits pages itself: the variants fit")
def test_today_the_108_mm_hole_is_a_proof_item_and_an_error_for_press(made):
    _, built, report = made("mmsp/2016-11", "5", "shorter")
    assert report.ok
    assert "proof: page 5: column 1 ends 108 mm short of its foot (tolerance 15 mm): about 25 " \
           "lines [underfill]" in [str(f) for f in report.findings]
    assert "page 5: 1 placeholder figure, 3 columns short of their foot" in report.verdict()
    pressed = check(built.issue, built.pdf, ROOT / "fonts", press=True)
    assert "error: page 5: column 1 ends 108 mm short of its foot (tolerance 15 mm): about 25 " \
           "lines [underfill]" in [str(f) for f in pressed.findings]
    assert not pressed.ok


@pytest.mark.all_variants
@pytest.mark.skipif(FITTING, reason="publish fits pages itself: the variants fit")
def test_today_no_longer_variant_fits_and_the_holes_are_said(made):
    """As issue 18 found: a paragraph more runs onto an extra page (or, on two back pages,
    under the contacts band); a paragraph less leaves holes the check now calls a proof
    (the 108 mm one of the 2nd issue's page 5 used to pass)."""
    over = under_band = 0
    for name, page, kind in VARIANTS:
        if kind != "longer":
            continue
        _, built, report = made(name, page, kind)
        assert not report.ok, f"{name} page {page} longer: {report.format()}"
        if len(PdfReader(str(built.pdf)).pages) > built.issue.page_count:
            over += 1
        else:
            assert any("into the band" in f.message for f in report.errors)
            under_band += 1
    assert (over, under_band) == (16, 2)
    holes = []
    for name, page, kind in VARIANTS:
        if kind != "shorter":
            continue
        variant, built, report = made(name, page, kind)
        entry = next(p for p in built.issue.pages if p.label == page)
        on_page = [f for f in report.findings if f.rule == "underfill"
                   and entry.first <= f.page <= entry.last]
        worst = max((int(re.search(r"ends (\d+) mm", f.message)[1]) for f in on_page),
                    default=0)
        holes.append((worst, variant.name))
    assert max(holes) == (108, "mmsp-2016-11 page 5 shorter")
    # A paragraph less leaves a column of its page more than 15 mm short on 13 of 14; the
    # 14th, the 5th issue's back page, balances its columns with the photograph under the
    # shorter text, and its quote and contacts run onto a 7th page.
    assert sorted(name for worst, name in holes if worst <= 15) == \
        ["mmsp-2017-05 page 6 shorter"], holes


@pytest.mark.skipif(not FITTING, reason="publish does not fit pages itself yet (issue 18)")
@pytest.mark.parametrize("name, page, kind", PARAMS)
def test_each_variant_fits_its_pages_and_ends_every_column_within_the_tolerance(
        made, name, page, kind):
    _, built, report = made(name, page, kind)
    if (name, page, kind) in NOT_YET:
        # The fit says it cannot, and what to do: the advice is on the build's record.
        assert any(r.advice and r.first <= int(page.split("/")[0]) <= r.last
                   for r in built.fitted.unfitted), report.format()
        pytest.xfail(NOT_YET[(name, page, kind)])
    assert report.ok, report.format()
    assert len(PdfReader(str(built.pdf)).pages) == built.issue.page_count
    short = [f for f in report.findings if f.rule == "underfill"]
    if short and (name, page, kind) in BY_A_HAIR:
        pytest.xfail(BY_A_HAIR[(name, page, kind)])
    assert not short, report.format()


# Where the fit's measure (the laid-out boxes) and the check's (the ink) part by less than a
# millimetre at the tolerance: the fit settles a column at 15.3 mm, the ink says 15.6 (16).
BY_A_HAIR = {
    ("mmsp/2017-05", "2", "longer"): "page 5, not the one edited: the fit leaves column 3 "
                                     "15.3 mm short by its boxes, the check reads 15.6 mm of ink",
}
