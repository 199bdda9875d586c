"""Load stage: an issue's YAML (and its series file) into the typed model.

Every problem in the files is collected, with its field path and line, before a
single IssueError is raised: an editor fixes them all in one pass.
"""
from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path
from typing import Callable, TypeVar

from . import images, model as m
from .errors import IssueError, Problem
from .yamlsource import Node, read

T = TypeVar("T")

SERIES_FILE = "series.yaml"
ISSUE_FILE = "issue.yaml"
MONTHS = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
          "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PAGE_REF = re.compile(r"\]\(\s*page:([^)\s]*)\s*\)")
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LABELS = re.compile(r"^(\d+)(?:\s*/\s*(\d+))?$")


def issue_file(source: Path) -> Path:
    """The issue.yaml a command-line SOURCE names (a folder or the file itself)."""
    return source / ISSUE_FILE if source.is_dir() else source


def issue_slug(source: Path) -> str:
    """The PDF's name without .pdf: the series folder's and the issue folder's names."""
    path = issue_file(Path(source)).resolve()
    return f"{path.parent.parent.name}-{path.parent.name}"


def load(source: Path, project: Path | None = None) -> m.Issue:
    """Read an issue (folder or issue.yaml) and its series; raise IssueError on any problem."""
    path = issue_file(Path(source)).resolve()
    root = read(path)
    series_path = path.parent.parent / SERIES_FILE
    if not series_path.is_file():
        raise IssueError([Problem(series_path, "file not found", hint=(
            f"an issue folder sits in its series folder, beside the series file: "
            f"issues/<series>/{SERIES_FILE} and issues/<series>/<issue>/{ISSUE_FILE}"))])
    series = load_series(series_path)
    return _Reader(path).issue(root, series)


