"""Text printed over other text: a word too long for its column runs into the next, every
word still in the PDF, and the check says where."""
from __future__ import annotations

import pytest

from conftest import ROOT, build_and_check, pdftext

pytestmark = pytest.mark.slow
LONG = "Supercalifragilisticexpialidociousandlongerstillwithnobreakatall"


def test_a_word_too_long_for_its_column_fails_the_check_where_it_overprints(project,
                                                                            tmp_path):
    issue = project.copy_issue(ROOT / "issues" / "cbmm" / "2010-h1", series="cbmm")
    project.edit(issue, "implemented comprehensive information campaigns",
                 f"implemented comprehensive {LONG} information campaigns")
    built, report = build_and_check(issue, tmp_path / "out")
    assert LONG in pdftext(built.pdf, 3, 3)  # every word is there: only geometry tells
    [error] = [f for f in report.errors if f.rule == "overlap"]
    assert error.page == 3
    assert error.message.startswith(
        f'text printed over other text: "{LONG[:40]}..." over "Labour Migration Study Tour '
        'to the Phili...", ')
    assert not report.ok


def test_text_hidden_under_the_cover_masthead_overprints_nothing(project, tmp_path):
    # The CBMM cover paints its masthead over the running header: not a clash.
    built, report = build_and_check(ROOT / "issues" / "cbmm" / "2010-h1", tmp_path / "out")
    assert report.ok and not [f for f in report.findings if f.rule == "overlap"]
