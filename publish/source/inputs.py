"""What an issue's PDF depends on, as one digest: equal digests, equal pages.

The digest covers the issue folder, its series file, the layouts its series uses
(the whole extends chain), the fonts, the publish source that builds it and the
WeasyPrint version. `publish diff` skips an issue whose digests match on both
sides (leaving out the parts of publish a build never runs); `build --all` skips
one whose digest, this time with the checker's code, is as at its last good build.
"""
from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

import yaml

from ..project import LAYOUT_FILE, SERIES_FILE


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
                              ("series", file_digest(series) if series.is_file() else "-"),
                              *((f"layout {name}", self.folder(self.root / "layouts" / name))
                                for name in self._layouts(series)),
                              ("fonts", self.folder(self.root / "fonts")),
                              ("publish", self.folder(self.builder, self.leave_out)),
                              ("weasyprint", _version("weasyprint"))]:
            h.update(f"{label}\0{digest}\n".encode())
        return h.hexdigest()

    def folder(self, folder: Path, leave_out: tuple[str, ...] = ()) -> str:
        if folder not in self._folders:
            h = hashlib.sha256()
            if folder.is_dir():
                for path in sorted(p for p in folder.rglob("*") if _counts(p, folder)):
                    rel = path.relative_to(folder).as_posix()
                    if not rel.startswith(leave_out):
                        h.update(f"{rel}\0{file_digest(path)}\n".encode())
            self._folders[folder] = h.hexdigest()
        return self._folders[folder]

    def _layouts(self, series: Path) -> list[str]:
        """The series' layout and those it extends; every layout when that cannot be read."""
        every = sorted(p.parent.name for p in (self.root / "layouts").glob(f"*/{LAYOUT_FILE}"))
        try:
            name = yaml.safe_load(series.read_text(encoding="utf-8")).get("layout")
            chain: list[str] = []
            while name and name not in chain:
                chain.append(str(name))
                manifest = yaml.safe_load(
                    (self.root / "layouts" / str(name) / LAYOUT_FILE).read_text(encoding="utf-8"))
                name = manifest.get("extends") if isinstance(manifest, dict) else None
            return chain or every
        except (OSError, yaml.YAMLError, AttributeError):
            return every


def _counts(path: Path, top: Path) -> bool:
    """A file that can change a PDF: not Python's byte-code or an editor's leftovers."""
    parts = path.relative_to(top).parts
    return (path.is_file() and "__pycache__" not in parts and path.suffix != ".pyc"
            and not any(p.startswith(".") for p in parts))


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"
