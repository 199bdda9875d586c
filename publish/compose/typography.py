"""Typographic refinement of composed HTML: the marks a typesetter would set.

It works on HTML the compose stage has already escaped, and touches text between
tags only: a tag is copied as it is, so nothing from YAML can become markup here.
Rules, in the order applied:

- curly quotes, chosen by the character before the mark (an opening mark after a
  space, a bracket or a dash; an apostrophe inside a word); the same marks serve
  English and Simplified Chinese, as mainland style sets “” and ‘’;
- en dashes in number ranges ("20-22 June", "84-60") and for a spaced hyphen; a
  chain such as a telephone number "86-10-59799695" is left alone;
- full-width , : ; ! ? ( ) in Chinese: after a Han character, and around Han
  characters inside parentheses (all of them in text that is Chinese throughout);
- a quarter em (U+2005) between a Han character and a Latin letter or a numeral,
  in place of a word space where there was one.

URLs and e-mail addresses are marked (class "url") so the layout never hyphenates
them; a zero-width space after each "/" lets them break there, and their own
hyphens become non-breaking (U+2011) so no line ends in a hyphen that looks like
hyphenation. A link's address (href) is not touched.

Names and acronyms are listed, not marked (names()): the render keeps the listed
words whole through hyphenation's dictionary (render/patches/hyphenation.py), reading
them from the head element meta() writes. A span per name inside justified text made
WeasyPrint 70 break lines early (README, Typography).
"""
from __future__ import annotations

import html as htmllib
import re
from contextlib import contextmanager
from contextvars import ContextVar

from markupsafe import Markup

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
QUARTER_EM = "\u2005"
_TAG = re.compile(r"(<[^>]*>)")
# An address ends before a quotation mark and before trailing sentence punctuation. The
# text is HTML-escaped: "&" stands only as a whole "&amp;", so an address never ends inside
# an entity (`<https://www.iom.int>` is "&lt;https://www.iom.int&gt;": the "&gt;" is not
# the address's, and split there it printed as ">;").
_ADDRESS = re.compile(r"(?:https?://|www\.|mailto:)(?:&amp;|[^\s\"'<>&\u2018\u2019\u201c\u201d])*"
                      r"(?:&amp;|[^\s\"'<>&\u2018\u2019\u201c\u201d.,;:!?)])"
                      r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_OPENS_AFTER = set(" \t\n\u00a0\u2005([{=\u2013\u2014/-\u201c\u2018\u300c")
# The names compose lists travel to the render in the document's head, so the HTML alone
# renders the same PDF (render/patches/hyphenation.py keeps them unhyphenated).
META = "publish-unhyphenated"
_META = re.compile(rf'<meta name="{META}" content="([^"]*)">')
_FULL = {",": "\uff0c", ":": "\uff1a", ";": "\uff1b", "!": "\uff01", "?": "\uff1f",
         "(": "\uff08", ")": "\uff09"}


def _quotes(text: str, before: str) -> str:
    out = []
    for ch in text:
        if ch in "\"'":
            opening = before == "" or before in _OPENS_AFTER
            if ch == '"':
                ch = "\u201c" if opening else "\u201d"
            else:
                ch = "\u2018" if opening else "\u2019"
        out.append(ch)
        before = ch
    return "".join(out)


def _dashes(text: str) -> str:
    text = re.sub(r"(?<![\d\-\u2013./])(\d{1,4})-(\d{1,4})(?![\d\-./])", "\\1\u2013\\2", text)
    return re.sub(r"(?<=\S) +- +(?=\S)", " \u2013 ", text)


def _chinese(text: str, chinese: bool) -> str:
    # Punctuation after a Han character, or between Han characters across a space.
    text = re.sub(rf"(?<=[{HAN}])\s*([,:;!?])\s*", lambda m: _FULL[m[1]], text)
    text = re.sub(rf"\s*\(\s*(?=[{HAN}])", "\uff08", text) if chinese else \
        re.sub(rf"(?<=[{HAN}])\s*\(\s*(?=[{HAN}])", "\uff08", text)
    text = re.sub(rf"(?<=[{HAN}])\s*\)\s*", "\uff09", text) if chinese else \
        re.sub(rf"(?<=[{HAN}])\s*\)\s*(?=[{HAN}]|$)", "\uff09", text)
    if chinese:
        text = re.sub(r"\s*([,:;])\s*", lambda m: _FULL[m[1]], text)
    return text


# The screen edition links every address the text prints (print cannot click).
_linking: ContextVar[bool] = ContextVar("linking", default=False)


@contextmanager
def linked_addresses():
    """While composing the screen edition: each address outside a link becomes a link."""
    token = _linking.set(True)
    try:
        yield
    finally:
        _linking.reset(token)


def _segments(text: str, *, dashes: bool, chinese: bool, before: str,
              link: bool = False) -> str:
    """Refine one run of text, leaving URLs and e-mail addresses as they are."""
    out, last = [], 0
    for match in _ADDRESS.finditer(text):
        out.append(_words(text[last:match.start()], dashes, chinese, before))
        out.append(_address(match[0], link))
        before, last = match[0][-1], match.end()
    out.append(_words(text[last:], dashes, chinese, before if not out else out[-1][-1:]))
    return "".join(out)


def _address(text: str, link: bool = False) -> str:
    """A URL or e-mail address: never hyphenated, a break allowed after each "/" (a zero
    width space), and its own hyphens unbreakable so no line ends in a false hyphen.
    link: the address is its own link (an inline element like the span, so the line
    breaks fall where they do in print)."""
    printed = re.sub(r"(?<!/)/(?!/)", "/\u200b", text.replace("-", "\u2011")).rstrip("\u200b")
    if link:
        return f'<a class="url" href="{href(text)}">{printed}</a>'
    return f'<span class="url">{printed}</span>'


def href(address: str) -> str:
    """The link of a printed address (already escaped): a web address, or an e-mail's."""
    if "://" in address or address.lower().startswith("mailto:"):
        return address
    if address.lower().startswith("www."):
        return "https://" + address
    return "mailto:" + address


def _words(text: str, dashes: bool, chinese: bool, before: str) -> str:
    if not text:
        return text
    text = _quotes(text, before)
    if dashes:
        text = _dashes(text)
    return _chinese(text, chinese)


def refine(html: str, *, dashes: bool = True, chinese: bool = False) -> Markup:
    """Composed HTML with typographic quotes, dashes and Chinese punctuation and spacing.

    `chinese` says the whole text is Chinese, so its ASCII punctuation turns full-width
    even next to numerals; `dashes` turns number ranges into en-dash ranges (off for
    address lines, whose numbers are not ranges).
    """
    parts = _TAG.split(str(html))
    before = ""
    linking, in_link = _linking.get(), False
    for i in range(0, len(parts), 2):
        if i:
            tag = parts[i - 1][:3].lower()
            in_link = True if tag in ("<a ", "<a>") else False if tag == "</a" else in_link
        if parts[i]:
            parts[i] = _segments(parts[i], dashes=dashes, chinese=chinese, before=before,
                                 link=linking and not in_link)
            before = parts[i][-1]
        elif i + 1 < len(parts) and parts[i + 1].startswith(("<p", "<li", "<br", "<div")):
            before = ""
    return Markup(_spacing("".join(parts)))


def _spacing(html: str) -> str:
    """A quarter em between Han and Latin or numerals, across inline tags too."""
    # Inline tags only: across a line break or a new paragraph, the next line would start
    # with the quarter em.
    tags = r"((?:<(?!br\b|/?(?:p|div|li|ul|ol|figcaption|h\d)\b)[^>]+>)*)"
    html = re.sub(rf"([{HAN}]){tags}[ \u00a0]?{tags}(?=[A-Za-z0-9])",
                  f"\\1\\2{QUARTER_EM}\\3", html)
    return re.sub(rf"(?<=[A-Za-z0-9%]){tags}[ \u00a0]?{tags}(?=[{HAN}])",
                  f"\\1{QUARTER_EM}\\2", html)


_OUTER = re.compile(r"^((?:<[^>]+>)*)\s*[\"\u201c\u201d]\s*|\s*[\"\u201c\u201d]\s*((?:<[^>]+>)*)$")


def unquoted(html: str) -> Markup:
    """A pull quote's text without its own outer quotation marks (the layout sets them)."""
    html = str(html)
    stripped = _OUTER.sub(lambda m: m[1] or m[2] or "", html)
    return Markup(stripped)


# Elements that start a new run of text: a word at their start opens a sentence.
_BLOCK = re.compile(r"<(?:/?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|td|th|tr|table|caption|"
                    r"figcaption|figure|blockquote|section|header|footer)|br)\b[^>]*>", re.I)
# Not read for names: the head, and headings (set in title case, and never hyphenated).
_SKIPPED = re.compile(r"<(head|script|style|h[1-6])\b.*?</\1>", re.I | re.S)
_WORD = re.compile(r"[^\W\d_]+")
_OPENING = " \t\u00a0\u2005\u200b\"\u201c\u2018'([\u2022\u2013\u2014-"
_CLOSING = "\"\u201d\u2019)]"
_SENTENCE_END = ".!?:\u2026\u3002\uff01\uff1f\uff1a"
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|Mt|No|Nos|vs|e\.g|i\.e)\.$")


