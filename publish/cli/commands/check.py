"""publish check: a PDF against its issue's plan, and preflight for print."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import BAD_INPUT, CHECK_FAILED, EXIT_CODES, OK
from ..timelimit import timeout_argument


def add(commands) -> None:
    c = commands.add_parser("check", help="check a PDF against its issue's plan and preflight it",
                            description="Check the PDF built from SOURCE (or the one --pdf names) "
                                        "against the issue's page plan and index, and preflight "
                                        "it for print.",
                            epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("source", type=Path, metavar="SOURCE")
    c.add_argument("--pdf", type=Path, metavar="FILE", help="the PDF to check "
                                                            "(default: OUT/<series>-<issue>.pdf)")
    c.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR",
                   help="where built PDFs are (default: dist)")
    c.add_argument("--json", action="store_true", help="print the report as JSON")
    c.add_argument("--timeout", type=timeout_argument, default=300, metavar="SECONDS",
                   help="give up after this long (default: 300; 0: no limit)")
    c.add_argument("--junit", type=Path, metavar="FILE",
                   help="also write the report as JUnit XML to FILE (for CI)")
    c.add_argument("--edition", choices=("print", "screen"), default="print",
                   help="which edition's PDF and rules: print (the default: preflight for "
                        "the press) or screen (OUT/<series>-<issue>-screen.pdf: tags, reading "
                        "order, alternative text, links, sRGB)")
    c.add_argument("--press", action="store_true",
                   help="going to press: placeholders, placeholder QR payloads, passages "
                        "marked uncertain, empty sections and web-only phrases are errors")


def _fonts(issue_file: Path) -> Path:
    """The project's fonts/ folder, without importing the build stages: their imports (the
    renderer, ReportLab for QR codes) would double the command's time."""
    from ...project import Project
    return Project.around(issue_file).fonts


def run(args, parser) -> int:
    from ...check import check
    from ...errors import PublishError, printable
    from ...project import pdf_name
    from ...source.load import load
    from ..timelimit import time_limit
    try:
        with time_limit(args.timeout, args.pdf or args.source,
                        cause="the PDF is too complex to read in that time, or it loops"):
            issue = load(args.source)
            pdf = args.pdf or args.out / pdf_name(issue.slug, args.edition)
            if not pdf.is_file():
                raise PublishError(
                    f"{pdf}: no such PDF (build it with 'publish build {args.source}"
                    + ("" if args.edition == "print" else f" --edition {args.edition}")
                    + "' or name one with --pdf)")
            report = check(issue, pdf, _fonts(issue.file), press=args.press,
                           edition=args.edition)
    except PublishError as e:
        print(printable(f"publish: {e}"), file=sys.stderr)
        return BAD_INPUT
    if args.junit:
        from ...write import atomic
        try:
            atomic(args.junit, lambda f: f.write(report.to_junit().encode()))
        except OSError as e:
            print(printable(f"publish: {args.junit}: cannot write the JUnit report "
                            f"({e.strerror})"), file=sys.stderr)
            return BAD_INPUT
    print(report.to_json() if args.json else printable(report.format()))
    return OK if report.ok else CHECK_FAILED
