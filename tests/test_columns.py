"""render/patches/columns.py: WeasyPrint's column balancing, bounded. The patch is written for one
WeasyPrint source; these tests fail when WeasyPrint changes, so that the patch is looked
at again rather than silently dropped."""
from __future__ import annotations

import hashlib
import inspect
import math
import re
from contextlib import contextmanager

import pytest

from conftest import ROOT
from publish.render.patches import columns
from publish.render.driver import renderer


def _weasyprint_pin() -> str:
    pyproject = (ROOT / "pyproject.toml").read_text()
    return re.search(r'"weasyprint==([^"]+)"', pyproject)[1]


def _original():
    from weasyprint.layout import block
    return getattr(block.columns_layout, "_publish_original", block.columns_layout)


def test_the_patch_is_written_for_the_pinned_weasyprint():
    import weasyprint
    assert _weasyprint_pin() == columns.WEASYPRINT_VERSION == weasyprint.__version__
    source = inspect.getsource(_original())
    assert hashlib.sha256(source.encode()).hexdigest() == columns.PATCHED_SOURCE


@pytest.mark.slow
def test_a_render_lays_columns_out_with_the_patched_function(tmp_path):
    from weasyprint.layout import block, column
    renderer(ROOT / "fonts").render("<p>x</p>", base=tmp_path, allowed=[tmp_path])
    assert block.columns_layout is column.columns_layout
    assert block.columns_layout._publish_patched
    assert block.columns_layout is not _original()


def _one_pixel_steps(fits, start: float, max_height: float, hint=lambda h: math.inf):
    """WeasyPrint 70's loop: (height, stop_rendering, trials)."""
    height, lost_space, trials = start, math.inf, 0
    while True:
        trials += 1
        if fits(height):
            return height, False, trials
        lost_space = min(lost_space, hint(height))
        height += 1 if lost_space == math.inf else lost_space
        if height > max_height:
            return max_height, True, trials


def _search(fits, start: float, max_height: float, hint=lambda h: math.inf):
    search, height, lost_space = columns.Search(max_height), start, math.inf
    while True:
        if not fits(height):
            lost_space = min(lost_space, hint(height))
        height = search.next(height, fits(height), lost_space)
        if height is None:
            return search.height, search.stop_rendering, search.trials


@pytest.mark.parametrize("start", [100.0, 100.25, 337.0])
@pytest.mark.parametrize("needed", [100.0, 101.5, 236.0, 330.5, 599.0, 612.3, 700.0])
def test_without_a_hint_the_search_ends_where_one_pixel_steps_end(start, needed):
    max_height = 612.5

    def fits(height):
        return height >= needed

    expected = _one_pixel_steps(fits, start, max_height)
    height, stop, trials = _search(fits, start, max_height)
    assert (height, stop) == expected[:2]
    assert trials <= math.ceil(math.log2(max_height - start + 1)) + 2


def test_with_a_hint_the_search_takes_weasyprints_steps():
    def fits(height):
        return height >= 180.0

    def hint(height):
        return 12.5  # one line of text

    assert _search(fits, 100.0, 600.0, hint) == _one_pixel_steps(fits, 100.0, 600.0, hint)


@contextmanager
def _column_trials():
    """Counts the trial layouts of column boxes while rendering."""
    from weasyprint.layout import block
    original = block.block_box_layout
    seen = []

    def counting(context, box, *args, **kwargs):
        if getattr(box, "is_column", False):
            seen.append(box)
        return original(context, box, *args, **kwargs)
    block.block_box_layout = counting  # columns_layout imports it from block at every call
    try:
        yield seen
    finally:
        block.block_box_layout = original


# The back page's shape: a box that must not break, too tall for half its height, in
# balanced columns above a page-wide block.
BACK_PAGE = """<html><head><style>
@page { size: A4; margin: 15mm }
.flow { column-count: 2; column-fill: balance; column-gap: 5mm }
.promo { height: 110mm; break-inside: avoid; background: #ddd }
.foot { column-span: all; border-top: 1pt solid black }
</style></head><body><div class="flow">
<div class="promo">DESTINATION EUROPE</div>
<p>To access the APP follow the official account.</p>
<div class="foot">Contacts</div>
</div></body></html>"""


def _boxes(document):
    page = document.pages[0]._page_box
    return [(type(b).__name__, round(b.position_x, 3), round(b.position_y, 3),
             round(b.width, 3), round(b.height, 3)) for b in page.descendants()
            if hasattr(b, "position_y") and isinstance(getattr(b, "height", None), float)]


@pytest.mark.slow
def test_a_box_that_must_not_break_is_balanced_in_few_layouts_where_weasyprint_puts_it(
        tmp_path):
    from weasyprint.layout import block, column
    render = renderer(ROOT / "fonts").render
    with _column_trials() as patched_trials:
        patched = render(BACK_PAGE, base=tmp_path, allowed=[tmp_path]).document
    installed = block.columns_layout
    block.columns_layout = column.columns_layout = _original()
    try:
        with _column_trials() as original_trials:
            original = render(BACK_PAGE, base=tmp_path, allowed=[tmp_path]).document
    finally:
        block.columns_layout = column.columns_layout = installed
    assert _boxes(patched) == _boxes(original)
    assert len(original_trials) > 100  # one pixel at a time
    assert len(patched_trials) < 30  # 18 here: bisection, and the final columns
