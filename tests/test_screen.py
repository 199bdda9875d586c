"""The screen edition: the same issue and plan as print, rendered again as a tagged,
linked, sRGB PDF; the print PDF unchanged by it. Real builds, read back with pypdf,
poppler (pdfinfo -struct-text, pdftotext -bbox) and an independent PDF/UA checker."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, DictionaryObject, IndirectObject, NameObject,
                           TextStringObject)

from conftest import ROOT
from publish.check import check
from publish.source.load import load
from publish.render.screencss import for_screen, srgb

SIXTH = ROOT / "issues" / "mmsp" / "2018-03"
CBMM = ROOT / "issues" / "cbmm" / "2010-h1"
PROFILE = ROOT / "layouts" / "base" / "color" / "FOGRA39-publish.icc"


def publish(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """The 6th issue built with --edition all, and print alone in another process."""
    both, alone = tmp_path_factory.mktemp("both"), tmp_path_factory.mktemp("alone")
    done = publish("build", SIXTH, "--out", both, "--edition", "all")
    assert done.returncode == 0, done.stdout + done.stderr
    done = publish("build", SIXTH, "--out", alone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (alone / "mmsp-2018-03-screen.pdf").exists()
    return both / "mmsp-2018-03.pdf", both / "mmsp-2018-03-screen.pdf", alone / "mmsp-2018-03.pdf"


def _tree(reader: PdfReader):
    """Every structure element, in the tree's order, with its inherited language."""
    root = reader.trailer["/Root"]
    out = []

    def walk(kid, lang):
        if isinstance(kid, IndirectObject):
            kid = kid.get_object()
        if isinstance(kid, ArrayObject):
            for k in kid:
                walk(k, lang)
        elif isinstance(kid, DictionaryObject) and "/S" in kid:
            lang = str(kid.get("/Lang", lang))
            out.append((str(kid["/S"]), lang, kid))
            walk(kid.get("/K"), lang)
    walk(root["/StructTreeRoot"].get_object()["/K"], str(root.get("/Lang")))
    return out


@pytest.mark.slow
def test_the_print_pdf_is_byte_identical_to_a_print_only_build(editions):
    printed, _, alone = editions
    assert printed.read_bytes() == alone.read_bytes()


@pytest.mark.slow
def test_the_screen_pdf_is_rgb_without_the_press_profile_or_printers_boxes(editions):
    printed, screen, _ = editions
    reader = PdfReader(screen)
    assert "/OutputIntents" not in reader.trailer["/Root"]
    assert PdfReader(printed).trailer["/Root"]["/OutputIntents"]  # print keeps its intent
    data = screen.read_bytes()
    assert b"FOGRA39" not in data and len(data) < 300 * 1024  # the 199 KB profile is gone
    for page in reader.pages:
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 595.3, 841.9]
        assert "/TrimBox" not in page and "/BleedBox" not in page
        content = page.get_contents().get_data()
        assert not re.search(rb"\s(k|K)\s|/DeviceCMYK", content), page.page_number
        assert re.search(rb"\srg\s", content)  # colour is sRGB
    # The banner's accent is the press's accent as sRGB: FOGRA39's rendering of the inks.
    r, g, b = srgb((1, 0.72, 0, 0.18), str(PROFILE))
    assert f"{r / 255:g} {g / 255:g} {b / 255:g} rg".encode() in \
        reader.pages[1].get_contents().get_data()


def _words(pdf, shift):
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = out.split("<page ")[1:]
    return [[(m[5], round(float(m[1]) - shift, 1), round(float(m[2]) - shift, 1))
             for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                  r'yMax="([\d.]+)">([^<]*)</word>', page)]
            for page in pages]


def _same_words(printed, screen, pages):
    bleed = 3 * 72 / 25.4
    a, b = _words(printed, bleed), _words(screen, 0)
    assert len(a) == len(b) == pages
    for number, (left, right) in enumerate(zip(a, b), start=1):
        assert len(left) > 50
        moved = [(x, y) for x, y in zip(left, right) if x[0] != y[0] or
                 abs(x[1] - y[1]) > 0.2 or abs(x[2] - y[2]) > 0.2]
        assert len(left) == len(right) and not moved, (number, moved[:3])


@pytest.mark.slow
def test_the_screen_pages_print_every_word_where_print_does(editions):
    """The same plan and settings: each page's words at the same place (print's shifted
    by its 3 mm bleed), so the screen edition cannot drift from the proofs."""
    printed, screen, _ = editions
    _same_words(printed, screen, 8)


