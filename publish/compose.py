"""Compose stage: an issue and its layout to one HTML document.

Jinja runs with autoescape and StrictUndefined: text from YAML reaches the page
only through the `t` and `rich` filters, which escape it, so no YAML string is
ever read as HTML or as template code; a template that names a missing field
fails loudly instead of printing nothing.
"""
from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from . import markup
from . import model as m
from .errors import LayoutError
from .graphics import qr_data_uri
from .layout import Layout, resolve


def _t(text: m.Text | None, lang: str | None = None) -> Markup:
    """Inline text; a bilingual pair gives both, each marked with its language."""
    if text is None:
        return Markup("")
    parts = []
    if text.en and lang in (None, "en"):
        parts.append(markup.inline(text.en))
    if text.zh and lang in (None, "zh"):
        parts.append(Markup('<span class="zh" lang="zh-Hans">') + markup.inline(text.zh)
                     + Markup("</span>"))
    return Markup(" ").join(parts)


def _rich(text: m.Text | None) -> Markup:
    if text is None:
        return Markup("")
    parts = []
    if text.en:
        parts.append(markup.block(text.en))
    if text.zh:
        parts.append(Markup('<div class="zh" lang="zh-Hans">') + markup.block(text.zh)
                     + Markup("</div>"))
    return Markup("").join(parts)


def _plain(text: m.Text | None) -> str:
    return "" if text is None else text.plain


def _lines(lines) -> Markup:
    """Printed lines (contacts), Chinese runs marked, joined with line breaks."""
    return Markup("<br>").join(Markup(markup.lang_spans(line)) for line in lines)


FOOT_KINDS = ("contacts", "funders")


def _foot(blocks) -> list:
    """The contacts and funders blocks that end a page, in order."""
    foot = []
    for placed in reversed(blocks):
        if placed.block.kind not in FOOT_KINDS:
            break
        foot.insert(0, placed)
    return foot


def environment(layout: Layout) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in layout.folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(t=_t, rich=_rich, plain=_plain, lines=_lines, trailing_foot=_foot)
    env.globals.update(qr=qr_data_uri, file_url=lambda p: Path(p).as_uri())
    env.tests["text"] = lambda x: isinstance(x, m.Text)
    env.tests["article"] = lambda x: isinstance(x, m.Article)
    return env


def compose(issue: m.Issue, layouts: Path) -> str:
    """The issue's HTML, through its series layout under the layouts folder."""
    layout = resolve(layouts, issue.series.layout)
    env = environment(layout)
    try:
        template = env.get_template("issue.html")
        return template.render(issue=issue, series=issue.series, layout=layout,
                               stylesheets=[s.as_uri() for s in layout.stylesheets],
                               index=_index(issue))
    except jinja2.TemplateSyntaxError as e:
        raise LayoutError(f"{e.filename}:{e.lineno}: template syntax: {e.message}") from None
    except jinja2.TemplateError as e:
        raise LayoutError(f"layout '{layout.name}': {type(e).__name__}: {e}") from None


def _index(issue: m.Issue) -> list[tuple[m.Page, list[m.Article]]]:
    """The printed index: indexed articles grouped by the page entry they start on."""
    groups: list[tuple[m.Page, list[m.Article]]] = []
    for page, article in issue.indexed():
        if not groups or groups[-1][0] is not page:
            groups.append((page, []))
        groups[-1][1].append(article)
    return groups
