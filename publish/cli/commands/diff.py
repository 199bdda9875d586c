"""publish diff: the pages a change alters, as pictures, against a git ref or a baseline."""
from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from . import BAD_INPUT, CHECK_FAILED, OK


def add(commands) -> None:
    d = commands.add_parser(
        "diff", help="show every page the working tree changes, against a git ref or a baseline",
        description="Build each SOURCE (every issue by default) from the working tree and from "
                    "a git ref (or a baseline saved with --save), rasterise every page, compare "
                    "them pixel by pixel and write an HTML report. Issues whose inputs (issue "
                    "folder, series file, layouts, fonts, publish itself) are the same on both "
                    "sides are not rebuilt. Exit code 0: nothing changed; 1: a page changed; "
                    "2: bad input.")
    d.add_argument("sources", nargs="*", type=Path, metavar="SOURCE")
    d.add_argument("--against", metavar="REF", help="the git commit, branch or tag to compare "
                                                    "with (default: HEAD)")
    d.add_argument("--baseline", type=Path, metavar="DIR",
                   help="compare with the PDFs saved in DIR by --save instead of a git ref")
    d.add_argument("--save", type=Path, metavar="DIR",
                   help="build the working tree and save its PDFs in DIR as the baseline; "
                        "compare nothing")
    d.add_argument("--out", type=Path, default=Path("dist/diff"), metavar="DIR",
                   help="where the HTML report goes (default: dist/diff, opened as "
                        "dist/diff/index.html)")
    d.add_argument("--threshold", type=float, default=0.0, metavar="PERCENT",
                   help="a page counts as changed when more than this share of its pixels "
                        "changed (default: 0, any pixel)")
    d.add_argument("--dpi", type=int, default=None, metavar="N",
                   help="rasterise at N dots per inch (default: 144, where a 0.5 pt shift is "
                        "a whole pixel)")
    d.add_argument("--jobs", "-j", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                   help="build and rasterise with N processes (default: 2, or 1 on one core)")
    d.add_argument("--rebuild", action="store_true",
                   help="build and compare issues even when their inputs are the same")


def run(args, parser) -> int:
    from ...tools.diff.pages import DPI
    from ...errors import PublishError
    if args.baseline and args.against:
        parser.error("diff takes --against REF or --baseline DIR, not both")
    if args.save and (args.baseline or args.against):
        parser.error("--save builds the working tree as the baseline; it compares nothing, "
                      "so it takes neither --against nor --baseline")
    if not 0 <= args.threshold < 100:
        parser.error("--threshold needs a percentage from 0 up to (not including) 100")
    dpi = args.dpi or DPI
    if not 36 <= dpi <= 600:
        parser.error("--dpi needs a whole number from 36 to 600")
    if args.jobs < 1:
        parser.error("--jobs needs a whole number of 1 or more")
    try:
        root = _project()
        rels = [_issue(root, source) for source in args.sources]
        with _work_folder() as work:
            if args.save:
                return _save(root, rels, args.save, Path(work), args.jobs)
            return _diff(root, rels, args, dpi, Path(work))
    except PublishError as e:
        print(f"publish: {e}", file=sys.stderr)
        return BAD_INPUT


def _diff(root: Path, rels: list[str], args, dpi: int, work: Path) -> int:
    from ...tools import diff
    from ...tools.diff import report
    from ...tools.diff.sides import BaselineSide, DiffError, ProjectSide, export_ref
    out = args.out
    diff.check_report_folder(out)  # before anything is built
    # The working tree's PDFs in dist/ are used where their inputs are as last built.
    after = ProjectSide(root, "the working tree", built=root / "dist")
    if args.baseline:
        before = BaselineSide(args.baseline)
    else:
        (work / "ref").mkdir()
        before = export_ref(args.against or "HEAD", root, work / "ref")
    rels = rels or sorted(set(before.issues()) | set(after.issues()))
    if not rels:
        raise DiffError(f"{root}: no issues under issues/ on either side")
    found = []

    def fill(folder: Path) -> None:
        (folder / "img").mkdir()
        result = diff.run(before, after, rels, work, folder / "img", dpi=dpi,
                          threshold=args.threshold, jobs=args.jobs, rebuild=args.rebuild)
        (folder / "index.html").write_text(report.html(result), encoding="utf-8")
        found.append(result)

    diff.replace_folder(out, fill)
    print(report.text(found[0], str(out / "index.html")))
    return CHECK_FAILED if found[0].changed else OK


def _save(root: Path, rels: list[str], folder: Path, work: Path, jobs: int) -> int:
    from ...tools.diff.pages import page_count
    from ...tools.diff.sides import DiffError, ProjectSide, save_baseline
    side = ProjectSide(root, "the working tree")
    rels = rels or side.issues()
    built = side.build(rels, work, jobs)
    failed = [o.error for o in built.values() if o.pdf is None]
    if failed:
        raise DiffError("\n".join(failed))
    save_baseline(folder, side, built)
    pages = sum(page_count(o.pdf) for o in built.values())
    print(f"saved {len(built)} issue{'s' * (len(built) != 1)} ({pages} pages) in {folder} as "
          f"the baseline; compare with it by 'publish diff --baseline {folder}'")
    return OK


_WORK_PREFIX = "publish-diff-"
_LOCK = ".in-use"
_ABANDONED_AFTER = 60  # seconds: a folder younger than this may not have its lock yet


@contextmanager
def _work_folder():
    """A temporary folder for the builds and pictures (30-60 MB), removed at the end.

    A diff killed outright cannot remove its own, so each holds a lock on a file inside
    its folder while it runs, and a diff starting removes this user's folders whose lock
    nobody holds (a lock is seen across processes and containers on one machine)."""
    import fcntl
    _remove_abandoned()
    with tempfile.TemporaryDirectory(prefix=_WORK_PREFIX) as work:
        with open(Path(work) / _LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            yield work


def _remove_abandoned() -> None:
    import fcntl
    import shutil
    import time
    for folder in Path(tempfile.gettempdir()).glob(_WORK_PREFIX + "*"):
        try:
            info = folder.lstat()
            if (not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid()
                    or time.time() - info.st_mtime < _ABANDONED_AFTER):
                continue
            with open(folder / _LOCK, "r") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: in use, skipped
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _project() -> Path:
    """The project the command runs in: the nearest folder up with layouts/ and fonts/."""
    from ...tools.diff.sides import DiffError
    from ...project import find
    here = Path.cwd().resolve()
    if find(here) is not None:
        return find(here)
    raise DiffError(f"{here} is not inside a publish project (no folder above it has layouts/ "
                    "and fonts/)")


def _issue(root: Path, source: Path) -> str:
    """A SOURCE as the issue folder's path under root: issues/<series>/<issue>."""
    from ...tools.diff.sides import DiffError
    folder = source.resolve()
    if folder.name == "issue.yaml":
        folder = folder.parent
    if not (folder / "issue.yaml").is_file():
        raise DiffError(f"{source}: not an issue (no issue.yaml there)")
    try:
        rel = folder.relative_to(root)
    except ValueError:
        raise DiffError(f"{source}: not in the project at {root}") from None
    if len(rel.parts) != 3 or rel.parts[0] != "issues":
        raise DiffError(f"{source}: an issue folder is issues/<series>/<issue> in the project")
    return rel.as_posix()
