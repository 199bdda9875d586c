"""publish build: issues to PDF, each checked against its plan.

In a batch each issue's failure is its own: bad input, a failed check, a time-out, an
unexpected error or a worker that had to be ended is reported for that issue, and the
others are still built. With several issues, the work runs in worker processes (pebble's
pool, which can end one stuck worker without touching the others); one issue alone is
built in this process.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path

from . import BAD_INPUT, CHECK_FAILED, EXIT_CODES, INTERNAL, INTERRUPTED, OK, internal_error
from ..timelimit import BACKSTOP_GRACE, timeout_argument


def add(commands) -> None:
    b = commands.add_parser("build", help="build issues to PDF and check them",
                            description="Build each SOURCE (an issue folder or its issue.yaml) "
                                        "to OUT/<series>-<issue>.pdf, then check it.",
                            epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("sources", nargs="*", type=Path, metavar="SOURCE")
    b.add_argument("--all", action="store_true", help="every issue under issues/")
    b.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="output folder (default: dist)")
    b.add_argument("--timeout", type=timeout_argument, default=300, metavar="SECONDS",
                   help="give up on an issue after this long (default: 300; 0: no limit)")
    b.add_argument("--no-check", action="store_true", help="skip the check after building")
    b.add_argument("--strict", action="store_true",
                   help="a warning about the layout's CSS or HTML fails the build (exit 2)")
    b.add_argument("--press", action="store_true",
                   help="check for press: what keeps an issue a proof (placeholders, "
                        "uncertain passages...) is an error")
    b.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="build N issues at a time, in separate processes (default: one per "
                        f"core, {_cores()} here)")
    b.add_argument("--edition", choices=("print", "screen", "all"), default="print",
                   help="print (the default: PDF/X-4 for the press), screen (OUT/<series>-"
                        "<issue>-screen.pdf: tagged PDF/UA-1, sRGB, links and bookmarks) or "
                        "all (both, from the same issue and plan)")
    b.add_argument("--freeze-fit", action="store_true",
                   help="fit afresh and write the settings chosen to each issue's fit.yaml, "
                        "which later builds use as they are (docs/fit.md)")
    b.add_argument("--force", action="store_true",
                   help="with --all: rebuild issues whose inputs and PDF are unchanged")


def run(args, parser) -> int:
    from ...build import Project
    from ...errors import printable
    sources = list(args.sources)
    if args.all:
        sources += Project.around(Path.cwd()).all_issues() if _in_project() else []
        if not sources:
            print("publish: no issues found under issues/ (run from the project folder)",
                  file=sys.stderr)
            return BAD_INPUT
    elif not sources:
        parser.error("build needs a SOURCE or --all")
    if args.jobs is None:
        args.jobs = _cores()
    if args.jobs < 1:
        parser.error("--jobs needs a whole number of 1 or more")
    sources, targets, clash = _targets(sources, args.out)
    if clash:
        print(printable(f"publish: {clash}"), file=sys.stderr)
        return BAD_INPUT
    from ...build import EDITIONS
    from ...project import pdf_name
    from ..manifest import Manifest
    from ..progress import Progress
    editions = EDITIONS[args.edition]
    targets = [args.out / pdf_name(_name(s), e) for s in sources for e in editions]
    before = {target: _identity(target) for target in targets}
    worst, failed, started = OK, [], time.perf_counter()
    manifest = Manifest(args.out)
    # Every good build is recorded (publish diff reuses such PDFs); only --all skips.
    inputs = {source: manifest.inputs(source) for source in sources}
    skipped = []
    # An issue named on the command line is always built; so is every issue when --press or
    # --strict asks more of it than the build the manifest remembers.
    if args.all and not (args.force or args.press or args.strict or args.freeze_fit):
        skipped = [s for s in sources if manifest.unchanged(s, args.out, inputs[s], editions)]
        for source in skipped:
            print(f"{'unchanged':<12} {_name(source):<18} inputs and PDF as last built "
                  f"(--force rebuilds)  "
                  + ", ".join(str(args.out / pdf_name(_name(source), e)) for e in editions))
    todo = [s for s in sources if s not in skipped]
    jobs = max(1, min(args.jobs, len(todo)))
    work = [(source, args.out, args.timeout, args.no_check, args.strict, args.press,
             args.freeze_fit, True, editions) for source in todo]
    try:
        # Pages are followed when this process builds (one issue); a batch runs in workers.
        with Progress(len(todo), pages=len(todo) == 1) as progress:
            results = _run(work, jobs) if work else iter(())
            for source, (code, out, err, read) in zip(progress.each(todo, _name), results):
                progress.clear()
                if out:
                    print(printable(out), flush=True)
                if code not in (OK, CHECK_FAILED) and err:
                    err = _what_was_written(err, args.out / pdf_name(_name(source)), before)
                if err:
                    print(printable(err), file=sys.stderr, flush=True)
                if code != OK:
                    worst = max(worst, code)
                    failed.append(str(source))
                elif not args.no_check:
                    manifest.record(source, args.out, inputs[source], read, editions)
    except KeyboardInterrupt:
        written = [t for t in targets if _identity(t) != before[t]]
        print("publish: interrupted; " + (
            "written before the interrupt: " + ", ".join(map(str, written)) +
            "; nothing else was written" if written else "nothing was written"), file=sys.stderr)
        return INTERRUPTED
    if len(sources) > 1:
        print(printable(
            f"{len(sources) - len(failed)} of {len(sources)} issues built and passed their "
            f"check in {time.perf_counter() - started:.1f} s"
            + (f" ({jobs} at a time)" if jobs > 1 else "")
            + (f", {len(skipped)} unchanged" if skipped else "")
            + (f"; failed: {', '.join(failed)}" if failed else "")))
    return worst


def _cores() -> int:
    """The cores this process may run on (an archive of several issues builds about 1.7
    times faster on two cores than on one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _name(source: Path) -> str:
    from ...project import slug
    source = Path(source).resolve()
    return slug(source.parent if source.is_file() else source)


def _targets(sources: list[Path], out: Path) -> tuple[list[Path], list[Path], str | None]:
    """Sources without repeats, the PDF each writes, and what is wrong if two write one PDF."""
    from ...project import issue_file, issue_slug, pdf_name
    unique, targets, by_target = [], [], {}
    seen: set[Path] = set()
    for source in sources:
        issue = issue_file(source).resolve()
        if issue in seen:
            continue  # the same issue named twice is built once
        seen.add(issue)
        target = out / pdf_name(issue_slug(source))
        if target in by_target:
            return [], [], (f"{by_target[target]} and {source} would both be written to "
                            f"{target} (a PDF is named <series folder>-<issue folder>); "
                            "rename one folder. Nothing was built.")
        by_target[target] = source
        unique.append(source)
        targets.append(target)
    return unique, targets, None


def _what_was_written(err: str, target: Path, before: dict) -> str:
    """A failure that came after the PDF was renamed into place (a time-out or an error
    while checking it) says so, rather than that nothing was written."""
    if _identity(target) == before.get(target):
        return err
    note = f"{target} was written before that, but not checked"
    if "nothing was written" in err:
        return err.replace("nothing was written", note, 1)
    return f"{err}\n  {note}"


def _identity(path: Path) -> tuple | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _run(work: list, jobs: int):
    """Outcomes of _build_one for each item, in order; worker processes for a batch."""
    if len(work) == 1:
        yield _build_one(*work[0])
        return
    from concurrent.futures import TimeoutError as PoolTimeout
    from pebble import ProcessExpired, ProcessPool
    from ..timelimit import message
    # Each worker imports WeasyPrint and loads the fonts once, then builds issue after issue.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pool = ProcessPool(max_workers=jobs, context=context, initializer=_worker_started)
    try:
        futures = [pool.schedule(_build_one, args=(*item[:7], False, *item[8:]),
                                 timeout=item[2] + BACKSTOP_GRACE if item[2] else None)
                   for item in work]
        for item, future in zip(work, futures):
            try:
                yield future.result()
            except PoolTimeout:
                yield BAD_INPUT, "", f"publish: {message(item[2], item[0])}", {}
            except ProcessExpired as e:
                yield BAD_INPUT, "", (f"publish: {item[0]}: the build process ended abruptly "
                                      f"(exit code {e.exitcode}); nothing was written for it"), {}
            except Exception as e:  # the pool itself failed for this issue
                yield INTERNAL, "", internal_error(e, item[0]), {}
        pool.close()
    except BaseException:
        pool.stop()  # ends the workers; each removes the temporary file it was writing
        raise
    finally:
        pool.join()


_building = False


def _worker_started() -> None:
    """In a worker: Ctrl-C is for the main process (which stops the pool); being stopped
    mid-build (by the pool, or because the main process ended) unwinds the build, so its
    temporary file is removed, then exits quietly."""
    from ...children import end_with_parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def stopped(signum, frame):
        if _building:
            raise _Stopped()
        os._exit(INTERRUPTED)
    signal.signal(signal.SIGTERM, stopped)
    end_with_parent()  # a build killed outright (SIGKILL) leaves no worker behind


class _Stopped(BaseException):
    """The worker is being ended; unwinds the build (not an `Exception`: nothing eats it)."""


def _build_one(source: Path, out: Path, timeout: float, no_check: bool, strict: bool = False,
               press: bool = False, freeze_fit: bool = False, backstop: bool = True,
               editions: tuple[str, ...] = ("print",)) -> tuple[int, str, str, dict]:
    """Build and check one issue: (exit code, what to print, what to print as an error,
    the files the build read with their digests)."""
    global _building
    from ...build import build_editions
    from ...check import check
    from ...errors import PublishError
    from ..timelimit import time_limit
    _building = True
    try:
        with time_limit(timeout, source, backstop):
            results = []
            for built in build_editions(source, out, strict, editions, freeze_fit):
                results.append((built, None if no_check else check(
                    built.issue, built.pdf, built.project.fonts,
                    built.rendered.missing_glyphs, press=press, edition=built.edition)))
    except PublishError as e:
        return BAD_INPUT, "", f"publish: {e}", {}
    except _Stopped:
        os._exit(INTERRUPTED)
    except Exception as e:  # a bug, ours or a library's: this issue's failure, not the batch's
        return INTERNAL, "", internal_error(e, source), {}
    finally:
        _building = False
    lines, failed = [], False
    for built, report in results:
        status = "ok" if report is None or report.ok else "FAILED CHECK"
        name = built.pdf.name.removesuffix(".pdf")
        fitted = _fitted(built.fitted) if built.edition == "print" else ""
        lines.append(f"{status:<12} {name:<18} {built.rendered.page_count} pages  "
                     f"{built.size / 1024:>6.0f} KiB  {built.seconds:5.1f} s{fitted}  "
                     f"{built.pdf}")
        lines += [f"  warning: {w}" for w in built.rendered.warnings]
        if built.edition == "print" and built.fitted is not None:
            lines += [f"  cannot fit: {r.advice}" for r in built.fitted.unfitted if r.advice]
        if report is not None and (not report.ok or report.warnings):
            lines.append(report.format())  # ends with the verdict
        elif report is not None:
            # One line per PDF (a CI log reads them): the verdict closes the line.
            lines[-1] += f"  {report.verdict()}"
        failed = failed or (report is not None and not report.ok)
    return (CHECK_FAILED if failed else OK), "\n".join(lines), "", results[-1][0].read


def _fitted(fitted) -> str:
    """The build line's word on the fit: how many pages it set apart from the layout."""
    if fitted is None:
        return ""
    frozen = any(r.state == "frozen" for r in fitted.runs)
    n = fitted.adjusted
    said = f"{n} page{'' if n == 1 else 's'} fitted" + (" (frozen)" if frozen else "")
    return f"  {said}" if n or frozen else ""


def _in_project() -> bool:
    return (Path.cwd() / "issues").is_dir()
