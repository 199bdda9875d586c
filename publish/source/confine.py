"""Every file publish reads or writes stays inside the project after links are resolved.

An issue, series or layout file may be a symbolic link, and a link may lead anywhere:
to a password file, whose first characters a YAML error would print, or to a file
outside the project that `publish schema` would overwrite. So before a file is opened
its resolved path is compared with the resolved project folder it belongs to
(issues/ for the issue and series files, layouts/ for the layouts, the project for
what `publish schema` writes): a link inside the project is followed, one out of it
is refused without being opened.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem


def project_of(path: Path) -> Path | None:
    """The project folder above path (not following path's own links): the nearest folder
    with layouts/ and fonts/; None when there is none."""
    path = Path(path).absolute()
    for folder in path.parents:
        if (folder / "layouts").is_dir() and (folder / "fonts").is_dir():
            return folder
    return None


def issues_folder(path: Path) -> Path | None:
    """The issues/ folder an issue or series file is read from; None outside a project
    laid out that way (then the file's series folder bounds it)."""
    project = project_of(path)
    if project is not None and (project / "issues").is_dir() \
            and Path(path).absolute().is_relative_to(project / "issues"):
        return project / "issues"
    return None


def outside(path: Path, root: Path, where: str | None = None) -> Problem | None:
    """A Problem when path, its links resolved, is not inside root (resolved) and so must
    not be opened; None when it may be. where names root in the message."""
    real = Path(path).resolve()
    if real.is_relative_to(Path(root).resolve()):
        return None
    return Problem(Path(path), f"is a link to {real}, outside {where or root}; publish reads "
                               "and writes only files inside the project, so it was not opened")