@pytest.mark.slow
def test_an_address_in_chinese_contact_lines_keeps_its_size_on_screen(tmp_path):
    """The 4th issue's Chinese contact line ends in an e-mail address: a link on screen,
    a span in print, set at the same size."""
    done = publish("build", ROOT / "issues" / "mmsp" / "2016-11", "--out", tmp_path,
                   "--edition", "all")
    assert done.returncode == 0, done.stdout + done.stderr
    _same_words(tmp_path / "mmsp-2016-11.pdf", tmp_path / "mmsp-2016-11-screen.pdf", 6)


def _normal(text: str) -> str:
    text = re.sub(r"[\u2010\u2011-]\s+", "", text.lower())
    return " ".join(re.findall(r"[a-z0-9]+", text))


@pytest.mark.slow
def test_the_structure_tree_reads_the_articles_in_the_plans_order(editions):
    _, screen, _ = editions
    issue = load(SIXTH)
    out = subprocess.run(["pdfinfo", "-struct-text", str(screen)], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("Document")
    read = _normal(" ".join(re.findall(r'^\s*"(.*)"$', out, re.M)))
    at, order = 0, []
    for page, article in issue.articles():
        body = next(t for t in article.body if hasattr(t, "en")) \
            if isinstance(article.body, tuple) else article.body
        opening = " ".join(_normal(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body.en)).split()[:6])
        where = read.find(opening, at)
        assert where >= 0, (article.id, opening, read.find(opening))
        at = where + len(opening)
        order.append(article.id)
    assert len(order) == len(issue.articles()) == 14
    # A placeholder's label is printed but not read: an artifact (its caption is read).
    assert "PHOTOGRAPH" not in out
    assert subprocess.run(["pdftotext", str(screen), "-"], capture_output=True, text=True,
                          check=True).stdout.count("PHOTOGRAPH") >= 5
    assert "n of times foreign passport holders entered china" in read
    # The cover's index is read after the foreword, and the contacts last.
    assert read.find("foreword") < read.find("page 2 briefing on document verification")
    assert read.rfind("iom office in china") > at - 200


@pytest.mark.slow
def test_chinese_passages_carry_their_language(editions):
    _, screen, _ = editions
    tree = _tree(PdfReader(screen))
    assert tree and tree[0][1] == "en"
    chinese = [lang for tag, lang, element in tree if element.get("/K") is not None
               and "/Lang" in element]
    assert "zh-Hans" in chinese
    # The masthead's Chinese title is read as Chinese, the article headings as English.
    out = subprocess.run(["pdfinfo", "-struct-text", str(screen)], capture_output=True,
                         text=True, check=True).stdout
    assert "支持中欧人员往来和移民领域对话项目" in out
    assert sum(1 for _, lang, _ in tree if lang == "zh-Hans") >= 4


@pytest.mark.slow
def test_index_entries_and_page_references_link_to_the_articles_pages(editions):
    _, screen, _ = editions
    issue = load(SIXTH)
    reader = PdfReader(screen)
    dests = {str(k): reader.get_destination_page_number(v) + 1
             for k, v in reader.named_destinations.items()}
    planned = {a.id: page for page, a in issue.articles()}
    targets: dict[str, set[int]] = {}
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                targets.setdefault(str(annot["/Dest"]), set()).add(number)
    indexed = {a.id for _, a in issue.indexed()}
    assert indexed <= set(targets)  # every index entry is a link
    for target in targets:
        page = planned[target]
        assert page.first <= dests[target] <= page.last, target
    assert 1 in targets["document-verification"]  # from the cover's index


@pytest.mark.slow
def test_addresses_in_the_text_are_links_on_screen_only(editions):
    printed, screen, _ = editions

    def uris(pdf):
        return {str(a.get_object()["/A"]["/URI"]) for p in PdfReader(pdf).pages
                for a in p.get("/Annots") or [] if "/A" in a.get_object()}
    on_screen = uris(screen)
    assert "mailto:iombeijingMMSP@iom.int" in on_screen  # printed in the contacts
    assert "https://www.un.org/ruleoflaw/files/ILO_Convention_29.pdf" in on_screen
    assert "mailto:iombeijingMMSP@iom.int" not in uris(printed)
    # One annotation per link and line, each inside a /Link element, printed with the page.
    tree = _tree(PdfReader(screen))
    owners = {}
    for tag, _, element in tree:
        kids = element.get("/K")
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR":
                owners[kid.raw_get("/Obj").idnum] = tag
    annots = [a for p in PdfReader(screen).pages for a in p.get("/Annots") or []]
    assert annots and all(owners.get(a.idnum) == "/Link" for a in annots)
    assert all(a.get_object()["/F"] == 4 for a in annots)


