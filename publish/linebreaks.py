"""Lines of text broken once per render, not once per trial: a patch to WeasyPrint 70.

Balancing columns lays the same paragraphs out at several trial heights, and a page that
waits for a page reference is laid out again; each time every line is broken anew by
Pango (WeasyPrint's split_first_line), with the same text, style and width, so with the
same result. In the 6th issue, 3,500 line breaks were 1,355 different ones, and breaking
lines was a third of the layout time.

While publish renders a document, the answers of split_first_line (as layout/inline.py
calls it) are kept, keyed by the text, the style object (held, so that its id cannot be
reused), the width and the other arguments, and each caller gets its own copy of the
(inactive) Pango layout holder, since drawing may change its text. The memory ends with
the render: styles belong to one document.
"""
from __future__ import annotations

import copy
import threading
from contextlib import contextmanager

WEASYPRINT_VERSION = "70.0"

_local = threading.local()  # .memory: {key: (style, answer)} during a render, else absent


@contextmanager
def remembered():
    """Keep line breaks for the duration (one document's layout)."""
    _local.memory = {}
    try:
        yield
    finally:
        del _local.memory


def install() -> bool:
    import weasyprint
    from weasyprint.layout import inline
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(inline.split_first_line, "_publish_patched", False):
        return True
    original = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        memory = getattr(_local, "memory", None)
        if memory is None:
            return original(text, style, context, max_width, justification_spacing,
                            is_line_start, minimum)
        key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
        kept = memory.get(key)
        if kept is None:
            answer = original(text, style, context, max_width, justification_spacing,
                              is_line_start, minimum)
            kept = memory[key] = (style, answer)
        layout, *rest = kept[1]
        return (copy.copy(layout), *rest)

    split_first_line._publish_patched = True
    split_first_line._publish_original = original
    inline.split_first_line = split_first_line
    return True
