"""publish/render/patches/composer.py and render/knuthplass.py: justified paragraphs set whole, measured
from the PDF's glyphs (publish/check/spacing.py)."""
from __future__ import annotations

import pytest

from conftest import ROOT, pdftext, words
from publish.check import spacing
from publish.check.report import Report
from publish.render.driver import renderer
from publish.render.patches import composer

pytestmark = pytest.mark.slow  # every test here renders

# Prose from the archive, set in the archive's narrow column (57 mm, 9 pt).
PROSE = [
    "Under the previous system, foreigners were allowed to apply for two types of work "
    "permit, according to their qualifications: an employment license for foreign "
    "employees targeting semi-skilled workers, issued by the Ministry of Human Resources "
    "and Social Security, and a foreign expert work permit for top talent. In practice, "
    "this meant two sets of procedures under two authorities and two distinct permits "
    "which has often caused duplication of efforts coupled with bureaucratic bottlenecks.",
    "Identification of irregular migrants is another crucial aspect of border management "
    "and a fundamental precondition for the orderly and safe return of those who have no "
    "right to stay. The workshop brought together officials from the provinces, who "
    "exchanged their experience of interviews, document examination and the verification "
    "of nationality with colleagues from European countries.",
    "Through pre-departure orientation activities, IOM facilitated the exchange of "
    "information and best practice promoting safe migration and encouraging labour "
    "migrants to opt for legal migration channels, given the important role played by "
    "recruitment agencies as migration intermediaries.",
]


def _html(paragraphs, style="", width=57):
    body = "".join(f"<p{extra}>{text}</p>" for text, extra in paragraphs)
    return f"""<html lang="en"><head><style>
    @page {{ size: A4; margin: 10mm }}
    body {{ width: {width}mm }}
    p {{ font: 9pt/1.36 "Noto Serif"; text-align: justify; hyphens: auto; margin: 0 0 2mm;
         hyphenate-limit-chars: 7 3 4; hyphenate-limit-zone: 16%; {style} }}
    </style></head><body>{body}</body></html>"""


def _render(tmp_path, html, name, whole=True, monkeypatch=None):
    render = renderer(ROOT / "fonts").render  # installs the patches
    if not whole:  # WeasyPrint's own first-fit
        from weasyprint.layout import inline
        for name_ in ("split_inline_box", "text_align", "split_first_line"):
            monkeypatch.setattr(inline, name_, getattr(inline, name_)._publish_original)
    rendered = render(html, base=tmp_path, allowed=[tmp_path])
    if not whole:
        monkeypatch.undo()
    pdf = tmp_path / f"{name}.pdf"
    rendered.write_pdf(pdf)
    return pdf


def test_the_composer_sets_the_same_text_with_fewer_loose_lines_than_first_fit(
        tmp_path, monkeypatch):
    html = _html([(text, "") for text in PROSE])
    whole = _render(tmp_path, html, "whole")
    first_fit = _render(tmp_path, html, "first-fit", whole=False, monkeypatch=monkeypatch)
    assert words(pdftext(whole)) == words(pdftext(first_fit))
    loose = {}
    for name, pdf in (("whole", whole), ("first-fit", first_fit)):
        lines = spacing.justified_body(spacing.lines_of(pdf))
        assert len(lines) > 15
        loose[name] = (sum(line.widest > 2 for line in lines),
                       max(line.widest for line in lines))
    assert loose["whole"][0] <= loose["first-fit"][0] / 2, loose
    assert loose["whole"][1] <= 3.0 < loose["first-fit"][1], loose


