"""Typography and page fill on real renders of the archive, read back from the PDFs."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

import glyphs
from conftest import ROOT, build_and_check, pdftext
from pagefill import measure
from publish.compose import typography
from publish.source.load import load

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
ISSUES = ("mmsp/2016-11", "mmsp/2017-05", "mmsp/2018-03", "cbmm/2010-h1")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Every archive issue built and checked once: {name: (built, report)}."""
    out = tmp_path_factory.mktemp("typo")
    return {name: build_and_check(ROOT / "issues" / name, out) for name in ISSUES}


def test_every_archive_issue_still_passes_its_check(archive):
    for name, (built, report) in archive.items():
        assert report.ok, f"{name}: {report.format()}"


def test_no_straight_double_quotes_and_no_doubled_marks_in_pull_quotes(archive):
    for name, (built, _) in archive.items():
        text = pdftext(built.pdf)
        body = re.sub(r"https?://\S+", "", text)
        assert '"' not in body, f"{name}: straight double quote near " \
                                f"{body[max(0, body.find(chr(34)) - 40):body.find(chr(34)) + 40]!r}"
        # On one line: a quoted title closing a column beside a pull quote is read out next
        # to its opening mark, a line apart.
        assert not re.search(r"[“”][ \t]*[“”]", text), f"{name}: doubled quotation marks"
    fourth = re.sub(r"\s+", " ", pdftext(archive["mmsp/2016-11"][0].pdf))
    assert "“Migration is inevitable in this century." in fourth
    assert "“At the operational level, direct contact" in fourth
    assert "“[it] brings the leading global migration agency" in fourth
    assert "‘UN Migration Agency’" in fourth  # nested quotes are singles


def test_en_dashes_in_ranges_and_spaced_hyphens(archive):
    fourth = re.sub(r"\s+", " ", pdftext(archive["mmsp/2016-11"][0].pdf))
    assert "20–22 June 2016" in fourth
    assert "China – EU labour migration" in fourth
    sixth = re.sub(r"\s+", " ", pdftext(archive["mmsp/2018-03"][0].pdf))
    assert "84–60" in sixth
    assert "86-10-59799695" in sixth  # a telephone number is not a range
    for name, (built, _) in archive.items():
        text = pdftext(built.pdf)
        assert not re.search(r"(?<![\d-])\d{1,4}-\d{1,4}(?![\d-])\s+[A-Za-z]", text.replace(
            "\u2011", "-")), f"{name}: a hyphen in a number range"
        assert " - " not in text, f"{name}: a spaced hyphen"


def _line_ends(pdf) -> list[tuple[str, str]]:
    """(line, next line) for every line that ends in a hyphen."""
    lines = pdftext(pdf).splitlines()
    return [(a, b) for a, b in zip(lines, lines[1:]) if a.rstrip().endswith(("-", "\u2010"))]


def test_urls_break_after_a_slash_never_with_a_hyphen(archive):
    sixth = archive["mmsp/2018-03"][0].pdf
    for line, after in _line_ends(sixth):
        assert not re.search(r"(https?://|www\.|\.int|\.org)\S*$", line), (line, after)
    text = pdftext(sixth)
    assert "publica-" not in text and "publica\u2010" not in text
    joined = re.sub(r"\s*\n\s*", "", text).replace("\u2011", "-").replace("\u200b", "")
    # Whole in the text; the print file carries no web link (tests/test_print_file.py).
    assert "http://publications.iom.int/system/files/pdf/wmr_2018_en.pdf" in joined


def test_no_hyphenation_in_headings_names_and_acronyms(archive):
    for name, (built, _) in archive.items():
        text = pdftext(built.pdf)
        # Breaks the line breaker hyphenated (U+2010): never inside an acronym ("MOF-COM")
        # or a name, that is a capitalised word that does not open a sentence ("Her-moso",
        # "Interna-tional Organization", "Nether-lands" in the first archive builds).
        names = []
        for split in re.finditer(r"([^\W\d_]+)\u2010\n\s*([^\W\d_]+)", text):
            head, tail = split.groups()
            before = text[:split.start()]
            opens = not before.strip() or before.endswith("\n\n") or \
                re.search(r"[.!?:][\"”’)]*[\s“‘(]*$", before)
            if head.isupper() or (head[0].isupper() and not opens):
                names.append(f"{head}|{tail}")
        assert not names, f"{name}: names hyphenated at a line end: {names}"
        # Headings are never hyphenated (the MMSP issues set them in capitals).
        headings = [a.title.plain for _, a in built.issue.articles()]
        for word in {w for t in headings for w in re.findall(r"\b[A-Z]{6,}\b", t)}:
            for k in range(2, len(word) - 1):
                assert f"{word[:k]}\u2010\n{word[k:]}" not in text, f"{name}: {word} split"
    fourth = pdftext(archive["mmsp/2016-11"][0].pdf)
    assert "Hermoso" in fourth and "MOFCOM" in fourth and "International Organization" in \
        re.sub(r"\s+", " ", fourth)


