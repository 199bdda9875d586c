"""The reader of the project's YAML files: the nodes of one file (yamlsource.py) read by
the shapes in schema.py into the model, every problem noted with its file, line, column
and field path instead of stopping at the first. The issue and series files (load.py)
and the layout manifests (layout.py) are read by it.

Text fields get the characters written (see yamlsource); only fields the schema calls
numbers, true/false or dates are read as such.
"""
from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path
from typing import Any, Callable, TypeVar

from . import anchors
from . import images, model as m
from . import schema as s
from ..errors import IssueError, Problem
from ..project import issue_slug
from .yamlsource import Node

T = TypeVar("T")

MONTHS = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
          "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER")
_ID = re.compile(s.ID_PATTERN)
_PAGE_REF = re.compile(r"\]\(\s*page:([^)\s]*)\s*\)")
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LABELS = re.compile(r"^(\d+)(?:\s*/\s*(\d+))?$")
_DECIMAL = re.compile(r"^[-+]?[0-9][0-9_]*$")
IN_FLOW, TOP_LEVEL = s.IN_FLOW, s.TOP_LEVEL


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def did_you_mean(word: str, known, what: str) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else f"{what}: " + ", ".join(known)


class Reader:
    """Reads one file's nodes into model objects by the schema, noting problems instead of
    stopping."""

    def __init__(self, file: Path):
        self.file = file
        self.problems: list[Problem] = []
        self.ids: dict[str, Node] = {}
        self.refs: list[tuple[str, Node, str]] = []
        self.layout_node: Node | None = None

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
        if t in ("mm", "pt", "number"):
            return self.number(node, path, f.default, f.low, f.high, t)
        if t == "bool":
            return self.boolean(node, path, f.default)
        if t == "choice":
            if (node is None or node.value is None) and f.default is None:
                return None
            return self.choice(node, path, f.choices)
        if t == "point":
            return self.point(node, path, f.default)
        if t == "year-month":
            return self.year_month(node, path)
        if t == "page":
            return self.page_label(node, path)
        if t == "image":
            return self.image(node, path)
        if t == "lines":
            return self.items(node, path, self.string)
        if t == "blocks":
            return self.items(node, path, lambda n, p: self.block(n, p, TOP_LEVEL))
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
            self.problem(node, path, f"expected a number{_UNITS[unit]}, found {_a(node)}")
            return default
        if not low <= v <= high:
            at = f" {unit}" if unit != "number" else ""
            self.problem(node, path, f"{v:g}{at} is out of range ({low:g} to {high:g}{at})")
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

    def point(self, node: Node | None, path: str, default: str) -> tuple[float, float]:
        """[x, y] with each from 0 to 1 (a point in a picture, from its top left)."""
        fallback = (0.5, 0.5)
        if node is None or node.value is None:
            return fallback
        values = node.value if isinstance(node.value, list) else None
        numbers = [self._typed(v, path) if v.tag in ("int", "float") else None
                   for v in values] if values is not None else []
        if len(numbers) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                        and 0 <= v <= 1 for v in numbers):
            self.problem(node, path, f"expected [x, y] with each from 0 to 1 (from the "
                                     f"picture's top left), found {_a(node)}",
                         f"[0.5, 0.2] keeps the middle of the picture's top fifth in view")
            return fallback
        return float(numbers[0]), float(numbers[1])

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
        elif last != first and first % 2:
            # The cover is page 1, a right-hand page; every spread is even | odd after it.
            self.problem(node, path, f"pages {first} and {last} do not face each other "
                                     f"({first} is a right-hand page, {last} the left of the "
                                     f"next spread); a spread is an even page and the one "
                                     f"after it, such as {first + 1}/{last + 1}")
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
            kind = images.UNREAD.get(candidate.suffix.lower())
            self.problem(node, path, f"'{name}' is {kind}, which publish cannot read"
                         if kind else f"'{name}' is not a PNG, JPEG or TIFF image",
                         images.EXPORT)
            return None
        wrong = images.problem(candidate)
        if wrong:
            self.problem(node, path, f"image '{name}' {wrong}",
                         images.EXPORT if wrong.startswith("is not a") else None)
            return None
        return candidate

    def cell(self, node: Node, path: str) -> m.Text:
        if node.value is None:
            return m.Text(en="")
        return self.rich(node, path) or m.Text(en="")

    # -- series --------------------------------------------------------------

    def series(self, root: Node) -> m.Series | None:
        d = self.shape(root, "", s.SERIES)
        if d is None:
            return None
        if isinstance(root.value, dict):
            self.layout_node = root.value.get("layout")
        return m.Series(
            slug=self.file.parent.name,
            file=self.file,
            title=d["title"],
            short_title=d["short_title"] or self.file.parent.name,
            masthead=d["masthead"] or m.Text(en="NEWSLETTER"),
            tagline=d["tagline"],
            publisher=d["publisher"] or "",
            layout=d["layout"] or "",
            language=d["language"],
            saddle_stitched=d["saddle_stitched"],
            require_languages=d["require_languages"],
            running_header=d["running_header"],
            running_footer=d["running_footer"],
            contacts=d["contacts"],
            funders=d["funders"],
            names=tuple(d["names"] or ()))

    def make_contact(self, d: dict, node: Node, path: str) -> m.Contact:
        return m.Contact(d["name"], d["organisation"], d["en"], d["zh"])

    # -- issue ---------------------------------------------------------------

    def issue(self, root: Node, series: m.Series | None) -> m.Issue | None:
        """The issue; with series None (the series file has problems of its own) the issue
        file is still read for its problems."""
        # contacts and funders blocks print the issue's or the series': known before blocks.
        f = root.value if isinstance(root.value, dict) else {}
        self.contacts = series.contacts if series is not None else None
        self.funders = series.funders if series is not None else None
        if f.get("contacts") is not None:
            self.contacts = self.value(s.ISSUE["contacts"], f["contacts"], "contacts")
        if f.get("funders") is not None:
            self.funders = self.value(s.ISSUE["funders"], f["funders"], "funders")
        d = self.shape(root, "", _ISSUE_WITHOUT_OVERRIDES)
        if d is None:
            return None
        for target, node, path in self.refs:
            if target not in self.ids:
                close = difflib.get_close_matches(target, list(self.ids), n=1)
                self.problem(node, path, f"[...](page:{target}) refers to no article",
                             f"did you mean 'page:{close[0]}'?" if close else
                             "articles: " + ", ".join(self.ids))
        pages = d["pages"]
        expected = 1
        pages_node = f.get("pages")
        for page, item in zip(pages, pages_node.value if pages_node and
                              isinstance(pages_node.value, list) else []):
            if page.first and page.first != expected:
                self.problem(item, "pages", f"page {page.label} follows page {expected - 1}; "
                                            f"the plan must number pages 1, 2, 3... in order")
            expected = page.last + 1
        if pages_node is not None and isinstance(pages_node.value, list) and not pages_node.value:
            self.problem(pages_node, "pages", "the plan has no pages")
        if series is None:
            return None
        number = d["number"] if d["number"] is not None else 0
        year, month = d["date"] or (2000, 1)
        return m.Issue(
            series=series,
            file=self.file,
            slug=issue_slug(self.file),
            number=number,
            label=d["label"] or m.Text(en=f"{ordinal(number)} Issue"),
            year=year, month=month,
            date_label=d["date_label"] or m.Text(en=f"{MONTHS[month - 1]} {year}"),
            title=d["title"] or series.title,
            headline=d["headline"],
            pages=pages)

    def make_page(self, d: dict, node: Node, path: str) -> m.Page | None:
        first, last = d["page"] or (0, 0)
        if d["continues"] and first == 1:
            self.problem(node.value["continues"], _join(path, "continues"),
                         "the first page cannot continue a previous one")
        placed = []
        for position, block in enumerate(d["blocks"], start=1):
            anchor = block.id if isinstance(block, m.Article) else \
                anchors.block(first, position, block.kind)
            placed.append(m.Placed(anchor, block))
        self.empty_sections(node.value.get("blocks"), tuple(placed), _join(path, "blocks"))
        return m.Page(first, last, d["columns"], tuple(placed), node.line, d["continues"],
                      d["balance"], d["index_label"], d["body_size"])

    def empty_sections(self, node: Node | None, blocks: tuple[m.Placed, ...], path: str):
        """A banner opens a section: it needs a block under it before the next banner or
        the page's contacts and funders, or the page prints a heading over nothing."""
        if node is None or not isinstance(node.value, list) or len(blocks) != len(node.value):
            return
        for i, placed in enumerate(blocks):
            if placed.block.kind != "banner":
                continue
            after = [b.block.kind for b in blocks[i + 1:]]
            if not after or after[0] in ("banner", "contacts", "funders"):
                self.problem(node.value[i], f"{path}[{i}]",
                             f"the banner \"{_clip(placed.block.text.plain)}\" is a section with "
                             "nothing under it", "add the section's blocks after it, or remove it")

    # -- blocks --------------------------------------------------------------

    def block(self, node: Node, path: str, allowed: tuple[str, ...]):
        if not isinstance(node.value, dict) or len(node.value) != 1:
            self.problem(node, path, "a block is a mapping with one key, its kind (for example "
                                     "'article:'), found " + _a(node))
            return None
        (kind, body), = node.value.items()
        if kind not in allowed:
            self.problem(Node(None, body.key_line or node.line, body.key_column or node.column),
                         _join(path, kind), f"'{kind}' is not a block that can stand here",
                         did_you_mean(kind, allowed, "blocks here"))
            return None
        return self.obj(body, _join(path, kind), s.BLOCKS[kind])

    def flow(self, node: Node | None, path: str) -> tuple:
        """Rich text, or a list of rich-text strings and in-flow blocks."""
        if node is None or node.value is None:
            return ()
        if isinstance(node.value, list):
            def item(n: Node, p: str):
                if isinstance(n.value, dict) and set(n.value) - {"en", "zh"}:
                    return self.block(n, p, IN_FLOW)
                return self.rich(n, p)
            return self.items(node, path, item)
        text = self.rich(node, path)
        return (text,) if text else ()

    def make_article(self, d: dict, node: Node, path: str) -> m.Article:
        ident = d["id"] or ""
        id_node = node.value.get("id")
        if ident in self.ids:
            self.problem(id_node, _join(path, "id"), f"id '{ident}' is already used",
                         f"the first one is on line {self.ids[ident].line}")
        elif ident:
            self.ids[ident] = id_node
        return m.Article(id=ident, title=d["title"], index_title=d["index_title"],
                         in_index=d["in_index"], kicker=d["kicker"], body=d["body"],
                         line=node.line, uncertain=d["uncertain"],
                         keep_together=d["keep_together"])

    def make_banner(self, d: dict, node: Node, path: str) -> m.Banner | None:
        if d["text"] is None:
            self.problem(node, path, "required text is missing")
            return None
        return m.Banner(d["text"])

    def make_quote(self, d: dict, node: Node, path: str) -> m.Quote:
        return m.Quote(d["text"], d["name"], d["role"])

    def make_figure(self, d: dict, node: Node, path: str) -> m.Figure:
        low, high = d["min_height"], d["max_height"]
        fields = node.value if isinstance(node.value, dict) else {}
        for name, bad in (("min_height", low is not None and low > d["height"]),
                          ("max_height", high is not None and high < d["height"])):
            if bad:
                self.problem(fields.get(name), _join(path, name),
                             f"{d[name]:g} mm leaves out the figure's height ({d['height']:g} mm)")
        return m.Figure(image=d["image"], caption=d["caption"], credit=d["credit"],
                        height=d["height"], span=d["span"], source=d["source"],
                        subject=d["kind"], fit=d["fit"], focus=d["focus"], bleed=d["bleed"],
                        intent=d["intent"], alt=d["alt"], min_height=low, max_height=high)

    def make_qr(self, d: dict, node: Node, path: str) -> m.QR:
        data = d["data"]
        if data is not None and len(data.encode()) > 1200:
            self.problem(node.value["data"], _join(path, "data"),
                         "too long for a printable QR code (at most 1,200 bytes)")
        return m.QR(data or "", d["caption"], d["size"], d["placeholder"], d["alt"])

    def make_table(self, d: dict, node: Node, path: str) -> m.Table:
        header, rows = d["header"], d["rows"]
        width = len(header) if header else (len(rows[0]) if rows else 0)
        rows_node = node.value.get("rows")
        for i, row in enumerate(rows):
            if len(row) != width:
                self.problem(rows_node.value[i], f"{path}.rows[{i}]",
                             f"row has {len(row)} cells; the table has {width} columns")
        return m.Table(d["caption"], header, rows, d["row_headers"], d["source"])

    def make_qa_item(self, d: dict, node: Node, path: str) -> m.QAItem:
        return m.QAItem(d["q"], d["a"])

    def make_qa(self, d: dict, node: Node, path: str) -> m.QA:
        return m.QA(d["title"], d["items"])

    def make_event_date(self, d: dict, node: Node, path: str) -> m.EventDate:
        return m.EventDate(d["place"], d["date"])

    def make_event(self, d: dict, node: Node, path: str) -> m.Event:
        return m.Event(d["title"], d["dates"])

    def make_events(self, d: dict, node: Node, path: str) -> m.Events:
        return m.Events(d["title"], d["items"])

    def make_panel(self, d: dict, node: Node, path: str) -> m.Panel:
        return m.Panel(d["title"], d["subtitle"], d["body"], d["columns"], d["span"],
                       uncertain=d["uncertain"], keep_together=d["keep_together"])

    def make_promo(self, d: dict, node: Node, path: str) -> m.Promo:
        return m.Promo(d["title"], d["subtitle"], d["body"], d["qr"])

    def make_summary(self, d: dict, node: Node, path: str) -> m.Summary:
        return m.Summary(d["title"] or m.Text(en="Summary"), d["body"])

    def make_signature(self, d: dict, node: Node, path: str) -> m.Signature:
        return m.Signature(d["name"], d["role"])

    def make_foreword(self, d: dict, node: Node, path: str) -> m.Foreword:
        return m.Foreword(d["title"] or m.Text(en="FOREWORD"), d["body"], d["closing"],
                          d["signature"])

    def make_index(self, d: dict, node: Node, path: str) -> m.Index:
        return m.Index(d["title"], d["numbers"])

    def make_contacts(self, d: dict, node: Node, path: str) -> m.Contacts:
        if self.contacts is not None and not self.contacts:
            self.problem(node, path, "there are no contacts: give 'contacts' in the series "
                                     "file or the issue")
        return m.Contacts(self.contacts or ())

    def make_funders(self, d: dict, node: Node, path: str) -> m.Funders:
        if self.funders is not None and not self.funders:
            self.problem(node, path, "there are no funders: give 'funders' in the series "
                                     "file or the issue")
        return m.Funders(self.funders or ())

    def make_layout(self, d: dict, node: Node, path: str) -> dict:
        return d

    def make_frozen_page(self, d: dict, node: Node, path: str) -> dict:
        return d

    def make_frozen_fit(self, d: dict, node: Node, path: str) -> dict:
        return d

    def make_fit(self, d: dict, node: Node, path: str) -> dict:
        """Only the values written (the rest fall back to the parent layout's)."""
        written = node.value if isinstance(node.value, dict) else {}
        return {k: v for k, v in d.items() if k in written and v is not None}

    def make_range(self, d: dict, node: Node, path: str) -> dict:
        written = node.value if isinstance(node.value, dict) else {}
        d = {k: v for k, v in d.items() if k in written and v is not None}
        if "min" in d and "max" in d and d["min"] > d["max"]:
            self.problem(written["min"], _join(path, "min"),
                         f"{d['min']:g} is above max ({d['max']:g})")
        d["node"] = node
        return d


_BILINGUAL = s.Shape("text", "", (s.Field("en", "string", ""), s.Field("zh", "string", "")))
# The issue's contacts and funders are read before its pages (their blocks print them).
_ISSUE_WITHOUT_OVERRIDES = s.Shape("issue", "", tuple(
    f if f.name not in ("contacts", "funders") else s.Field(f.name, "empty", "")
    for f in s.ISSUE.fields))


_UNITS = {"mm": " of millimetres", "pt": " of points", "number": ""}


def _clip(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


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
