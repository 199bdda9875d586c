"""No line break where a reader stumbles: a patch to WeasyPrint 70.

Pango breaks lines where Unicode's line-breaking rules (UAX #14) allow, and those allow a
break after every hyphen and at every space, so the archive had "(pg. / 5)",
"E- / mail", "144- / hour", "e- / channels". A typesetter keeps together:
- an abbreviation that points at a number with the number: "pg. 5", "p. 12", "No. 3",
  "Art. 4", "Fig. 2";
- a number with its unit or scale: "30 mm", "5 %", "3 million", "10 000 EUR";
- a number or a single letter with the word it is hyphenated to: "144-hour",
  "9-point", "E-mail", "e-channels" (the hyphen stays, the break after it goes);
- an opening bracket or quotation mark with what follows it.

The text is not touched (no no-break space, no joiner: what a reader copies out of the
PDF is what was written). Instead each Pango layout WeasyPrint makes gets Pango's
`allow_breaks` attribute set to false over those spans (Pango 1.44+), so neither the
line breaker nor the break points WeasyPrint reads from the layout see a break there.
The spans depend on the text alone, so the lines publish/render/patches/linebreaks.py remembers
by their text stay right.
"""
from __future__ import annotations

import re

WEASYPRINT_VERSION = "70.0"

_UNITS = (r"mm|cm|km|m|kg|g|t|ha|pt|px|%|‰|°C|°|h|min|s|"
          r"hours?|days?|weeks?|months?|years?|minutes?|seconds?|"
          r"per cent|percent|thousand|million|billion|trillion|"
          r"EUR|USD|RMB|CNY|GBP|yuan|euros?|dollars?")
# Each match of each is a span in which no line may break.
KEEP = tuple(re.compile(pattern) for pattern in (
    r"\b(?:pg|pp?|No|no|Nos|Art|art|Arts|Fig|fig|Figs|Vol|vol|Ch|ch|Sec|sec|para|§)\.? \d",
    rf"\d[\d,.]*(?:\s\d{{3}})*\s(?:{_UNITS})(?!\w)",   # 30 mm, 3 million, 10 000 EUR
    r"(?<![\w-])(?:\d[\d,.]*|[A-Za-z])[-\u2010\u2011]\w",  # 144-hour, E-mail, e-channels
    r"[(\[{“‘«「『（【《]\s*\S",                      # an opening bracket or quote
))


def spans(text: str) -> list[tuple[int, int]]:
    """The character spans of text inside which no line breaks."""
    return [match.span() for pattern in KEEP for match in pattern.finditer(text)]


def install() -> bool:
    import weasyprint
    from weasyprint.text import line_break
    from weasyprint.text.ffi import ffi, pango
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    layout_class = line_break.Layout
    if getattr(layout_class.set_text, "_publish_patched", False):
        return True
    try:
        pango.pango_attr_allow_breaks_new
    except AttributeError:
        ffi.cdef("PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);")
    original = layout_class.set_text

    def set_text(self, text, justify=False):
        original(self, text, justify)
        kept = spans(self.text)
        if not kept:
            return
        attributes = pango.pango_layout_get_attributes(self.layout)
        if attributes == ffi.NULL:
            attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
        for start, end in kept:
            attribute = pango.pango_attr_allow_breaks_new(False)
            attribute.start_index = len(self.text[:start].encode())
            attribute.end_index = len(self.text[:end].encode())
            pango.pango_attr_list_change(attributes, attribute)
        pango.pango_layout_set_attributes(self.layout, attributes)

    set_text._publish_patched = True
    set_text._publish_original = original
    layout_class.set_text = set_text
    return True
