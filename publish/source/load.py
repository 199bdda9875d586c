"""Load stage: an issue's YAML (and its series file and layout) into the typed model.

The files are read by reader.py, by the shapes in schema.py. Every problem in the
series file, the layout manifests and the issue file is collected, with its file, line
and field path, before a single IssueError is raised: an editor fixes them all in one
pass. Text fields get the characters written (see yamlsource); only fields
the schema calls numbers, true/false or dates are read as such.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from . import anchors
from . import model as m
from . import schema as s
from ..errors import IssueError, Problem
from ..project import ISSUE_FILE, SERIES_FILE, find, issue_file, issue_slug
from .layout import resolve
from .reader import Reader, _a, _join, did_you_mean
from .yamlsource import Node, read

MONTHS = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
          "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER")
IN_FLOW, TOP_LEVEL = s.IN_FLOW, s.TOP_LEVEL


def load(source: Path, project: Path | None = None) -> m.Issue:
    """Read an issue (folder or issue.yaml), its series and its layout; raise IssueError
    with every problem of all three."""
    path = issue_file(Path(source)).resolve()
    problems: list[Problem] = []
    try:
        root = read(path)
    except IssueError as e:
        if not path.is_file():
            raise  # no issue here at all: its series has nothing to do with it
        root, unreadable = None, e.problems

    series_path = path.parent.parent / SERIES_FILE
    series = None
    if not series_path.is_file():
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
    reader = _Reader(path)
    issue = reader.issue(root, series)
    problems += reader.problems
    if problems:
        raise IssueError(problems)
    return issue


def load_series(path: Path) -> m.Series:
    return _series(path)[0]


def _series(path: Path) -> tuple[m.Series, Node | None]:
    reader = _Reader(path)
    series = reader.series(read(path))
    return reader.done(series), reader.layout_node


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class _Reader(Reader):
    """Reads the issue and series files into model objects."""

    def __init__(self, file: Path):
        super().__init__(file)
        self.ids: dict[str, Node] = {}
        self.layout_node: Node | None = None

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
        return m.Figure(image=d["image"], caption=d["caption"], credit=d["credit"],
                        height=d["height"], span=d["span"], source=d["source"],
                        subject=d["kind"])

    def make_qr(self, d: dict, node: Node, path: str) -> m.QR:
        data = d["data"]
        if data is not None and len(data.encode()) > 1200:
            self.problem(node.value["data"], _join(path, "data"),
                         "too long for a printable QR code (at most 1,200 bytes)")
        return m.QR(data or "", d["caption"], d["size"], d["placeholder"])

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


# The issue's contacts and funders are read before its pages (their blocks print them).
_ISSUE_WITHOUT_OVERRIDES = s.Shape("issue", "", tuple(
    f if f.name not in ("contacts", "funders") else s.Field(f.name, "empty", "")
    for f in s.ISSUE.fields))


def _clip(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


