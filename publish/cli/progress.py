"""Progress of a long build: a live line on a terminal (issue, then page being laid out),
nothing at all when the output is piped, so a CI log keeps one line per issue."""
from __future__ import annotations

import logging
import re
import sys


class Progress(logging.Handler):
    def __init__(self, total: int, pages: bool, stream=None):
        super().__init__(logging.INFO)
        # sys.stderr as it is now, not as it was when this module was imported (a test's
        # captured stream, since closed, in a long-lived process).
        stream = stream or sys.stderr
        self.total, self.stream = total, stream
        self.live = stream.isatty()
        self.current = ""
        self._pages = pages and self.live
        self._shown = False

    def each(self, sources, name=str):
        """sources, announcing each as the build of it begins (the caller's next item)."""
        for i, source in enumerate(sources, start=1):
            self.current = f"[{i}/{self.total}] {name(source)}"
            self._show(f"{self.current} ...")
            yield source

    def clear(self) -> None:
        """Before a result line: the live line goes, the result takes its place."""
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False

    def __enter__(self):
        if self._pages:
            # WeasyPrint announces each page it lays out on this logger, at INFO.
            log = logging.getLogger("weasyprint.progress")
            self._level = log.level
            log.setLevel(logging.INFO)
            log.addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        if self._pages:
            log = logging.getLogger("weasyprint.progress")
            log.removeHandler(self)
            log.setLevel(self._level)
        self.clear()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        page = re.match(r"Step 5 - Creating layout - Page (\d+)", message)
        if page:
            self._show(f"{self.current}: laying out page {page[1]}")
        elif message.startswith("Step 6"):
            self._show(f"{self.current}: writing the PDF and checking it")

    def _show(self, text: str) -> None:
        if self.live:
            self.stream.write("\r\033[K" + text[:200])
            self.stream.flush()
            self._shown = True
