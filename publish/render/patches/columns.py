"""Column balancing in a bounded number of layouts: a patch to WeasyPrint 70.

WeasyPrint balances a group of columns (`column-fill: balance`, or columns followed by a
`column-span: all` block) by laying the whole group out at a trial height, then again a
little taller, until everything fits. Each step is the height that would move one box up
a column, when WeasyPrint can tell; when it cannot (a box that must not break and fits no
column at the trial height, such as a promo in the columns of a back page), the step is
one pixel. The 6th issue's back page, when its promo was set in its columns, took 330
layouts of them that way, 1.1 s of an 8-page build.

The patch keeps WeasyPrint's steps while it has a hint, and when it has none it bisects,
on the same one-pixel grid, between the trial height that failed and the tallest height
(known to fit: balancing starts only once everything fits at the full height). Where the
content fits at one height and every taller one (which is what one-pixel steps assume),
it ends at the height WeasyPrint's steps would reach, in about log2(height) layouts.

The same textual patch lets render/patches/balanced.py skip the search altogether for a group
laid out before (in this render or an earlier one in the process) with the same content
and room: the group is laid out once, at the height it settled on then.

It is applied as a textual patch to the pinned version's `columns_layout`, whose source
must hash to PATCHED_SOURCE (tests/test_columns.py checks that, and that the patch is in
place); with any other source WeasyPrint's own function is left as it is.
"""
from __future__ import annotations

import hashlib
import inspect
import math

from . import balanced

WEASYPRINT_VERSION = "70.0"
PATCHED_SOURCE = "7a05cce3272fc581cf8d9352ebe07d4de51fb742dfccd6d2e86895ac0eca9691"

# The source lines replaced, and their replacement: `_publish_search` holds the search's
# state between the trial layouts of one group of columns.
_START = """\
                        balancing = True
                        height = sum(consumed_heights) / count
"""
_START_PATCHED = """\
                        balancing = True
                        height = sum(consumed_heights) / count
                        _publish_search = _publish_Search(max_height)
"""
_LOOP = """\
        page_is_empty = stop_rendering = balancing = False
        while True:
"""
_LOOP_PATCHED = """\
        page_is_empty = stop_rendering = balancing = False
        # publish: a group laid out before with the same content and room is not searched
        _publish_key = _publish_balanced.key(
            context, box, column_children, index, width, count, containing_block,
            current_position_y, original_bottom_space, skip_stack, original_page_is_empty,
            first_letter_style, first_line_style)
        _publish_known = _publish_balanced.get(_publish_key)
        if _publish_known is not None:
            height, stop_rendering, next_page = (
                _publish_known[0], _publish_known[1], dict(_publish_known[2]))
        while _publish_known is None:
"""
_FOUND = """\
        # TODO: check style['max']-height
"""
_FOUND_PATCHED = """\
        _publish_clean = _publish_known is None and _publish_balanced.clean(
            context, footnote_area_heights, original_excluded_shapes)
        _publish_next_page = next_page
        # TODO: check style['max']-height
"""
_LAID = """\
        # Update the current y position and set the columns’ height
"""
_LAID_PATCHED = """\
        _publish_balanced.finished(
            _publish_key, _publish_known, _publish_clean, height, stop_rendering,
            _publish_next_page, skip_stack, max_column_height, len(columns))
        # Update the current y position and set the columns’ height
"""
_STEP = """\
            if balancing:
                if column_skip_stack is None:
                    # We rendered the whole content, stop
                    break

                # Increase the column heights and render them again
                add_height = 1 if lost_space == inf else lost_space
                height += add_height

                if height > max_height:
                    # We reached max height, stop rendering
                    height = max_height
                    stop_rendering = True
                    break
"""
_STEP_PATCHED = """\
            if balancing:
                # publish: the next height to try, or None when the search is over
                height = _publish_search.next(
                    height, column_skip_stack is None, lost_space)
                if height is None:
                    height = _publish_search.height
                    stop_rendering = _publish_search.stop_rendering
                    break
"""


class Search:
    """The heights to try, one after another, for one group of columns."""

    def __init__(self, max_height: float):
        self.max_height = max_height
        self.base: float | None = None  # where the bisection started: a height that failed
        self.low = self.high = 0  # pixels above base: failed; fits (tried or assumed)
        self.trying = 0
        self.height = max_height  # the answer, once next() returns None
        self.stop_rendering = False
        self.trials = 0

    def next(self, height: float, fitted: bool, lost_space: float) -> float | None:
        """The height to try after `height` (which fitted or not); None when done.

        lost_space is WeasyPrint's hint: the least height added so far that would move a
        box up a column (it keeps the smallest over the trials), inf when it has none."""
        self.trials += 1
        if self.base is None:
            if fitted:  # WeasyPrint's answer
                return self._done(height)
            if lost_space != math.inf:  # WeasyPrint's step
                return self._capped(height + lost_space)
            self.base, self.low = height, 0
            self.high = math.ceil(self.max_height - height)
        elif fitted:
            self.high = self.trying
        else:
            self.low = self.trying
        if self.high - self.low <= 1:
            return self._capped(self.base + self.high, done=True)
        self.trying = (self.low + self.high) // 2
        return self.base + self.trying

    def _capped(self, height: float, done: bool = False) -> float | None:
        if height > self.max_height:  # as WeasyPrint: the full height, and stop there
            self.stop_rendering = True
            return self._done(self.max_height)
        return self._done(height) if done else height

    def _done(self, height: float) -> None:
        self.height = height
        return None


def install() -> bool:
    """Put the patched columns_layout in WeasyPrint's place; False (and WeasyPrint's own
    left in place) if its source is not the one this patch was written for."""
    from weasyprint.layout import block, column
    current = block.columns_layout
    if getattr(current, "_publish_patched", False):
        return True
    try:
        source = inspect.getsource(column.columns_layout)
    except OSError:  # installed without its sources: WeasyPrint's own balancing
        return False
    if hashlib.sha256(source.encode()).hexdigest() != PATCHED_SOURCE:
        return False
    replaced = [(_START, _START_PATCHED), (_STEP, _STEP_PATCHED), (_LOOP, _LOOP_PATCHED),
                (_FOUND, _FOUND_PATCHED), (_LAID, _LAID_PATCHED)]
    assert all(source.count(old) == 1 for old, _ in replaced)
    patched = source
    for old, new in replaced:
        patched = patched.replace(old, new)
    # The module's names, and ours
    namespace = dict(vars(column), _publish_Search=Search, _publish_balanced=balanced)
    first_line = inspect.getsourcelines(column.columns_layout)[1]
    where = f"{inspect.getsourcefile(column)} (patched by {__name__})"
    exec(compile("\n" * (first_line - 1) + patched, where, "exec"), namespace)
    function = namespace["columns_layout"]
    function._publish_patched = True
    function._publish_original = column.columns_layout
    column.columns_layout = block.columns_layout = function
    return True
