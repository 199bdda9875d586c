"""build = load, compose, render, write, check: the stages in a row."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m, reads
from .errors import IssueError, Problem, StrictError
from .load import ISSUE_FILE, SERIES_FILE, issue_file, load
from .render import Rendered, renderer
from .write import atomic


@dataclass(frozen=True)
class Project:
    """The folder holding issues/, layouts/ and fonts/."""

    root: Path

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    @property
    def issues(self) -> Path:
        return self.root / "issues"

    @classmethod
    def around(cls, path: Path) -> "Project":
        """The project a file belongs to: the nearest folder above it with layouts/."""
        path = path.resolve()
        for folder in [path, *path.parents]:
            if (folder / "layouts").is_dir() and (folder / "fonts").is_dir():
                return cls(folder)
        raise IssueError([Problem(path, "is not inside a publish project (no folder above it "
                                        "has layouts/ and fonts/)")])

    def all_issues(self) -> list[Path]:
        # A series file that is not a plain file (a link out, a device) is listed, so
        # that its issues are reported instead of passed over in silence.
        return sorted(p.parent for p in self.issues.glob(f"*/*/{ISSUE_FILE}")
                      if os.path.lexists(p.parent.parent / SERIES_FILE))


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
    from .compose import compose
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
        pdf = out / f"{issue.slug}.pdf"
        size = atomic(pdf, produce)
    return Built(issue, project, pdf, rendered, size, time.perf_counter() - start, read)


def _refuse_warnings(rendered: Rendered) -> None:
    if rendered.warnings:
        raise StrictError("--strict: the layout has warnings; nothing was written\n"
                          + "\n".join(f"  warning: {w}" for w in rendered.warnings))
