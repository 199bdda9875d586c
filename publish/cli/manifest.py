"""Skip what is already built: a manifest beside the PDFs of what each was built from.

An issue is unchanged when every input is as it was at its last good build (the issue's
folder, its series file, the layouts, the fonts, publish's own code with its checker,
and WeasyPrint's version: see source/inputs.py), every file that build read still holds
the bytes it read (source/reads.py: an edit made while it ran is not taken for the
build's), and its PDF is still the one that build wrote.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..project import find, pdf_name, slug
from ..source import reads
from ..source.inputs import Digests, file_digest
from ..write import atomic

FILE = ".publish-manifest.json"
_CODE = Path(__file__).resolve().parents[1]  # the publish package


class Manifest:
    def __init__(self, out: Path):
        self.path = out / FILE
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.entries = {}
        if not isinstance(self.entries, dict):
            self.entries = {}
        self._digests: dict[Path, Digests] = {}

    def inputs(self, source: Path) -> str:
        """A digest of everything the issue's PDF and its check's verdict are made from."""
        folder = _folder(source)
        project = _project(folder)
        if project not in self._digests:
            # The checker's code counts too: a build is recorded only once its check passed.
            self._digests[project] = Digests(project, _CODE, leave_out=())
        return self._digests[project].issue(folder.relative_to(project).as_posix())

    def unchanged(self, source: Path, out: Path, inputs: str,
                  editions: tuple[str, ...] = ("print",)) -> bool:
        """Every edition asked for is as its last good build left it."""
        for edition in editions:
            entry = self.entries.get(_key(source, edition))
            pdf = out / pdf_name(slug(_folder(source)), edition)
            if not isinstance(entry, dict) or entry.get("inputs") != inputs:
                return False
            read = entry.get("read")
            # An entry of another shape (damaged, or older than reads.py) is a build to redo.
            if not isinstance(read, dict) or not read or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in read.items()):
                return False
            if not (pdf.is_file() and entry.get("pdf") == file_digest(pdf)
                    and reads.still_as_read(read)):
                return False
        return True

    def record(self, source: Path, out: Path, inputs: str, read: dict[str, str],
               editions: tuple[str, ...] = ("print",)) -> None:
        """Note a good build of source (made from inputs, having read the files of read,
        each as hashed when read) and save the manifest at once."""
        if not read or reads.CHANGED in read.values():
            return
        for edition in editions:
            pdf = out / pdf_name(slug(_folder(source)), edition)
            if pdf.is_file():
                self.entries[_key(source, edition)] = {
                    "inputs": inputs, "pdf": file_digest(pdf), "read": dict(sorted(read.items()))}
        data = json.dumps(self.entries, indent=1, sort_keys=True).encode()
        atomic(self.path, lambda f: f.write(data))


def _key(source: Path, edition: str) -> str:
    """An issue's entry: its folder for print (what publish diff reads), folder#screen."""
    folder = str(_folder(source))
    return folder if edition == "print" else f"{folder}#{edition}"


def _folder(source: Path) -> Path:
    source = Path(source).resolve()
    return source.parent if source.is_file() else source


def _project(folder: Path) -> Path:
    return find(folder.parent) or folder.parent.parent
