"""render/patches/linebreaks.py: lines broken once per render give the pages they gave before."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from conftest import ROOT, pdftext
from publish.render.patches import balanced, linebreaks
from publish.render.driver import renderer

pytestmark = pytest.mark.slow  # every test here renders

WORDS = ("Identification of irregular migrants is another crucial aspect of border "
         "management and a fundamental precondition for the orderly and safe return. ")
# Justified, hyphenated paragraphs in balanced columns (laid out at several trial
# heights), one repeated word for word.
COLUMNS = f"""<html lang="en"><head><style>
@page {{ size: A5; margin: 12mm }}
.flow {{ column-count: 3; column-fill: balance; column-gap: 4mm }}
p {{ text-align: justify; hyphens: auto; margin: 0 0 2mm }}
.wide {{ column-span: all; border-top: 1pt solid black }}
</style></head><body><div class="flow">
<p>{WORDS * 3}</p><p>{WORDS * 2}</p><p>{WORDS}</p><p>{WORDS}</p>
<div class="wide">Contacts</div></div></body></html>"""


def _lines(document):
    """Every piece of text laid out: where it is and what it says."""
    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if hasattr(box, "pango_layout"):
                found.append((round(box.position_x, 4), round(box.position_y, 4),
                              round(box.width, 4), box.text))
    return found


def test_the_same_lines_with_and_without_the_memory(tmp_path, monkeypatch):
    render = renderer(ROOT / "fonts").render
    remembered = render(COLUMNS, base=tmp_path, allowed=[tmp_path])
    assert not hasattr(linebreaks._local, "memory")  # it ends with the render
    monkeypatch.setattr(linebreaks, "remembered", _forgetful)
    plain = render(COLUMNS, base=tmp_path, allowed=[tmp_path])
    assert _lines(remembered.document) == _lines(plain.document)
    assert len(_lines(plain.document)) > 40
    pdfs = []
    for rendered in (remembered, plain):
        pdf = tmp_path / f"{len(pdfs)}.pdf"
        rendered.write_pdf(pdf)
        pdfs.append(pdf.read_bytes())
    assert pdfs[0] == pdfs[1]
    assert "Contacts" in pdftext(tmp_path / "0.pdf")


def _forgetful(*args):
    from contextlib import nullcontext
    return nullcontext()


def test_lines_are_kept_during_a_render_and_each_box_gets_its_own_layout(tmp_path,
                                                                         monkeypatch):
    from weasyprint.layout import inline
    renderer(ROOT / "fonts")  # installs the patch
    patched = inline.split_first_line
    assert patched._publish_patched
    asked = []

    def counting(text, *args, **kwargs):
        asked.append(text)
        return patched(text, *args, **kwargs)
    kept = {}
    real = linebreaks.remembered

    @contextmanager
    def recording(*args):
        with real(*args):
            yield
            kept.update(linebreaks._local.memory)
    monkeypatch.setattr(inline, "split_first_line", counting)
    monkeypatch.setattr(linebreaks, "remembered", recording)
    balanced.forget()  # the columns balanced anew (not at a height an earlier test found)
    rendered = renderer(ROOT / "fonts").render(COLUMNS, base=tmp_path, allowed=[tmp_path])
    # Balancing broke the same lines again and again; Pango broke each once.
    assert len(asked) > 2 * len(kept) > 0
    boxes = [box for page in rendered.document.pages
             for box in page._page_box.descendants() if hasattr(box, "pango_layout")]
    assert len({id(box.pango_layout) for box in boxes}) == len(boxes)


def test_rebuilds_after_edits_give_the_bytes_of_a_cold_build(project, tmp_path):
    """As `publish watch` does: one process builds, the editor saves, it builds again
    (lines remembered from the builds before); each PDF is the one a fresh process makes."""
    import subprocess
    import sys
    from publish.build import build
    issue = project.copy_issue(ROOT / "issues" / "mmsp" / "2018-03", name="2018-03")
    linebreaks.forget()  # lines another test's builds of this issue left in the process
    build(issue, tmp_path / "warm")
    edits = [("Today, we are witnessing", "Today, we are all witnessing"),  # a line's words
             ("  - page: 2\n    blocks:", "  - page: 2\n    body_size: 8.7\n    blocks:")]
    # (the second: page 2's text size pinned, its every line)
    for n, (old, new) in enumerate(edits):
        project.edit(issue, old, new)
        asked, broken = linebreaks.statistics["asked"], linebreaks.statistics["broken"]
        warm = build(issue, tmp_path / "warm").pdf.read_bytes()
        broken = linebreaks.statistics["broken"] - broken
        assert 0 < broken < (linebreaks.statistics["asked"] - asked) / (4 if n == 0 else 1.5)
        subprocess.run([sys.executable, "-m", "publish", "build", str(issue), "--out",
                        str(tmp_path / f"cold{n}"), "--no-check"], check=True,
                       capture_output=True)
        assert warm == (tmp_path / f"cold{n}" / "mmsp-2018-03.pdf").read_bytes()


NAMED = """<html lang="en"><head>{meta}<style>
@page {{ size: A6; margin: 10mm }}
p {{ width: 32mm; text-align: justify; hyphens: auto; font-size: 11pt }}
</style></head><body><p>The Interoperability programme of the Interoperability
office and Interoperability again.</p></body></html>"""


def test_a_name_kept_whole_in_one_document_is_not_taken_from_another(tmp_path):
    """The same paragraph, first where the word may break, then where it is a name."""
    from publish.compose import typography
    texts = []
    for n, meta in enumerate(["", typography.meta(["Interoperability"])]):
        rendered = renderer(ROOT / "fonts").render(NAMED.format(meta=meta), base=tmp_path,
                                                   allowed=[tmp_path])
        pdf = tmp_path / f"named{n}.pdf"
        rendered.write_pdf(pdf)
        texts.append(pdftext(pdf))
    broken = [t.count("Interoperability") for t in texts]
    assert broken[0] < 3  # hyphenated at least once where it may be
    assert broken[1] == 3  # whole everywhere where it is a name
