"""The project: the folder holding issues/, layouts/ and fonts/, and the names of its files.

Every stage finds the project and names an issue's files and PDF here, so a rename is
made once: issues/<series>/series.yaml, issues/<series>/<issue>/issue.yaml,
layouts/<name>/layout.yaml, and <series>-<issue>.pdf. Nothing heavy is imported: the
command line finds the project before it loads any stage.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import IssueError, Problem

ISSUE_FILE = "issue.yaml"
SERIES_FILE = "series.yaml"
LAYOUT_FILE = "layout.yaml"


def is_project(folder: Path) -> bool:
    return (folder / "layouts").is_dir() and (folder / "fonts").is_dir()


def find(path: Path) -> Path | None:
    """The project a path belongs to: the nearest folder at or above it with layouts/ and
    fonts/; None outside a project."""
    path = Path(path).resolve()
    for folder in [path, *path.parents]:
        if is_project(folder):
            return folder
    return None


@dataclass(frozen=True)
class Project:
    """The folder holding issues/, layouts/ and fonts/."""

    root: Path

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def issues(self) -> Path:
        return self.root / "issues"

    @classmethod
    def around(cls, path: Path) -> "Project":
        """The project a file belongs to: the nearest folder above it with layouts/."""
        root = find(path)
        if root is None:
            raise IssueError([Problem(Path(path).resolve(), "is not inside a publish project "
                                      "(no folder above it has layouts/ and fonts/)")])
        return cls(root)

    def all_issues(self) -> list[Path]:
        # A series file that is not a plain file (a link out, a device) is listed, so
        # that its issues are reported instead of passed over in silence.
        return sorted(p.parent for p in self.issues.glob(f"*/*/{ISSUE_FILE}")
                      if os.path.lexists(p.parent.parent / SERIES_FILE))


def issue_file(source: Path) -> Path:
    """The issue.yaml a command-line SOURCE names (a folder or the file itself)."""
    return source / ISSUE_FILE if source.is_dir() else source


def slug(folder: Path | str) -> str:
    """An issue's name, its PDF's without .pdf: <series folder>-<issue folder>."""
    folder = Path(folder)
    return f"{folder.parent.name}-{folder.name}"


def issue_slug(source: Path) -> str:
    """The slug of the issue a command-line SOURCE names."""
    return slug(issue_file(Path(source)).resolve().parent)


def pdf_name(slug: str, edition: str = "print") -> str:
    """<slug>.pdf for print, <slug>-screen.pdf for the screen edition."""
    return f"{slug}.pdf" if edition == "print" else f"{slug}-{edition}.pdf"
