"""Processes publish starts end with the one that started them.

A `publish diff` killed mid-build left its `publish build` children and their workers
running, holding the caller's pipes open, and their 30-60 MB temporary folder behind.
On Linux a child asks the kernel for SIGTERM when its parent dies (PR_SET_PDEATHSIG),
whatever ends the parent, SIGKILL included; SIGTERM is an interrupt to publish
(interrupt.py), so the child unwinds, stops its own workers and removes what it was
writing.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def end_with_parent() -> None:
    """In a child (a preexec_fn, a pool's initializer): SIGTERM when the parent ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent ended before the request was made
        os.kill(os.getpid(), signal.SIGTERM)
