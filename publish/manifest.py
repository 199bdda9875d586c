"""Skip what is already built: a manifest beside the PDFs of what each was built from.

An issue is unchanged when every input is as it was at its last good build (the issue's
folder, its series file, the layouts, the fonts, and publish's own code) and its PDF
is still the one that build wrote. Inputs are compared by content, except the fonts
(megabytes of them, which nobody edits in place): by size and modification time.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .write import atomic

FILE = ".publish-manifest.json"
_CODE = Path(__file__).resolve().parent


class Manifest:
    def __init__(self, out: Path):
        self.path = out / FILE
        try:
            self.entries: dict[str, dict] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.entries = {}
        if not isinstance(self.entries, dict):
            self.entries = {}
        self._shared: dict[Path, str] = {}

    def inputs(self, source: Path) -> str:
        """A digest of everything the issue's PDF is made from."""
        folder = _folder(source)
        project = _project(folder)
        h = hashlib.sha256()
        for part in (_CODE, project / "layouts", project / "fonts"):
            if part not in self._shared:
                self._shared[part] = _digest(part, by_stat=part.name == "fonts")
            h.update(self._shared[part].encode())
        h.update(_digest(folder).encode())
        h.update(_digest(folder.parent / "series.yaml").encode())
        return h.hexdigest()

    def unchanged(self, source: Path, out: Path, inputs: str) -> bool:
        entry = self.entries.get(str(_folder(source)))
        pdf = out / pdf_name(source)
        return (entry is not None and entry.get("inputs") == inputs
                and pdf.is_file() and entry.get("pdf") == _digest(pdf))

    def record(self, source: Path, out: Path, inputs: str) -> None:
        """Note a good build of source (made from inputs) and save the manifest at once."""
        pdf = out / pdf_name(source)
        if pdf.is_file():
            self.entries[str(_folder(source))] = {"inputs": inputs, "pdf": _digest(pdf)}
            data = json.dumps(self.entries, indent=1, sort_keys=True).encode()
            atomic(self.path, lambda f: f.write(data))


def pdf_name(source: Path) -> str:
    folder = _folder(source)
    return f"{folder.parent.name}-{folder.name}.pdf"


def _folder(source: Path) -> Path:
    source = Path(source).resolve()
    return source.parent if source.is_file() else source


def _project(folder: Path) -> Path:
    for parent in folder.parents:
        if (parent / "layouts").is_dir() and (parent / "fonts").is_dir():
            return parent
    return folder.parent.parent


def _digest(path: Path, by_stat: bool = False) -> str:
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if file.suffix == ".pyc" or file.name.startswith(".") and file.name.endswith(".part"):
            continue
        h.update(str(file.relative_to(path) if path.is_dir() else file.name).encode() + b"\0")
        try:
            if by_stat:
                st = os.stat(file)
                h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
            else:
                h.update(hashlib.sha256(file.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()
