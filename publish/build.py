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
    edition: str = "print"
    fitted: object = None  # fit.Fitted: what the fit stage set on each run of pages


EDITIONS = {"print": ("print",), "screen": ("screen",), "all": ("print", "screen")}


def fit_issue(issue: m.Issue, project: Project, fit: bool = True, frozen: bool = True,
              edition: str = "print", settings: dict | None = None):
    """Compose, fit and render one edition: the issue laid out with each run of pages
    fitted (or, with fit=False, as composed). settings (by a run's first page) are used as
    they are; so is the issue's fit.yaml, when there is one (and frozen)."""
    # Imported here: compose brings in Jinja and ReportLab, which finding issues
    # (build --all with nothing to do) does not need.
    from . import fit as fitting
    from .fit import freeze
    r = renderer(project.fonts)

    def render(html: str) -> Rendered:
        return r.render(html, base=issue.folder, allowed=[project.layouts, issue.folder],
                        edition=edition)
    if settings is None and fit and frozen:
        settings = freeze.read(issue)
    return fitting.fit(issue, project.layouts, render, frozen=settings, enabled=fit,
                       edition=edition)


def render_issue(issue: m.Issue, project: Project, edition: str = "print",
                 fit: bool = True) -> Rendered:
    return fit_issue(issue, project, fit, edition=edition).rendered


def build(source: Path, out: Path, strict: bool = False, edition: str = "print",
          freeze_fit: bool = False) -> Built:
    """Build one issue's PDF into out; raise PublishError on bad input or a failed render.

    strict: a warning from WeasyPrint about the layout's CSS or HTML fails the build
    (StrictError) and nothing is written. edition: "print" or "screen". freeze_fit: the
    settings the fit chose are written to the issue's fit.yaml, for later builds to use
    as they are."""
    return build_editions(source, out, strict, (edition,), freeze_fit)[0]


def build_editions(source: Path, out: Path, strict: bool = False,
                   editions: tuple[str, ...] = ("print",),
                   freeze_fit: bool = False) -> list[Built]:
    """Each edition's PDF of one issue, from one reading of its files, print first: the
    screen edition is the same issue, plan and fitted settings rendered again (screen.css,
    sRGB, tagged)."""
    start = time.perf_counter()
    built: list[Built] = []
    with reads.recording() as read:
        path = issue_file(Path(source))
        issue = load(path)
        project = Project.around(path)
        # The print edition is fitted (freezing fits afresh: a fit.yaml there is not read);
        # the screen edition takes the print's settings, so both have the same pages.
        printed = fit_issue(issue, project, frozen=not freeze_fit)
        settings = {r.first: r.setting for r in printed.runs}
        for edition in editions:
            fitted = printed if edition == "print" else fit_issue(
                issue, project, edition=edition, settings=settings)
            rendered = fitted.rendered
            if strict:
                _refuse_warnings(rendered)

            def produce(file, rendered=rendered) -> None:
                rendered.write_pdf(file)  # an SVG image fetches what it uses only now
                if strict:
                    _refuse_warnings(rendered)  # before the rename: the last good PDF stays
            pdf = out / pdf_name(issue.slug, edition)
            size = atomic(pdf, produce)
            built.append(Built(issue, project, pdf, rendered, size,
                               time.perf_counter() - start, read, edition, fitted))
            start = time.perf_counter()
    if freeze_fit:
        from .fit import freeze
        freeze.write(issue, printed)
    return built


def _refuse_warnings(rendered: Rendered) -> None:
    if rendered.warnings:
        raise StrictError("--strict: the layout has warnings; nothing was written\n"
                          + "\n".join(f"  warning: {w}" for w in rendered.warnings))
