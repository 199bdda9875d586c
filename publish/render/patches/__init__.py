"""What publish changes in WeasyPrint 70 (pinned in pyproject.toml), one module a change.

Six spare WeasyPrint work it repeated (README, "Speed") and leave its output as it
was: the archive builds byte for byte the same with them as without. Three change the
print file on purpose (issue 20, docs/press.md): `subsetnames` tags font subsets by the
issue, `printlinks` leaves web links and links outside the trim out, `colorprofile`
embeds the output profile's own bytes. Each is tied to
the pinned version and checked by a test, so an upgrade of WeasyPrint fails a test
before it changes a page.
"""
from __future__ import annotations

# None of them imports WeasyPrint before install(): the renderer must first point
# fontconfig at the project's fonts.
from . import (balanced, columns, fontsubsets, linebreaks, pagerefs, pdfstreams,  # noqa: F401
               colorprofile, printlinks, subsetnames)


def install() -> None:
    """Install every change; called once WeasyPrint is imported, before a render."""
    columns.install()
    pdfstreams.install()
    pagerefs.install()
    linebreaks.install()
    fontsubsets.install()
    subsetnames.install()
    printlinks.install()
    colorprofile.install()
