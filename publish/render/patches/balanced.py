"""Where each group of balanced columns settled, remembered across renders (WeasyPrint 70).

WeasyPrint balances a group of columns by laying it out at trial heights: once at the
full height (does it all fit?), then at the average column height and taller ones until
it fits, then once more for real at the height found. In `publish watch`, after a
one-word edit, the 6th issue's 9 multi-column layouts (8 groups of columns) took 0.60 s
of a 1.36 s rebuild, about 0.45 s of it in trials (a full-height one and 2 or 3 more per
group, 15 to 28 ms each with the lines already broken), every group but the edited one
reaching the height it reached in the build before.

So publish remembers, for the process, each group's outcome (the height, whether it
stopped at the full height, the page break it asked for) under a digest of everything
its trials read: the boxes of the group (their kind, text, cascaded declarations with
their var() references spelled out, replaced content's intrinsic size, table spans), the
multi-column box's whole computed style and root font size, the widths and heights it
is given, where on the page it starts and how much room is left below it, where in its
content it resumes (skip stack), whether the page is empty, the floats on the page, the
page number and the document's unhyphenated names. A group whose digest matches is laid
out once, at the remembered height, with no trials. A group is not remembered (nor looked
up) where footnotes are in play, where a first-letter or first-line style applies, where
its trials left floats behind, or where a value's text does not show all of the value
(an object printed by its address).

Checking a remembered height with trial layouts (it fits, the last height that failed
does not) was weighed and not done: on these pages a search takes one full-height trial
and 2 or 3 balancing trials, so the two checks would cost nearly what they save. What is
checked is the one layout made: where it ends, the height of its tallest column and the
number of columns must be those of the layout remembered; a difference (which would mean
the digest missed something) is counted in `statistics["mismatched"]`, forgets the
outcome, and makes the renderer lay the whole document out again without looking
anything up (render.py), so a digest that missed something costs time, not a wrong
page. tests/test_layout_edits.py rebuilds the 6th issue after edits and compares each
PDF with a fresh process's, byte for byte, with no mismatch, and makes every digest
collide to see the document laid out again.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from contextlib import contextmanager

KEPT = 5_000  # outcomes remembered across renders; the least recently used go first

_local = threading.local()  # .signatures: {id(cascaded): (cascaded, text)} during a render
_kept: OrderedDict[bytes, tuple] = OrderedDict()
_lock = threading.Lock()
statistics = {"looked up": 0, "found": 0, "mismatched": 0}


class Layout:
    """One document's layout under remembered outcomes: whether one of them proved wrong."""
    mismatched = False


@contextmanager
def remembered(unhyphenated: frozenset = frozenset(), look_up: bool = True):
    """Remember outcomes for the duration of one document's layout (and across them);
    without look_up, every group is searched afresh (and its outcome remembered)."""
    state = Layout()
    _local.signatures, _local.unhyphenated = {}, unhyphenated
    _local.look_up, _local.state = look_up, state
    try:
        yield state
    finally:
        del _local.signatures, _local.unhyphenated, _local.look_up, _local.state


class _Unseen(Exception):
    """A value whose printed form does not show it whole: the group is not remembered."""


def _text(value) -> str:
    from weasyprint.css.tokens import Pending
    if isinstance(value, Pending):  # var(): its tokens as written
        import tinycss2
        return f"Pending({value.name!r}, {tinycss2.serialize(value.tokens)!r})"
    text = repr(value)
    if " at 0x" in text:
        raise _Unseen
    return text


def _cascaded(style, signatures: dict) -> str:
    cascaded = getattr(style, "cascaded", None)
    if cascaded is None:  # an anonymous box's style: all from its parent's
        return "anonymous"
    kept = signatures.get(id(cascaded))
    if kept is None:
        text = "|".join(f"{name}={_text(value)}/{weight!r}"
                        for name, (value, weight) in sorted(cascaded.items()))
        kept = signatures[id(cascaded)] = (cascaded, f"{style.pseudo_type}:{text}")
    return kept[1]


