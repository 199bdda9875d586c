"""Compose stage: an issue and its layout to one HTML document.

Jinja runs sandboxed (layouts are shared and downloaded: a template cannot reach
Python internals or change the issue), with autoescape and StrictUndefined: text
from YAML reaches the page only through the `t` and `rich` filters, which escape
it, so no YAML string is ever read as HTML or as template code; a template that
names a missing field fails with its file, line and the name, instead of printing
nothing. The template contract (what a template gets, the ids the checker needs)
is docs/layouts.md.
"""
from __future__ import annotations

import re
import traceback
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from ..source import anchors, reads
from . import markup, typography
from ..render import colour
from ..source import model as m
from ..errors import LayoutError
from .graphics import qr_data_uri
from ..source.layout import Layout, resolve


def _t(text: m.Text | None, lang: str | None = None) -> Markup:
    """Inline text; a bilingual pair gives both, each marked with its language."""
    if text is None:
        return Markup("")
    parts = []
    if text.en and lang in (None, "en"):
        parts.append(typography.refine(_inline(text.en)))
    if text.zh and lang in (None, "zh"):
        parts.append(Markup('<span class="zh" lang="zh-Hans">')
                     + typography.refine(_inline(text.zh), chinese=True) + Markup("</span>"))
    return Markup(" ").join(parts)


def _inline(source: str) -> Markup:
    """A line of markup; the line breaks of a text written as a `|` block are kept."""
    return Markup("<br>").join(markup.inline(line) for line in source.strip().split("\n"))


def _rich(text: m.Text | None) -> Markup:
    if text is None:
        return Markup("")
    parts = []
    if text.en:
        parts.append(typography.refine(markup.block(text.en)))
    if text.zh:
        parts.append(Markup('<div class="zh" lang="zh-Hans">')
                     + typography.refine(markup.block(text.zh), chinese=True) + Markup("</div>"))
    return Markup("").join(parts)


def _plain(text: m.Text | None) -> str:
    return "" if text is None else text.plain


def _lines(lines, lang: str = "en") -> Markup:
    """Printed lines (contacts), Chinese runs marked, joined with line breaks.
    Their numbers are addresses and telephone numbers, never ranges: no en dashes."""
    return Markup("<br>").join(typography.refine(markup.lang_spans(line), dashes=False,
                                                 chinese=lang == "zh") for line in lines)


_LINKABLE = re.compile(r"(?:https?://|mailto:|tel:)\S+$|www\.\S+$|[\w.+-]+@[\w-]+(?:\.[\w-]+)+$",
                       re.I)


def _link_target(data: str) -> str:
    """The link a QR payload makes on screen: an address as typed, or "" for other text."""
    data = data.strip()
    return typography.href(data) if _LINKABLE.match(data) else ""


FOOT_KINDS = ("contacts", "funders")


def _foot(blocks) -> list:
    """The contacts and funders blocks that end a page, in order."""
    foot = []
    for placed in reversed(blocks):
        if placed.block.kind not in FOOT_KINDS:
            break
        foot.insert(0, placed)
    return foot


class _LayoutLoader(jinja2.FileSystemLoader):
    """Templates from the layout's folders, never through a link that leads out of layouts/."""

    def __init__(self, layout: Layout):
        super().__init__([str(f) for f in layout.folders])
        self.root = layout.root
        self.read: dict[str, str] = {}  # what the compiled templates were made of (reads.py)

    def get_source(self, environment, template):
        _, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not real.is_relative_to(self.root):
            raise LayoutError(f"{filename}: template '{template}' is a link to {real}, outside "
                              f"{self.root}; a layout's templates must be inside layouts/")
        # Compiled from the bytes hashed, so what a build records is what it used.
        data = real.read_bytes()
        self.read[str(real)] = reads.digest(data)
        reads.note(real, data)
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise LayoutError(f"{filename}: template '{template}' is not UTF-8 text "
                              f"(byte 0x{data[e.start]:02x} at offset {e.start})") from None
        return source, filename, uptodate


