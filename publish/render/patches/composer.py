"""Justified paragraphs broken into lines all at once: a patch to WeasyPrint 70.

WeasyPrint 70 breaks lines first-fit, one at a time (layout/inline.py: get_next_linebox
asks split_inline_box for as much as fits), then justifies a line by widening its
spaces; a line that happens to end before a long word is left with gaping spaces
(in the archive, half of the justified body lines had word spaces over twice natural,
a quarter over three times: docs/typography.md).

Here, the first time a justified paragraph is laid out at a width, its break points
are measured once with Pango (the same shaping WeasyPrint draws with: one layout per
text box, the x of every break, the break opportunities of the whole paragraph as
Pango and publish/render/patches/breaks.py allow them, the hyphenation points pyphen gives
WeasyPrint) and the lines are chosen together by total-fit (publish/render/knuthplass.py).
Then, line by line, WeasyPrint's own first-fit is asked for the planned line: it is
given the planned line's natural width (plus less than the next word) as its room, so
it breaks, and hyphenates, exactly there; the line is then justified to the column's
full width as before, or, planned tight, its spaces narrowed to it (down to 80 % of
natural; WeasyPrint itself only widens). Everything else (boxes, hyphenation,
drawing, the remembered lines of linebreaks.py) is WeasyPrint's. Where a line does
not come out as planned (a width Pango measures otherwise), the rest of the paragraph
is planned again from where it is. A line the plan cannot set within three times the natural space is set
ragged (not justified) rather than gappy, and so is such a line of a paragraph
left to first-fit (bench/wordspace.py counts them; publish check warns of gappy
lines, which a PDF made without this patch may have).

A paragraph can ask for one line fewer or more than its best setting with the custom
property `--looseness: -1` or `1` (for the fit stage; taken only if every line stays
within three times the natural space).

Paragraphs with anything but text and plain inline boxes (images, inline blocks,
floats beside them, padded or bordered spans, preserved line breaks, letter spacing,
::first-line or ::first-letter styles) keep first-fit, and so does Chinese, where
every character is a break. A justified line of Chinese has no spaces to widen:
its slack is shared between its characters (CSS `text-justify: inter-character`),
so it ends at the column's edge.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager

from .. import knuthplass

WEASYPRINT_VERSION = "70.0"

# During a render: .plans, .proxies (zone-free styles), .spaces (space widths); and
# .ragged, .tight, .planned for the line being set.
_local = threading.local()
statistics = {"paragraphs": 0, "planned": 0, "replanned": 0}
_WORD = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*")
_DASHES = "-\u2010\u2011"
_HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@contextmanager
def remembered():
    """Keep paragraph plans for the duration (one document's layout)."""
    _local.plans, _local.proxies, _local.spaces = {}, {}, {}
    try:
        yield
    finally:
        del _local.plans, _local.proxies, _local.spaces


class _ZoneFree:
    """A style whose hyphenate-limit-zone is 0, for WeasyPrint's line breaker (which reads
    properties with [] and the font configuration); one per style for the render, so the
    lines linebreaks.py remembers by style still match."""

    __slots__ = ("style",)

    def __init__(self, style):
        self.style = style

    def __getitem__(self, name):
        return _NO_ZONE if name == "hyphenate_limit_zone" else self.style[name]

    def __contains__(self, name):
        return name in self.style

    def __getattr__(self, name):
        return getattr(self.style, name)


_NO_ZONE = None  # Dimension(0, "px"), once WeasyPrint is imported


def _zone_free(style):
    proxies = _local.proxies
    proxy = proxies.get(id(style))
    if proxy is None or proxy.style is not style:
        proxy = proxies[id(style)] = _ZoneFree(style)
    return proxy


class _Paragraph:
    """A paragraph's text and measured break points, for one width."""

    def __init__(self, breaks, starts, text, leaf_starts):
        self.breaks = breaks  # [knuthplass.Break]
        self.starts = starts  # character where the line after break k starts -> k
        self.text = text
        self.leaf_starts = leaf_starts  # id(TextBox) -> its first character
        self.lines: dict[int, knuthplass.Line] = {}  # line's first break -> line

    def plan(self, first, widths, looseness=0):
        for line in knuthplass.compose(self.breaks, widths, looseness, first):
            self.lines[line.first] = line


def install() -> bool:
    import weasyprint
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(inline.split_inline_box, "_publish_patched", False):
        return True
    try:
        pango.pango_layout_iter_next_cluster
    except AttributeError:
        ffi.cdef("""
            PangoLayoutIter * pango_layout_get_iter (PangoLayout *layout);
            void pango_layout_iter_free (PangoLayoutIter *iter);
            gboolean pango_layout_iter_next_cluster (PangoLayoutIter *iter);
            int pango_layout_iter_get_index (PangoLayoutIter *iter);
            void pango_layout_iter_get_cluster_extents (
                PangoLayoutIter *iter, PangoRectangle *ink_rect,
                PangoRectangle *logical_rect);
        """)
    global _NO_ZONE
    from weasyprint.css.properties import Dimension
    _NO_ZONE = Dimension(0, "px")
    original_split = inline.split_inline_box
    original_align = inline.text_align

    def leaves(box, found):
        """The paragraph's text boxes in order, or None if it holds anything else."""
        for child in box.children:
            if isinstance(child, boxes.TextBox):
                found.append(child)
            elif isinstance(child, boxes.InlineBox) and child.is_in_normal_flow():
                style = child.style
                for side in ("left", "right"):
                    margin = style[f"margin_{side}"]
                    if (style[f"padding_{side}"].value or style[f"border_{side}_width"]
                            or (margin != "auto" and margin.value)):
                        return None
                if leaves(child, found) is None:
                    return None
            else:
                return None
        return found

    def measure(context, linebox, full) -> _Paragraph | None:
        found = leaves(linebox, [])
        if not found:
            return None
        text = "".join(leaf.text for leaf in found)
        if not text.strip() or "\n" in text or "\t" in text:
            return None
        if len(_HAN.findall(text)) * 2 > len(text):
            return None  # Chinese: every character a break, first-fit fills each line
        n = len(text)
        x = [0.0] * (n + 1)  # natural width before each character
        hyphen_at: dict[int, float] = {}
        leaf_starts, offset, origin = {}, 0, 0.0
        rect = ffi.new("PangoRectangle *")
        for leaf in found:
            style = leaf.style
            if style["letter_spacing"] != "normal" or style["white_space"] != "normal":
                return None
            leaf_starts[id(leaf)] = offset
            layout = line_break.create_layout(leaf.text, style, context, None, 0)
            line, _ = layout.get_first_line()
            width, _ = line_break.line_size(line, style)
            # One pass over the line's clusters (a ligature's letters share its x).
            starts = {}
            cursor = pango.pango_layout_get_iter(layout.layout)
            try:
                while True:
                    pango.pango_layout_iter_get_cluster_extents(cursor, ffi.NULL, rect)
                    starts[pango.pango_layout_iter_get_index(cursor)] = rect.x * FROM_UNITS
                    if not pango.pango_layout_iter_next_cluster(cursor):
                        break
            finally:
                pango.pango_layout_iter_free(cursor)
            encoded, here = 0, 0.0
            for k, char in enumerate(leaf.text):
                here = starts.get(encoded, here)
                x[offset + k] = origin + here
                encoded += len(char.encode())
            hyphens = hyphenation_points(leaf.text, style, context)
            for k, hyphen in hyphens.items():
                hyphen_at[offset + k] = hyphen
            offset += len(leaf.text)
            origin += width
        x[n] = origin
        # Break opportunities of the whole text, as Pango (and breaks.py) allow them.
        whole = line_break.Layout(linebox.style)
        whole.set_text(text)
        count = ffi.new("int *")
        attributes = pango.pango_layout_get_log_attrs_readonly(whole.layout, count)
        spaces = [0] * (n + 1)
        space_width = [0.0] * (n + 1)
        for k, char in enumerate(text):
            stretchy = char in " \u00a0"
            spaces[k + 1] = spaces[k] + stretchy
            space_width[k + 1] = space_width[k] + (x[k + 1] - x[k] if stretchy else 0)
        end = len(text.rstrip(" "))
        breaks, starts = [], {}
        for k in range(1, end):
            allowed = attributes[k].is_line_break and k < count[0]
            if allowed and text[k - 1] == " ":
                e = k - 1
                while e > 0 and text[e - 1] == " ":
                    e -= 1
                breaks.append(knuthplass.Break(x[e], x[k], spaces[e], space_width[e],
                                               spaces[k], space_width[k]))
            elif allowed or k in hyphen_at:
                breaks.append(knuthplass.Break(x[k], x[k], spaces[k], space_width[k],
                                               spaces[k], space_width[k],
                                               hyphen=0.0 if allowed else hyphen_at[k],
                                               dash=allowed and text[k - 1] in _DASHES))
            else:
                continue
            starts[k] = len(breaks) - 1
        breaks.append(knuthplass.Break(x[end], x[end], spaces[end], space_width[end],
                                       spaces[end], space_width[end], forced=True))
        return _Paragraph(breaks, starts, text, leaf_starts)

    def hyphenation_points(text, style, context) -> dict[int, float]:
        """Where WeasyPrint may hyphenate words of the text: index -> hyphen width."""
        import pyphen
        if style["hyphens"] != "auto" or not style["lang"]:
            return {}
        lang = pyphen.language_fallback(style["lang"])
        if not lang:
            return {}
        total, left, right = style["hyphenate_limit_chars"]
        key = (lang, left, right, total)
        dictionary = context.dictionaries.get(key)
        if dictionary is None:
            dictionary = context.dictionaries[key] = pyphen.Pyphen(
                lang=lang, left=left, right=right)
        hyphen = style["hyphenate_character"]
        hyphen_layout = line_break.create_layout(hyphen, style, context, None, 0)
        hyphen_width, _ = line_break.line_size(hyphen_layout.get_first_line()[0], style)
        points = {}
        for match in _WORD.finditer(text):
            word = match[0]
            if len(word) >= total:
                for position in dictionary.positions(word):
                    points[match.start() + position] = hyphen_width
        return points

    def position(box, skip_stack, paragraph) -> int | None:
        """The character the line starts at, from WeasyPrint's skip stack."""
        while skip_stack is not None:
            (index, skip_stack), = skip_stack.items()
            if isinstance(box, boxes.TextBox):
                start = paragraph.leaf_starts.get(id(box))
                if start is None:
                    return None
                return start + len(box.text.encode()[:index].decode(errors="ignore"))
            box = box.children[index]
        first = box
        while not isinstance(first, boxes.TextBox):
            if not getattr(first, "children", None):
                return None
            first = first.children[0]
        return paragraph.leaf_starts.get(id(first))

    def planned(context, box, position_x, max_x, skip_stack):
        """The room to give this line (None: first-fit) and whether to set it ragged."""
        plans = getattr(_local, "plans", None)
        if plans is None or box.style["text_align_all"] != "justify":
            return None
        if context.excluded_shapes:
            statistics["beside floats"] = statistics.get("beside floats", 0) + 1
            return None
        room = max_x - position_x
        full = room + (box.text_indent if skip_stack is None else 0)
        key = (id(box), round(full, 4))
        entry = plans.get(key)
        if entry is None:
            statistics["paragraphs"] += 1
            paragraph = measure(context, box, full)
            entry = plans[key] = (box, paragraph, {})
        box_, paragraph, _ = entry
        if paragraph is None:
            statistics["unsupported"] = statistics.get("unsupported", 0) + 1
            return None
        start = 0 if skip_stack is None else position(box, skip_stack, paragraph)
        if start is None:
            return None
        first = -1 if start == 0 else paragraph.starts.get(start)
        if first is None:
            return None
        line = paragraph.lines.get(first)
        if line is None:
            if first == -1:
                statistics["planned"] += 1
                indent = full - room
                widths = lambda n: full - indent if n == 0 else full  # noqa: E731
            else:
                statistics["replanned"] += 1
                widths = lambda n: full  # noqa: E731
            paragraph.plan(first, widths, looseness(box) if first == -1 else 0)
            line = paragraph.lines.get(first)
            if line is None:
                return None
        breaks = paragraph.breaks
        if line.last == len(breaks) - 1:
            return max_x, False, False, False  # the last line: all that is left fits
        b = breaks[line.last]
        after = breaks[line.last + 1]
        # The room reaches past the space at the break (WeasyPrint measures a text box
        # with its trailing space, and a next box must not get a negative width), and
        # less than half the way to the next break.
        glue = b.start - b.end
        longer = after.end + after.hyphen - b.start
        slack = min(2.0, max(0.05, 0.5 * longer))
        room = position_x + line.width + glue + slack
        if line.ratio >= 0:
            room = min(max_x, room)
        return room, line.ragged, line.ratio < 0, b.hyphen > 0

    def looseness(box) -> int:
        try:
            value = box.style["__looseness"]
        except (KeyError, TypeError):
            return 0
        tokens = value if isinstance(value, (list, tuple)) else [value]
        for token in tokens:
            number = getattr(token, "int_value", None)
            if number is not None:
                return max(-1, min(1, number))
        return 0

    def split_inline_box(context, box, position_x, max_x, bottom_space, skip_stack,
                         containing_block, absolute_boxes, fixed_boxes,
                         line_placeholders, waiting_floats, line_children,
                         first_letter_style, first_line_style):
        if isinstance(box, boxes.LineBox):
            _local.ragged = _local.tight = False
            if not first_letter_style and not first_line_style:
                plan = planned(context, box, position_x, max_x, skip_stack)
                if plan is not None:
                    max_x, _local.ragged, _local.tight, _local.planned = plan
                    try:
                        return original_split(
                            context, box, position_x, max_x, bottom_space, skip_stack,
                            containing_block, absolute_boxes, fixed_boxes, line_placeholders,
                            waiting_floats, line_children, first_letter_style,
                            first_line_style)
                    finally:
                        _local.planned = False
        return original_split(context, box, position_x, max_x, bottom_space, skip_stack,
                              containing_block, absolute_boxes, fixed_boxes,
                              line_placeholders, waiting_floats, line_children,
                              first_letter_style, first_line_style)

    def text_align(context, line, available_width, last):
        ragged, tight = getattr(_local, "ragged", False), getattr(_local, "tight", False)
        _local.ragged = _local.tight = False
        if ragged and not last:
            return 0  # start-aligned: narrower than a gappy justified line
        if tight and not last and line.width > available_width:
            # Planned tight: WeasyPrint justifies only lines narrower than their box.
            inline.justify_line(context, line, available_width - line.width)
            return 0
        if not last and line.style["text_align_all"] == "justify" and \
                available_width > line.width:
            if chinese(line):
                between_characters(context, line, available_width - line.width)
                return 0
            if too_loose(context, line, available_width):
                return 0  # a first-fit line (not planned) that would be gappy: ragged
        return original_align(context, line, available_width, last)

    def texts(box):
        if isinstance(box, boxes.TextBox):
            yield box
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            for child in box.children:
                yield from texts(child)

    def chinese(line) -> bool:
        """A line of Chinese (more Han than other letters, no word space to widen)."""
        text = "".join(box.text for box in texts(line))
        han = len(_HAN.findall(text))
        return han > 0 and han * 2 > len(text.strip()) and not text.strip().count(" ")

    def between_characters(context, line, extra) -> None:
        """Justify a Chinese line as CSS `text-justify: inter-character` does: the slack
        shared between its characters (Pango letter spacing, which puts half of it on
        each side of a character, so the line's last character ends at the edge)."""
        boxes_ = [box for box in texts(line) if box.text]
        characters = sum(len(box.text) for box in boxes_)
        if characters < 2 or extra <= 0:
            return
        spacing = extra / (characters - 0.5)
        if spacing > line.style["font_size"] * 0.5:
            return  # a short line before a forced break or a float: left as it is
        spread(context, line, spacing, 0.0)

    def spread(context, box, spacing, advance) -> float:
        """Letter spacing added to every text box of box (as add_word_spacing does for
        word spacing): boxes after it move right by what the ones before grew."""
        if isinstance(box, boxes.TextBox):
            box.position_x += advance
            if box.text:
                style = box.style.copy()
                base = style["letter_spacing"]
                style["letter_spacing"] = (0 if base == "normal" else base) + spacing
                box.style = style
                layout = line_break.create_layout(box.text, style, context, None,
                                                  box.justification_spacing)
                layout.deactivate()
                box.pango_layout = layout
                grown = len(box.text) * spacing
                box.width += grown
                advance += grown
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += advance
            before = advance
            for child in box.children:
                if child.is_in_normal_flow():
                    advance = spread(context, child, spacing, advance)
            box.width += advance - before
        else:
            box.translate(advance, 0)
        return advance

    def too_loose(context, line, available_width) -> bool:
        spaces = inline.count_expandable_spaces(line)
        if not spaces:
            return False
        style = line.style
        key = (style["font_family"], style["font_size"], style["font_weight"],
               style["font_style"])
        known = getattr(_local, "spaces", {})
        width = known.get(key)
        if width is None:
            layout = line_break.create_layout(" ", style, context, None, 0)
            width, _ = line_break.line_size(layout.get_first_line()[0], style)
            known[key] = width
        extra = (available_width - line.width) / spaces
        return width > 0 and extra > knuthplass.LIMIT * width

    inner_split_first_line = inline.split_first_line

    def split_first_line(text, style, context, *arguments, **options):
        # A planned line is hyphenated where the plan says: WeasyPrint's first-fit
        # rule against short first parts (hyphenate-limit-zone) is not the plan's.
        if getattr(_local, "planned", False):
            style = _zone_free(style)
        return inner_split_first_line(text, style, context, *arguments, **options)

    # linebreaks.install() sees the line breaker patched and leaves it (it is inside).
    split_first_line._publish_patched = True
    split_first_line._publish_original = inner_split_first_line
    text_align._publish_original = original_align
    split_inline_box._publish_patched = True
    split_inline_box._publish_original = original_split
    inline.split_inline_box = split_inline_box
    inline.text_align = text_align
    inline.split_first_line = split_first_line
    return True
