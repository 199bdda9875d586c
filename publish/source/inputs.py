"""What an issue's PDF depends on, as one digest: equal digests, equal pages.

The digest covers the issue folder, its series file, the project's layouts (all of
them: a layout may use a file of another layout folder), the fonts, the publish source
that builds it and the WeasyPrint version, every file in those folders counted, its
name starting with "." or not (a build may read a `.photo.jpg`). `publish diff` skips
an issue whose digests match on both sides (leaving out the parts of publish a build
never runs); `build --all` skips one whose digest, this time with the checker's code,
is as at its last good build and whose files the build read still hold the bytes it
read (reads.py).

Nothing is read here that the loader's guards would refuse: a file is opened only when
it is a regular file (never a device or a pipe), and a link that leads out of the
project counts by where it leads, unopened.
"""
from __future__ import annotations

import hashlib
import os
import stat
from importlib import metadata
from pathlib import Path

from ..project import SERIES_FILE


# Parts of publish that a build never runs (it runs with --no-check): a change to them alone
# leaves every PDF as it was, so it need not rebuild the archive.
_BUILDS_NOTHING = ("check/", "tools/diff/", "cli/commands/check.py", "cli/commands/diff.py")


BUILD_ONLY = _BUILDS_NOTHING  # leave_out for a digest of what a build alone depends on


class Digests:
    """Digests of the folders of one project, each computed once."""

    def __init__(self, root: Path, builder: Path, leave_out: tuple[str, ...] = BUILD_ONLY):
        self.root = root
        self.builder = builder  # the publish package that builds this project's issues
        self.leave_out = leave_out  # parts of publish that do not count
        self._folders: dict[Path, str] = {}

    def issue(self, rel: str) -> str:
        """The digest of everything issue folder rel (under root) is built from."""
        folder = self.root / rel
        series = folder.parent / SERIES_FILE
        h = hashlib.sha256()
        for label, digest in [("issue", self.folder(folder)),
                              ("series", self.file(series)),
                              ("layouts", self.folder(self.root / "layouts")),
                              ("fonts", self.folder(self.root / "fonts")),
                              ("publish", self.folder(self.builder, self.leave_out, code=True)),
                              ("weasyprint", _version("weasyprint"))]:
            h.update(f"{label}\0{digest}\n".encode())
        return h.hexdigest()

    def folder(self, folder: Path, leave_out: tuple[str, ...] = (), code: bool = False) -> str:
        if folder not in self._folders:
            h = hashlib.sha256()
            if folder.is_dir():
                for path in sorted(p for p in _walk(folder) if _counts(p, folder, code)):
                    rel = path.relative_to(folder).as_posix()
                    if not rel.startswith(leave_out):
                        h.update(f"{rel}\0{self.file(path)}\n".encode())
            self._folders[folder] = h.hexdigest()
        return self._folders[folder]

    def file(self, path: Path) -> str:
        """The file's digest; a link out of the project by its target, unopened."""
        if path.is_symlink():
            real = path.resolve()
            if not real.is_relative_to(self.root.resolve()) and not any(
                    real.is_relative_to((self.root / part).resolve())
                    for part in ("issues", "layouts", "fonts")):
                return f"link to {real}"
        return file_digest(path)


def _walk(folder: Path):
    """Every path under folder, following links to folders (as the build does) but never
    one that leads back above itself (a loop)."""
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = Path(top).resolve()
        dirs[:] = [d for d in dirs if not real.is_relative_to((Path(top) / d).resolve())]
        for name in files:
            yield Path(top) / name


def _counts(path: Path, top: Path, code: bool) -> bool:
    """A file that can change a PDF: in publish's own code, not Python's byte-code or the
    folders and files it leaves out of a package (editors', git's)."""
    parts = path.relative_to(top).parts
    if not code:
        return True
    return ("__pycache__" not in parts and path.suffix != ".pyc"
            and not any(p.startswith(".") for p in parts))


def file_digest(path: Path) -> str:
    """sha256 of a regular file's bytes; a word for anything else (a device or a pipe is
    never read, an unreadable file is not an error here: the build will say)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        return f"unreadable ({e.strerror})"
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "not a regular file"
        h = hashlib.sha256()
        try:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        except OSError as e:
            return f"unreadable ({e.strerror})"
    return h.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"
