"""The CLI's commands, one module each: `add(subparsers)` declares it, `run(args)` does it.

A command module imports the pipeline inside `run`, so `publish --help` and the
parsing of arguments never load WeasyPrint.
"""
from __future__ import annotations

OK, CHECK_FAILED, BAD_INPUT, INTERNAL, INTERRUPTED = 0, 1, 2, 3, 130

EXIT_CODES = """exit codes:
  0    every PDF built and passed its check
  1    a PDF failed its check (the report says why; the PDF is kept to look at)
  2    bad input or usage: a problem in an issue, series or layout file (file:line:
       field), a layout warning under --strict, or an output folder that cannot be
       written; nothing was written
  3    internal error: a bug in publish or a library (please report it)
  130  interrupted (Ctrl-C); nothing was written"""



def internal_error(e: BaseException, source=None) -> str:
    """What a user reads after a bug (ours or a library's): one line, no traceback unless
    PUBLISH_DEBUG is set; `source` names the issue when a batch goes on with the others."""
    import os
    import traceback
    where = f"{source}: " if source is not None else ""
    text = (f"publish: {where}internal error ({type(e).__name__}: {e}); nothing was written. "
            "Run again with PUBLISH_DEBUG=1 for the traceback, and please report it.")
    if os.environ.get("PUBLISH_DEBUG"):
        text += "\n" + "".join(traceback.format_exception(e)).rstrip()
    return text


# In the order `publish --help` lists them.
NAMES = ["build", "check", "new", "watch", "diff", "schema"]
