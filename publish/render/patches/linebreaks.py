"""Lines of text broken once, not once per trial or per save: a patch to WeasyPrint 70.

Balancing columns lays the same paragraphs out at several trial heights, a page that
waits for a page reference is laid out again, and `publish watch` lays the whole issue
out after every save although an edit changes a paragraph or two. Each time every line
is broken anew by Pango (WeasyPrint's split_first_line), with the same text, style and
width, so with the same result. In the 6th issue one render asked for 3,507 line breaks,
1,355 of them different, and breaking lines was a third of the layout time.

publish remembers the answers of split_first_line (as WeasyPrint's inline layout and its
intrinsic widths call it), at two levels:
- during one render, by the text, the width, the other arguments and the style object
  itself (held, so that its id cannot be reused);
- for the process, across renders, by the text, the width, the other arguments and the
  values of the style properties the first computation read: it is given a style that
  notes every property read, and the answer serves a later style only where those
  properties have the same values (a style read in any other way, through `.get` or an
  attribute other than its font configuration, is not remembered across renders). The
  hyphenation dictionaries (chosen by those properties) and the font configuration (one
  for the process) are the same for every render; the names a document keeps whole
  (publish/render/patches/hyphenation.py) are part of the key.
Each caller gets its own copy of the (inactive) Pango layout holder, since drawing may
change its text.
"""
from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from contextlib import contextmanager

WEASYPRINT_VERSION = "70.0"
KEPT = 50_000  # lines remembered across renders; the least recently used go first

_local = threading.local()  # .memory: {key: (style, answer)} during a render, else absent
_kept: OrderedDict[tuple, list] = OrderedDict()  # across renders: key -> [(reads, fonts, answer)]
_lock = threading.Lock()
statistics = {"asked": 0, "broken": 0}  # calls during renders; of them, lines Pango broke


@contextmanager
def remembered(unhyphenated: frozenset = frozenset()):
    """Keep line breaks for the duration (one document's layout). `unhyphenated`: the
    document's names never hyphenated (render/patches/hyphenation.py), which a line break
    depends on besides its arguments and style."""
    _local.memory, _local.unhyphenated = {}, unhyphenated
    try:
        yield
    finally:
        del _local.memory, _local.unhyphenated


class _Reading:
    """A style that notes the properties read from it (and whether it was read otherwise)."""

    __slots__ = ("style", "reads", "unusual")

    def __init__(self, style):
        self.style = style
        self.reads: dict = {}
        self.unusual = False

    def __getitem__(self, name):
        value = self.style[name]
        self.reads.setdefault(name, value)
        return value

    @property
    def font_config(self):
        return self.style.font_config

    def __contains__(self, name):
        self.unusual = True
        return name in self.style

    def __getattr__(self, name):
        self.unusual = True
        return getattr(self.style, name)


def install() -> bool:
    import weasyprint
    from weasyprint.layout import inline, preferred
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(inline.split_first_line, "_publish_patched", False):
        return True
    original = inline.split_first_line

    def across_renders(text, style, context, *arguments):
        key = (text, *arguments, _local.unhyphenated)
        fonts = style.font_config
        with _lock:
            candidates = list(_kept.get(key, ()))
            if candidates:
                _kept.move_to_end(key)
        for reads, kept_fonts, answer in candidates:
            if kept_fonts is fonts and all(style[name] == value for name, value in reads):
                return answer
        reading = _Reading(style)
        answer = original(text, reading, context, *arguments)
        statistics["broken"] += 1
        if not reading.unusual:
            with _lock:
                _kept.setdefault(key, []).append((tuple(reading.reads.items()), fonts, answer))
                _kept.move_to_end(key)
                while len(_kept) > KEPT:
                    _kept.popitem(last=False)
        return answer

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        memory = getattr(_local, "memory", None)
        if memory is None:
            return original(text, style, context, max_width, justification_spacing,
                            is_line_start, minimum)
        statistics["asked"] += 1
        key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
        kept = memory.get(key)
        if kept is None:
            answer = across_renders(text, style, context, max_width, justification_spacing,
                                    is_line_start, minimum)
            kept = memory[key] = (style, answer)
        layout, *rest = kept[1]
        return (copy.copy(layout), *rest)

    split_first_line._publish_patched = True
    split_first_line._publish_original = original
    # The inline layout breaks lines; the intrinsic widths (flex items, shrink-to-fit boxes)
    # measure them: both call the same function.
    inline.split_first_line = preferred.split_first_line = split_first_line
    return True


def forget() -> None:
    """Drop the lines remembered across renders."""
    with _lock:
        _kept.clear()