def _boxes(boxes, signatures: dict, out: list) -> None:
    for box in boxes:
        out.append(f"<{type(box).__name__} {box.element_tag} "
                   f"{_cascaded(box.style, signatures)} "
                   f"{getattr(box, 'colspan', '')} {getattr(box, 'rowspan', '')} "
                   f"{getattr(box, 'span', '')}")
        if hasattr(box, "text"):
            out.append(repr(box.text))
        replacement = getattr(box, "replacement", None)
        if replacement is not None:
            out.append(_text(replacement.get_intrinsic_size(
                box.style["image_resolution"], box.style["font_size"])))
        children = getattr(box, "children", None)
        if children:
            _boxes(children, signatures, out)
        out.append(">")


def _style(style, signatures: dict) -> str:
    """Every computed value of the multi-column box (its children inherit from it, or
    ask for its value with `inherit`), custom properties in scope included."""
    kept = signatures.get(id(style))
    if kept is None:
        from weasyprint.css.properties import INITIAL_VALUES
        names = set(INITIAL_VALUES)
        parent = style
        while parent is not None:  # the custom properties in scope, set here or above
            names.update(name for name in getattr(parent, "cascaded", ()) if name[:2] == "__")
            parent = parent.parent_style
        names = sorted(names)
        # Computed values hold no var() left to solve: one repr serves for all of them.
        text = repr(style.root_style) + repr(names) + repr([style[name] for name in names])
        if " at 0x" in text:
            raise _Unseen
        kept = signatures[id(style)] = (style, text)
    return kept[1]


def key(context, box, column_children, index, width, count, containing_block,
        position_y, bottom_space, skip_stack, page_is_empty, first_letter_style,
        first_line_style) -> bytes | None:
    """The digest of what one group's balancing reads, or None when it is not remembered."""
    signatures = getattr(_local, "signatures", None)
    if (signatures is None or first_letter_style is not None or first_line_style is not None
            or context.current_page_footnotes or context.reported_footnotes
            or context.current_footnote_area.height != "auto"):
        return None
    try:
        out = [
            repr((index, width, count, box.width, box.position_x, position_y,
                  context.page_bottom, bottom_space, skip_stack, page_is_empty,
                  context.current_page, sorted(_local.unhyphenated),
                  getattr(containing_block, "width", containing_block),
                  getattr(containing_block, "height", None))),
            _style(box.style, signatures),
            _text([(shape.position_x, shape.position_y, shape.margin_width(),
                    shape.margin_height()) for shape in context.excluded_shapes]),
        ]
        _boxes(column_children, signatures, out)
    except _Unseen:
        return None
    return hashlib.sha256("\n".join(out).encode()).digest()


def get(digest: bytes | None):
    """The remembered (height, stop_rendering, next_page, layout), or None."""
    if digest is None or not getattr(_local, "look_up", True):
        return None
    statistics["looked up"] += 1
    with _lock:
        found = _kept.get(digest)
        if found is not None:
            _kept.move_to_end(digest)
            statistics["found"] += 1
    return found


def clean(context, footnote_area_heights, original_excluded_shapes) -> bool:
    """Whether the trials left nothing on the page that the one layout would not."""
    return (len(footnote_area_heights) == 1 and not context.current_page_footnotes
            and len(context.excluded_shapes) == len(original_excluded_shapes))


def finished(digest, known, clean_trials, height, stop_rendering, next_page, skip_stack,
             tallest, columns) -> None:
    """Remember a searched group's outcome, or check a remembered one against the layout."""
    if digest is None:
        return
    try:
        layout = _text((skip_stack, tallest, columns))
    except _Unseen:
        return
    if known is not None:
        if known[3] != layout:
            statistics["mismatched"] += 1
            _local.state.mismatched = True
            with _lock:
                _kept.pop(digest, None)
        return
    if clean_trials:
        with _lock:
            _kept[digest] = (height, stop_rendering, dict(next_page), layout)
            _kept.move_to_end(digest)
            while len(_kept) > KEPT:
                _kept.popitem(last=False)


def forget() -> None:
    """Drop the outcomes remembered across renders."""
    with _lock:
        _kept.clear()
