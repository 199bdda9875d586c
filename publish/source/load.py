"""Load stage: an issue's YAML (and its series file and layout) into the typed model.

The files are read by reader.py, by the shapes in schema.py. Every problem in the series
file, the layout manifests and the issue file is collected, with its file, line and field
path, before a single IssueError is raised: an editor fixes them all in one pass.
"""
from __future__ import annotations

from pathlib import Path

from . import model as m
from ..errors import IssueError, Problem
from ..project import ISSUE_FILE, SERIES_FILE, find, issue_file
from .confine import issues_folder, outside
from .layout import resolve
from .reader import Reader
from .yamlsource import Node, read


def load(source: Path, project: Path | None = None) -> m.Issue:
    """Read an issue (folder or issue.yaml), its series and its layout; raise IssueError
    with every problem of all three."""
    given = issue_file(Path(source))
    # A link out of the project is refused before it is opened (confine.py).
    issues = issues_folder(given)
    bound = issues or given.absolute().parent.parent
    where = "the project's issues/ folder" if issues else None
    escaped = outside(given, bound, where)
    if escaped:
        raise IssueError([escaped])
    path = given.resolve()
    problems: list[Problem] = []
    try:
        root = read(path)
    except IssueError as e:
        if not path.is_file():
            raise  # no issue here at all: its series has nothing to do with it
        root, unreadable = None, e.problems

    series_path = path.parent.parent / SERIES_FILE
    series = None
    escaped = outside(series_path, bound, where)
    if escaped:
        problems.append(escaped)
    elif not series_path.is_file():
        problems.append(Problem(series_path, "file not found", hint=(
            f"an issue folder sits in its series folder, beside the series file: "
            f"issues/<series>/{SERIES_FILE} and issues/<series>/<issue>/{ISSUE_FILE}")))
    else:
        try:
            series, layout_node = _series(series_path)
        except IssueError as e:
            problems += e.problems
        else:
            home = find(path.parent) if project is None else project
            if home is not None:
                try:
                    resolve(home / "layouts", series.layout, (series_path, layout_node))
                except IssueError as e:
                    problems += e.problems
    if root is None:
        raise IssueError(problems + unreadable)
    reader = Reader(path)
    issue = reader.issue(root, series)
    problems += reader.problems
    if problems:
        raise IssueError(problems)
    return issue


def load_series(path: Path) -> m.Series:
    return _series(path)[0]


def _series(path: Path) -> tuple[m.Series, Node | None]:
    reader = Reader(path)
    series = reader.series(read(path))
    return reader.done(series), reader.layout_node
