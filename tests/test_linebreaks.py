"""publish/linebreaks.py: lines broken once per render give the pages they gave before."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from conftest import ROOT, pdftext
from publish import linebreaks
from publish.render import renderer

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


def _forgetful():
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
    def recording():
        with real():
            yield
            kept.update(linebreaks._local.memory)
    monkeypatch.setattr(inline, "split_first_line", counting)
    monkeypatch.setattr(linebreaks, "remembered", recording)
    rendered = renderer(ROOT / "fonts").render(COLUMNS, base=tmp_path, allowed=[tmp_path])
    # Balancing broke the same lines again and again; Pango broke each once.
    assert len(asked) > 2 * len(kept) > 0
    boxes = [box for page in rendered.document.pages
             for box in page._page_box.descendants() if hasattr(box, "pango_layout")]
    assert len({id(box.pango_layout) for box in boxes}) == len(boxes)
