"""An issue's fit.yaml: the settings the fit chose, frozen beside the issue so that a later
publish, or a changed layout, lays its pages out as they were.

`publish build --freeze-fit` fits the issue afresh and writes, for each run of pages, every
lever's value as laid out (the body size and leading too where the layout's own were
used). While the file is there, builds set those values and search nothing; without it, a
changed layout refits. The file is read like every input: a mistake is reported with its
line and field.
"""
from __future__ import annotations

from pathlib import Path

from ..source import model as m
from ..source import schema
from ..errors import IssueError
from ..write import atomic
from ..source.yamlsource import read as read_yaml
from .levers import Setting

FILE = "fit.yaml"


def path(issue: m.Issue) -> Path:
    return issue.folder / FILE


def read(issue: m.Issue) -> dict[int, Setting] | None:
    file = path(issue)
    if not file.is_file():
        return None
    from ..source.reader import Reader as _Reader
    reader = _Reader(file)
    top = read_yaml(file)
    d = reader.shape(top, "", schema.FROZEN) or {}
    firsts = {run[0].first: run for run in issue.runs()}
    settings: dict[int, Setting] = {}
    for i, entry in enumerate(d.get("pages") or []):
        if entry is None or entry.get("page") is None:
            continue
        first = entry["page"][0]
        node = top.value["pages"].value[i]
        if first not in firsts:
            reader.problem(node, f"pages[{i}].page", f"page {first} does not start a run of "
                                                     "pages in the issue's plan")
            continue
        settings[first] = Setting(t=1.0, space=entry["space"], figures=entry["figures"],
                                  body=entry["body"], leading=entry["leading"],
                                  tracking=entry["tracking"])
    if reader.problems:
        raise IssueError(reader.problems)
    return settings


def write(issue: m.Issue, fitted) -> Path:
    lines = ["# Written by `publish build --freeze-fit`: the settings the fit stage chose for",
             "# each run of pages. While this file is here, builds use them as they are",
             "# (docs/fit.md); delete it to let the fit choose again.", "pages:"]
    for run in fitted.runs:
        s = run.setting
        first = next(p for p in issue.pages if p.first == run.first)
        body = s.body if s.body is not None else (first.body_size or round(run.fill.body_pt, 2))
        leading = s.leading if s.leading is not None else round(run.fill.leading, 3)
        lines += [f"  - page: {first.label}", f"    space: {s.space:g}",
                  f"    figures: {s.figures:g}", f"    body: {body:g}",
                  f"    leading: {leading:g}", f"    tracking: {s.tracking:g}"]
    text = "\n".join(lines) + "\n"
    file = path(issue)
    atomic(file, lambda f: f.write(text.encode()))
    return file
