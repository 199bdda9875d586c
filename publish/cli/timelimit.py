"""A time limit around one issue's work, so a pathological input cannot hang a run."""
from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildTimeout

BACKSTOP_GRACE = 5  # seconds past the limit before the process is ended outright
BACKSTOP_EXIT = 2
SHORTEST, LONGEST = 0.1, 86400.0  # seconds a --timeout may be (0: no limit)


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` inside a library eats it."""


def timeout_argument(text: str) -> float:
    """argparse type for --timeout: 0 (no limit) or a finite number of seconds in range."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if seconds == 0:
        return 0.0
    if not math.isfinite(seconds) or not SHORTEST <= seconds <= LONGEST:
        raise argparse.ArgumentTypeError(
            f"needs a number of seconds from {SHORTEST:g} to {LONGEST:g} (or 0 for no limit), "
            f"not {text!r}")
    return seconds


BUILD_CAUSE = "the issue is too large for its pages, or a layout loops"


def message(seconds: float, source: Path, cause: str = BUILD_CAUSE) -> str:
    return f"{source}: gave up after {seconds:g} s (--timeout); {cause}"


@contextmanager
def time_limit(seconds: float, source: Path, backstop: bool = True, cause: str = BUILD_CAUSE):
    """Stop work on source that runs longer than seconds (0 or less: no limit).

    backstop: end the process if the alarm cannot stop the work (a long call inside Pango
    or HarfBuzz). A worker process leaves that to the pool that runs it, which then
    ends only that worker.
    """
    if not seconds or seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return
    text = message(seconds, source, cause)

    def expire(signum, frame):
        raise _Expired()

    def end_process():
        # Exiting is safe: the PDF is written atomically, and a killed build's temporary
        # file is removed by the next build.
        print(f"publish: {text}", file=sys.stderr, flush=True)
        os._exit(BACKSTOP_EXIT)

    previous = signal.signal(signal.SIGALRM, expire)
    watchdog = threading.Timer(seconds + BACKSTOP_GRACE, end_process) if backstop else None
    try:
        try:
            # Armed inside the try: a very short limit may expire before the work starts.
            if watchdog is not None:
                watchdog.daemon = True
                watchdog.start()
            signal.setitimer(signal.ITIMER_REAL, seconds)
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Expired:
        raise BuildTimeout(text) from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        signal.signal(signal.SIGALRM, previous)
