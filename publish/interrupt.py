"""Ctrl-C at any moment: one line on stderr, exit code 130, no traceback, no partial file.

The handler raises KeyboardInterrupt as Python's own does, so a build unwinds normally:
the file being written is removed and the command says what was written. Two things can
go wrong with that alone, both seen on this machine:
- code that catches every exception (a library's bare `except:`) swallows the interrupt
  and the build goes on; so the handler also arms a backstop that, if the process is
  still running a few seconds later, removes the temporary file being written
  (write.py registers it), prints the line and ends the process;
- Python 3.11 ends the process by SIGINT (exit -2) when the interrupt was raised inside
  code run by exec() (dataclasses, while importing), even though it was caught; so the
  command exits with os._exit after an interrupt (program(), in cli/__init__.py).
A second Ctrl-C ends the process at once, the same way.
"""
from __future__ import annotations

import os
import signal
import sys
import threading

EXIT = 130
BACKSTOP = 5.0  # seconds for the normal unwinding before the process is ended
LINE = ["publish: interrupted; nothing was written"]
_pending: set[str] = set()  # temporary files this process is writing
_armed: list[threading.Timer] = []


def writing(temp: str) -> None:
    _pending.add(temp)


def done(temp: str) -> None:
    _pending.discard(temp)


def say(line: str) -> None:
    """The backstop's line, for a command with nothing to leave unwritten (watch)."""
    LINE[0] = line


def install():
    """Handle SIGINT, and SIGTERM (a process ending publish, or publish's parent ending:
    children.py) the same way, as described above (main thread only: signals are
    delivered there); returns what to pass to restore()."""
    if threading.current_thread() is threading.main_thread():
        return signal.signal(signal.SIGINT, _handler), signal.signal(signal.SIGTERM, _handler)
    return None


def restore(previous) -> None:
    """Back to the handlers before install() (main() called from a program of its own)."""
    for timer in _armed:
        timer.cancel()
    _armed.clear()
    if previous is not None:
        for signum, handler in zip((signal.SIGINT, signal.SIGTERM), previous):
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def end() -> None:
    """End the process now: remove what is half-written, say so, exit 130."""
    for temp in list(_pending):
        try:
            os.unlink(temp)
        except OSError:
            pass
    os.write(2, (LINE[0] + "\n").encode())
    os._exit(EXIT)


def _handler(signum, frame) -> None:
    if _armed:
        end()
    timer = threading.Timer(BACKSTOP, end)
    timer.daemon = True
    timer.start()
    _armed.append(timer)
    raise KeyboardInterrupt
