"""build = load, compose, render, write, check: the stages in a row."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from . import model as m
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
        return sorted(p.parent for p in self.issues.glob(f"*/*/{ISSUE_FILE}")
                      if (p.parent.parent / SERIES_FILE).is_file())


@dataclass
class Built:
    issue: m.Issue
    project: Project
    pdf: Path
    rendered: Rendered
    size: int
    seconds: float
    edition: str = "print"


EDITIONS = {"print": ("print",), "screen": ("screen",), "all": ("print", "screen")}


def render_issue(issue: m.Issue, project: Project, edition: str = "print") -> Rendered:
    # Imported here: compose brings in Jinja and ReportLab, which finding issues
    # (build --all with nothing to do) does not need.
    from .compose import compose
    html = compose(issue, project.layouts, edition)
    return renderer(project.fonts).render(
        html, base=issue.folder, allowed=[project.layouts, issue.folder], edition=edition)


def pdf_path(out: Path, slug: str, edition: str = "print") -> Path:
    """dist/<slug>.pdf for print, dist/<slug>-screen.pdf for the screen edition."""
    return out / (f"{slug}.pdf" if edition == "print" else f"{slug}-{edition}.pdf")


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
    path = issue_file(Path(source))
    issue = load(path)
    project = Project.around(path)
    built = []
    for edition in editions:
        rendered = render_issue(issue, project, edition)
        if strict:
            _refuse_warnings(rendered)

        def produce(file, rendered=rendered) -> None:
            rendered.write_pdf(file)
            if strict:
                _refuse_warnings(rendered)  # before the rename: the last good PDF stays
        pdf = pdf_path(out, issue.slug, edition)
        size = atomic(pdf, produce)
        built.append(Built(issue, project, pdf, rendered, size, time.perf_counter() - start,
                           edition))
        start = time.perf_counter()
    return built


def _refuse_warnings(rendered: Rendered) -> None:
    if rendered.warnings:
        raise StrictError("--strict: the layout has warnings; nothing was written\n"
                          + "\n".join(f"  warning: {w}" for w in rendered.warnings))
