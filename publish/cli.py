"""publish build | check. Exit codes: 0 all good, 1 a PDF failed its check, 2 bad input or usage."""
from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import threading
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .build import Project, build
from .check import check
from .errors import BuildTimeout, PublishError
from .load import load

OK, CHECK_FAILED, BAD_INPUT, INTERRUPTED = 0, 1, 2, 130
BACKSTOP_GRACE = 5  # seconds past --timeout before the process is ended outright


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="publish", description="Turn newsletter issues written in YAML into print-ready "
                                    "PDFs, and check each PDF against its issue's page plan.")
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = commands.add_parser("build", help="build issues to PDF and check them",
                            description="Build each SOURCE (an issue folder or its issue.yaml) "
                                        "to OUT/<series>-<issue>.pdf, then check it.")
    b.add_argument("sources", nargs="*", type=Path, metavar="SOURCE")
    b.add_argument("--all", action="store_true", help="every issue under issues/")
    b.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="output folder (default: dist)")
    b.add_argument("--timeout", type=float, default=300, metavar="SECONDS",
                   help="give up on an issue after this long (default: 300)")
    b.add_argument("--no-check", action="store_true", help="skip the check after building")
    b.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="build N issues at a time, in separate processes (default: 1)")

    c = commands.add_parser("check", help="check a PDF against its issue's plan and preflight it",
                            description="Check the PDF built from SOURCE (or the one --pdf names) "
                                        "against the issue's page plan and index, and preflight "
                                        "it for print.")
    c.add_argument("source", type=Path, metavar="SOURCE")
    c.add_argument("--pdf", type=Path, metavar="FILE", help="the PDF to check "
                                                            "(default: OUT/<series>-<issue>.pdf)")
    c.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="where built PDFs are (default: dist)")
    c.add_argument("--json", action="store_true", help="print the report as JSON")

    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            return _build(args, parser)
        return _check(args)
    except KeyboardInterrupt:
        print("publish: interrupted; nothing was written", file=sys.stderr)
        return INTERRUPTED
    except Exception as e:  # a bug, ours or a library's: say so plainly, no traceback
        if os.environ.get("PUBLISH_DEBUG"):
            raise
        print(f"publish: internal error ({type(e).__name__}: {e}); nothing was written. "
              "Run again with PUBLISH_DEBUG=1 for the traceback, and please report it.",
              file=sys.stderr)
        return BAD_INPUT


def _build(args, parser) -> int:
    sources = list(args.sources)
    if args.all:
        sources += Project.around(Path.cwd()).all_issues() if _in_project() else []
        if not sources:
            print("publish: no issues found under issues/ (run from the project folder)",
                  file=sys.stderr)
            return BAD_INPUT
    elif not sources:
        parser.error("build needs a SOURCE or --all")
    if args.jobs < 1:
        parser.error("--jobs needs a whole number of 1 or more")
    jobs = min(args.jobs, len(sources))
    worst, failed, started = OK, [], time.perf_counter()
    work = [(source, args.out, args.timeout, args.no_check) for source in sources]
    for source, (code, out, err) in zip(sources, _run(work, jobs)):
        if out:
            print(out)
        if err:
            print(err, file=sys.stderr)
        if code != OK:
            worst = max(worst, code)
            failed.append(str(source))
    if len(sources) > 1:
        print(f"{len(sources) - len(failed)} of {len(sources)} issues built and passed their "
              f"check in {time.perf_counter() - started:.1f} s"
              + (f" ({jobs} at a time)" if jobs > 1 else "")
              + (f"; failed: {', '.join(failed)}" if failed else ""))
    return worst


def _run(work: list, jobs: int):
    """Outcomes of _build_one for each item, in order; several processes when jobs > 1."""
    if jobs == 1:
        yield from (_build_one(*item) for item in work)
        return
    # Each worker process imports WeasyPrint and loads the fonts once, then builds its share.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_build_one, *item) for item in work]
        for item, future in zip(work, futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield BAD_INPUT, "", f"publish: {item[0]}: the build process ended abruptly"


def _build_one(source: Path, out: Path, timeout: float, no_check: bool) -> tuple[int, str, str]:
    """Build and check one issue: (exit code, what to print, what to print as an error)."""
    try:
        with _time_limit(timeout, source):
            built = build(source, out)
            report = None if no_check else check(
                built.issue, built.pdf, built.project.fonts, built.rendered.missing_glyphs)
    except PublishError as e:
        return BAD_INPUT, "", f"publish: {e}"
    status = "ok" if report is None or report.ok else "FAILED CHECK"
    lines = [f"{status:<12} {built.issue.slug:<18} {built.rendered.page_count} pages  "
             f"{built.size / 1024:>6.0f} KiB  {built.seconds:5.1f} s  {built.pdf}"]
    if report is not None and (not report.ok or report.warnings):
        lines.append(report.format())
    return (CHECK_FAILED if report is not None and not report.ok else OK), "\n".join(lines), ""


def _check(args) -> int:
    try:
        issue = load(args.source)
        pdf = args.pdf or args.out / f"{issue.slug}.pdf"
        if not pdf.is_file():
            raise PublishError(
                f"{pdf}: no such PDF (build it with 'publish build {args.source}' or name one "
                "with --pdf)")
        report = check(issue, pdf, Project.around(issue.file).fonts)
    except PublishError as e:
        print(f"publish: {e}", file=sys.stderr)
        return BAD_INPUT
    print(report.to_json() if args.json else report.format())
    return OK if report.ok else CHECK_FAILED


def _in_project() -> bool:
    return (Path.cwd() / "issues").is_dir()


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` inside a library eats it."""


@contextmanager
def _time_limit(seconds: float, source: Path):
    """Stop a build that runs too long (a pathological issue must not hang CI)."""
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
        os._exit(BAD_INPUT)
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


if __name__ == "__main__":
    sys.exit(main())
