"""publish new: start the next issue of a series, from its latest issue."""
from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from . import BAD_INPUT, CHECK_FAILED, INTERNAL, INTERRUPTED, OK, internal_error


def add(commands) -> None:
    n = commands.add_parser(
        "new", help="start the next issue of a series",
        description="Write the next issue of SERIES (a folder under issues/, or its name) "
                    "from the latest one: its number + 1, the date, the recurring pages "
                    "(masthead, foreword with the last signature, index, contacts, funders) "
                    "and commented examples of every kind of block; then build it. "
                    "An existing folder is never overwritten.")
    n.add_argument("series", metavar="SERIES")
    n.add_argument("--date", metavar="YYYY-MM", help="the issue's date (default: this month); "
                                                     "also the folder's name")
    n.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="where to build it (default: dist)")


def run(args, parser) -> int:
    when = args.date or date.today().strftime("%Y-%m")
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", when):  # ASCII digits only, not ٢٠١٩
        parser.error(f"--date {when}: give a year and month, e.g. 2019-03")
    from ...project import ISSUE_FILE, SERIES_FILE, Project
    from ...errors import PublishError
    from ...tools.nextissue import latest_issue, next_issue_yaml
    series_dir = Path(args.series)
    if not (series_dir / SERIES_FILE).is_file():
        series_dir = Path("issues") / args.series
    if not (series_dir / SERIES_FILE).is_file():
        print(f"publish: {args.series}: no such series (a folder with a {SERIES_FILE}, such as "
              "issues/mmsp, or its name when run from the project folder)", file=sys.stderr)
        return BAD_INPUT
    folder = series_dir / when
    if folder.exists():
        print(f"publish: {folder} already exists; nothing was written (give another --date)",
              file=sys.stderr)
        return BAD_INPUT
    try:
        Project.around(series_dir)
        latest = latest_issue(series_dir)
        text = next_issue_yaml(latest, when)
    except PublishError as e:
        print(f"publish: {e}", file=sys.stderr)
        return BAD_INPUT
    issue = folder / ISSUE_FILE
    try:
        folder.mkdir()
    except OSError as e:
        print(f"publish: cannot make {folder} ({e.strerror}); nothing was written",
              file=sys.stderr)
        return BAD_INPUT
    try:
        issue.write_text(text, encoding="utf-8")
    except BaseException as e:
        issue.unlink(missing_ok=True)
        folder.rmdir()
        if not isinstance(e, OSError):
            raise
        print(f"publish: cannot write {issue} ({e.strerror}); nothing was written",
              file=sys.stderr)
        return BAD_INPUT
    print(f"wrote {issue}: issue {latest.number + 1}, {when}, the recurring pages "
          f"of {latest.folder.name} (issue {latest.number}) and placeholders to replace")
    from ...build import build
    from ...check import check
    # From here on the issue file is written: a failure says so, never "nothing was written".
    kept = f"{issue} was written and is kept"
    try:
        built = build(folder, args.out)
        report = check(built.issue, built.pdf, built.project.fonts,
                       built.rendered.missing_glyphs)
    except PublishError as e:
        print(f"publish: {e}".replace("nothing was written", "no PDF was written")
              + f"\n{kept}; its PDF was not built", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print(f"publish: interrupted; {kept}, its PDF was not built", file=sys.stderr)
        return INTERRUPTED
    except Exception as e:  # a bug: said plainly, with what is on disk
        print(internal_error(e).replace("nothing was written", f"{kept}, its PDF was not built"),
              file=sys.stderr)
        return INTERNAL
    print(f"built {built.pdf} ({built.rendered.page_count} pages): "
          + ("it passes its check" if report.ok else "it fails its check:\n" + report.format()))
    print(f"write in {folder / ISSUE_FILE} (block examples are commented in it, and all of "
          f"them in docs/format.md); see each save as pages with: publish watch {folder}")
    return OK if report.ok else CHECK_FAILED
