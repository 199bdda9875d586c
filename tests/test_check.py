"""The validator fails, precisely, on real PDFs that break each rule; the untouched issue passes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.pdfgen import canvas

from conftest import FIFTH, ROOT, build_and_check
from damage import reordered
from publish.check import check
from publish.cli import main
from publish.source.load import load

pytestmark = pytest.mark.slow  # every test here renders


def messages(report) -> str:
    return "\n".join(str(f) for f in report.findings)


def test_untouched_issue_passes_with_exit_0(fifth, capsys):
    built, _ = fifth
    assert main(["check", str(FIFTH), "--pdf", str(built.pdf)]) == 0
    out = capsys.readouterr().out
    assert "all checks passed" in out
    assert re.search(r"page +2  ok +p2-1-banner, work-permit, green-card", out)


def test_page_3_removed_names_the_articles_and_pages(fifth, tmp_path, capsys):
    built, _ = fifth
    pdf = reordered(built.pdf, tmp_path / "no-page-3.pdf", [0, 1, 3, 4, 5])
    assert main(["check", str(FIFTH), "--pdf", str(pdf)]) == 1
    out = capsys.readouterr().out
    assert "the PDF has 5 pages; the plan has 6" in out
    assert "article 'iml-training' \"CHINESE OFFICIALS TRAINED ON INTERNATIONAL MIGRATION LAW\" " \
           "is not in the PDF (planned for page 3)" in out
    assert re.search(r"article 'vietnam-visit' \"VISIT TO VIETNAM: BEEA OFFICIALS [^\"]*\" "
                     r"should start on page 4, found on page 3", out)


def test_pages_2_and_3_swapped_names_both_pages(fifth, tmp_path, capsys):
    built, _ = fifth
    pdf = reordered(built.pdf, tmp_path / "swapped.pdf", [0, 2, 1, 3, 4, 5])
    assert main(["check", str(FIFTH), "--pdf", str(pdf)]) == 1
    out = capsys.readouterr().out
    assert "article 'work-permit' \"NEW FOREIGN WORK PERMIT TO EASE ADMINISTRATIVE PROCEDURES\" " \
           "should start on page 2, found on page 3" in out
    assert "article 'ilo-research'" in out and "should start on page 3, found on page 2" in out
    assert "the index lists \"NEW FOREIGN WORK PERMIT TO EASE ADMINISTRATIVE PROCEDURES\" on page 2, " \
           "but it is on page 3" in out
    # The foreword's printed "(pg.2)" no longer points where its article is.
    assert "[page-reference]" in out


def test_json_report(fifth, tmp_path, capsys):
    built, _ = fifth
    pdf = reordered(built.pdf, tmp_path / "swapped.pdf", [0, 2, 1, 3, 4, 5])
    assert main(["check", str(FIFTH), "--pdf", str(pdf), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    rules = {(f["rule"], f["anchor"]) for f in report["findings"]}
    assert ("starts-on-page", "work-permit") in rules
    assert report["pages"][1]["expected"][:2] == ["p2-1-banner", "work-permit"]


def test_article_moved_in_the_plan_fails_against_the_old_pdf(fifth, project):
    built, _ = fifth
    issue = project.copy_issue(FIFTH)
    text = (issue / "issue.yaml").read_text()
    # Move the green-card article from page 2 to the top of page 3.
    start = text.index("      - article:\n          id: green-card")
    end = text.index("  # ---", start)
    block = text[start:end]
    text = text[:start] + text[end:]
    anchor = text.index("    blocks:\n", text.index("  - page: 3")) + len("    blocks:\n")
    text = text[:anchor] + block + text[anchor:]
    (issue / "issue.yaml").write_text(text)
    report = check(load(issue), built.pdf, ROOT / "fonts")
    assert not report.ok
    found = messages(report)
    assert re.search(r"article 'green-card' \"CHINESE NEW \"GREEN CARD\" SYSTEM EXPLAINED .*\" "
                     r"should start on page 3, found on page 2", found), found
    assert re.search(r"the index should list \"CHINESE NEW \"GREEN CARD\" SYSTEM .*\" "
                     r"under PAGE 3; it is listed under PAGE 2", found), found


def test_overflow_names_the_article_and_how_far(project, tmp_path):
    issue = project.copy_issue(FIFTH)
    extra = "Extra paragraph added to overflow the page. " * 40
    project.edit(issue, "In June 2017, IOM will organize a briefing",
                 extra + "\n\n              In June 2017, IOM will organize a briefing")
    built, report = build_and_check(issue, tmp_path)
    assert not report.ok
    found = messages(report)
    # The extra text pushes the page's last article over the edge.
    assert re.search(r"article 'green-card' .* runs past page 2 onto page 3 by \d+ mm "
                     r"\(about \d+ lines\) \[overflow\]", found), found
    assert "the content planned for page 2 does not fit" in found


def test_missing_glyph_names_character_article_and_page(project, tmp_path):
    issue = project.copy_issue(FIFTH)
    project.edit(issue, "On 1 April 2017, China rolled out", "On 1 April 2017 \U0001D11E, China rolled out")
    built, report = build_and_check(issue, tmp_path)
    found = messages(report)
    assert "error: page 2: character '\U0001D11E' (U+1D11E) in 'work-permit' has no glyph in the " \
           "project's fonts [missing-glyph]" in found
    # Without the render's log, the PDF alone still shows the blank box.
    alone = check(built.issue, built.pdf, ROOT / "fonts")
    assert any(f.rule == "missing-glyph" and f.page == 2 for f in alone.findings), messages(alone)


def test_low_resolution_image_is_an_error_and_a_middling_one_a_warning(project, tmp_path):
    from PIL import Image
    issue = project.copy_issue(FIFTH)
    Image.new("RGB", (60, 40), "steelblue").save(issue / "small.png")
    Image.new("RGB", (400, 300), "steelblue").save(issue / "middling.png")  # about 180 ppi
    project.edit(issue, "caption: Dr. Jean-Pierre Gauci", "image: small.png\n                caption: Dr. Jean-Pierre Gauci")
    built, report = build_and_check(issue, tmp_path)
    errors = [f for f in report.findings if f.rule == "image-resolution"]
    assert errors and errors[0].severity == "error" and errors[0].page == 3
    assert re.search(r"an image of 60x40 px is placed at \d+ ppi \(at least 150, 300 for print\)",
                     errors[0].message)
    # Under the PDF/X-4 CMYK print condition an RGB image is an error, not a warning.
    assert "error: page 3: an RGB image (60x40 px) under the CMYK print condition: convert it " \
           "to CMYK [colour]" in messages(report)
    project.edit(issue, "image: small.png", "image: middling.png")
    built, report = build_and_check(issue, tmp_path)
    findings = [f for f in report.findings if f.rule == "image-resolution"]
    assert [f.severity for f in findings] == ["warning"]


def test_page_size_change_is_caught(fifth, tmp_path):
    built, _ = fifth
    writer = PdfWriter(clone_from=str(built.pdf))
    writer.pages[3].trimbox = RectangleObject([0, 0, 612, 792])  # US Letter
    pdf = tmp_path / "letter.pdf"
    writer.write(str(pdf))
    report = check(built.issue, pdf, ROOT / "fonts")
    found = messages(report)
    assert "error: page 4: trim is 215.9 x 279.4 mm, not A4 (210 x 297 mm) [trim-box]" in found
    assert "error: page 4: BleedBox is not the trim plus 3 mm [bleed-box]" in found


def test_unembedded_system_font_and_missing_metadata_are_caught(fifth, tmp_path):
    built, _ = fifth
    overlay = tmp_path / "overlay.pdf"
    c = canvas.Canvas(str(overlay), pagesize=(595.28, 841.89))
    c.setFont("Helvetica", 9)
    c.drawString(100, 30, "Printed in Helvetica, which the printer may not have")
    c.save()
    writer = PdfWriter(clone_from=str(built.pdf))
    writer.pages[5].merge_page(PdfReader(str(overlay)).pages[0])
    del writer._root_object["/Lang"]
    del writer._root_object["/OutputIntents"]
    writer.add_metadata({"/Title": ""})
    pdf = tmp_path / "helvetica.pdf"
    writer.write(str(pdf))
    found = messages(check(built.issue, pdf, ROOT / "fonts"))
    assert "error: page 6: font Helvetica is not embedded [font-embedded]" in found
    assert "font Helvetica is not one of the project's fonts" in found
    assert "the PDF does not declare its language [metadata]" in found
    assert "the PDF has no title [metadata]" in found
    assert "the PDF has no PDF/X output intent with a CMYK profile" in found


def test_required_chinese_contact_lines_must_be_in_the_pdf(fifth, project):
    built, _ = fifth
    issue = project.copy_issue(FIFTH)
    series = project.root / "issues" / "mmsp" / "series.yaml"
    series.write_text(series.read_text().replace("邮编100600, 电话", "邮编100601, 电话"))
    found = messages(check(load(issue), built.pdf, ROOT / "fonts"))
    assert "the zh text \"邮编100601, 电话: 86-10-65325091, 传真: 86-10-65321420\" is not in " \
           "the PDF's text [languages]" in found


def test_build_exits_1_and_keeps_the_pdf_when_the_check_fails(project, tmp_path, capsys):
    issue = project.copy_issue(FIFTH)
    project.edit(issue, "On 1 April 2017, China rolled out", "On 1 April 2017 \U0001D11E, China rolled out")
    assert main(["build", str(issue), "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAILED CHECK")
    assert "missing-glyph" in out
    assert (tmp_path / "mmsp-test.pdf").is_file()


def test_the_base_layout_declares_for_the_check_the_body_size_it_sets():
    # The check judges a page's scale by --body-size; it must be the size the body is set in.
    css = (ROOT / "layouts" / "base" / "base.css").read_text()
    declared = re.search(r"--body-size:\s*([\d.]+)pt", css)[1]
    body = re.search(r"\nhtml\s*\{[^}]*?font-size:\s*([\d.]+)pt", css)[1]
    assert declared == body
