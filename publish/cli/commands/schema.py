"""publish schema: the JSON Schemas and the docs' field tables from source/schema.py."""
from __future__ import annotations

import sys
from pathlib import Path

from . import BAD_INPUT, OK


def add(commands) -> None:
    c = commands.add_parser(
        "schema", help="write schema/*.schema.json and the docs' field tables",
        description="Write the JSON Schemas of the issue, series and layout files "
                    "(schema/issue.schema.json, schema/series.schema.json, "
                    "schema/layout.schema.json) and the field tables in docs/ from the one "
                    "definition of the formats, publish/source/schema.py. Run from the project "
                    "folder.")
    c.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and name the files that are out of date")


def run(args, parser) -> int:
    from ...errors import IssueError, PublishError
    from ...source.schemadoc import stale, write
    project = Path.cwd()
    if not (project / "issues").is_dir() or not (project / "layouts").is_dir():
        print("publish: run 'publish schema' from the project folder (the one with issues/ "
              "and layouts/)", file=sys.stderr)
        return BAD_INPUT
    try:
        if args.check:
            old = stale(project)
            for path in old:
                print(f"out of date: {path.relative_to(project)} (run 'publish schema')")
            return 1 if old else OK
        for path in write(project):
            print(f"wrote {path.relative_to(project)}")
    except IssueError as e:  # found before anything is written
        print(f"publish: {e}" + ("" if args.check else "\nnothing was written"),
              file=sys.stderr)
        return BAD_INPUT
    except PublishError as e:
        print(f"publish: {e}", file=sys.stderr)
        return BAD_INPUT
    return OK
