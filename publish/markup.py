"""The editor's inline markup (a Markdown subset) to safe HTML.

Raw HTML is off and images are off (an image in text would be a fetch); every
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
from markupsafe import Markup

# Han ideographs, CJK punctuation, full-width forms, bopomofo and kana.
_CJK = re.compile(r"[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf"
                  r"\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]+"
                  r"(?:[\s\d.,:;/()\-]+[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+)*")
_SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


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


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline", "heading", "lheading", "code",
                "fence", "hr", "reference", "blockquote"])
    md.add_render_rule("text", _render_text)
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
