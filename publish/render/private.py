"""The render's caches outside the project (fontconfig's, deflated streams) live in one
folder that only this user can reach."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def folder() -> Path:
    """publish's own folder in the temporary directory: this user's, and no one else's.

    Its name is predictable (so the font cache is reused), hence checked: a real folder,
    not a link, owned by this user, closed to others. If anyone else made it first, a
    fresh random folder serves this run instead.
    """
    folder = Path(tempfile.gettempdir()) / f"publish-{os.getuid()}"
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return Path(tempfile.mkdtemp(prefix="publish-"))
    info = os.lstat(folder)
    if (not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid()
            or info.st_mode & 0o077):
        return Path(tempfile.mkdtemp(prefix="publish-"))
    return folder
