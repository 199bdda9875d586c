"""Line breaks a proofreader accepts, read back from real renders: no break after "pg."
or inside "E-mail" or "144-hour", hyphenation points of the en_US patterns."""
from __future__ import annotations

import re

import pyphen
import pytest

from conftest import ROOT, pdftext
from publish.render.driver import renderer
from publish.check import spacing
from publish.render.patches import breaks

pytestmark = pytest.mark.slow  # every test here renders


def _render(tmp_path, texts, widths, style=""):
    """Each text as a justified, hyphenated paragraph at each width (mm): the PDF's text
    (pdftotext) and its lines (by baseline: pdftotext may part a loose line in two)."""
    body = "".join(f'<p style="width: {w}mm">{t}</p>' for t in texts for w in widths)
    html = f"""<html lang="en"><head><style>
    @page {{ size: A4; margin: 10mm }}
    p {{ font: 9pt "Noto Serif"; text-align: justify; hyphens: auto; margin: 0 0 2mm;
         hyphenate-limit-chars: 7 3 4; {style} }}
    </style></head><body>{body}</body></html>"""
    rendered = renderer(ROOT / "fonts").render(html, base=tmp_path, allowed=[tmp_path])
    pdf = tmp_path / "breaks.pdf"
    rendered.write_pdf(pdf)
    return pdftext(pdf), [line.text for line in spacing.lines_of(pdf)]


CASES = ["our cooperation with China (pg. 5), IOM", "Fax: 86-10-85323687, E-mail: iom",
         "can I apply for a 144-hour transit visa", "including the use of e-channels now",
         "a wall of 30 mm and 3 million people", "the “Work Permit for Foreigners”"]


def test_no_break_after_pg_inside_e_mail_after_a_number_or_an_opening_bracket(tmp_path):
    text, lines = _render(tmp_path, CASES, range(16, 60))
    ends = [line.rstrip() for line in lines]
    assert len(ends) > 6 * 44  # the paragraphs did break, at every width
    bad = [end for end in ends if re.search(r"(\bpg\.|\bE-|\b144-|\be-|[(“]|\b30|\b3)$", end)]
    assert bad == []
    # The text is as written: no no-break space, no joiner, nothing invisible.
    flat = " ".join(text.split())
    for case in CASES:
        assert case in flat
    assert not re.search("[\u00a0\u200b-\u200d\u2060\ufeff\u00ad]", text)


def test_the_rules_leave_other_hyphens_and_spaces_breakable():
    assert breaks.spans("a one-year visa for multiple-entry use") == []
    assert breaks.spans("in 2017 the office") == []


WRONG = ("identific", "verific", "immig", "proced", "read")  # the prepress review's
WORDS = "identification verification immigration procedures readmissions"


def test_hyphenation_points_are_the_en_us_patterns(tmp_path):
    _, lines = _render(tmp_path, [f"{WORDS} {WORDS}"], range(14, 40))
    fragments = {m[1] for line in lines for m in re.finditer(r"(\w+)[\u2010-]$", line)}
    assert len(fragments) >= 5  # words were hyphenated
    assert not fragments & set(WRONG), fragments
    # Each piece (a word may break twice in a narrow column) lies between two points of
    # the en_US patterns.
    us = pyphen.Pyphen(filename=pyphen.LANGUAGES["en_US"])
    pieces = set()
    for word in WORDS.split():
        points = [0] + us.positions(word) + [len(word)]
        pieces |= {word[a:b] for a in points for b in points if a < b < len(word)}
    assert fragments <= pieces, fragments - pieces
