"""Proper names and acronyms are never hyphenated, without touching the text or its boxes.

WeasyPrint 70 hyphenates a word by asking pyphen for its break points
(text/line_break.py: `pyphen.Pyphen(lang=...).iterate(word)`, which reads
`HyphDict.positions(word)`), with the word as printed: "Hermoso", "MOFCOM".
Here pyphen's pattern dictionary answers "no break point" for the words the
compose stage listed as names (see typography.names) and for any word in capitals,
and the usual patterns for every other word, lower case included ("Cooperation"
in a name stays whole, "cooperation" in prose may still break).

English is hyphenated with pyphen's en_US patterns (hyph_en_US.dic: Liang's TeX
patterns, as LibreOffice ships them) whatever its region: pyphen's en_GB patterns,
which it gives plain `en`, split words where a British proofreader would not
(identific-ation, verific-ation, immig-ration, proced-ures), and British spelling
differs from American in few words, none that the US patterns break badly. A word
the patterns still get wrong is listed in EXCEPTIONS with its break points (TeX's
hyphenation exceptions). The minimum fragments are the layout's
`hyphenate-limit-chars` (base.css: 3 letters before a break, 4 after).

So no span, no invisible character and no soft hyphen goes into the document:
justification sees the same single text box as before, and the text a reader
copies out of the PDF is unchanged. The names travel from compose to render in
the composed HTML's head (<meta name="publish-unhyphenated">, written and read by
compose/typography.py), so the HTML alone renders the same PDF. The list in force is a
context variable, set around one render, so renders in other threads never see another
issue's names.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar

import pyphen

from ...compose.typography import listed

_NAMES: ContextVar[frozenset[str]] = ContextVar("unhyphenated", default=frozenset())
# Pango's word boundaries keep "Hermoso’s" and "MOFCOM’s" one word; each part is judged.
_PARTS = re.compile(r"[’'\u2011]")


PATTERNS = "en_US"  # the patterns every English text is hyphenated with
# Words the patterns break wrongly, with the only points allowed ("read-missions" reads
# as "read": the prefix stays whole).
EXCEPTIONS = {word.replace("-", ""): word for word in (
    "re-admis-sion", "re-admis-sions", "re-admit", "re-admit-ted",
)}


def unbroken(word: str) -> bool:
    """Whether the word must not be hyphenated: a listed name, or an acronym in capitals."""
    names = _NAMES.get()
    return any(part in names or (len(part) > 1 and part.isupper())
               for part in _PARTS.split(word))


class _Guarded(pyphen.HyphDict):
    """pyphen's patterns, with no break points in a name."""

    def positions(self, word):
        if unbroken(word):
            return []
        listed = EXCEPTIONS.get(word.lower())
        if listed is not None:
            points = [i - n for n, i in enumerate(m.start() for m in re.finditer("-", listed))]
            return [pyphen.DataInt(point) for point in points]
        return super().positions(word)


def install() -> None:
    """Every pattern dictionary pyphen loads from now on guards names and knows the
    exceptions, and English takes the en_US patterns (WeasyPrint creates its
    pyphen.Pyphen objects per render; they take their dictionary from pyphen's cache)."""
    for language in list(pyphen.LANGUAGES):
        if language == "en" or language.startswith("en_"):
            pyphen.LANGUAGES[language] = pyphen.LANGUAGES[PATTERNS]
    if pyphen.HyphDict is not _Guarded:
        pyphen.HyphDict = _Guarded
        for path, patterns in list(pyphen.hdcache.items()):
            if not isinstance(patterns, _Guarded):
                del pyphen.hdcache[path]


@contextmanager
def names_of(html: str):
    """The composed document's names are kept whole while it is laid out."""
    token = _NAMES.set(listed(html))
    try:
        yield
    finally:
        _NAMES.reset(token)
