"""One warm process rebuilding an issue as its files change, and what the preview shows.

The last good pages stay on screen when a build fails (a YAML typo mid-edit, a render
refused): the failure is shown as a banner above them instead.
"""
from __future__ import annotations

import gc
import os
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ...source import anchors
from ...errors import PublishError

PREVIEW_DPI = 60  # an A4 page about 500 pixels wide: two side by side fit a laptop screen


@dataclass
class Pin:
    """A check problem on a page; `at` is how far down the page it happens (0-1), if known."""

    severity: str
    message: str
    rule: str
    at: float | None = None


@dataclass
class State:
    version: int = 0  # goes up with every finished build, good or bad
    good: int = 0  # the version of the last good build, whose pages are shown
    pages: list[bytes] = field(default_factory=list)  # PNG per page, the last good build's
    pins: dict[int, list[Pin]] = field(default_factory=dict)  # page -> problems
    general: list[Pin] = field(default_factory=list)  # problems of no single page
    spreads: list[list[int]] = field(default_factory=list)  # pages side by side: [[1], [2, 3]]
    error: str | None = None  # why the latest build failed; the pages are the last good ones
    building: bool = False
    summary: str = ""  # e.g. "8 pages, built in 1.2 s, check passed"
    pdf: str = ""
    pdf_seconds: float = 0.0  # from the start of the build to the PDF written


WATCH_TIMEOUT = 120.0  # seconds a save may take to build before the watch gives up on it


