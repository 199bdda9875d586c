"""Settings found for a run, remembered under a digest of everything the run's layout
depends on, for this process and (in publish's private temporary folder) the next.

The digest covers the run's composed HTML at the layout's setting (its text, figures,
classes and the stylesheets' addresses), the document's head, every file of the layout's
folders, the fit's bounds, the fonts, WeasyPrint's version and publish's own code: a run
whose digest matches lays out as it did, so the setting the search found then is the one
it would find again, and the PDF is byte for byte a fresh search's. A remembered setting
that does not fit after all (a digest that missed something) is searched afresh.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from .levers import Setting

_kept: dict[str, Setting] = {}


def key(split, first: int, layout) -> str:
    digest = hashlib.sha256()
    for part in (split.head, split.runs.get(first, ""), split.tail, repr(layout.fit),
                 _code(), *_folder_stamp(tuple(layout.folders))):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def recall(digest: str) -> Setting | None:
    if digest in _kept:
        return _kept[digest]
    path = _file(digest)
    try:
        values = json.loads(path.read_text())
        setting = Setting(**values)
    except (OSError, ValueError, TypeError):
        return None
    _kept[digest] = setting
    return setting


def remember(digest: str, setting: Setting) -> None:
    if _kept.get(digest) == setting:
        return
    _kept[digest] = setting
    path = _file(digest)
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}")
        temp.write_text(json.dumps(asdict(setting), sort_keys=True))
        os.replace(temp, path)
    except OSError:
        pass  # remembered for this process only


def forget() -> None:
    """Forget every setting, in this process and on disk (benchmarks, tests)."""
    _kept.clear()
    folder = _folder()
    for path in folder.glob("*.json") if folder.is_dir() else ():
        try:
            path.unlink()
        except OSError:
            pass


def _folder() -> Path:
    from ..render.private import folder
    return folder() / "fit"


def _file(digest: str) -> Path:
    return _folder() / f"{digest}.json"


@lru_cache(maxsize=1)
def _code() -> str:
    """publish's own code and WeasyPrint's version: a change in either may move a line."""
    import weasyprint
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(weasyprint.__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    fonts = root.parent / "fonts"
    for path in sorted(fonts.rglob("*")) if fonts.is_dir() else ():
        info = path.stat()
        digest.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def _folder_stamp(folders: tuple[Path, ...]) -> list[str]:
    parts = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts.append(f"{path.relative_to(folder)}:" +
                             hashlib.sha256(path.read_bytes()).hexdigest())
    return parts