@pytest.mark.slow
def test_bookmarks_are_the_pages_then_their_articles(editions):
    _, screen, _ = editions
    issue = load(SIXTH)
    reader = PdfReader(screen)
    top, under = [], {}
    for item in reader.outline:
        if isinstance(item, list):
            under[top[-1]] = [x for x in _flat(item)]
        else:
            top.append(item.title)
    assert top == ["Cover", "Page 2", "Page 3", "Pages 4–5", "Page 6", "Page 7", "Page 8"]
    titles = {_normal(x.title): reader.get_destination_page_number(x) + 1
              for xs in under.values() for x in xs}
    for page, article in issue.articles():
        number = titles[_normal(article.title.plain)]
        assert page.first <= number <= page.last, article.id


def _flat(items):
    for x in items:
        if isinstance(x, list):
            yield from _flat(x)
        else:
            yield x


@pytest.mark.slow
def test_the_screen_check_passes_and_an_independent_pdf_ua_checker_finds_no_error(editions):
    _, screen, _ = editions
    issue = load(SIXTH)
    report = check(issue, screen, ROOT / "fonts", edition="screen")
    assert report.ok, report.format()
    outloud = shutil.which("outloud", path=str(Path(sys.executable).parent))
    assert outloud, "outloud (pip install -e '.[test]') checks PDF/UA-1 independently"
    done = subprocess.run([outloud, str(screen), "--fail-on", "error", "--no-info"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout


@pytest.mark.slow
def test_the_screen_check_fails_a_print_pdf_and_a_broken_link(editions, tmp_path):
    printed, screen, _ = editions
    issue = load(SIXTH)
    report = check(issue, printed, ROOT / "fonts", edition="screen")
    rules = {f.rule for f in report.findings if f.severity == "error"}
    assert {"tags", "colour", "output-intent", "page-size"} <= rules
    writer = PdfWriter(clone_from=screen)
    for annot in writer.pages[0]["/Annots"]:
        annot = annot.get_object()
        if "/Dest" in annot:
            annot[NameObject("/Dest")] = TextStringObject("no-such-article")
            break
    broken = tmp_path / "broken.pdf"
    writer.write(broken)
    report = check(issue, broken, ROOT / "fonts", edition="screen")
    assert any(f.rule == "links" and "no-such-article" in f.message for f in report.findings)


def _edited_tree(screen, tmp_path, edit) -> Path:
    writer = PdfWriter(clone_from=screen)
    document = writer._root_object["/StructTreeRoot"]["/K"][0].get_object()
    edit(document)
    out = tmp_path / "edited.pdf"
    writer.write(out)
    return out


@pytest.mark.slow
def test_the_screen_check_fails_a_tree_read_out_of_order_or_without_chinese(editions,
                                                                            tmp_path):
    _, screen, _ = editions
    issue = load(SIXTH)

    def swap_pages_2_and_3(document):
        kids = document["/K"]
        pages = [i for i, k in enumerate(kids) if k.get_object()["/S"] == "/Sect"]
        a, b = pages[1], pages[2]
        kids[a], kids[b] = kids[b], kids[a]
    report = check(issue, _edited_tree(screen, tmp_path, swap_pages_2_and_3), ROOT / "fonts",
                   edition="screen")
    order = [f for f in report.findings if f.rule == "reading-order"]
    assert order and "against the plan" in order[0].message, report.format()

    def forget_languages(document):
        def walk(element):
            element = element.get_object()
            if isinstance(element, DictionaryObject):
                element.pop("/Lang", None)
                kids = element.get("/K")
                for kid in kids if isinstance(kids, ArrayObject) else [kids]:
                    if isinstance(kid, (IndirectObject, DictionaryObject)):
                        walk(kid)
        walk(document)
    report = check(issue, _edited_tree(screen, tmp_path, forget_languages), ROOT / "fonts",
                   edition="screen")
    assert any(f.rule == "language" for f in report.findings), report.format()
    assert not [f for f in report.findings if f.rule == "reading-order"]


PICTURES = """\
number: 7
date: 2019-03
pages:
  - page: 1
    blocks:
      - article:
          id: pictures
          title: PICTURES DESCRIBED
          body:
            - |
              Write to iombeijing@iom.int or see www.iom.int for the pictures of the week.
            - figure:
                image: a.png
                caption: A described photograph
                alt: Two officials shake hands in front of a flag
                height: 20
            - figure:
                image: b.png
                caption: The caption stands in
                alt: caption
                height: 20
            - figure:
                image: c.png
                caption: Nobody described this one
                height: 20
            - figure:
                image: d.png
                alt: decorative
                height: 10
            - qr:
                data: https://www.iom.int/
                caption: Scan for the website
                size: 15
  - page: 2
    blocks:
      - article:
          id: second
          title: SECOND
          body: |
            As the first article shows ([pg.](page:pictures)), pictures need words.
      - contacts: {}
"""


def _pictures_issue(project) -> Path:
    (project.root / "issues" / "mmsp").mkdir(parents=True)
    shutil.copy(SIXTH.parent / "series.yaml", project.root / "issues" / "mmsp" / "series.yaml")
    issue = project.root / "issues" / "mmsp" / "pictures"
    issue.mkdir()
    (issue / "issue.yaml").write_text(PICTURES)
    for name, colour in (("a", "red"), ("b", "green"), ("c", "blue"), ("d", "gray")):
        Image.new("RGB", (900, 600), colour).save(issue / f"{name}.png")
    return issue


@pytest.mark.slow
def test_alt_text_on_figures_and_qr_codes_and_a_figure_without_it_is_a_proof(project, tmp_path):
    source = _pictures_issue(project)
    out = tmp_path / "out"
    done = publish("build", source, "--out", out, "--edition", "screen")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 picture without alternative text" in done.stdout, done.stdout
    screen = out / "mmsp-pictures-screen.pdf"
    figures = [element.get("/Alt") for tag, _, element in _tree(PdfReader(screen))
               if tag == "/Figure"]
    # The decorative one is an artifact: three figures with an image, and the QR code.
    assert figures == ["Two officials shake hands in front of a flag",
                       "The caption stands in", None, "QR code: https://www.iom.int/"]
    uris = {str(a.get_object()["/A"]["/URI"]) for p in PdfReader(screen).pages
            for a in p.get("/Annots") or [] if "/A" in a.get_object()}
    assert "https://www.iom.int/" in uris  # the QR code links its payload
    report = check(load(source), screen, ROOT / "fonts", edition="screen")
    alt = [f for f in report.findings if f.rule == "alt"]
    assert [f.severity for f in alt] == ["proof"] and "Nobody described" in alt[0].message
    pressed = publish("check", source, "--out", out, "--edition", "screen", "--press")
    assert pressed.returncode == 1 and "without alternative text" in pressed.stdout
    # Print does not ask for alt text.
    report = check(load(source), screen, ROOT / "fonts", edition="print")
    assert not [f for f in report.findings if f.rule == "alt"]


def test_cmyk_colours_become_the_srgb_the_press_profile_gives_them():
    css = ("@color-profile device-cmyk { src: url(color/FOGRA39-publish.icc); }\n"
           ":root { --ink: device-cmyk(0 0 0 1); --paper: device-cmyk(0 0 0 0); "
           "--half: device-cmyk(100% 0% 0% 0% / 0.5); }")
    screen = for_screen(css, PROFILE)
    assert "@color-profile" not in screen and "device-cmyk" not in screen
    assert "--paper: rgb(255 255 255)" in screen
    ink = re.search(r"--ink: rgb\((\d+) (\d+) (\d+)\)", screen)
    assert ink and all(int(v) < 40 for v in ink.groups())  # near-black, not FOGRA's grey
    assert re.search(r"--half: rgb\(\d+ \d+ \d+ / 0\.5\)", screen)
    assert srgb((1, 0, 0, 0), str(PROFILE)) != srgb((1, 0, 0, 0), None)  # the profile is used


@pytest.mark.slow
def test_build_all_skips_an_issue_only_when_every_edition_asked_for_is_as_built(project, tmp_path):
    project.copy_issue(CBMM, series="cbmm", name="2010-h1")
    out = tmp_path / "out"
    first = publish("build", "--all", "--out", out, "--edition", "all", cwd=project.root)
    assert first.returncode == 0, first.stdout + first.stderr
    assert re.search(r"^ok +cbmm-2010-h1 ", first.stdout, re.M)
    assert re.search(r"^ok +cbmm-2010-h1-screen ", first.stdout, re.M)
    again = publish("build", "--all", "--out", out, "--edition", "screen", cwd=project.root)
    assert again.stdout.startswith("unchanged") and "cbmm-2010-h1-screen.pdf" in again.stdout
    (out / "cbmm-2010-h1-screen.pdf").unlink()
    print_only = publish("build", "--all", "--out", out, cwd=project.root)
    assert print_only.stdout.startswith("unchanged")  # print is as built
    rebuilt = publish("build", "--all", "--out", out, "--edition", "all", cwd=project.root)
    assert re.search(r"^ok +cbmm-2010-h1-screen ", rebuilt.stdout, re.M), rebuilt.stdout
    assert (out / "cbmm-2010-h1-screen.pdf").is_file()


@pytest.mark.slow
def test_the_tagging_patch_is_tied_to_the_pinned_weasyprint():
    """An upgrade of WeasyPrint fails here before the screen edition's tags change."""
    from publish.render.driver import renderer
    renderer(ROOT / "fonts")  # imports WeasyPrint once fontconfig sees fonts/, and patches it
    import weasyprint
    from weasyprint import pdf
    from weasyprint.pdf import tags

    from publish.render.patches import tagging
    assert weasyprint.__version__ == tagging.WEASYPRINT_VERSION
    assert tags._build_box_tree._publish_patched
    assert pdf.add_links.__name__ == "add_links_once"
