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


EDITIONS = {"print": ("print",), "screen": ("screen",), "all": ("print", "screen")}


def render_issue(issue: m.Issue, project: Project, edition: str = "print") -> Rendered:
    # Imported here: compose brings in Jinja and ReportLab, which finding issues
    # (build --all with nothing to do) does not need.
    from .compose.document import compose
    html = compose(issue, project.layouts, edition)
    return renderer(project.fonts).render(
        html, base=issue.folder, allowed=[project.layouts, issue.folder], edition=edition)


def build(source: Path, out: Path, strict: bool = False, edition: str = "print") -> Built:
    """Build one issue's PDF into out; raise PublishError on bad input or a failed render.

    strict: a warning from WeasyPrint about the layout's CSS or HTML fails the build
    (StrictError) and nothing is written. edition: "print" or "screen"."""
    return build_editions(source, out, strict, (edition,))[0]


def build_editions(source: Path, out: Path, strict: bool = False,
                   editions: tuple[str, ...] = ("print",)) -> list[Built]:
    """Each edition's PDF of one issue, from one reading of its files, print first: the
    screen edition is the same issue and plan rendered again (screen.css, sRGB, tagged)."""
    start = time.perf_counter()
    with reads.recording() as read:
        path = issue_file(Path(source))
        issue = load(path)
        project = Project.around(path)
        built = []
        for edition in editions:
            rendered = render_issue(issue, project, edition)
            if strict:
                _refuse_warnings(rendered)

            def produce(file, rendered=rendered) -> None:
                rendered.write_pdf(file)  # an SVG image fetches what it uses only now
                if strict:
                    _refuse_warnings(rendered)  # before the rename: the last good PDF stays
            pdf = out / pdf_name(issue.slug, edition)
            size = atomic(pdf, produce)
            built.append(Built(issue, project, pdf, rendered, size,
                               time.perf_counter() - start, read, edition))
            start = time.perf_counter()
    return built


def _refuse_warnings(rendered: Rendered) -> None:
    if rendered.warnings:
        raise StrictError("--strict: the layout has warnings; nothing was written\n"
                          + "\n".join(f"  warning: {w}" for w in rendered.warnings))
