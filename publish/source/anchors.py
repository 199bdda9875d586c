"""The names the composed HTML and the checker share: anchor ids and the index's page word.

A layout's templates spell these through the globals compose gives them (see
docs/layouts.md); the checker finds the same names in the PDF's named
destinations and text. Changing a spelling here changes both sides at once.
"""
from __future__ import annotations

# The word before each page number in the printed index ("PAGE 3"): the check
# reads the index by it.
INDEX_PAGE = "PAGE"

END = "--end"  # suffix of the mark where a block, page or run of pages ends
BLOCK = "--block"  # suffix of an article's outer block (the article itself carries its id)


def page(first: int) -> str:
    """The anchor of a page entry's start: page-3 (a spread 4/5 has page-4)."""
    return f"page-{first}"


def block(page_number: int, position: int, kind: str) -> str:
    """The anchor of a block other than an article: p2-1-banner (page, 1-based place, kind)."""
    return f"p{page_number}-{position}-{kind}"


def end(anchor: str) -> str:
    return anchor + END


def index_label(label: str) -> str:
    """How the index prints a page entry's label: 'PAGE 4/5'."""
    return f"{INDEX_PAGE} {label}"
