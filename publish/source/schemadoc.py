"""The formats of schema.py written out: JSON Schemas for editors, field tables for the docs.

`publish schema` writes schema/issue.schema.json, schema/series.schema.json and
schema/layout.schema.json (an editor with a YAML language server reads them
through the modeline at the top of each file: completion, hover docs, inline
errors) and rewrites the tables between `<!-- schema:NAME -->` and
`<!-- /schema -->` in docs/. `publish schema --check` says which are stale.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from . import schema as s
from .confine import outside
from ..errors import IssueError

SCHEMA_FOLDER = "schema"
ROOTS = {"issue": s.ISSUE, "series": s.SERIES, "layout": s.LAYOUT}
DOCS = ("docs/format.md", "docs/layouts.md")


def modeline(kind: str, file: Path, project: Path) -> str:
    """The first line of an issue.yaml or series.yaml: where its JSON Schema is."""
    target = project / SCHEMA_FOLDER / f"{kind}.schema.json"
    relative = Path(*[".."] * (len(file.parent.relative_to(project).parts))) / target.relative_to(
        project)
    return f"# yaml-language-server: $schema={relative.as_posix()}"


# -- JSON Schema ---------------------------------------------------------------

_SCALAR = {"type": ["string", "number", "boolean"]}


def json_schema(kind: str) -> dict:
    root = ROOTS[kind]
    definitions: dict[str, dict] = {
        "text": {
            "description": "Text as typed, or a bilingual pair {en, zh}.",
            "anyOf": [_SCALAR, {"type": "object", "additionalProperties": False,
                                "minProperties": 1,
                                "properties": {"en": _SCALAR, "zh": _SCALAR}}]},
    }
    body = _shape(root, definitions)
    return {"$schema": "http://json-schema.org/draft-07/schema#",
            "title": f"publish {kind} file",
            **body, "definitions": dict(sorted(definitions.items()))}


def _ref(name: str) -> dict:
    return {"$ref": f"#/definitions/{_key(name)}"}


def _key(name: str) -> str:
    return name.replace(" ", "_")


def _shape(shape: s.Shape, definitions: dict) -> dict:
    out: dict = {"type": "object", "description": shape.doc, "additionalProperties": False,
                 "properties": {f.name: _field(f, definitions) for f in shape.fields}}
    if shape.required:
        out["required"] = list(shape.required)
    if not shape.required and shape.name in s.BLOCKS:
        out["type"] = ["object", "null"]
    if shape.text_form:
        return {"description": shape.doc,
                "anyOf": [_ref("text"), {k: v for k, v in out.items() if k != "description"}]}
    return out


def _define(shape: s.Shape, definitions: dict) -> dict:
    key = _key(shape.name) if shape.name not in s.BLOCKS or shape is s.BLOCKS[shape.name] \
        else _key(shape.name) + "_fields"
    if key not in definitions:
        definitions[key] = {}  # placeholder: shapes may nest
        definitions[key] = _shape(shape, definitions)
    return {"$ref": f"#/definitions/{key}"}


def _field(f: s.Field, definitions: dict) -> dict:
    doc = f.doc
    if f.default is not None and not isinstance(f.default, (bool, int, float)) \
            and f.type not in ("choice",):
        doc += f" (default: {f.default})"
    out = {"description": doc, **_type(f.type, f, definitions)}
    if isinstance(f.default, (bool, int, float)) or f.type == "choice" and f.default:
        out["default"] = f.default
    return out


def _type(t: str, f: s.Field | None, definitions: dict) -> dict:
    if t in ("text", "rich"):
        return _ref("text")
    if t == "flow":
        return {"anyOf": [_ref("text"), {"type": "array", "items": {
            "anyOf": [_ref("text"), _blocks(s.IN_FLOW, "in_flow_block", definitions)]}}]}
    if t == "string":
        return dict(_SCALAR)
    if t == "id":
        return {"type": "string", "pattern": s.ID_PATTERN}
    if t in ("int", "mm", "pt", "number"):
        out = {"type": "integer" if t == "int" else "number"}
        if f is not None and f.low is not None:
            out.update(minimum=f.low, maximum=f.high)
        return out
    if t == "bool":
        return {"type": "boolean"}
    if t == "choice":
        return {"enum": list(f.choices)}
    if t == "year-month":
        return {"type": "string", "pattern": s.YEAR_MONTH_PATTERN}
    if t == "page":
        return {"anyOf": [{"type": "integer", "minimum": 1},
                          {"type": "string", "pattern": s.PAGE_PATTERN}]}
    if t == "image":
        return {"type": "string"}
    if t == "lines":
        return {"type": "array", "items": dict(_SCALAR)}
    if t == "blocks":
        return {"type": "array", "items": _blocks(s.TOP_LEVEL, "block", definitions)}
    if t == "shape":
        return _define(f.item, definitions)
    if t == "list":
        item = f.item
        if isinstance(item, s.Shape):
            items = _define(item, definitions)
        elif item == "language":
            items = {"enum": ["en", "zh"]}
        elif item == "row":
            items = {"type": "array", "items": {"anyOf": [_ref("text"), {"type": "null"}]}}
        else:
            items = _type(item, None, definitions)
        return {"type": "array", "items": items}
    raise AssertionError(f"schema type {t!r} has no JSON Schema")


def _blocks(kinds: tuple[str, ...], name: str, definitions: dict) -> dict:
    if name not in definitions:
        definitions[name] = {}
        definitions[name] = {
            "description": "A block: a mapping with one key, its kind.",
            "anyOf": [{"type": "object", "additionalProperties": False, "required": [kind],
                       "properties": {kind: _define(s.BLOCKS[kind], definitions)}}
                      for kind in kinds]}
    return {"$ref": f"#/definitions/{name}"}


# -- documentation tables --------------------------------------------------------

def table(shape: s.Shape) -> str:
    if not shape.fields:
        return "No fields.\n"
    rows = ["| field | type | required | default | |", "|---|---|---|---|---|"]
    for f in shape.fields:
        rows.append(f"| `{f.name}` | {type_words(f)} | {'required' if f.required else ''} | "
                    f"{default_words(f)} | {f.doc.replace('|', chr(92) + '|')} |")
    return "\n".join(rows) + "\n"


def type_words(f: s.Field) -> str:
    t = f.type
    words = {"text": "text", "rich": "rich text", "flow": "rich text, or a list",
             "string": "plain text", "id": "id (a-z, 0-9, -)", "bool": "true/false",
             "year-month": "year-month", "page": "page or spread", "image": "path",
             "lines": "list of lines", "blocks": "list of blocks", "empty": "nothing"}
    if t in words:
        return words[t]
    if t == "int":
        return f"whole number ({f.low:g}-{f.high:g})"
    if t == "mm":
        return f"millimetres ({f.low:g}-{f.high:g})"
    if t == "pt":
        return f"points ({f.low:g}-{f.high:g})"
    if t == "number":
        return f"number ({f.low:g} to {f.high:g})"
    if t == "choice":
        return " or ".join(f"`{c}`" for c in f.choices)
    if t == "shape":
        return "{" + ", ".join(x.name for x in f.item.fields) + "}"
    if t == "list":
        item = f.item
        if isinstance(item, s.Shape):
            return f"list of {item.name}s"
        return {"text": "list of texts", "string": "list of plain texts",
                "language": "list of `en`, `zh`", "row": "list of rows"}[item]
    raise AssertionError(t)


def default_words(f: s.Field) -> str:
    if f.default is None:
        return ""
    if isinstance(f.default, bool):
        return "`true`" if f.default else "`false`"
    if isinstance(f.default, (int, float)):
        return f"{f.default:g}"
    if f.type == "choice":
        return f"`{f.default}`"
    return str(f.default).replace("|", "\\|")


_MARKED = re.compile(r"(<!-- schema:([a-z _]+) -->\n)(.*?)(<!-- /schema -->)", re.S)


def with_tables(text: str) -> str:
    """A document with each marked table regenerated from the schema."""
    shapes = {x.name: x for x in s.SHAPES}

    def fill(match: re.Match) -> str:
        name = match[2]
        if name not in shapes:
            raise KeyError(f"docs name a schema shape '{name}' that does not exist")
        return match[1] + table(shapes[name]) + match[4]
    return _MARKED.sub(fill, text)


def documented_shapes(text: str) -> list[str]:
    return [m[2] for m in _MARKED.finditer(text)]


# -- writing -------------------------------------------------------------------

def outputs(project: Path) -> dict[Path, str]:
    """Every generated file and its content as it should be. Raises IssueError, before
    anything is read, when one of them is a link (or in a folder that is a link) out of
    the project: it would be read, or written over, outside it."""
    files = [project / SCHEMA_FOLDER / f"{kind}.schema.json" for kind in ROOTS]
    docs = [project / doc for doc in DOCS]
    escaped = [p for p in map(lambda path: outside(path, project, "the project"), files + docs)
               if p]
    if escaped:
        raise IssueError(escaped)
    contents = {path: json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
                for path, kind in zip(files, ROOTS)}
    for path in docs:
        if path.is_file():
            contents[path] = with_tables(path.read_text(encoding="utf-8"))
    return contents


def stale(project: Path) -> list[Path]:
    return [path for path, content in outputs(project).items()
            if not path.is_file() or path.read_text(encoding="utf-8") != content]


def write(project: Path) -> list[Path]:
    """Write the stale outputs, each whole (a link inside the project is replaced by the
    file, never written through)."""
    from ..write import atomic
    changed = stale(project)
    for path, content in outputs(project).items():
        if path in changed:
            data = content.encode("utf-8")
            atomic(path, lambda f, data=data: f.write(data))
    return changed