def _opens_sentence(before: str) -> bool:
    """Whether a word after this text opens a sentence: it starts its block, or follows
    sentence punctuation (and closing marks), spaces and opening marks."""
    before = before.rstrip(_OPENING)
    if _ABBREVIATION.search(before[-6:]):
        return False
    before = before.rstrip(_CLOSING)
    return not before or before[-1] in _SENTENCE_END


def names(html: str, listed=(), always=()) -> frozenset[str]:
    """The words of composed HTML that are proper names or acronyms, as printed.

    A name is a word in capitals ("MOFCOM"), a word with a capital after its first
    letter ("WeChat"), or a capitalised word that does not open a sentence ("said
    Mr Hermoso", "the International Organization"). Headings are not read: their
    title case is no evidence. The capitalised words of `listed` (the series' own
    names: publisher, offices) count too, and every word of `always` (the series'
    `names`, for a name that only ever opens a sentence). Case matters: "Cooperation" may be
    listed while "cooperation" still hyphenates.
    """
    found = {w for text in always for w in _WORD.findall(text)}
    for text in listed:
        found.update(w for w in _WORD.findall(text) if w[0].isupper())
    # An inline tag becomes a zero-width space: it may sit between two words the
    # layout prints apart (a name, then a role set as a block).
    text = htmllib.unescape(_BLOCK.sub("\n", _TAG.sub(lambda m: m[0] if _BLOCK.match(
        m[0]) else "\u200b", _SKIPPED.sub("", html))))
    for run in text.split("\n"):
        for w in _WORD.finditer(run):
            word = w[0]
            if not word[0].isupper():
                continue
            if (len(word) > 1 and word.isupper()) or any(c.isupper() for c in word[1:]):
                found.add(word)
            elif not _opens_sentence(run[:w.start()]):
                found.add(word)
    return frozenset(found)


def meta(names) -> str:
    """The head element that carries the names to the render (names are letters only)."""
    return f'<meta name="{META}" content="{" ".join(sorted(names))}">'


def listed(html: str) -> frozenset[str]:
    match = _META.search(html)
    return frozenset(match[1].split()) if match else frozenset()
