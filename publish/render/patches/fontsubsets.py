"""Font subsets made once per set of glyphs, not once per build: a patch to WeasyPrint 70.

Every PDF embeds, for each font it uses, a subset holding only the glyphs it shows, which
WeasyPrint makes with HarfBuzz while writing (Font.subset, twice over each font). For the
6th issue that is 7 fonts, the CJK one cut from a 19 MB collection, 0.04 s a build; after
an edit that adds no new character, the same subsets of the same fonts again.

The subset depends on the font face, the glyphs kept, hinting and whether the font lacks
a glyph used (then its .notdef is kept). publish remembers, for the process, each subset
by those; the face by its address, which stays its own because the memory holds a
reference to it (WeasyPrint's Font holds one too, released with the Font).
"""
from __future__ import annotations

import threading
from collections import OrderedDict

WEASYPRINT_VERSION = "70.0"
KEPT = 64  # subsets; the least recently used go first

_kept: OrderedDict[tuple, tuple] = OrderedDict()  # key -> (face reference, file content)
_lock = threading.Lock()
statistics = {"made": 0, "found": 0}


def install() -> bool:
    import weasyprint
    from weasyprint.pdf import fonts
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(fonts.Font.subset, "_publish_patched", False):
        return True
    original = fonts.Font.subset

    def subset(self, to_unicode, hinting):
        if not to_unicode or not (fonts.harfbuzz_subset
                                  and fonts.harfbuzz.hb_version_atleast(4, 1, 0)):
            return original(self, to_unicode, hinting)
        face = self.hb_face
        key = (int(fonts.ffi.cast("uintptr_t", face)), tuple(sorted(to_unicode)),
               bool(hinting), bool(self.missing))
        with _lock:
            found = _kept.get(key)
            if found is not None:
                _kept.move_to_end(key)
                statistics["found"] += 1
                self.file_content = found[1]
                return None
        before = self.file_content
        original(self, to_unicode, hinting)
        statistics["made"] += 1
        if self.file_content is not before:  # made (not the warning HarfBuzz's failure gives)
            with _lock:
                _kept[key] = (face, self.file_content)
                while len(_kept) > KEPT:
                    _kept.popitem(last=False)
        return None

    subset._publish_patched = True
    subset._publish_original = original
    fonts.Font.subset = subset
    return True


def forget() -> None:
    """Drop the subsets remembered."""
    with _lock:
        _kept.clear()
