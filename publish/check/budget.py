"""How much reading one PDF's pages may take: a small hostile file must not cost minutes
and gigabytes.

A PDF can be made to look small and cost without end: a form that draws itself (each
drawing draws it again), forms drawing each other many times over, a compressed stream
that inflates to millions of operators, or `q` saved states nested millions deep. The
page walker (content.py) spends from one Budget per document and stops, with
"too complex to check: ...", as soon as any of it runs out. The limits are far above what
a newsletter uses (measured on the archive: see below), so no real issue comes near.
"""
from __future__ import annotations

from contextlib import contextmanager

from ..errors import PublishError

CONTENT_BYTES = 4 << 20  # content-stream bytes walked, a form counted each time it is drawn
FORM_VISITS = 20_000  # forms drawn, counted each time
NESTING = 256  # saved graphics states (q) open at once, within one stream
# The archive's largest PDF (mmsp-2018-03) walks 0.36 MB of content in 0.17 s, draws no
# form and nests states 14 deep (this module's counters, December 2026): 4 MB is a few
# seconds of walking.


class TooComplex(PublishError):
    """The PDF asks more work of the check than any newsletter does."""

    def __init__(self, why: str):
        super().__init__(f"too complex to check: {why}; a PDF publish builds never does "
                         "this, so it was not checked")


class Budget:
    def __init__(self):
        self.content_bytes = 0
        self.form_visits = 0
        self.deepest = 0
        self._forms: list = []  # the forms being drawn, outermost first

    def stream(self, size: int) -> None:
        """A content stream of size bytes is about to be walked."""
        self.content_bytes += size
        if self.content_bytes > CONTENT_BYTES:
            raise TooComplex(f"its pages' drawing instructions come to more than "
                             f"{CONTENT_BYTES >> 20} MB (forms counted each time drawn)")

    def nest(self, open_states: int) -> None:
        """A q saves a graphics state while open_states are open."""
        if open_states >= NESTING:
            raise TooComplex(f"it saves graphics states (q) more than {NESTING} deep")
        self.deepest = max(self.deepest, open_states + 1)

    @contextmanager
    def form(self, xobject, name: str):
        """While form xobject (named name on its page) is drawn."""
        key = _identity(xobject)
        if key in self._forms:
            raise TooComplex(f"the form {name} draws itself")
        self.form_visits += 1
        if self.form_visits > FORM_VISITS:
            raise TooComplex(f"it draws forms more than {FORM_VISITS:,} times")
        self._forms.append(key)
        try:
            yield
        finally:
            self._forms.pop()


def _identity(xobject):
    ref = getattr(xobject, "indirect_reference", None)
    return (ref.idnum, ref.generation) if ref is not None else id(xobject)
