"""publish COMMAND: the command line. Each command lives in publish/cli/commands/<name>.py.

Exit codes (commands.EXIT_CODES, also in --help): 0 all good, 1 a PDF failed its check,
2 bad input, usage or unwritable output, 3 internal error, 130 interrupted.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from .. import __version__
from .. import interrupt
from .commands import EXIT_CODES, INTERNAL, INTERRUPTED, NAMES, internal_error


def main(argv: list[str] | None = None) -> int:
    # First of all, so Ctrl-C while starting up (building the parser, importing a command)
    # ends as cleanly as during a build: one line, exit 130 (see interrupt.py).
    previous = interrupt.install()
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("publish: interrupted; nothing was written", file=sys.stderr)
        return INTERRUPTED
    finally:
        interrupt.restore(previous)


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(
        prog="publish", description="Turn newsletter issues written in YAML into print-ready "
                                    "PDFs, and check each PDF against its issue's page plan.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = {name: importlib.import_module(f".commands.{name}", __package__) for name in NAMES}
    for module in modules.values():
        module.add(subparsers)

    args = parser.parse_args(argv)
    try:
        return modules[args.command].run(args, parser)
    except KeyboardInterrupt:
        print("publish: interrupted; nothing was written", file=sys.stderr)
        return INTERRUPTED
    except Exception as e:  # a bug, ours or a library's: say so plainly, no traceback
        if os.environ.get("PUBLISH_DEBUG"):
            raise
        print(internal_error(e), file=sys.stderr)
        return INTERNAL


def program() -> None:
    """The `publish` command: main's exit code; after Ctrl-C, without Python's shutdown
    (which may turn a caught interrupt into exit -2, see interrupt.py)."""
    code = main()
    if code == INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # a pipe closed by the interrupt: nothing more to say there
                pass
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    program()
