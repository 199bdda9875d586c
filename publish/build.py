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


def render_issue(issue: m.Issue, project: Project) -> Rendered:
    # Imported here: compose brings in Jinja and ReportLab, which finding issues
    # (build --all with nothing to do) does not need.
    from .compose.document import compose
    html = compose(issue, project.layouts)
    return renderer(project.fonts).render(
        html, base=issue.folder, allowed=[project.layouts, issue.folder])


def build(source: Path, out: Path, strict: bool = False) -> Built:
    """Build one issue's PDF into out; raise PublishError on bad input or a failed render.

    strict: a warning from WeasyPrint about the layout's CSS or HTML fails the build
    (StrictError) and nothing is written."""
    start = time.perf_counter()
    with reads.recording() as read:
        path = issue_file(Path(source))
        issue = load(path)
        project = Project.around(path)
        rendered = render_issue(issue, project)
        if strict:
            _refuse_warnings(rendered)

        def produce(file) -> None:
            rendered.write_pdf(file)  # an SVG image fetches what it uses only now
            if strict:
                _refuse_warnings(rendered)  # before the rename: the last good PDF stays
        pdf = out / pdf_name(issue.slug)
        size = atomic(pdf, produce)
    return Built(issue, project, pdf, rendered, size, time.perf_counter() - start, read)


def _refuse_warnings(rendered: Rendered) -> None:
    if rendered.warnings:
        raise StrictError("--strict: the layout has warnings; nothing was written\n"
                          + "\n".join(f"  warning: {w}" for w in rendered.warnings))