def test_at_most_three_consecutive_hyphenated_lines(archive):
    for name, (built, _) in archive.items():
        ladders = [f.ladder for f in measure(built.pdf)]
        assert max(ladders) <= 3, f"{name}: hyphen ladders per page {ladders}"


def test_no_ascii_punctuation_between_han_characters(archive):
    for name, (built, _) in archive.items():
        text = pdftext(built.pdf)
        found = re.findall(rf"[{HAN}]\s*[,:;()]\s*[{HAN}]", text)
        assert not found, f"{name}: {found}"
    fourth = re.sub(r"\s+", "", pdftext(archive["mmsp/2016-11"][0].pdf))
    assert "国际移民组织驻华联络处，北京市朝阳区" in fourth
    assert "电话：86-10-59799695" in fourth


def test_quarter_em_between_chinese_and_latin():
    html = typography.refine("北京市 14 号 and WeChat账号")
    assert str(html) == "北京市\u200514\u2005号\u2005and WeChat\u2005账号"


def _fonts(pdf, page: int) -> set[str]:
    resources = PdfReader(pdf).pages[page - 1]["/Resources"]["/Font"]
    return {str(font.get_object()["/BaseFont"]) for font in resources.values()}


def test_bold_and_serif_chinese_faces_are_embedded(archive):
    # Font names as embedded: subset tag + PostScript name.
    sixth = archive["mmsp/2018-03"][0].pdf
    assert any(f.endswith("+Noto-Sans-CJK-SC-Bold") for f in _fonts(sixth, 1))  # 赴欧贴士
    assert "赴欧贴士" in pdftext(sixth, 1, 1)
    # The permit's Chinese name inside the serif body text is set in the serif (Song) face.
    fifth = archive["mmsp/2017-05"][0].pdf
    assert any("Noto-Serif-CJK-SC" in f for f in _fonts(fifth, 2)), _fonts(fifth, 2)
    assert "外国人来华工作许可" in re.sub(r"\s+", "", pdftext(fifth, 2, 2))


def test_every_column_foot_is_within_25_mm_of_the_page_foot(archive):
    # On a back page, within 25 mm of the contacts band pinned to the foot.
    fills = {name: measure(built.pdf) for name, (built, _) in archive.items()}
    pages = [(name, f.page, f.worst) for name, fs in fills.items() for f in fs]
    loose = [p for p in pages if p[2] > 25]
    assert not loose, f"pages with a column ending > 25 mm high: {loose}"
    # Only back pages have a band pinned to the foot: inner pages are measured to the foot.
    banded = [(name, f.page) for name, fs in fills.items() for f in fs[:-1] if f.band]
    assert not banded, banded


def test_back_page_contacts_sit_at_the_page_foot_with_no_hole_above(archive):
    for name, (built, _) in archive.items():
        back = measure(built.pdf)[-1]
        # The band stands at the foot (CBMM: over its funder line)...
        assert back.band is not None, f"{name}: no contacts band at the foot"
        top, bottom = back.band
        assert bottom <= 12 and top >= 30, f"{name}: band {back.band} mm above the foot"
        # ...and the columns run down to it.
        assert back.worst <= 20, f"{name}: white above the contacts {back.bands}"


def test_figure_kind_is_printed_on_its_placeholder(archive):
    sixth = pdftext(archive["mmsp/2018-03"][0].pdf)
    assert "CHART" in pdftext(archive["mmsp/2018-03"][0].pdf, 4, 4)
    assert "GRAPHIC" in pdftext(archive["mmsp/2018-03"][0].pdf, 7, 7)  # the GCM's three phases
    assert sixth.count("PHOTOGRAPH") >= 8


def test_archive_figures_declare_known_kinds():
    issue = load(ROOT / "issues" / "mmsp" / "2018-03")
    kinds = {item.subject for _, a in issue.articles() for item in a.body
             if hasattr(item, "subject")}
    assert {"photo", "graphic"} <= kinds


