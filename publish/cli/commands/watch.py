"""publish watch: rebuild an issue on every save and preview its pages in a browser."""
from __future__ import annotations

import sys
from pathlib import Path

from . import BAD_INPUT, INTERRUPTED
from ..timelimit import timeout_argument

WATCH_TIMEOUT = 120.0  # as tools/preview/builder.py's, which is not imported before a watch starts


def add(commands) -> None:
    w = commands.add_parser(
        "watch", help="rebuild an issue on every save and preview it in a browser",
        description="Build SOURCE, then again whenever the issue, its images, the series "
                    "file, the layouts or the fonts change; serve its pages, side by side as "
                    "printed and with the check's problems pinned to them, at "
                    "http://127.0.0.1:PORT/TOKEN/ (this computer only; TOKEN is new every "
                    "run, so no other web page can read the preview). Ctrl-C stops it.")
    w.add_argument("source", type=Path, metavar="SOURCE")
    w.add_argument("--port", type=int, default=8000, metavar="N",
                   help="the preview's port (default: 8000)")
    w.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="where each build's PDF is written (default: dist)")
    w.add_argument("--timeout", type=timeout_argument, default=WATCH_TIMEOUT, metavar="SECONDS",
                   help="give up on a save that takes longer than this to build (default: "
                        f"{WATCH_TIMEOUT:g}; 0: no limit); the next save is built")


def run(args, parser) -> int:
    from ...interrupt import say
    from ...project import issue_file
    from ...source.confine import issues_folder, outside
    issue = issue_file(args.source)
    escaped = outside(issue, issues_folder(issue) or issue.absolute().parent.parent,
                      "the project's issues/ folder" if issues_folder(issue) else None)
    if escaped:
        print(f"publish: {escaped}", file=sys.stderr)
        return BAD_INPUT
    if not issue.is_file():
        print(f"publish: {args.source}: no issue here (an issue folder or its issue.yaml)",
              file=sys.stderr)
        return BAD_INPUT
    from ...tools.preview import Preview, serve
    preview = Preview(args.source, args.out, args.timeout)
    try:
        server = serve(preview, args.port)
    except OSError as e:
        print(f"publish: cannot serve on 127.0.0.1:{args.port} ({e.strerror}); "
              "choose another --port", file=sys.stderr)
        return BAD_INPUT
    say("publish: preview stopped")
    print(f"preview of {args.source} at {server.url} (Ctrl-C stops it)", flush=True)
    try:
        preview.run(announce=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("publish: preview stopped", file=sys.stderr)
        return INTERRUPTED
    return 0