def environment(layout: Layout) -> jinja2.Environment:
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=_LayoutLoader(layout),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(t=_t, rich=_rich, plain=_plain, lines=_lines, trailing_foot=_foot,
                       unquoted=typography.unquoted, link_target=_link_target)
    env.globals.update(qr=qr_data_uri, file_url=lambda p: Path(p).as_uri(),
                       end_id=anchors.end, block_id=lambda placed: _block_id(placed),
                       INDEX_PAGE=anchors.INDEX_PAGE)
    env.tests["text"] = lambda x: isinstance(x, m.Text)
    env.tests["article"] = lambda x: isinstance(x, m.Article)
    return env


_environments: dict[tuple, jinja2.Environment] = {}


def _environment(layout: Layout) -> jinja2.Environment:
    """The layout's environment, kept while no file in its folders changes: compiling the
    templates took 0.15 s of every build, and a watch rebuilds after every save."""
    key = (layout, tuple(_stamp(p) for folder in layout.folders
                         for p in sorted(folder.rglob("*"))))
    if key not in _environments:
        if len(_environments) >= 8:
            _environments.pop(next(iter(_environments)))
        _environments[key] = environment(layout)
    return _environments[key]


def _stamp(path: Path) -> tuple:
    try:
        info = path.stat()
    except OSError:  # gone while looking (an editor saving): no file, as far as we know
        return (str(path),)
    return (str(path), info.st_mtime_ns, info.st_size)


EDITIONS = ("print", "screen")
SCREEN_CSS = "screen.css"  # a layout folder's additions for the screen edition


@dataclass(frozen=True)
class Style:
    """What the fit stage set on one run of pages (None: the layout's own value)."""

    space: float | None = None  # factor of the layout's space between blocks
    body: float | None = None  # points
    leading: float | None = None  # a multiple of the text size
    tracking: float | None = None  # em

    def attributes(self, pinned_body: float | None = None) -> tuple[str, str]:
        """The section's extra classes and its style attribute's declarations: custom
        properties the layout's CSS reads (base.css), written from numbers only."""
        body = self.body if self.body is not None else pinned_body
        values = [("space", self.space, "", 3), ("body", body, "pt", 2),
                  ("leading", self.leading, "", 3), ("tracking", self.tracking, "em", 4)]
        classes = " ".join(f"fit-{name}" for name, v, _, _ in values if v is not None)
        style = "; ".join(f"--fit-{name}: {float(v):.{digits}f}{unit}"
                          for name, v, unit, digits in values if v is not None)
        return classes, style


def compose(issue: m.Issue, layouts: Path, edition: str = "print",
            target: colour.Target | None = None,
            styles: dict[int, Style] | None = None) -> str:
    """The issue's HTML, through its series layout under the layouts folder; its images
    made for target (default: the layout's print condition, sRGB for the screen edition)
    in publish's image folder; styles: what the fit stage set on each run of pages, by the
    run's first page.

    edition "screen": the same document for the screen PDF, with each layout folder's
    screen.css after its stylesheets (base first), every printed address a link, and
    `edition` telling the templates (a QR code links its payload)."""
    layout = resolve(layouts, issue.series.layout)
    env = _environment(layout)
    target = target or (colour.screen_target() if edition == "screen"
                        else colour.print_target(layout))
    printed = colour.prepared(issue, layout, target)
    styles = styles or {}

    def image_url(figure: m.Figure) -> str:
        if id(figure) not in printed:  # a figure a layout finds where frames() does not look
            printed[id(figure)] = colour.prepare(figure.image, target, colour.Frame(
                figure.height, colour.PAGE_WIDTH_MM, figure.fit), figure.intent)
        return printed[id(figure)].as_uri()

    def fit_classes(page: m.Page) -> str:
        classes = styles.get(page.first, Style()).attributes(page.body_size)[0]
        return " " + classes if classes else ""

    def fit_style(page: m.Page) -> Markup:
        style = styles.get(page.first, Style()).attributes(page.body_size)[1]
        return Markup(f' style="{style}"') if style else Markup("")
    stylesheets = list(layout.stylesheets)
    if edition == "screen":
        stylesheets += [f / SCREEN_CSS for f in reversed(layout.folders)
                        if (f / SCREEN_CSS).is_file()]
    try:
        template = env.get_template("issue.html")
        reads.note_all(env.loader.read)  # templates compiled in an earlier build count too
        with typography.linked_addresses() if edition == "screen" else nullcontext():
            html = template.render(issue=issue, series=issue.series, layout=layout,
                                   image_url=image_url,
                                   stylesheets=[s.as_uri() for s in stylesheets],
                                   index=_index(issue), edition=edition,
                                   fit_classes=fit_classes, fit_style=fit_style)
    except jinja2.TemplateSyntaxError as e:
        raise LayoutError(f"{e.filename}:{e.lineno}: template syntax: {e.message}") from None
    except jinja2.TemplateNotFound as e:
        raise LayoutError(f"{_where(e, layout)}: template '{e.name}' not found in layout "
                          f"'{layout.name}' ({', '.join(str(f) for f in layout.folders)})") \
            from None
    except jinja2.sandbox.SecurityError as e:
        raise LayoutError(f"{_where(e, layout)}: the template tried something a layout may "
                          f"not do ({e}); layouts are sandboxed") from None
    except jinja2.UndefinedError as e:
        raise LayoutError(f"{_where(e, layout)}: {e.message}; see docs/layouts.md for what "
                          "a template gets") from None
    except jinja2.TemplateError as e:
        raise LayoutError(f"{_where(e, layout)}: {type(e).__name__}: {e}") from None
    _check_contract(issue, html, layout)
    return _with_names(html, issue.series)