class Preview:
    """Builds SOURCE into OUT whenever a file it depends on changes."""

    def __init__(self, source: Path, out: Path, timeout: float = WATCH_TIMEOUT):
        self.source = Path(source)
        self.out = out
        self.timeout = timeout
        self.state = State()
        self.lock = threading.Condition()
        self._fonts_seen: dict[str, tuple] | None = None  # the fonts this process loaded

    def watched(self) -> list[Path]:
        """The issue folder, its series file, and the layouts (base included) and fonts."""
        from ...project import SERIES_FILE, Project, issue_file
        issue = issue_file(self.source).resolve()
        try:
            project = Project.around(issue)
            roots = [project.layouts, project.fonts]
        except Exception:
            roots = []
        return [issue.parent, issue.parent.parent / SERIES_FILE, *roots]

    def snapshot(self) -> dict[str, tuple]:
        """Modification time and size of every watched file (cheap enough to poll). A
        folder that disappears while it is looked at is simply not there; the output
        folder is left out (each build writes to it), wherever it is."""
        seen: dict[str, tuple] = {}
        out = Path(self.out).resolve() if self.out is not None else None
        for root in self.watched():
            if root.is_dir():
                paths = (Path(top) / name for top, dirs, files in os.walk(root, onerror=_gone)
                         if out is None or not Path(top).resolve().is_relative_to(out)
                         for name in files)
            else:
                paths = [root]
            for path in paths:
                try:
                    st = path.stat()
                except OSError:
                    continue
                seen[str(path)] = (st.st_mtime_ns, st.st_size)
        return seen

    def _fonts(self, snapshot: dict[str, tuple]) -> dict[str, tuple]:
        try:
            from ...project import Project
            fonts = str(Project.around(self.source).fonts)
        except Exception:
            return {}
        return {k: v for k, v in snapshot.items() if k.startswith(fonts + os.sep)}

    def build(self) -> None:
        """Build, check and picture the issue; on failure keep the last good pages."""
        from ...build import build
        from ...errors import PublishError
        with self.lock:
            self.state.building = True
            self.lock.notify_all()
        start = time.perf_counter()
        collecting = gc.isenabled()
        # Python's cycle collector, left running, went through every object of the warm
        # process (WeasyPrint, the fonts, the lines remembered) about once a build: 0.1 s
        # of a 1.2 s rebuild of the 6th issue. It waits for tidy(), between saves.
        gc.disable()
        try:
            if self._fonts_changed():
                # The fonts are loaded once per process (fontconfig, Pango, the subsets
                # remembered): built now, the PDF would draw other glyphs than its text.
                raise FontsChanged("a font in fonts/ changed since publish watch started; "
                                   "this process cannot take the new fonts: stop it (Ctrl-C) "
                                   "and start it again. Nothing was built.")
            with _time_limit(self.timeout, self.source):
                built = build(self.source, self.out)
            pdf_seconds = time.perf_counter() - start
            pins, general, summary = _check(built)
            pages = _pictures(built.pdf, built.rendered.page_count)
        except PublishError as e:
            self._finish(error=str(e))
            return
        except Exception as e:  # a bug must not end the preview: show it and keep watching
            self._finish(error=f"internal error ({type(e).__name__}: {e}); please report it")
            return
        finally:
            if collecting:
                gc.enable()
        seconds = time.perf_counter() - start
        self._finish(pages=pages, pins=pins, general=general, pdf=str(built.pdf),
                     pdf_seconds=pdf_seconds,
                     spreads=_spreads(len(pages)),
                     summary=f"{len(pages)} pages, PDF in {pdf_seconds:.1f} s, checked and "
                             f"shown in {seconds:.1f} s, " + summary)

    def _fonts_changed(self) -> bool:
        fonts = self._fonts(self.snapshot())
        if self._fonts_seen is None:
            self._fonts_seen = fonts
        return fonts != self._fonts_seen

    def _finish(self, error: str | None = None, **good) -> None:
        with self.lock:
            state = self.state
            state.error = error
            for key, value in good.items():
                setattr(state, key, value)
            state.building = False
            state.version += 1
            if error is None:
                state.good = state.version
            self.lock.notify_all()

    @staticmethod
    def tidy() -> None:
        """Collect the garbage of the builds so far, while no build waits (after a save's
        pages are shown), and set what is left aside (gc.freeze) so that the collector
        does not go through it again until the next tidy()."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def run(self, poll: float = 0.2, announce=print) -> None:
        """Build now, then again after every change; runs until the process ends.

        A poll that fails (no file descriptor left, a folder gone) is tried again at the
        next; it never ends the watch."""
        seen = self._poll({})
        self.build()
        announce(self.describe())
        self.tidy()
        while True:
            time.sleep(poll)
            now = self._poll(seen)
            if now == seen:
                continue
            # An editor saving writes in steps: wait until the files stand still.
            time.sleep(poll)
            seen = self._poll(now)
            self.build()
            announce(self.describe())
            self.tidy()

    def _poll(self, last: dict[str, tuple]) -> dict[str, tuple]:
        try:
            return self.snapshot()
        except OSError:
            return last  # e.g. EMFILE: as far as we know nothing changed

    def describe(self) -> str:
        s = self.state
        stamp = time.strftime("%H:%M:%S")
        if s.error:
            return f"{stamp} build failed (the preview keeps the last good pages):\n{s.error}"
        return f"{stamp} {s.summary}: {s.pdf}"


def _gone(error: OSError) -> None:
    """A folder removed while it is walked is not there; any other failure (no file
    descriptor left) makes the whole snapshot fail, rather than look like deletions."""
    if not isinstance(error, (FileNotFoundError, NotADirectoryError)):
        raise error


class FontsChanged(PublishError):
    """The fonts changed under a warm process that cannot reload them."""


def _time_limit(seconds: float, source: Path):
    """The build's time limit, where an alarm can be had (the main thread): a save that
    builds for ever fails with a message, and the next save is built."""
    from ...cli.timelimit import time_limit
    if threading.current_thread() is not threading.main_thread():
        return nullcontext()
    return time_limit(seconds, source, backstop=False,
                      cause="this save is too large for its pages, or a layout loops; the "
                            "next save is built")


def _check(built):
    """The check's findings, each pinned to its page, overflows to where the text ends."""
    from ...check import pdffacts
    from ...check.fill import check_fill
    from ...check.overlap import check_overlaps
    from ...check.preflight import check_preflight
    from ...check.report import Report
    from ...check.structure import check_structure
    from ...check.verdict import check_proof
    issue = built.issue
    facts = pdffacts.read(built.pdf)
    report = Report(built.pdf, issue.file, issue.page_count, facts.page_count)
    check_structure(issue, facts, report)
    check_overlaps(facts, report)
    check_preflight(issue, facts, report, built.project.fonts, built.rendered.missing_glyphs)
    check_proof(issue, report, press=False)  # what keeps it a proof, where it is
    check_fill(issue, facts, report, built.project.layouts, press=False)  # holes, as proofs
    pins: dict[int, list[Pin]] = {}
    general: list[Pin] = []
    for f in report.findings:
        pin = Pin(f.severity, f.message, f.rule)
        if f.page is None:
            general.append(pin)
            continue
        pins.setdefault(f.page, []).append(pin)
        end = facts.destinations.get(anchors.end(f.anchor)) if f.anchor else None
        if f.rule == "overflow" and end is not None and end.page != f.page:
            # Also on the page it runs onto, at the height where it ends.
            media = facts.boxes[end.page - 1].media  # the picture is of the media box
            at = min(1.0, max(0.0, (media[3] - end.top) / (media[3] - media[1])))
            pins.setdefault(end.page, []).append(
                Pin(f.severity, f"the overflow from page {f.page} ends here", f.rule, at))
    # What the fit set on each page, and its advice where a page cannot fit.
    for run in built.fitted.runs if getattr(built, "fitted", None) else ():
        if run.advice:
            pins.setdefault(run.first, []).append(Pin("warning", f"cannot fit: {run.advice}",
                                                      "fit"))
        elif run.moved:
            pins.setdefault(run.first, []).append(
                Pin("fit", f"fitted: {run.moved}; fill {run.fill.short:.0f} mm", "fit"))
    errors, warnings = len(report.errors), len(report.warnings)
    summary = ("check passed" if report.ok else f"check FAILED: {errors} error(s)") + (
        f", {warnings} warning(s)" if warnings else "")
    return pins, general, summary


def _pictures(pdf: Path, count: int) -> list[bytes]:
    """Each page as a PNG, drawn by PDFium in-process: about 0.1 s for eight pages, where
    poppler's pdftoppm, a process of its own, took 0.9 s."""
    import io

    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(pdf)
    try:
        pictures = []
        for index in range(min(count, len(document))):
            image = document[index].render(scale=PREVIEW_DPI / 72).to_pil()
            png = io.BytesIO()
            image.save(png, format="PNG", compress_level=1)  # a picture for the screen
            pictures.append(png.getvalue())
        return pictures
    finally:
        document.close()


def _spreads(count: int) -> list[list[int]]:
    """As the printed issue opens: the cover alone, then left and right pages together."""
    spreads = [[1]] if count else []
    spreads += [list(range(n, min(n + 2, count + 1))) for n in range(2, count + 1, 2)]
    return spreads
