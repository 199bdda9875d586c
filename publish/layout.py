"""Layouts: a folder of Jinja templates and CSS, with a manifest that may extend another.

``layouts/<name>/layout.yaml`` says which layout it extends and which stylesheets
it adds. Templates are looked up child first, then parent, so a series layout
overrides only the partials it changes; stylesheets apply parent first, so a
child's rules win.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import IssueError, LayoutError
from .yamlsource import read

MANIFEST = "layout.yaml"


@dataclass(frozen=True)
class Layout:
    name: str
    folders: tuple[Path, ...]  # child first
    stylesheets: tuple[Path, ...]  # parent first


def resolve(root: Path, name: str) -> Layout:
    """Follow a layout's `extends` chain under root (the project's layouts/ folder)."""
    folders: list[Path] = []
    sheets: list[list[Path]] = []
    current: str | None = name
    while current is not None:
        folder = root / current
        manifest = folder / MANIFEST
        if not manifest.is_file():
            known = sorted(p.name for p in root.iterdir() if (p / MANIFEST).is_file()) \
                if root.is_dir() else []
            raise LayoutError(f"layout '{current}' not found: no {manifest}"
                              + (f" (layouts: {', '.join(known)})" if known else ""))
        if folder in folders:
            raise LayoutError(f"layout '{current}' extends itself through {folders[-1].name}")
        try:
            node = read(manifest)
        except IssueError as e:
            raise LayoutError(str(e)) from None
        fields = node.value if isinstance(node.value, dict) else {}
        unknown = set(fields) - {"extends", "stylesheets", "description"}
        if not isinstance(node.value, dict) or unknown:
            raise LayoutError(f"{manifest}:{node.line}: a layout manifest has the fields "
                              f"extends, stylesheets, description"
                              + (f" (unknown: {', '.join(sorted(unknown))})" if unknown else ""))
        own = []
        for item in (fields["stylesheets"].value if "stylesheets" in fields else []):
            sheet = (folder / str(item.value)).resolve()
            if not sheet.is_relative_to(folder.resolve()) or not sheet.is_file():
                raise LayoutError(f"{manifest}:{item.line}: stylesheet '{item.value}' "
                                  f"is not a file in {folder}")
            own.append(sheet)
        folders.append(folder)
        sheets.append(own)
        parent = fields.get("extends")
        current = str(parent.value) if parent is not None and parent.value else None
    return Layout(name, tuple(folders), tuple(s for own in reversed(sheets) for s in own))
