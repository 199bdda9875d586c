"""Proper names and acronyms are never hyphenated, without touching the text or its boxes.

WeasyPrint 70 hyphenates a word by asking pyphen for its break points
(text/line_break.py: `pyphen.Pyphen(lang=...).iterate(word)`, which reads
`HyphDict.positions(word)`), with the word as printed: "Hermoso", "MOFCOM".
Here pyphen's pattern dictionary answers "no break point" for the words the
compose stage listed as names (see typography.names) and for any word in capitals,
and the usual patterns for every other word, lower case included ("Cooperation"
in a name stays whole, "cooperation" in prose may still break).

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


def unbroken(word: str) -> bool:
    """Whether the word must not be hyphenated: a listed name, or an acronym in capitals."""
    names = _NAMES.get()
    return any(part in names or (len(part) > 1 and part.isupper())
               for part in _PARTS.split(word))


class _Guarded(pyphen.HyphDict):
    """pyphen's patterns, with no break points in a name."""

    def positions(self, word):
        return [] if unbroken(word) else super().positions(word)


def install() -> None:
    """Every pattern dictionary pyphen loads from now on guards names (WeasyPrint creates
    its pyphen.Pyphen objects per render; they take their dictionary from pyphen's cache)."""
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
