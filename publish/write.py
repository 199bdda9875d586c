"""Write stage: a file appears whole or not at all.

The bytes go to a temporary file in the target's own folder (so the final rename
never crosses file systems), are flushed to disk, then renamed over the target.
A failure or an interrupt at any point removes the temporary file and leaves the
previous version untouched; two writers racing leave one complete file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from .errors import OutputError


def atomic(target: Path, produce: Callable[[BinaryIO], None]) -> int:
    """Write target with produce(file); return the number of bytes written.

    An operating-system error (no permission, no space, not a folder) is an OutputError
    naming the file, and the previous version stays as it was."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".part",
                                    dir=target.parent)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write {target}: {_not_a_folder(target.parent)} is not a "
                          "folder") from None
    except OSError as e:
        raise OutputError(f"cannot write {target}: {e.strerror or e}"
                          + (f" ({e.filename})" if e.filename and
                             str(e.filename) != str(target) else "")) from None
    try:
        return _write(target, temp, fd, produce)
    except OSError as e:
        raise OutputError(f"cannot write {target}: {e.strerror or e}; the previous version, "
                          "if any, is unchanged") from None


def _write(target: Path, temp: str, fd: int, produce: Callable[[BinaryIO], None]) -> int:
    try:
        with os.fdopen(fd, "wb") as f:
            produce(f)
            f.flush()
            os.fsync(f.fileno())
            size = f.tell()
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    return size


def _not_a_folder(folder: Path) -> Path:
    """The first of folder and its parents that exists and is not a folder."""
    for candidate in reversed([folder, *folder.parents]):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return folder


def _remove_stale(target: Path) -> None:
    """Remove temporary files left by builds that were killed (their process is gone)."""
    for part in target.parent.glob(f".{target.name}.*.part"):
        pid = part.name[len(target.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            part.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
