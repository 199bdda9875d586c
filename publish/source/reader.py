"""The schema-driven reader of one YAML file: its nodes (yamlsource.py) read by the shapes
in schema.py into values, every problem noted with the file, line, column and field path
instead of stopping at the first. The issue and series files (load.py) and the layout
manifests (layout.py) are read by it.
"""
from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path
from typing import Any, Callable, TypeVar

from . import images, model as m
from . import schema as s
from ..errors import IssueError, Problem
from .yamlsource import Node

T = TypeVar("T")

_ID = re.compile(s.ID_PATTERN)
_PAGE_REF = re.compile(r"\]\(\s*page:([^)\s]*)\s*\)")
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LABELS = re.compile(r"^(\d+)(?:\s*/\s*(\d+))?$")
_DECIMAL = re.compile(r"^[-+]?[0-9][0-9_]*$")


def did_you_mean(word: str, known, what: str) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else f"{what}: " + ", ".join(known)


class Reader:
    """Reads one file's nodes by the schema's shapes, noting problems instead of stopping.

    A shape's object is made by the reader's make_<shape> method, and the issue's `flow`
    and `blocks` fields by its flow and block (load.py's issue reader has them); a
    layout manifest is read by shape() alone."""

    def __init__(self, file: Path):
        self.file = file
        self.problems: list[Problem] = []
        self.refs: list[tuple[str, Node, str]] = []  # [...](page:id) links, for the issue

    # -- reporting -----------------------------------------------------------

    def problem(self, node: Node | None, path: str, message: str, hint: str | None = None):
        line = node.line if node else None
        column = node.column if node else None
        self.problems.append(Problem(self.file, message, line, column, path or None, hint))

    def done(self, value: T) -> T:
        if self.problems:
            raise IssueError(self.problems)
        return value

    # -- shapes --------------------------------------------------------------

    def fields(self, node: Node, path: str, shape: s.Shape) -> dict[str, Node] | None:
        """A mapping of the shape's fields: unknown ones and missing required ones are
        problems."""
        if not isinstance(node.value, dict):
            self.problem(node, path, f"expected a mapping of fields, found {_a(node)}")
            return None
        known = shape.known
        for key, value in node.value.items():
            if key not in known:
                self.problem(Node(None, value.key_line or value.line, value.key_column or 1),
                             _join(path, key), "unknown field",
                             did_you_mean(key, known, "known fields") if known else
                             "this takes no fields: write {}")
        for key in shape.required:
            if key not in node.value or node.value[key].value is None:
                self.problem(node, _join(path, key), "required field is missing")
        return node.value

    def shape(self, node: Node | None, path: str, shape: s.Shape) -> dict[str, Any] | None:
        """The shape's fields read by their types (absent ones as None or their default)."""
        if node is None or node.value is None:
            if shape.required:
                if node is not None:
                    self.problem(node, path, "required field is missing")
                return None
            nodes: dict[str, Node] = {}
        elif shape.text_form and not (isinstance(node.value, dict)
                                      and set(node.value) - {"en", "zh"}):
            nodes = {shape.text_form: node}
        else:
            nodes = self.fields(node, path, shape)
            if nodes is None:
                return None
        return {f.name: self.value(f, nodes.get(f.name), _join(path, f.name))
                for f in shape.fields}

    def value(self, f: s.Field, node: Node | None, path: str) -> Any:
        t = f.type
        if t in ("text", "rich"):
            return self.rich(node, path)
        if t == "flow":
            return self.flow(node, path)
        if t == "string":
            return self.string(node, path)
        if t == "id":
            ident = self.string(node, path)
            if ident and not _ID.match(ident):
                self.problem(node, path, f"'{ident}' is not a valid id: use lower-case letters, "
                                         "digits and '-'", f.hint)
                return None
            return ident
        if t == "int":
            return self.integer(node, path, f.default, f.low, f.high)
        if t in ("mm", "pt"):
            return self.number(node, path, f.default, f.low, f.high, t)
        if t == "bool":
            return self.boolean(node, path, f.default)
        if t == "choice":
            return self.choice(node, path, f.choices)
        if t == "year-month":
            return self.year_month(node, path)
        if t == "page":
            return self.page_label(node, path)
        if t == "image":
            return self.image(node, path)
        if t == "lines":
            return self.items(node, path, self.string)
        if t == "blocks":
            return self.items(node, path, lambda n, p: self.block(n, p, s.TOP_LEVEL))
        if t == "empty":
            return None
        if t == "shape":
            return self.obj(node, path, f.item) if node is not None else None
        if t == "list":
            return self.items(node, path, self.reader_for(f.item))
        raise AssertionError(f"schema type {t!r} has no reader")

    def reader_for(self, item) -> Callable[[Node, str], Any]:
        if isinstance(item, s.Shape):
            return lambda n, p: self.obj(n, p, item)
        if item == "text":
            return self.rich
        if item == "string":
            return self.string
        if item == "language":
            return lambda n, p: self.choice(n, p, ("en", "zh"))
        if item == "row":
            return lambda n, p: self.items(n, p, self.cell, required=True)
        raise AssertionError(f"schema list item {item!r} has no reader")

    def obj(self, node: Node, path: str, shape: s.Shape):
        """A model object: the shape's fields, then its make_<shape> method."""
        d = self.shape(node, path, shape)
        if d is None:
            return None
        return getattr(self, "make_" + shape.name.replace(" ", "_"))(d, node, path)

    # -- scalars -------------------------------------------------------------

    def text(self, node: Node | None, path: str) -> m.Text | None:
        if node is None or node.value is None:
            return None
        v = node.value
        if isinstance(v, str):
            return m.Text(en=v)
        if isinstance(v, dict):
            f = self.fields(node, path, _BILINGUAL)
            if f is None:
                return None
            if not f:
                self.problem(node, path, "a bilingual text needs 'en', 'zh' or both")
                return None
            parts = {lang: self.string(f[lang], _join(path, lang))
                     for lang in ("en", "zh") if lang in f}
            return m.Text(**parts)
        self.problem(node, path, f"expected text or {{en: ..., zh: ...}}, found {_a(node)}")
        return None

    def rich(self, node: Node | None, path: str) -> m.Text | None:
        text = self.text(node, path)
        if text is not None:
            for part in (text.en, text.zh):
                for match in _PAGE_REF.finditer(part or ""):
                    self.refs.append((match[1], node, path))
        return text

    def string(self, node: Node | None, path: str) -> str | None:
        if node is None or node.value is None:
            return None
        if isinstance(node.value, str):
            return node.value
        self.problem(node, path, f"expected text, found {_a(node)}")
        return None

    def integer(self, node: Node | None, path: str, default: int | None = None,
                low: float | None = None, high: float | None = None) -> int | None:
        if node is None or node.value is None:
            return default
        v = node.value
        if node.tag == "int" and _DECIMAL.match(v):
            v = int(v.replace("_", ""))  # 0710 is 710 here, not YAML 1.1's octal 456
        elif node.tag == "int":
            v = self._typed(node, path)
        if not isinstance(v, int) or isinstance(v, bool):
            if v is not None:
                self.problem(node, path, f"expected a whole number, found {_a(node)}")
            return default
        if (low is not None and v < low) or (high is not None and v > high):
            self.problem(node, path, f"{v} is out of range ({low:g} to {high:g})")
            return default
        return v

    def number(self, node: Node | None, path: str, default: float, low: float,
               high: float, unit: str = "mm") -> float:
        if node is None or node.value is None:
            return default
        v = None
        if node.tag in ("int", "float"):
            try:
                v = float(node.value.replace("_", ""))
            except ValueError:
                v = self._typed(node, path)
        if v is None or isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            self.problem(node, path, f"expected a number of "
                                     f"{'millimetres' if unit == 'mm' else 'points'}, found {_a(node)}")
            return default
        if not low <= v <= high:
            self.problem(node, path, f"{v:g} {unit} is out of range ({low:g} to {high:g} {unit})")
            return default
        return float(v)

    def boolean(self, node: Node | None, path: str, default: bool) -> bool:
        if node is None or node.value is None:
            return default
        if node.tag != "bool":
            self.problem(node, path, f"expected true or false, found {_a(node)}")
            return default
        return self._typed(node, path)

    def _typed(self, node: Node, path: str) -> Any:
        try:
            return node.typed()
        except ValueError as e:
            self.problem(node, path, f"'{node.value}' is not a valid value: {e}")
            return None

    def choice(self, node: Node | None, path: str, options: tuple[str, ...]) -> str:
        value = self.string(node, path)
        if value is None:
            return options[0]
        if value not in options:
            self.problem(node, path, f"'{value}' is not one of: " + ", ".join(options),
                         did_you_mean(value, options, "choices")
                         if difflib.get_close_matches(value, options, n=1) else None)
            return options[0]
        return value

    def items(self, node: Node | None, path: str, read_item: Callable[[Node, str], T],
              required: bool = False) -> tuple[T, ...]:
        if node is None or node.value is None:
            if required and node is not None:
                self.problem(node, path, "required list is missing")
            return ()
        if not isinstance(node.value, list):
            self.problem(node, path, f"expected a list, found {_a(node)}")
            return ()
        out = []
        for i, item in enumerate(node.value):
            value = read_item(item, f"{path}[{i}]")
            if value is not None:
                out.append(value)
        return tuple(out)

    def year_month(self, node: Node | None, path: str) -> tuple[int, int] | None:
        if node is None or node.value is None:
            return None
        v = node.value
        if node.tag == "timestamp":
            date = self._typed(node, path)
            if isinstance(date, datetime.date):
                return date.year, date.month
            return None
        if isinstance(v, str):
            match = re.fullmatch(r"(\d{4})-(\d{1,2})", v.strip())
            if match and 1 <= int(match[2]) <= 12:
                return int(match[1]), int(match[2])
        self.problem(node, path, f"'{_shown(node)}' is not a year and month such as 2017-05")
        return None

    def page_label(self, node: Node | None, path: str) -> tuple[int, int] | None:
        if node is None or node.value is None:
            return None
        match = _LABELS.match(node.value.strip()) if isinstance(node.value, str) else None
        if not match:
            self.problem(node, path, f"'{_shown(node)}' is not a page number such as 2 or a "
                                     "spread such as 4/5")
            return None
        first, last = int(match[1]), int(match[2] or match[1])
        if last != first and last != first + 1:
            self.problem(node, path, "a spread is two facing pages, such as 4/5")
        return first, last

    def image(self, node: Node | None, path: str) -> Path | None:
        name = self.string(node, path)
        if name is None:
            return None
        folder = self.file.parent
        if _URL_SCHEME.match(name):
            self.problem(node, path, f"'{name}' is a URL; images must be files in the issue "
                                     "folder (nothing is fetched while rendering)")
            return None
        candidate = (folder / name).resolve()
        if Path(name).is_absolute() or not candidate.is_relative_to(folder.resolve()):
            self.problem(node, path, f"'{name}' is outside the issue folder; put the image "
                                     f"in {folder.name}/ and give its path from there")
            return None
        if not candidate.is_file():
            self.problem(node, path, f"image '{name}' not found in {folder.name}/")
            return None
        if candidate.suffix.lower() not in images.FORMATS:
            self.problem(node, path, f"'{name}' is not a PNG or JPEG image")
            return None
        wrong = images.problem(candidate)
        if wrong:
            self.problem(node, path, f"image '{name}' {wrong}")
            return None
        return candidate

    def cell(self, node: Node, path: str) -> m.Text:
        if node.value is None:
            return m.Text(en="")
        return self.rich(node, path) or m.Text(en="")


_BILINGUAL = s.Shape("text", "", (s.Field("en", "string", ""), s.Field("zh", "string", "")))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(node: Node) -> str:
    shown = str(node.value)
    return shown if len(shown) <= 30 else shown[:27] + "..."


def _a(node: Node) -> str:
    kind = node.kind
    if kind in ("str", "int", "float", "bool", "timestamp"):
        return {"str": "text", "int": "a number", "float": "a number", "bool": "true/false",
                "timestamp": "a date"}[kind] + f" '{_shown(node)}'"
    return {"mapping": "a mapping", "list": "a list", "nothing": "nothing"}.get(kind, kind)
