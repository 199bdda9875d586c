"""The back-issue archive: every issue regenerates with its original's pages and words."""
from __future__ import annotations

import re

import pytest

from conftest import REFERENCE, ROOT, build_and_check, coverage, pdftext
from publish.build import Project
from publish.cli import main
from renderers import text_disagreements

pytestmark = pytest.mark.slow  # every test here renders

# What is known of the printed originals: pages, and Chinese lines that must come out as
# the same characters. Every issue under issues/ is built here (the 5th has its own tests);
# one without an entry is held to its own plan's page count.
ORIGINALS = {
    "mmsp/2016-11": (6, ["支持欧洲人员往来和移民领域对话项目", "国际移民组织驻华联络处",
                         "国际劳工组织中蒙局，北京市朝阳区亮马河南路14号"]),
    "mmsp/2018-03": (8, ["支持中欧人员往来和移民领域对话项目", "赴欧贴士"]),
    "cbmm/2010-h1": (4, ["中国移民管理能力建设项目"]),
}
ARCHIVE = sorted(str(p.relative_to(ROOT / "issues")) for p in Project(ROOT).all_issues()
                 if p != ROOT / "issues" / "mmsp" / "2017-05")


@pytest.fixture(scope="module", params=ARCHIVE)
def back_issue(request, tmp_path_factory):
    built, report = build_and_check(ROOT / "issues" / request.param, tmp_path_factory.mktemp("a"))
    return request.param, built, report


def test_builds_with_the_original_page_count_and_passes_its_check(back_issue):
    name, built, report = back_issue
    assert built.rendered.page_count == ORIGINALS.get(name, (built.issue.page_count,))[0]
    assert report.ok, report.format()


def test_text_has_98_percent_of_the_original_words(back_issue):
    name, built, _ = back_issue
    if not (REFERENCE / f"{built.issue.slug}.txt").is_file():
        pytest.skip(f"{name}: no transcribed original in tests/reference/")
    reference = (REFERENCE / f"{built.issue.slug}.txt").read_text()
    ratio, missing = coverage(reference, pdftext(built.pdf))
    assert ratio >= 0.98, f"{name}: {ratio:.3f}; missing: {missing[:40]}"


def test_chinese_lines_extract_as_the_same_characters(back_issue):
    name, built, _ = back_issue
    text = re.sub(r"\s+", "", pdftext(built.pdf))
    for line in ORIGINALS.get(name, (0, []))[1]:
        assert line in text, line


def test_mupdf_draws_the_text_pdfium_draws(back_issue):
    """A second renderer, which resolves glyphs as a RIP does (the 6th issue's bold "赴欧贴士"
    came out blank in it with the subsets shipped before), agrees on every text run."""
    name, built, report = back_issue
    assert text_disagreements(built.pdf) == [], name
    assert not [f for f in report.findings if f.rule == "missing-glyph"], name


def test_text_is_black_ink_alone_never_rich_black(back_issue):
    """README: body text in black ink alone (its 100 % or a grey tint of it); no text of any
    size in rich black (black with cyan, magenta or yellow under it); headings, labels and
    links in the layout's CMYK colours."""
    from collections import Counter

    from publish.check import pdffacts
    from publish.check.colour import cmyk
    name, built, _ = back_issue
    for number, content in enumerate(pdffacts.read(built.pdf).contents, start=1):
        inks = [(cmyk(*run.colour), run) for run in content.runs]
        assert all(i is not None for i, _ in inks), (name, number)
        assert not [r.text for i, r in inks if i[3] >= 0.85 and max(i[:3]) > 0.05], name
        sizes = Counter()
        for _, run in inks:
            sizes[round(run.size, 1)] += len(run.text)
        body = sizes.most_common(1)[0][0]
        at_body = [(i, len(r.text)) for i, r in inks if round(r.size, 1) == body]
        black = sum(n for i, n in at_body if i[:3] == (0.0, 0.0, 0.0) and i[3] > 0)
        assert black >= 0.9 * sum(n for _, n in at_body), (name, number)


def test_chinese_contact_lines_are_printed_where_the_original_had_them(back_issue):
    """README: the 6th MMSP issue and the CBMM issue print English contact lines only, as
    their originals did; the others print their Chinese lines (checked by the languages
    rule, tested in test_check.py)."""
    from publish.source import model as m
    name, built, _ = back_issue
    offices = [o for p in built.issue.pages for pl in p.blocks
               if isinstance(pl.block, m.Contacts) for o in pl.block.offices]
    original = (REFERENCE / f"{built.issue.slug}.txt").read_text()
    assert offices and all(o.en for o in offices), name
    assert any(o.zh for o in offices) == ("国际移民组织驻华联络处" in original), name
    assert (name in ("mmsp/2018-03", "cbmm/2010-h1")) == (not any(o.zh for o in offices))


def test_cbmm_running_header_and_footer_on_inner_pages(tmp_path):
    built, _ = build_and_check(ROOT / "issues" / "cbmm" / "2010-h1", tmp_path)
    for page in (2, 3, 4):
        text = pdftext(built.pdf, page, page)
        assert "CBMM CHINA NEWSLETTER" in text
        assert re.search(rf"www\.iom\.int\s+{page}\b", text), text[-200:]
    assert "www.iom.int" not in pdftext(built.pdf, 1, 1).split("Capacity Building")[0]


def test_every_transcribed_original_has_its_issue():
    slugs = {f"{p.parent.name}-{p.name}" for p in Project(ROOT).all_issues()}
    for reference in REFERENCE.glob("*.txt"):
        assert reference.stem in slugs, reference
    assert set(ORIGINALS) <= set(ARCHIVE)


def test_build_all_goes_on_after_a_failure_and_exits_non_zero(project, tmp_path, capsys,
                                                              monkeypatch):
    project.copy_issue(ROOT / "issues" / "mmsp" / "2017-05", name="good")
    bad = project.copy_issue(ROOT / "issues" / "mmsp" / "2017-05", name="bad")
    project.edit(bad, "number: 5", "number: five")
    monkeypatch.chdir(project.root)
    code = main(["build", "--all", "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 2
    assert "bad/issue.yaml:" in captured.err
    assert re.search(r"^ok +mmsp-good +6 pages", captured.out, re.M)
    assert "1 of 2 issues built and passed their check" in captured.out
    assert (tmp_path / "mmsp-good.pdf").is_file() and not (tmp_path / "mmsp-bad.pdf").exists()


def test_parallel_build_reports_in_order_and_fails_like_a_serial_one(project, tmp_path):
    import subprocess
    import sys
    project.copy_issue(ROOT / "issues" / "mmsp" / "2017-05", name="a-good")
    bad = project.copy_issue(ROOT / "issues" / "mmsp" / "2017-05", name="b-bad")
    project.copy_issue(ROOT / "issues" / "cbmm" / "2010-h1", series="cbmm", name="c-good")
    project.edit(bad, "On 1 April 2017, China rolled out", "On 1 April 2017 \U0001D11E, China rolled out")
    result = subprocess.run([sys.executable, "-m", "publish", "build", "--all", "--jobs", "2",
                             "--out", str(tmp_path / "out")], cwd=project.root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    order = re.findall(r"^(?:ok|FAILED CHECK) +(\S+)", result.stdout, re.M)
    assert order == ["cbmm-c-good", "mmsp-a-good", "mmsp-b-bad"]
    assert "2 of 3 issues built and passed their check" in result.stdout
    assert "(2 at a time)" in result.stdout
    assert "missing-glyph" in result.stdout
