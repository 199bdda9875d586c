"""Every error publish raises, under one base class.

A problem that belongs to a place in an input file carries that place as fields
and formats itself as ``file:line:column: field: message`` with an optional hint,
so the CLI can print it as is and exit 2.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# What a terminal would act on rather than show: C0 and C1 controls and DEL (escape
# sequences start with ESC or CSI), bidirectional overrides (they reorder what follows),
# and lone surrogates (not characters; printing one fails).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                          "\u2066-\u2069\ud800-\udfff]")
_UNPRINTABLE_OR_NEWLINE = re.compile(_UNPRINTABLE.pattern[:-1] + "\n]")


def printable(text: str, newlines: bool = True) -> str:
    """text safe to print to a terminal: every control character written as an escape
    (ESC as \\x1b, U+202E as \\u202e), tabs kept, and line breaks kept if newlines."""
    pattern = _UNPRINTABLE if newlines else _UNPRINTABLE_OR_NEWLINE
    return pattern.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# A character the project's fonts lack, where the render found it: the check reports it
# (here, below both, so the check needs no renderer to name it).
@dataclass(frozen=True)
class MissingGlyph:
    char: str
    codepoint: str  # "U+1D11E"
    page: int | None = None  # 1-based
    anchor: str | None = None  # the article or block it stands in


class PublishError(Exception):
    """Base class: the CLI turns any of these into a message, never a traceback."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, with where it is."""

    file: Path
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    field: str | None = None  # e.g. pages[1].blocks[0].article.title
    hint: str | None = None

    def __str__(self) -> str:
        where = printable(str(self.file), newlines=False)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        message = printable(self.message, newlines=False)
        text = (f"{where}: {printable(self.field, newlines=False)}: {message}" if self.field
                else f"{where}: {message}")
        if self.hint:
            text += f"\n  hint: {printable(self.hint, newlines=False)}"
        return text


class IssueError(PublishError):
    """The issue or series files are unusable; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class LayoutError(PublishError):
    """A layout folder is missing, malformed, or its template fails."""


class RenderError(PublishError):
    """WeasyPrint could not turn the HTML into pages (e.g. a refused URL)."""


class OutputError(PublishError):
    """The PDF could not be written (an unwritable or full output folder): not bad input in
    the files, but nothing the user can do in them either; a plain message, exit 2."""


class StrictError(PublishError):
    """--strict: WeasyPrint warned about the layout's CSS or HTML."""


class BuildTimeout(PublishError):
    """A build took longer than its --timeout."""