def load_series(path: Path) -> m.Series:
    return _Reader(path).series(read(path))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Reader:
    """Reads one file's nodes into model objects, noting problems instead of stopping."""

    def __init__(self, file: Path):
        self.file = file
        self.problems: list[Problem] = []

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

    def fields(self, node: Node, path: str, required: tuple[str, ...],
               optional: tuple[str, ...]) -> dict[str, Node] | None:
        """A mapping with known keys: unknown ones and missing required ones are problems."""
        if not isinstance(node.value, dict):
            self.problem(node, path, f"expected a mapping of fields, found {_a(node)}")
            return None
        known = required + optional
        for key, value in node.value.items():
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"did you mean '{close[0]}'?" if close else \
                    "known fields: " + ", ".join(known)
                self.problem(Node(None, value.key_line or value.line, value.key_column or 1),
                             _join(path, key),
                             "unknown field", hint)
        for key in required:
            if key not in node.value or node.value[key].value is None:
                self.problem(node, _join(path, key), "required field is missing")
        return node.value

    def text(self, node: Node | None, path: str, required: bool = False) -> m.Text | None:
        if node is None or node.value is None:
            if required and node is not None:
                self.problem(node, path, "required text is missing")
            return None
        v = node.value
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            return m.Text(en=str(v))
        if isinstance(v, dict):
            f = self.fields(node, path, (), ("en", "zh"))
            if f is None:
                return None
            if not f:
                self.problem(node, path, "a bilingual text needs 'en', 'zh' or both")
                return None
            parts = {}
            for lang in ("en", "zh"):
                if lang in f:
                    s = self.string(f[lang], _join(path, lang))
                    parts[lang] = s
            return m.Text(**parts)
        self.problem(node, path, f"expected text or {{en: ..., zh: ...}}, found {_a(node)}")
        return None

    def string(self, node: Node | None, path: str, required: bool = False) -> str | None:
        if node is None or node.value is None:
            if required and node is not None:
                self.problem(node, path, "required text is missing")
            return None
        if isinstance(node.value, (str, int, float)) and not isinstance(node.value, bool):
            return str(node.value)
        self.problem(node, path, f"expected text, found {_a(node)}")
        return None

    def integer(self, node: Node | None, path: str, default: int | None = None,
                low: int | None = None, high: int | None = None) -> int | None:
        if node is None or node.value is None:
            return default
        v = node.value
        if not isinstance(v, int) or isinstance(v, bool):
            self.problem(node, path, f"expected a whole number, found {_a(node)}")
            return default
        if (low is not None and v < low) or (high is not None and v > high):
            self.problem(node, path, f"{v} is out of range ({low} to {high})")
            return default
        return v

    def number(self, node: Node | None, path: str, default: float, low: float,
               high: float) -> float:
        if node is None or node.value is None:
            return default
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.problem(node, path, f"expected a number of millimetres, found {_a(node)}")
            return default
        if not low <= v <= high:
            self.problem(node, path, f"{v} mm is out of range ({low} to {high} mm)")
            return default
        return float(v)

    def boolean(self, node: Node | None, path: str, default: bool) -> bool:
        if node is None or node.value is None:
            return default
        if not isinstance(node.value, bool):
            self.problem(node, path, f"expected true or false, found {_a(node)}")
            return default
        return node.value

    def choice(self, node: Node | None, path: str, options: tuple[str, ...]) -> str:
        value = self.string(node, path)
        if value is None:
            return options[0]
        if value not in options:
            self.problem(node, path, f"'{value}' is not one of: " + ", ".join(options))
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

    def lines(self, node: Node | None, path: str) -> tuple[str, ...]:
        return self.items(node, path, self.string)

    # -- series --------------------------------------------------------------

    def series(self, root: Node) -> m.Series:
        f = self.fields(root, "", ("title", "layout"), (
            "short_title", "masthead", "publisher", "language", "saddle_stitched",
            "require_languages", "running_header", "running_footer", "contacts", "funders"))
        if f is None:
            return self.done(None)
        g = f.get
        layout = self.string(g("layout"), "layout", required=True)
        if layout is not None and not _ID.match(layout):
            self.problem(g("layout"), "layout", f"'{layout}' is not a layout folder name")
        languages = self.lines(g("require_languages"), "require_languages")
        for lang in languages:
            if lang not in ("en", "zh"):
                self.problem(g("require_languages"), "require_languages",
                             f"'{lang}' is not a language publish knows (en, zh)")
        series = m.Series(
            slug=self.file.parent.name,
            file=self.file,
            title=self.text(g("title"), "title", required=True),
            short_title=self.string(g("short_title"), "short_title") or self.file.parent.name,
            masthead=self.text(g("masthead"), "masthead") or m.Text(en="NEWSLETTER"),
            publisher=self.string(g("publisher"), "publisher") or "",
            layout=layout or "",
            language=self.choice(g("language"), "language", ("en", "zh")),
            saddle_stitched=self.boolean(g("saddle_stitched"), "saddle_stitched", False),
            require_languages=languages,
            running_header=self.text(g("running_header"), "running_header"),
            running_footer=self.text(g("running_footer"), "running_footer"),
            contacts=self.items(g("contacts"), "contacts", self.contact),
            funders=self.items(g("funders"), "funders", self.text),
        )
        return self.done(series)

    def contact(self, node: Node, path: str) -> m.Contact | None:
        f = self.fields(node, path, ("name",), ("organisation", "en", "zh"))
        if f is None:
            return None
        return m.Contact(
            name=self.text(f.get("name"), _join(path, "name"), required=True),
            organisation=self.text(f.get("organisation"), _join(path, "organisation")),
            en=self.lines(f.get("en"), _join(path, "en")),
            zh=self.lines(f.get("zh"), _join(path, "zh")))

    # -- issue ---------------------------------------------------------------

    def issue(self, root: Node, series: m.Series) -> m.Issue:
        f = self.fields(root, "", ("number", "date", "pages"), (
            "label", "date_label", "title", "headline", "contacts", "funders"))
        if f is None:
            return self.done(None)
        g = f.get
        number = self.integer(g("number"), "number", default=0, low=0, high=100000)
        year, month = self.year_month(g("date"), "date")
        self.contacts = (self.items(g("contacts"), "contacts", self.contact)
                         if g("contacts") else series.contacts)
        self.funders = (self.items(g("funders"), "funders", self.text)
                        if g("funders") else series.funders)
        self.ids: dict[str, Node] = {}
        self.refs: list[tuple[str, Node, str]] = []
        pages = self.pages(g("pages"), "pages")
        for target, node, path in self.refs:
            if target not in self.ids:
                close = difflib.get_close_matches(target, list(self.ids), n=1)
                self.problem(node, path, f"[...](page:{target}) refers to no article",
                             f"did you mean 'page:{close[0]}'?" if close else
                             "articles: " + ", ".join(self.ids))
        date_label = self.text(g("date_label"), "date_label") or \
            m.Text(en=f"{MONTHS[month - 1]} {year}")
        issue = m.Issue(
            series=series,
            file=self.file,
            slug=issue_slug(self.file),
            number=number,
            label=self.text(g("label"), "label") or m.Text(en=f"{ordinal(number)} Issue"),
            year=year, month=month,
            date_label=date_label,
            title=self.text(g("title"), "title") or series.title,
            headline=self.text(g("headline"), "headline"),
            pages=pages)
        return self.done(issue)

    def year_month(self, node: Node | None, path: str) -> tuple[int, int]:
        v = node.value if node else None
        if isinstance(v, datetime.date):
            return v.year, v.month
        if isinstance(v, str):
            match = re.fullmatch(r"(\d{4})-(\d{1,2})", v.strip())
            if match and 1 <= int(match[2]) <= 12:
                return int(match[1]), int(match[2])
        if node is not None and v is not None:
            self.problem(node, path, f"'{v}' is not a year and month such as 2017-05")
        return 2000, 1

    def pages(self, node: Node | None, path: str) -> tuple[m.Page, ...]:
        pages = self.items(node, path, self.page, required=True)
        expected = 1
        for page, item in zip(pages, node.value if node and isinstance(node.value, list) else []):
            if page.first != expected:
                self.problem(item, path, f"page {page.label} follows page {expected - 1}; "
                                         f"the plan must number pages 1, 2, 3... in order")
            expected = page.last + 1
        if node is not None and isinstance(node.value, list) and not node.value:
            self.problem(node, path, "the plan has no pages")
        return pages

    def page(self, node: Node, path: str) -> m.Page | None:
        f = self.fields(node, path, ("page", "blocks"), ("columns", "continues", "balance"))
        if f is None:
            return None
        first = last = 0
        label = f.get("page")
        if label is not None and label.value is not None:
            match = _LABELS.match(str(label.value).strip())
            if isinstance(label.value, bool) or not match:
                self.problem(label, _join(path, "page"),
                             f"'{label.value}' is not a page number such as 2 or a spread such as 4/5")
            else:
                first = int(match[1])
                last = int(match[2] or match[1])
                if last != first and last != first + 1:
                    self.problem(label, _join(path, "page"),
                                 "a spread is two facing pages, such as 4/5")
        columns = self.integer(f.get("columns"), _join(path, "columns"), 2, 1, 3)
        continues = self.boolean(f.get("continues"), _join(path, "continues"), False)
        if continues and first == 1:
            self.problem(f["continues"], _join(path, "continues"), "the first page cannot "
                                                                   "continue a previous one")
        self.page_number = first
        self.block_count = 0
        blocks = self.items(f.get("blocks"), _join(path, "blocks"), self.placed, required=True)
        balance = self.boolean(f.get("balance"), _join(path, "balance"), False)
        return m.Page(first, last, columns, blocks, node.line, continues, balance)

    # -- blocks --------------------------------------------------------------

    def placed(self, node: Node, path: str) -> m.Placed | None:
        self.block_count += 1
        block = self.block(node, path, TOP_LEVEL)
        if block is None:
            return None
        anchor = block.id if isinstance(block, m.Article) else \
            f"p{self.page_number}-{self.block_count}-{block.kind}"
        return m.Placed(anchor, block)

    def block(self, node: Node, path: str, allowed: tuple[str, ...]):
        if not isinstance(node.value, dict) or len(node.value) != 1:
            self.problem(node, path, "a block is a mapping with one key, its kind (for example "
                                     "'article:'), found " + _a(node))
            return None
        (kind, body), = node.value.items()
        if kind not in allowed:
            close = difflib.get_close_matches(kind, allowed, n=1)
            self.problem(Node(None, body.key_line or node.line, body.key_column or node.column),
                         _join(path, kind),
                         f"'{kind}' is not a block that can stand here",
                         f"did you mean '{close[0]}'?" if close else
                         "blocks here: " + ", ".join(allowed))
            return None
        return getattr(self, "b_" + kind)(body, _join(path, kind))

    def flow(self, node: Node | None, path: str, required: bool = True) -> tuple:
        """Rich text, or a list of rich-text strings and in-flow blocks."""
        if node is None or node.value is None:
            if required and node is not None:
                self.problem(node, path, "required field is missing")
            return ()
        if isinstance(node.value, list):
            def item(n: Node, p: str):
                if isinstance(n.value, dict) and set(n.value) - {"en", "zh"}:
                    return self.block(n, p, IN_FLOW)
                return self.rich(n, p)
            return self.items(node, path, item)
        text = self.rich(node, path)
        return (text,) if text else ()

    def rich(self, node: Node | None, path: str, required: bool = False) -> m.Text | None:
        text = self.text(node, path, required)
        if text is not None:
            for part in (text.en, text.zh):
                for match in _PAGE_REF.finditer(part or ""):
                    self.refs.append((match[1], node, path))
        return text

    def b_article(self, node: Node, path: str) -> m.Article | None:
        f = self.fields(node, path, ("id", "title", "body"),
                        ("index_title", "in_index", "kicker", "uncertain"))
        if f is None:
            return None
        ident = self.string(f.get("id"), _join(path, "id"), required=True) or ""
        if ident and not _ID.match(ident):
            self.problem(f["id"], _join(path, "id"),
                         f"'{ident}' is not a valid id: use lower-case letters, digits and '-'")
        elif ident in self.ids:
            self.problem(f["id"], _join(path, "id"), f"id '{ident}' is already used",
                         f"the first one is on line {self.ids[ident].line}")
        elif ident:
            self.ids[ident] = f["id"]
        return m.Article(
            id=ident,
            title=self.rich(f.get("title"), _join(path, "title"), required=True),
            index_title=self.rich(f.get("index_title"), _join(path, "index_title")),
            in_index=self.boolean(f.get("in_index"), _join(path, "in_index"), True),
            kicker=self.rich(f.get("kicker"), _join(path, "kicker")),
            body=self.flow(f.get("body"), _join(path, "body")),
            line=node.line,
            uncertain=self.string(f.get("uncertain"), _join(path, "uncertain")))

    def b_banner(self, node: Node, path: str) -> m.Banner | None:
        text = self.rich(node, path, required=True)
        return m.Banner(text) if text else None

    def b_quote(self, node: Node, path: str) -> m.Quote | None:
        f = self.fields(node, path, ("text",), ("name", "role"))
        if f is None:
            return None
        return m.Quote(self.rich(f.get("text"), _join(path, "text"), required=True),
                       self.rich(f.get("name"), _join(path, "name")),
                       self.rich(f.get("role"), _join(path, "role")))

    def b_figure(self, node: Node, path: str) -> m.Figure | None:
        f = self.fields(node, path, (), ("image", "caption", "credit", "height", "span"))
        if f is None:
            return None
        return m.Figure(
            image=self.image(f.get("image"), _join(path, "image")),
            caption=self.rich(f.get("caption"), _join(path, "caption")),
            credit=self.rich(f.get("credit"), _join(path, "credit")),
            height=self.number(f.get("height"), _join(path, "height"), 45, 5, 280),
            span=self.choice(f.get("span"), _join(path, "span"), ("column", "page")))

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

    def b_qr(self, node: Node, path: str) -> m.QR | None:
        f = self.fields(node, path, ("data",), ("caption", "size", "placeholder"))
        if f is None:
            return None
        data = self.string(f.get("data"), _join(path, "data"), required=True)
        if data is not None and len(data.encode()) > 1200:
            self.problem(f["data"], _join(path, "data"),
                         "too long for a printable QR code (at most 1,200 bytes)")
        return m.QR(data or "", self.rich(f.get("caption"), _join(path, "caption")),
                    self.number(f.get("size"), _join(path, "size"), 25, 10, 120),
                    self.boolean(f.get("placeholder"), _join(path, "placeholder"), False))

    def b_table(self, node: Node, path: str) -> m.Table | None:
        f = self.fields(node, path, ("rows",), ("caption", "header", "row_headers", "source"))
        if f is None:
            return None
        header = self.items(f.get("header"), _join(path, "header"), self.cell)
        rows = self.items(f.get("rows"), _join(path, "rows"),
                          lambda n, p: self.items(n, p, self.cell, required=True))
        width = len(header) if header else (len(rows[0]) if rows else 0)
        rows_node = f.get("rows")
        for i, row in enumerate(rows):
            if len(row) != width:
                self.problem(rows_node.value[i] if rows_node else node, f"{path}.rows[{i}]",
                             f"row has {len(row)} cells; the table has {width} columns")
        return m.Table(self.rich(f.get("caption"), _join(path, "caption")), header, rows,
                       self.boolean(f.get("row_headers"), _join(path, "row_headers"), False),
                       self.rich(f.get("source"), _join(path, "source")))

    def cell(self, node: Node, path: str) -> m.Text:
        if node.value is None:
            return m.Text(en="")
        return self.rich(node, path) or m.Text(en="")

    def b_qa(self, node: Node, path: str) -> m.QA | None:
        f = self.fields(node, path, ("items",), ("title",))
        if f is None:
            return None

        def qa_item(n: Node, p: str) -> m.QAItem | None:
            g = self.fields(n, p, ("q", "a"), ())
            if g is None:
                return None
            return m.QAItem(self.rich(g.get("q"), _join(p, "q"), required=True),
                            self.rich(g.get("a"), _join(p, "a"), required=True))
        return m.QA(self.rich(f.get("title"), _join(path, "title")),
                    self.items(f.get("items"), _join(path, "items"), qa_item, required=True))

    def b_events(self, node: Node, path: str) -> m.Events | None:
        f = self.fields(node, path, ("items",), ("title",))
        if f is None:
            return None

        def when(n: Node, p: str) -> m.EventDate | None:
            g = self.fields(n, p, (), ("place", "date"))
            if g is None:
                return None
            return m.EventDate(self.rich(g.get("place"), _join(p, "place")),
                               self.rich(g.get("date"), _join(p, "date")))

        def event(n: Node, p: str) -> m.Event | None:
            g = self.fields(n, p, ("title",), ("dates",))
            if g is None:
                return None
            return m.Event(self.rich(g.get("title"), _join(p, "title"), required=True),
                           self.items(g.get("dates"), _join(p, "dates"), when))
        return m.Events(self.rich(f.get("title"), _join(path, "title")),
                        self.items(f.get("items"), _join(path, "items"), event, required=True))

    def b_panel(self, node: Node, path: str) -> m.Panel | None:
        f = self.fields(node, path, ("body",), ("title", "subtitle", "columns", "span",
                                                  "uncertain"))
        if f is None:
            return None
        return m.Panel(self.rich(f.get("title"), _join(path, "title")),
                       self.rich(f.get("subtitle"), _join(path, "subtitle")),
                       self.flow(f.get("body"), _join(path, "body")),
                       self.integer(f.get("columns"), _join(path, "columns"), 1, 1, 3),
                       self.choice(f.get("span"), _join(path, "span"), ("column", "page")),
                       uncertain=self.string(f.get("uncertain"), _join(path, "uncertain")))

    def b_promo(self, node: Node, path: str) -> m.Promo | None:
        f = self.fields(node, path, ("title",), ("subtitle", "body", "qr"))
        if f is None:
            return None
        qr = self.b_qr(f["qr"], _join(path, "qr")) if f.get("qr") else None
        return m.Promo(self.rich(f.get("title"), _join(path, "title"), required=True),
                       self.rich(f.get("subtitle"), _join(path, "subtitle")),
                       self.flow(f.get("body"), _join(path, "body"), required=False), qr)

    def b_summary(self, node: Node, path: str) -> m.Summary | None:
        f = self.fields(node, path, ("body",), ("title",))
        if f is None:
            return None
        return m.Summary(self.rich(f.get("title"), _join(path, "title")) or m.Text(en="Summary"),
                         self.rich(f.get("body"), _join(path, "body"), required=True))

    def b_foreword(self, node: Node, path: str) -> m.Foreword | None:
        f = self.fields(node, path, ("body",), ("title", "closing", "signature"))
        if f is None:
            return None
        signature = None
        if f.get("signature") is not None:
            s = self.fields(f["signature"], _join(path, "signature"), ("name",), ("role",))
            if s is not None:
                signature = m.Signature(
                    self.rich(s.get("name"), _join(path, "signature.name"), required=True),
                    self.rich(s.get("role"), _join(path, "signature.role")))
        return m.Foreword(self.rich(f.get("title"), _join(path, "title")) or m.Text(en="FOREWORD"),
                          self.rich(f.get("body"), _join(path, "body"), required=True),
                          self.rich(f.get("closing"), _join(path, "closing")), signature)

    def b_index(self, node: Node, path: str) -> m.Index | None:
        f = self.fields(node, path, (), ("title", "numbers")) if node.value is not None else {}
        if f is None:
            return None
        return m.Index(self.rich(f.get("title"), _join(path, "title")),
                       self.boolean(f.get("numbers"), _join(path, "numbers"), True))

    def b_contacts(self, node: Node, path: str) -> m.Contacts | None:
        if node.value is not None:
            self.fields(node, path, (), ())
        if not self.contacts:
            self.problem(node, path, "there are no contacts: give 'contacts' in the series "
                                     "file or the issue")
        return m.Contacts(self.contacts)

    def b_funders(self, node: Node, path: str) -> m.Funders | None:
        if node.value is not None:
            self.fields(node, path, (), ())
        if not self.funders:
            self.problem(node, path, "there are no funders: give 'funders' in the series "
                                     "file or the issue")
        return m.Funders(self.funders)


IN_FLOW = ("quote", "figure", "qr", "panel", "table", "qa", "events", "promo")
TOP_LEVEL = ("article", "banner", "foreword", "index", "summary", "contacts", "funders") + IN_FLOW


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _a(node: Node) -> str:
    kind = node.kind
    if kind in ("str", "int", "float", "bool", "date", "datetime"):
        shown = str(node.value)
        if len(shown) > 30:
            shown = shown[:27] + "..."
        return {"str": "text", "int": "a number", "float": "a number", "bool": "true/false"}.get(
            kind, "a date") + f" '{shown}'"
    return {"mapping": "a mapping", "list": "a list", "nothing": "nothing"}.get(kind, kind)
