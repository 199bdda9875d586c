"""A time limit around one issue's work, so a pathological input cannot hang a run."""
from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildTimeout

BACKSTOP_GRACE = 5  # seconds past the limit before the process is ended outright
BACKSTOP_EXIT = 2


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` inside a library eats it."""


@contextmanager
def time_limit(seconds: float, source: Path):
    """Stop work on source that runs longer than seconds (0 or less: no limit)."""
    if not seconds or seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return

    message = (f"{source}: gave up after {seconds:g} s (--timeout); the issue is too large "
               "for its pages, or a layout loops")

    def expire(signum, frame):
        raise _Expired()

    def backstop():
        # The alarm cannot interrupt a long call inside Pango or HarfBuzz; this thread can.
        # Exiting is safe: the PDF is written atomically, and a killed build's temporary
        # file is removed by the next build.
        print(f"publish: {message}", file=sys.stderr, flush=True)
        os._exit(BACKSTOP_EXIT)
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    watchdog = threading.Timer(seconds + BACKSTOP_GRACE, backstop)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield
    except _Expired:
        raise BuildTimeout(message) from None
    finally:
        watchdog.cancel()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
