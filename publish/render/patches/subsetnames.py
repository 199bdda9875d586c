"""Font subset names drawn from the document: a patch to WeasyPrint 70.

WeasyPrint names each font subset it embeds "ABCDEF+Noto-Sans", the tag taken from the
font's description (family, weight, style) alone, so every issue's subset of Noto Sans
is called the same while holding different glyphs. A printer who merges or imposes two
issues' files then has two fonts of one name, and a RIP keeps one of them: characters of
the other issue print from the wrong subset. publish derives the tag from the document
being written (its id, a digest of the composed issue) and WeasyPrint's own tag: unique
per issue and per revision, and the same for the same input (the archive stays
reproducible).
"""
from __future__ import annotations

import contextlib
import contextvars
from hashlib import md5

WEASYPRINT_VERSION = "70.0"
_document: contextvars.ContextVar[str] = contextvars.ContextVar("publish_subset_names",
                                                                default="")


def tag(document: str, weasyprint_tag: str) -> str:
    """Six capital letters, as PDF subset tags are (ISO 32000, 9.6.4)."""
    digest = md5(f"{document}:{weasyprint_tag}".encode(), usedforsecurity=False).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


@contextlib.contextmanager
def named_for(document: str):
    """Fonts written in this block are tagged for document (an id of the issue)."""
    token = _document.set(document)
    try:
        yield
    finally:
        _document.reset(token)


def install() -> bool:
    import weasyprint
    from weasyprint.pdf import fonts
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(fonts.Font.__init__, "_publish_patched", False):
        return True
    original = fonts.Font.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        document = _document.get()
        # self.name is b"/" + the six-letter tag + b"+" + the font's name; self.hash (the
        # tag, also the font's resource name in the page streams) stays as it is.
        if document and self.name[7:8] == b"+":
            self.name = b"/" + tag(document, self.hash).encode() + self.name[7:]

    __init__._publish_patched = True
    __init__._publish_original = original
    fonts.Font.__init__ = __init__
    return True
