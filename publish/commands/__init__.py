"""The CLI's commands, one module each: `add(subparsers)` declares it, `run(args)` does it.

A command module imports the pipeline inside `run`, so `publish --help` and the
parsing of arguments never load WeasyPrint.
"""
from __future__ import annotations

OK, CHECK_FAILED, BAD_INPUT, INTERRUPTED = 0, 1, 2, 130

# In the order `publish --help` lists them.
NAMES = ["build", "check", "new", "watch"]
