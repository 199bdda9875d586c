"""publish/render/patches/pagerefs.py: page references come out right with one layout less."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

from conftest import ROOT, pdftext
from publish.build import build
from publish.check import pdffacts
from publish.render.driver import renderer

pytestmark = pytest.mark.slow  # every test here renders

SIXTH = ROOT / "issues" / "mmsp" / "2018-03"


@contextmanager
def _layouts():
    """Counts how often each page is laid out: {page number: times}."""
    from weasyprint.layout import page
    original = page.make_page
    made: dict[int, int] = {}

    def counting(context, root_box, page_type, resume_at, page_number, page_state):
        made[page_number] = made.get(page_number, 0) + 1
        return original(context, root_box, page_type, resume_at, page_number, page_state)
    page.make_page = counting
    try:
        yield made
    finally:
        page.make_page = original


def test_the_covers_references_name_their_articles_pages_and_the_cover_is_laid_out_twice(
        tmp_path):
    with _layouts() as made:
        built = build(SIXTH, tmp_path)
    assert made == {1: 2, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1}
    foreword = (SIXTH / "issue.yaml").read_text().split("- index:")[0].split("body: |")[1]
    targets = re.findall(r"\]\(page:([\w-]+)\)", foreword)
    assert len(targets) == 8
    printed = re.findall(r"\(pag\.\s*(\d+)\)", pdftext(built.pdf, 1, 1))
    facts = pdffacts.read(built.pdf)
    assert printed == [str(facts.destinations[t].page) for t in targets]
    assert printed == ["2", "2", "2", "3", "3", "6", "7", "7"]


PAGES = """<html><head><style>
@page { size: A6; margin: 10mm }
section { break-before: page }
a.ref::after { content: target-counter(attr(href), page) }
</style></head><body>
<section id="one">One: see <a class="ref" href="#three">p.</a> and <a class="ref" href="#one">p.</a></section>
<section id="two">Two</section>
<section id="three">Three: back to <a class="ref" href="#two">p.</a></section>
</body></html>"""


def _render(html, folder):
    rendered = renderer(ROOT / "fonts").render(html, base=folder, allowed=[folder])
    pdf = folder / "refs.pdf"
    rendered.write_pdf(pdf)
    return pdftext(pdf)


def test_forward_backward_and_same_page_references_are_right(tmp_path):
    text = _render(PAGES, tmp_path)
    assert "see p.3 and p.1" in text
    assert "back to p.2" in text


def test_a_page_referring_forward_is_laid_out_again_once(tmp_path):
    forward_only = PAGES.replace(' and <a class="ref" href="#one">p.</a>', "").replace(
        'back to <a class="ref" href="#two">p.</a>', "the end")
    with _layouts() as made:
        text = _render(forward_only, tmp_path)
    assert "see p.3" in text
    assert made == {1: 2, 2: 1, 3: 1}


def test_the_patch_is_for_the_pinned_weasyprint():
    import weasyprint
    from weasyprint.formatting_structure import build as boxes
    from publish.render.patches import pagerefs
    renderer(ROOT / "fonts")
    assert weasyprint.__version__ == pagerefs.WEASYPRINT_VERSION
    assert boxes.compute_content_list._publish_patched
