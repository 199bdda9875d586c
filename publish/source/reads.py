"""What a build read: every project file the loader, the templates and the renderer's
fetcher opened, with a digest of the bytes as they were read.

`build --all` and `publish diff` skip an issue whose inputs are as at its last good
build. A guess of the folders an issue depends on misses what a layout or an issue
reaches elsewhere (a stylesheet of another layout folder, a `.photo.jpg`), and a digest
taken before the build misses an edit made while it ran and undone since. So the
manifest also keeps what this list says was read, hashed from the very bytes used: a
file that holds other bytes now makes the issue build again.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHANGED = "changed while read"  # a file read twice in one build, with other bytes
_recording: list[dict[str, str]] = []  # one per build in progress in this thread of work


@contextmanager
def recording() -> Iterator[dict[str, str]]:
    """Collect {resolved path: sha256 of the bytes read} for the duration."""
    read: dict[str, str] = {}
    _recording.append(read)
    try:
        yield read
    finally:
        _recording.remove(read)


def note(path: Path | str, data: bytes | str) -> None:
    """path was read and gave data (a file read twice with other bytes counts as changed)."""
    if _recording:
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        note_all({str(Path(path).resolve()): digest(data)})


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def note_all(read: dict[str, str]) -> None:
    """Files read earlier that this build uses again unread (templates compiled once)."""
    for read_now in _recording:
        for key, value in read.items():
            read_now[key] = value if read_now.get(key, value) == value else CHANGED


def still_as_read(read: dict[str, str]) -> bool:
    """Every file holds the bytes it held when it was read."""
    from .inputs import file_digest
    return all(file_digest(Path(key)) == value for key, value in read.items())
