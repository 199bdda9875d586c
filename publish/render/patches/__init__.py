"""What publish changes in WeasyPrint 70 (pinned in pyproject.toml), one module a change.

Most spare WeasyPrint work it repeated (README, "Speed") and leave its output as it
was: the archive builds byte for byte the same with them as without. `breaks` changes
where lines may break and `composer` which breaks are taken (docs/typography.md). Each is tied to
the pinned version and checked by a test, so an upgrade of WeasyPrint fails a test
before it changes a page.
"""
from __future__ import annotations

# None of them imports WeasyPrint before install(): the renderer must first point
# fontconfig at the project's fonts.
from . import (balanced, breaks, columns, composer, fontsubsets, linebreaks,  # noqa: F401
               pagerefs, pdfstreams)


def install() -> None:
    """Install every change; called once WeasyPrint is imported, before a render."""
    columns.install()
    pdfstreams.install()
    pagerefs.install()
    breaks.install()
    linebreaks.install()
    composer.install()  # after linebreaks: its line breaker wraps the remembering one
    fontsubsets.install()
