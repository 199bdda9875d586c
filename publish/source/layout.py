"""Layouts: a folder of Jinja templates and CSS, with a manifest that may extend another.

``layouts/<name>/layout.yaml`` says which layout it extends and which stylesheets
it adds. Templates are looked up child first, then parent, so a series layout
overrides only the partials it changes; stylesheets apply parent first, so a
child's rules win.

Layouts are shared and downloaded, so none may reach outside layouts/: `extends`
names a sibling folder (no paths), and every folder, template and stylesheet is
checked to be inside layouts/ after symbolic links are resolved.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import schema
from ..errors import IssueError, Problem
from ..project import LAYOUT_FILE
from .reader import Reader, did_you_mean
from .confine import outside
from .yamlsource import Node, read

MANIFEST = LAYOUT_FILE


@dataclass(frozen=True)
class FitBounds:
    """How far the fit stage may move each lever (layout.yaml's `fit`, docs/fit.md).

    Ranges are (least, most): space and figures as factors of the layout's own spacing
    and of a placeholder's declared height, body in points, leading as a multiple of the
    text size, tracking in em. The layout's own value always lies inside its range."""

    tolerance: float = 15.0  # mm a column may end short of its foot
    space: tuple[float, float] = (0.6, 1.6)
    figures: tuple[float, float] = (0.7, 1.4)
    body: tuple[float, float] = (8.0, 10.0)
    leading: tuple[float, float] = (1.25, 1.5)
    tracking: tuple[float, float] = (-0.01, 0.01)

    def __getitem__(self, name: str):
        """fit["tolerance"], as layout.yaml spells the keys."""
        return getattr(self, name)

RANGES = ("space", "figures", "body", "leading", "tracking")


@dataclass(frozen=True)
class Layout:
    name: str
    folders: tuple[Path, ...]  # child first, each resolved and inside root
    stylesheets: tuple[Path, ...]  # parent first
    root: Path  # the layouts/ folder, resolved
    fit: FitBounds = FitBounds()


def resolve(root: Path, name: str, origin: tuple[Path, Node | None] | None = None) -> Layout:
    """Follow a layout's `extends` chain under root (the project's layouts/ folder).

    origin is where the name was written (series.yaml and its `layout:` node), so an
    unknown layout is reported there. Raises IssueError with every problem found.
    """
    real_root = root.resolve()
    folders: list[Path] = []
    sheets: list[list[Path]] = []
    fits: list[tuple[Path, dict]] = []
    problems: list[Problem] = []
    current: str | None = name
    where = origin
    while current is not None:
        folder = root / current
        manifest = folder / MANIFEST
        file, node = where if where else (manifest, None)
        at = dict(line=node.line, column=node.column) if node is not None else {}
        field = "layout" if where is origin else "extends"
        if folder.is_dir() and not folder.resolve().is_relative_to(real_root):
            problems.append(Problem(file, f"layout '{current}' is a link to "
                                          f"{folder.resolve()}, outside {root}; a layout must "
                                          "be a folder inside layouts/", field=field, **at))
            break
        if not manifest.is_file():
            known = sorted(p.name for p in root.iterdir() if (p / MANIFEST).is_file()) \
                if root.is_dir() else []
            problems.append(Problem(file, f"no layout '{current}' in {root} (no "
                                          f"{current}/{MANIFEST})", field=field,
                                    hint=did_you_mean(current, known, "layouts") if known
                                    else None, **at))
            break
        if folder.resolve() in folders:
            problems.append(Problem(file, f"layout '{current}' extends itself through "
                                          f"{folders[-1].name}", field=field, **at))
            break
        reader = Reader(manifest)
        escaped = outside(manifest, real_root, root)
        if escaped:
            problems.append(escaped)
            break
        try:
            top = read(manifest)
        except IssueError as e:
            problems += e.problems
            break
        fields = reader.shape(top, "", schema.LAYOUT) or {}
        own = []
        for i, item in enumerate(top.value.get("stylesheets").value
                                 if fields.get("stylesheets") else []):
            sheet = (folder / item.value).resolve()
            if not sheet.is_relative_to(folder.resolve()) or not sheet.is_file():
                reader.problem(item, f"stylesheets[{i}]",
                               f"'{item.value}' is not a file in {folder}")
            else:
                own.append(sheet)
        problems += reader.problems
        if fields.get("fit"):
            fits.append((manifest, fields["fit"]))
        folders.append(folder.resolve())
        sheets.append(own)
        current = fields.get("extends")
        where = (manifest, top.value.get("extends")) if current else None
    bounds = _fit_bounds(fits, problems)
    if problems:
        raise IssueError(problems)
    return Layout(name, tuple(folders), tuple(s for own in reversed(sheets) for s in own),
                  real_root, bounds)


def _fit_bounds(fits: list[tuple[Path, dict]], problems: list[Problem]) -> FitBounds:
    """The `fit` values of the chain, parent first, each layout's overriding its parent's;
    a range whose ends cross once merged is reported where the child wrote its end."""
    values = {name: getattr(FitBounds, name) for name in ("tolerance", *RANGES)}
    for manifest, fit in reversed(fits):
        if "tolerance" in fit:
            values["tolerance"] = fit["tolerance"]
        for name in RANGES:
            if name not in fit:
                continue
            written = fit[name]
            low = written.get("min", values[name][0])
            high = written.get("max", values[name][1])
            if low > high and not ("min" in written and "max" in written):
                end = "min" if "min" in written else "max"
                node = written["node"].value[end]
                problems.append(Problem(manifest, f"{written[end]:g} makes the range "
                                                  f"{low:g} to {high:g} empty (min above max)",
                                        field=f"fit.{name}.{end}", line=node.line,
                                        column=node.column))
            values[name] = (low, high)
    return FitBounds(**values)