def _with_names(html: str, series: m.Series) -> str:
    """The document's proper names and acronyms in its head, for the render to keep whole
    (render/patches/hyphenation.py); the series' own names (publisher, title, offices) and the
    words its `names` lists count as names."""
    listed = [series.publisher, _plain(series.title)] + \
        [_plain(c.organisation) for c in series.contacts]
    tag = typography.meta(typography.names(html, listed, series.names))
    head = html.find("</head>")
    return html[:head] + tag + "\n" + html[head:] if head >= 0 else tag + html


def _block_id(placed: m.Placed) -> str:
    """The id of a placed block's outer element (an article's own element carries its id)."""
    return placed.anchor + anchors.BLOCK if isinstance(placed.block, m.Article) \
        else placed.anchor


def _where(error: Exception, layout: Layout) -> str:
    """The template file and line a render error happened at (Jinja puts template frames
    into the traceback with the template's own file name and line)."""
    folders = tuple(str(f) for f in layout.folders)
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.startswith(folders):
            return f"{frame.filename}:{frame.lineno}"
    return f"layout '{layout.name}'"


_ID = re.compile(r'\sid="([^"]*)"')


def _check_contract(issue: m.Issue, html: str, layout: Layout) -> None:
    """Every anchor the checker looks for is in the HTML; a layout override that drops one
    is named here, not left to a puzzling check report."""
    ids = set(_ID.findall(html))
    missing = []
    for page in issue.pages:
        for placed in page.blocks:
            for anchor in (placed.anchor, anchors.end(placed.anchor)):
                if anchor not in ids:
                    missing.append((anchor, placed.block.kind))
    if missing:
        anchor, kind = missing[0]
        overrides = [str(f / "blocks" / f"{kind}.html") for f in layout.folders[:-1]
                     if (f / "blocks" / f"{kind}.html").is_file()] + \
                    [str(f / "placed.html") for f in layout.folders[:-1]
                     if (f / "placed.html").is_file()]
        raise LayoutError(
            f"layout '{layout.name}' breaks the template contract: the HTML has no "
            f"id=\"{anchor}\" ({kind} block), which the check needs"
            + (f"; see {', '.join(overrides)}" if overrides else "")
            + (f" ({len(missing) - 1} more missing)" if len(missing) > 1 else "")
            + ". The ids a layout must keep are in docs/layouts.md")


def _index(issue: m.Issue) -> list[tuple[m.Page, list[m.Article]]]:
    """The printed index: indexed articles grouped by the page entry they start on."""
    groups: list[tuple[m.Page, list[m.Article]]] = []
    for page, article in issue.indexed():
        if not groups or groups[-1][0] is not page:
            groups.append((page, []))
        groups[-1][1].append(article)
    return groups
