"""Write stage: a file appears whole or not at all.

The bytes go to a temporary file in the target's own folder (so the final rename
never crosses file systems), are flushed to disk, then renamed over the target.
A failure or an interrupt at any point removes the temporary file and leaves the
previous version untouched; two writers racing leave one complete file.

A build that was killed leaves its temporary file behind; the next build of the same
target removes it, but only when it is certainly abandoned, since the output folder may
be shared with other containers or machines writing at the same moment. A writer holds
an exclusive lock on its temporary file, and names it after its machine (host name and
boot) and process. A leftover is removed when nobody holds its lock and either it is
this machine's and its process is gone, or it is a day old (a lock taken on another
machine may not be visible here; process ids mean nothing across machines or
containers).
"""
from __future__ import annotations

import fcntl
import os
import re
import socket
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Callable

from . import interrupt
from .errors import OutputError

STALE_AFTER = 24 * 3600  # seconds: another machine's leftover is abandoned by then


def atomic(target: Path, produce: Callable[[BinaryIO], None]) -> int:
    """Write target with produce(file); return the number of bytes written.

    An operating-system error (no permission, no space, not a folder) is an OutputError
    naming the file, and the previous version stays as it was."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.{_machine()}.{os.getpid()}.",
                                    suffix=".part", dir=target.parent)
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
    interrupt.writing(temp)  # for Ctrl-C's backstop, should the interrupt be swallowed
    try:
        with os.fdopen(fd, "wb") as f:
            _lock(f.fileno())
            produce(f)
            f.flush()
            os.fsync(f.fileno())
            size = f.tell()
            os.chmod(temp, 0o644)
            os.replace(temp, target)  # while still locked: no one removes it under us
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    finally:
        interrupt.done(temp)
    return size


def _not_a_folder(folder: Path) -> Path:
    """The first of folder and its parents that exists and is not a folder."""
    for candidate in reversed([folder, *folder.parents]):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return folder


def _lock(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the file is new: no one else holds it
    except OSError:
        pass  # a file system without locks: the machine and age rules still protect the file


@lru_cache(maxsize=1)
def _machine() -> str:
    """This machine's tag for temporary names: host name and an id of the current boot."""
    host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip().replace("-", "")[:8]
    except OSError:
        boot = "0"
    return f"{host}-{boot}"


def _remove_stale(target: Path) -> None:
    prefix = f".{target.name}."
    for part in target.parent.glob(f".{target.name}.*.part"):
        fields = part.name[len(prefix):].split(".")
        if len(fields) < 3:
            continue  # not a name this module makes
        machine, pid = fields[0], fields[1]
        if machine == _machine() and pid.isdigit() and not _alive(int(pid)):
            abandoned = True
        else:
            try:
                abandoned = time.time() - part.stat().st_mtime > STALE_AFTER
            except FileNotFoundError:
                continue
        if abandoned and not _locked(part):
            part.unlink(missing_ok=True)


def _locked(part: Path) -> bool:
    """Whether a writer still holds part (its lock dies with its process)."""
    try:
        fd = os.open(part, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return True  # gone already, or not ours to judge
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
