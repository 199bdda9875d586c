"""What publish changes in WeasyPrint 70 (pinned in pyproject.toml), one module a change.

Six spare WeasyPrint work it repeated (README, "Speed") and leave its output as it
was: the archive builds byte for byte the same with them as without. Four change the
print file on purpose: `subsetnames` tags font subsets by the issue, `printlinks` leaves
web links and links outside the trim out, `colorprofile` embeds the output profile's own
bytes (issue 20, docs/press.md), and `imageids` names the converted photos by their
content rather than their folder, so a PDF does not depend on where publish keeps them
(issue 19). One, `tagging`, changes only the tagged screen edition's structure tree
(docs/screen.md), never the print file. Two change the lines (issue 23, docs/typography.md): `breaks` where they may
break, `composer` which breaks are taken. Each is tied to the pinned version and checked
by a test, so an upgrade of WeasyPrint fails a test before it changes a page.
"""
from __future__ import annotations

# None of them imports WeasyPrint before install(): the renderer must first point
# fontconfig at the project's fonts.
from . import (balanced, breaks, columns, composer, fontsubsets, linebreaks,  # noqa: F401
               pagerefs, pdfstreams, colorprofile, imageids, printlinks, subsetnames, tagging)


def install() -> None:
    """Install every change; called once WeasyPrint is imported, before a render."""
    columns.install()
    pdfstreams.install()
    pagerefs.install()
    breaks.install()
    linebreaks.install()
    composer.install()  # after linebreaks: its line breaker wraps the remembering one
    fontsubsets.install()
    subsetnames.install()
    printlinks.install()
    colorprofile.install()
    imageids.install()
    tagging.install()  # last: its links wrap printlinks', which leaves a tagged PDF's alone