def test_looseness_sets_a_paragraph_one_line_longer_or_shorter(tmp_path):
    """Where it can within three times the natural space: one line more at some widths;
    one line fewer only where the last line is a word or two (spaces narrow to 80 %)."""
    changed = {-1: 0, 1: 0}
    for width in range(60, 100, 8):
        counts = {}
        for looseness in (-1, 0, 1):
            extra = f' style="--looseness: {looseness}"' if looseness else ""
            pdf = _render(tmp_path, _html([(PROSE[0], extra)], width=width),
                          f"loose{width}{looseness}")
            lines = [line for line in spacing.lines_of(pdf) if line.body]
            counts[looseness] = len(lines)
            assert all(line.widest <= 3.0 for line in spacing.justified_body(lines))
        assert counts[1] in (counts[0], counts[0] + 1), (width, counts)
        assert counts[-1] in (counts[0], counts[0] - 1), (width, counts)
        for looseness in (-1, 1):
            changed[looseness] += counts[looseness] != counts[0]
    assert changed[1] > 0, changed


def test_a_line_that_cannot_be_set_within_three_spaces_is_ragged(tmp_path):
    # Capitalised names are not hyphenated: in 30 mm, some lines have to be very loose.
    text = ("The Ministry of Human Resources and Social Security, the State Administration "
            "for Foreign Experts Affairs and the Embassies of Hungary, Luxembourg and "
            "Switzerland attended alongside Representatives of Organizations.")
    pdf = _render(tmp_path, _html([(text, "")], width=30), "ragged")
    lines = spacing.lines_of(pdf)
    assert all(line.widest <= 3.0 for line in spacing.justified_body(lines))
    assert spacing.ragged_lines(lines)


def test_the_check_warns_of_a_gappy_justified_line_with_page_column_and_line(
        tmp_path, monkeypatch):
    text = ("The Ministry of Human Resources and Social Security, the State Administration "
            "for Foreign Experts Affairs and the Embassies of Hungary, Luxembourg and "
            "Switzerland attended alongside Representatives of Organizations.")
    pdf = _render(tmp_path, _html([(text, "")], width=30), "gappy", whole=False,
                  monkeypatch=monkeypatch)
    gappy = [line for line in spacing.justified_body(spacing.lines_of(pdf))
             if line.widest > 3]
    assert gappy
    report = Report(pdf, tmp_path / "issue.yaml", 1, 1)
    spacing.check_spacing(pdf, report)
    assert len(report.warnings) == len(gappy)
    finding = report.warnings[0]
    assert finding.page == 1 and finding.rule == "word-spacing"
    assert finding.message.startswith("column 1, line ")
    assert " ".join(gappy[0].text.split()[:3]) in finding.message
    assert "times natural (at most 3)" in finding.message


CHINESE = ("国际移民组织与中国政府在移民管理领域开展了广泛的合作，包括边境管理、打击人口贩运、"
           "劳务移民和移民融合等方面。二零一六年，中国正式加入国际移民组织，成为其第一百六十五个"
           "成员国，这为双方在全球移民治理框架下深化合作开辟了新的前景。")


def test_a_justified_chinese_paragraph_ends_every_line_but_its_last_at_the_column_edge(
        tmp_path):
    html = f"""<html lang="en"><head><style>
    @page {{ size: A4; margin: 10mm }}
    p {{ font: 9pt/1.5 "Noto Serif CJK SC"; text-align: justify; width: 61.3mm; margin: 0 }}
    </style></head><body><p lang="zh">{CHINESE}</p></body></html>"""
    pdf = _render(tmp_path, html, "chinese")
    pages = spacing._pages(pdf)
    lines = spacing._join(spacing._runs(pages[1]))
    assert len(lines) >= 4
    left = min(glyph.x for line in lines for glyph in line)
    edge = left + 61.3 * 72 / 25.4
    for line in lines[:-1]:
        end = line[-1].x + line[-1].advance
        assert abs(end - edge) <= 0.5, (end, edge, "".join(g.char for g in line))
    last = lines[-1]
    assert last[-1].x + last[-1].advance < edge - 5  # the last line is not stretched
    assert "".join(pdftext(pdf).split()) == CHINESE  # nothing added to the text


def test_a_one_word_justified_paragraph(tmp_path):
    pdf = _render(tmp_path, _html([("Text.", ""), ("Two words.", "")]), "short")
    assert "Text." in pdftext(pdf) and "Two words." in pdftext(pdf)
