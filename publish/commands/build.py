"""publish build: issues to PDF, each checked against its plan."""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from . import BAD_INPUT, CHECK_FAILED, EXIT_CODES, INTERNAL, OK


def add(commands) -> None:
    b = commands.add_parser("build", help="build issues to PDF and check them",
                            description="Build each SOURCE (an issue folder or its issue.yaml) "
                                        "to OUT/<series>-<issue>.pdf, then check it.",
                            epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("sources", nargs="*", type=Path, metavar="SOURCE")
    b.add_argument("--all", action="store_true", help="every issue under issues/")
    b.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="output folder (default: dist)")
    b.add_argument("--timeout", type=float, default=300, metavar="SECONDS",
                   help="give up on an issue after this long (default: 300)")
    b.add_argument("--no-check", action="store_true", help="skip the check after building")
    b.add_argument("--strict", action="store_true",
                   help="a warning about the layout's CSS or HTML fails the build (exit 2)")
    b.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                   help="build N issues at a time, in separate processes (default: 1)")


def run(args, parser) -> int:
    from ..build import Project
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
    work = [(source, args.out, args.timeout, args.no_check, args.strict) for source in sources]
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


def _build_one(source: Path, out: Path, timeout: float, no_check: bool,
               strict: bool = False) -> tuple[int, str, str]:
    """Build and check one issue: (exit code, what to print, what to print as an error)."""
    from ..build import build
    from ..check import check
    from ..errors import PublishError
    from ..timelimit import time_limit
    try:
        with time_limit(timeout, source):
            built = build(source, out, strict)
            report = None if no_check else check(
                built.issue, built.pdf, built.project.fonts, built.rendered.missing_glyphs)
    except PublishError as e:
        return BAD_INPUT, "", f"publish: {e}"
    except Exception as e:  # a bug: this issue's own failure, with its own exit code
        if os.environ.get("PUBLISH_DEBUG"):
            raise
        return INTERNAL, "", (f"publish: {source}: internal error ({type(e).__name__}: {e}); "
                              "nothing was written. Run again with PUBLISH_DEBUG=1 for the "
                              "traceback, and please report it.")
    status = "ok" if report is None or report.ok else "FAILED CHECK"
    lines = [f"{status:<12} {built.issue.slug:<18} {built.rendered.page_count} pages  "
             f"{built.size / 1024:>6.0f} KiB  {built.seconds:5.1f} s  {built.pdf}"]
    lines += [f"  warning: {w}" for w in built.rendered.warnings]
    if report is not None and (not report.ok or report.warnings):
        lines.append(report.format())
    return (CHECK_FAILED if report is not None and not report.ok else OK), "\n".join(lines), ""


def _in_project() -> bool:
    return (Path.cwd() / "issues").is_dir()
