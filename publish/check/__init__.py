"""Check stage: a PDF against the issue's plan (structure) and against print rules (preflight)."""
from __future__ import annotations

import logging
import struct
import zlib
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from ..source import model as m
from ..errors import MissingGlyph, PublishError
from . import pdffacts
from .budget import TooComplex
from .fill import check_fill
from .geometry import check_geometry, layout_geometry
from .overlap import check_overlaps
from .photos import check_photos
from .preflight import BLEED_MM, check_preflight, measured
from .press import check_press, declared_spots
from .screen import check_screen
from .report import Finding, Report
from .spacing import check_spacing
from .structure import check_structure
from .verdict import check_proof

__all__ = ["check", "Report", "Finding"]


def check(issue: m.Issue, pdf: Path, fonts: Path,
          missing: list[MissingGlyph] | None = None, press: bool = False,
          edition: str = "print") -> Report:
    """Check pdf against issue. missing: glyphs the render reported, if it ran here;
    press: what keeps the issue a proof (placeholders, uncertain text) is an error;
    edition "screen": the screen PDF's rules (screen.py) instead of the press's."""
    # pypdf logs what it repairs; a broken file is reported once, below, in our words.
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        if PdfReader(str(pdf), strict=False).is_encrypted:
            raise FileNotDecryptedError("encrypted")
        facts = pdffacts.read(pdf)
    except TooComplex as e:
        raise PublishError(f"{pdf}: {e}") from None
    except (FileNotDecryptedError, DependencyError):
        raise PublishError(f"{pdf}: is encrypted (password-protected); a PDF for print must "
                           "not be (PDF/X forbids it): check the unencrypted original") from None
    except (PdfReadError, OSError, ValueError, KeyError) as e:
        raise PublishError(f"{pdf}: not a readable PDF ({e})") from None
    except (PyPdfError, RecursionError, ArithmeticError, LookupError, TypeError,
            AttributeError, AssertionError, zlib.error, struct.error) as e:
        # pypdf reading a malformed file fails in many ways; each means the same here.
        raise PublishError(f"{pdf}: not a readable PDF ({type(e).__name__}: {e})") from None
    finally:
        pypdf_log.setLevel(level)
    report = Report(pdf, issue.file, issue.page_count, facts.page_count)
    check_structure(issue, facts, report)
    bodies = {n: page.body_size for page in issue.pages if page.body_size
              for n in range(page.first, page.last + 1)}
    report.fit = facts.fit or []
    bodies.update(_fitted_bodies(issue, report.fit))
    check_geometry(facts, report, layout_geometry(fonts.parent / "layouts", issue.series.layout),
                   bodies, bleed_mm=BLEED_MM if edition == "screen" else 0)
    check_overlaps(facts, report)
    if edition == "screen":
        check_screen(issue, facts, report, fonts, missing)
    else:
        check_preflight(issue, facts, report, fonts, missing)
    check_spacing(pdf, report)
    if edition != "screen":  # photos at print's resolution; the screen's are downsampled
        check_photos(issue, facts, report, fonts.parent / "layouts", press)
    check_proof(issue, report, press, edition)
    feet = check_fill(issue, facts, report, fonts.parent / "layouts", press)
    report.preflight = measured(facts)
    if edition != "screen":  # the press's preflight (inks, overprint...): print's alone
        report.preflight.update(check_press(
            facts, report, declared_spots(fonts.parent / "layouts", issue.series.layout),
            press))
    report.preflight["column_feet"] = feet
    return report


def _fitted_bodies(issue: m.Issue, runs: list[dict]) -> dict[int, float]:
    """The body size the fit set on each page (its record in the PDF), by page number."""
    bodies = {}
    for run in runs:
        body, first, last = run.get("body"), run.get("first"), run.get("last")
        if isinstance(body, (int, float)) and isinstance(first, int) and isinstance(last, int):
            for n in range(first, min(last, issue.page_count) + 1):
                bodies[n] = float(body)
    return bodies
