"""The 5th MMSP issue (May 2017) from YAML to a print-ready PDF: what the editor and the
printer are promised."""
from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from conftest import REFERENCE, coverage, pdftext
from publish.check.pdffacts import read

pytestmark = pytest.mark.slow  # every test here renders


def test_builds_six_a4_pages_that_pass_their_check(fifth):
    built, report = fifth
    assert built.rendered.page_count == 6
    assert report.ok, report.format()
    assert report.warnings == [], report.format()  # all colour in CMYK, nothing to convert
    assert built.pdf.name == "mmsp-2017-05.pdf"


def test_text_has_98_percent_of_the_original_words(fifth):
    built, _ = fifth
    ratio, missing = coverage((REFERENCE / "mmsp-2017-05.txt").read_text(), pdftext(built.pdf))
    assert ratio >= 0.98, f"{ratio:.3f}; missing: {missing[:40]}"


def test_chinese_masthead_and_contacts_extract_as_the_same_characters(fifth):
    built, _ = fifth
    cover, back = pdftext(built.pdf, 1, 1), pdftext(built.pdf, 6, 6)
    assert "支持中欧人员往来和移民领域对话项目" in cover
    flat = re.sub(r"\s+", "", back)
    # Chinese punctuation is set full-width (publish/compose/typography.py); the two offices
    # stand side by side, so a wrapped line's end ("10层") may extract elsewhere.
    for line in ("国际移民组织驻华联络处，北京市朝阳区塔园外交公寓9-1-82，邮编100600",
                 "电话：86-10-59799695，传真：86-10-85323687，电子邮件：",
                 "国际劳工组织中蒙局，北京市朝阳区亮马河南路14号，塔园外交办公楼1单元", "10层"):
        assert line in flat


def test_chinese_terms_inside_english_articles_extract(fifth):
    built, _ = fifth
    page2 = re.sub(r"\s+", "", pdftext(built.pdf, 2, 2))
    for term in ("外国人入境就业许可", "外国专家来华工作许可", "外国人来华工作许可"):
        assert term in page2


def test_every_article_starts_on_the_page_the_index_names(fifth):
    built, _ = fifth
    facts = read(built.pdf)
    # The original's printed index, page by page.
    original = {2: ["work-permit", "green-card"], 3: ["ilo-research", "iml-training"],
                4: ["vietnam-visit", "qingdao-visit"],
                5: ["visa-verification", "verifier-tdb", "nanning-workshop"]}
    for page, ids in original.items():
        for article in ids:
            assert facts.destinations[article].page == page, article
    cover = pdftext(built.pdf, 1, 1)
    for label in ("PAGE 2", "PAGE 3", "PAGE 4", "PAGE 5"):
        assert label in cover


def test_foreword_page_references_print_the_real_pages(fifth):
    built, _ = fifth
    cover = pdftext(built.pdf, 1, 1)
    refs = re.findall(r"pg\.\s*(\d)", cover)
    assert len(refs) == 7
    assert set(refs) <= {"2", "3", "4", "5"}


def test_every_font_is_embedded_subset_and_from_fonts_folder(fifth):
    built, _ = fifth
    out = subprocess.run(["pdffonts", str(built.pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    assert out
    names = set()
    for row in out:
        cols = row.split()
        name, emb, sub = cols[0], cols[-5], cols[-4]
        assert emb == "yes" and sub == "yes", row
        assert re.match(r"^[A-Z]{6}\+Noto-(Sans|Serif)", name), row
        names.add(name.split("+")[1])
    assert "Noto-Sans-CJK-SC" in names


def test_trim_and_bleed_boxes_and_metadata(fifth):
    built, _ = fifth
    reader = PdfReader(built.pdf)
    for page in reader.pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        assert abs(trim[2] - trim[0] - 595.28) < 0.5 and abs(trim[3] - trim[1] - 841.89) < 0.5
        assert abs((bleed[2] - bleed[0]) - (trim[2] - trim[0]) - 2 * 8.504) < 0.5
    assert "5th Issue" in reader.metadata.title
    assert reader.metadata.author == "International Organization for Migration (IOM)"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert reader.pdf_header == "%PDF-1.6"
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 4  # CMYK
    assert "FOGRA39" in intent["/OutputConditionIdentifier"]


def test_figure_without_image_is_a_captioned_frame(fifth):
    built, _ = fifth
    page3 = pdftext(built.pdf, 3, 3)
    assert "Dr. Jean-Pierre Gauci" in page3
    assert "PHOTOGRAPH" in page3.upper()
    assert read(built.pdf).images == []  # a frame, not a broken image


def test_qr_code_is_printed_with_its_caption(fifth):
    built, _ = fifth
    back = pdftext(built.pdf, 6, 6)
    assert "scan the QR code above" in back


def test_rebuild_is_byte_identical(fifth, tmp_path):
    """An archivist rebuilding an issue gets the very same file."""
    from publish.build import build
    from conftest import FIFTH
    built, _ = fifth
    again = build(FIFTH, tmp_path)
    assert again.pdf.read_bytes() == built.pdf.read_bytes()
