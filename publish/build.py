"""build = load, compose, render, write, check: the stages in a row."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .source import model as m, reads
from .errors import StrictError
from .project import Project, issue_file, pdf_name
from .source.load import load
from .render.driver import Rendered, renderer
from .write import atomic


@dataclass
class Built:
    issue: m.Issue
    project: Project
    pdf: Path
    rendered: Rendered
    size: int
    seconds: float
    read: dict[str, str] = field(default_factory=dict)  # every file read and its digest
    fitted: object = None  # fit.Fitted: what the fit stage set on each run of pages


def fit_issue(issue: m.Issue, project: Project, fit: bool = True, frozen: bool = True):
    """Compose, fit and render: the issue laid out with each run of pages fitted (or, with
    fit=False, as composed); its fit.yaml, when there is one (and frozen), is used as it is."""
    # Imported here: compose brings in Jinja and ReportLab, which finding issues
    # (build --all with nothing to do) does not need.
    from . import fit as fitting
    from .fit import freeze
    r = renderer(project.fonts)

    def render(html: str) -> Rendered:
        return r.render(html, base=issue.folder, allowed=[project.layouts, issue.folder])
    settings = freeze.read(issue) if fit and frozen else None
    return fitting.fit(issue, project.layouts, render, frozen=settings, enabled=fit)


def render_issue(issue: m.Issue, project: Project, fit: bool = True) -> Rendered:
    return fit_issue(issue, project, fit).rendered


def build(source: Path, out: Path, strict: bool = False, freeze_fit: bool = False) -> Built:
    """Build one issue's PDF into out; raise PublishError on bad input or a failed render.

    strict: a warning from WeasyPrint about the layout's CSS or HTML fails the build
    (StrictError) and nothing is written. freeze_fit: the settings the fit chose are
    written to the issue's fit.yaml, for later builds to use as they are."""
    start = time.perf_counter()
    with reads.recording() as read:
        path = issue_file(Path(source))
        issue = load(path)
        project = Project.around(path)
        # Freezing fits afresh (a fit.yaml there is not read) and writes what was found.
        fitted = fit_issue(issue, project, frozen=not freeze_fit)
        rendered = fitted.rendered
        if strict:
            _refuse_warnings(rendered)

        def produce(file) -> None:
            rendered.write_pdf(file)  # an SVG image fetches what it uses only now
            if strict:
                _refuse_warnings(rendered)  # before the rename: the last good PDF stays
        pdf = out / pdf_name(issue.slug)
        size = atomic(pdf, produce)
    if freeze_fit:
        from .fit import freeze
        freeze.write(issue, fitted)
    return Built(issue, project, pdf, rendered, size, time.perf_counter() - start, read,
                 fitted)


def _refuse_warnings(rendered: Rendered) -> None:
    if rendered.warnings:
        raise StrictError("--strict: the layout has warnings; nothing was written\n"
                          + "\n".join(f"  warning: {w}" for w in rendered.warnings))
