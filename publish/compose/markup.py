"""The editor's inline markup (a Markdown subset) to safe HTML.

Honoured, and nothing else: `*italic*`, `**bold**`, `[words](url)` and
`[pg.](page:ID)` links, and in rich text paragraphs and lists. A backslash makes
`*`, `[`, `]` or `\\` literal; before anything else it is printed as typed. All
other Markdown (underscores, backticks, `&entities;`, autolinks, hard line breaks,
headings, code blocks, raw HTML, images) is printed as typed, so `__init__` stays
`__init__`. Images are off (an image in text would be a fetch); every
character of text is escaped. Runs of Chinese characters are wrapped in
``lang="zh-Hans"`` so the layout can set them in the Chinese font with Chinese
line breaking. A link to ``page:ID`` becomes a reference whose number the layout
fills in with CSS ``target-counter``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import emphasis
from markupsafe import Markup

# Han ideographs, CJK punctuation, full-width forms, bopomofo and kana.
_CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf"
                  r"\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
                  r"(?:[\s\d.,:;/()\-]+[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+)*")
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
_ESCAPABLE = "*[]\\"  # the characters that have a meaning in the honoured subset


def lang_spans(text: str) -> str:
    """Escape text; wrap its Chinese runs in a lang span."""
    out, last = [], 0
    for match in _CJK.finditer(text):
        out.append(escape(text[last:match.start()], quote=False))
        out.append(f'<span lang="zh-Hans">{escape(match[0], quote=False)}</span>')
        last = match.end()
    out.append(escape(text[last:], quote=False))
    return "".join(out)


def _render_text(self, tokens, idx, options, env):
    return lang_spans(tokens[idx].content)


def _render_link_open(self, tokens, idx, options, env):
    href = tokens[idx].attrGet("href") or ""
    if href.startswith("page:"):
        return f'<a class="pageref" href="#{escape(href[5:])}">'
    if href.lower().startswith(_SAFE_SCHEMES):
        return f'<a href="{escape(href)}">'
    return "<a>"  # "#" placeholders and relative links of old issues: keep the words only


def _star_emphasis(state, silent) -> bool:
    """Emphasis with asterisks only: an underscore is a character (snake_case, __init__)."""
    if state.src[state.pos] != "*":
        return False
    return emphasis.tokenize(state, silent)


def _escape(state, silent) -> bool:
    """A backslash before a markup character makes it literal; any other backslash is text."""
    if state.src[state.pos] != "\\" or state.pos + 1 >= state.posMax \
            or state.src[state.pos + 1] not in _ESCAPABLE:
        return False
    if not silent:
        state.pending += state.src[state.pos + 1]
    state.pos += 2
    return True


def _render_break(self, tokens, idx, options, env):
    return "\n"  # a line break inside a paragraph is a space, however the line ended


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline", "heading", "lheading", "code",
                "fence", "hr", "reference", "blockquote", "backticks", "autolink", "entity"])
    md.inline.ruler.at("emphasis", _star_emphasis)
    md.inline.ruler.at("escape", _escape)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("hardbreak", _render_break)
    md.add_render_rule("link_open", _render_link_open)
    md.validateLink = lambda url: True  # every href is vetted by _render_link_open
    return md


@lru_cache(maxsize=4096)
def inline(source: str) -> Markup:
    """One line of markup (a title, a caption) to HTML without a paragraph."""
    return Markup(_parser().renderInline(source.strip()).replace("\n", " "))


@lru_cache(maxsize=4096)
def block(source: str) -> Markup:
    """Rich text (paragraphs and lists) to HTML."""
    return Markup(_parser().render(source))