def test_names_are_capitalised_words_inside_sentences_and_acronyms():
    html = ("<html><head><title>Ignored Heading</title></head><body>"
            "<h2>Labour Migration Cooperation</h2>"
            "<p>Participants met Mr. Hermoso of <em>MOFCOM</em> and the “International” "
            "Office. Furthermore, the <strong>Netherlands</strong> team: Delegates of WeChat."
            "</p><p>Cooperation is welcome; cooperation with Shenzhen.</p></body></html>")
    assert typography.names(html, ["Harbour Notes Editors"]) == {
        "Mr", "Hermoso", "MOFCOM", "International", "Office", "Netherlands", "WeChat", "Shenzhen",
        "Harbour", "Notes", "Editors"}


def _qr_codes(pdf, page):
    """Each QR code on the page: (box of its dark modules in points, module size)."""
    codes = []
    for rects in glyphs.black_rectangles(pdf, page).values():
        heights = [round(y1 - y0, 2) for x0, y0, x1, y1 in rects]
        module = min(heights)
        if len(rects) < 20 or heights.count(module) < len(rects) * 0.9:
            continue  # not a grid of one-module rows
        box = (min(r[0] for r in rects), min(r[1] for r in rects),
               max(r[2] for r in rects), max(r[3] for r in rects))
        codes.append((box, module))
    return codes


@pytest.mark.parametrize("name,page", [("mmsp/2017-05", 6), ("mmsp/2018-03", 8)])
def test_qr_codes_have_four_modules_of_white_around_them(archive, name, page, tmp_path):
    built, _ = archive[name]
    codes = _qr_codes(built.pdf, page)
    assert len(codes) == 1
    (x0, y0, x1, y1), module = codes[0]
    assert 0.5 < module * 25.4 / 72 < 1.5  # mm: the modules are what was found
    dpi = 300
    pixels = glyphs.grey(built.pdf, page, dpi, tmp_path)
    scale = dpi / 72
    zone = 4 * module
    ring = pixels[round((y0 - zone) * scale):round((y1 + zone) * scale),
                  round((x0 - zone) * scale):round((x1 + zone) * scale)].copy()
    inner = round(zone * scale) - 2  # less the code's anti-aliased edge
    ring[inner:-inner, inner:-inner] = 255  # the code itself
    assert ring.shape[0] > 2 * inner and ring.min() > 245, \
        f"{name} page {page}: ink within four modules of the QR code"


def test_an_address_in_angle_brackets_or_before_an_escape_prints_as_typed(project, tmp_path):
    issue = project.copy_issue(ROOT / "issues" / "cbmm" / "2010-h1", series="cbmm")
    project.edit(issue, "implemented comprehensive information campaigns",
                 r"implemented comprehensive (<https://www.iom.int> and https://www.ilo.org\*) "
                 "information campaigns")
    built, report = build_and_check(issue, tmp_path / "out")
    text = " ".join(pdftext(built.pdf).replace("\u200b", "").split())
    assert "comprehensive (<https://www.iom.int> and https://www.ilo.org*) inform" in text
    assert ">;" not in text and report.ok


def test_a_caption_line_never_starts_with_the_quarter_em(project, tmp_path):
    # A caption of two lines, Chinese then English: the quarter em between Han and Latin
    # belongs inside a line, not at the start of the next one.
    issue = project.copy_issue(ROOT / "issues" / "cbmm" / "2010-h1", series="cbmm")
    project.edit(issue, "caption: Training manuals and flyers for recruitment agencies and "
                        "overseas labourers",
                 "caption: |\n                  培训手册\n                  Training manuals "
                 "and flyers")
    built, report = build_and_check(issue, tmp_path / "out")
    lines = [line for line in pdftext(built.pdf, 3, 3).splitlines() if line]
    at = lines.index("培训手册")
    assert lines[at + 1] == "Training manuals and flyers", lines[at - 1:at + 3]
    # Both lines start at the caption's left edge (a quarter em is 2 pt at 8 pt).
    from publish.check import pdffacts
    runs = pdffacts.read(built.pdf).contents[2].runs
    han = next(r for r in runs if r.text.startswith("培训手册"))
    latin = next(r for r in runs if r.text.lstrip(typography.QUARTER_EM + " ").startswith(
        "Training manuals and flyers"))
    assert abs(latin.x - han.x) < 0.3, (han, latin)
    assert not latin.text.startswith(typography.QUARTER_EM)
