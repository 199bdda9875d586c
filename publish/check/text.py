"""Text completeness: each block's own words, from the issue, printed on its planned pages.

A block's words are its text after markup (what the reader is meant to see),
compared as tokens (words; Chinese character by character) after `normalize`,
so hyphenation, line breaks, quotes and case do not matter. They must appear in
order among the words printed on the block's pages; a word counts as printed only
if no opaque shape painted later covers it.

The same tokens find a block when the PDF has lost its named destinations: its
first words give the page it starts on, its last words the page it ends on.
"""
from __future__ import annotations

import bisect
import dataclasses
import html
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..source import model as m
from .content import PageContent, Run

_TOKEN = re.compile(r"[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+|[\u3400-\u9fff\uf900-\ufaff]")
# Fields that are not printed text, or that the layout prints elsewhere.
_NOT_PRINTED = {"id", "data", "image", "span", "style", "uncertain", "line", "height", "size", "subject",
                "columns", "numbers", "in_index", "index_title", "placeholder", "row_headers",
                "fit", "focus", "bleed", "intent", "alt"}
GAP = 20  # words: how far ahead the next word may be before the jump needs confirming
PROBE = 40  # words that locate a block's start or end by text


def normalize(text: str) -> str:
    """Text as compared: case, quotes, dashes, soft hyphens and spacing folded."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"[\u2018\u2019\u201a\u201b`]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u00ab\u00bb]", '"', text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    # Markup stars, and hyphens with any line break after them: "E-pass-\nport" and
    # "E-passport" compare equal whichever hyphen the line breaker chose.
    text = re.sub(r"\*+|-\s*", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markup links: keep the words
    return re.sub(r"\s+", " ", text).strip().casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text))


@lru_cache(maxsize=4096)
def _markup_text(source: str) -> str:
    from ..compose import markup
    return html.unescape(re.sub(r"<[^>]+>", " ", str(markup.block(source))))


def _texts(value, out: list[str]) -> None:
    if value is None:
        return
    if isinstance(value, m.Text):
        for part in (value.en, value.zh):
            if part:
                out.append(_markup_text(part))
    elif isinstance(value, str):
        out.append(value)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _texts(item, out)
    elif isinstance(value, m.Contact):  # printed organisation first, as the layout sets it
        for part in (value.organisation, value.name, value.en, value.zh):
            _texts(part, out)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name not in _NOT_PRINTED:
                _texts(getattr(value, f.name), out)


def block_tokens(block) -> list[str]:
    """The words a block prints itself (an index prints other blocks' titles: none here)."""
    if isinstance(block, m.Index):
        return []
    out: list[str] = []
    _texts(block, out)
    return tokens(" ".join(out))


def hidden(content: PageContent) -> set[int]:
    """Orders of the runs an opaque shape painted later covers (at least half of the run)."""
    covered: set[int] = set()
    shapes = [s for s in content.shapes if s.opaque]
    if not shapes:
        return covered
    for run in content.runs:
        x0, y0, x1, y1 = run.box
        area = max((x1 - x0) * (y1 - y0), 1e-6)
        for shape in shapes:
            if shape.order <= run.order:
                continue
            sx0, sy0, sx1, sy1 = shape.box
            w, h = min(x1, sx1) - max(x0, sx0), min(y1, sy1) - max(y0, sy0)
            if w > 0 and h > 0 and w * h >= area / 2:
                covered.add(run.order)
                break
    return covered


@dataclass
class PageWords:
    """A page's printed words in painting order: all of them, and those left visible."""

    all: list[str]
    visible: list[str]
    joined: str  # " w1 w2 ... " for quick phrase search (visible words)
    damaged: int = 0  # glyphs whose text the PDF maps wrongly: words that cannot match
    _where: dict | None = None

    @property
    def where(self) -> dict[str, list[int]]:
        if self._where is None:
            self._where = positions(self.visible)
        return self._where


def page_words(content: PageContent) -> PageWords:
    covered = hidden(content)
    every, visible = [], []
    for text, orders in _lines(content.runs):
        every.append(text)
        if not orders & covered:
            visible.append(text)
    # Whole pages are tokenized so that a word hyphenated at a line's end is one word again.
    visible_words = tokens("\n".join(visible))
    return PageWords(tokens("\n".join(every)), visible_words, " " + " ".join(visible_words) + " ",
                     content.damaged)


def _lines(runs: list[Run]):
    """Runs joined as printed lines, each with the painting orders of its runs."""
    line, orders, last = [], set(), None
    for run in runs:
        if last is not None and not (abs(run.y - last.y) < 0.3 * max(run.size, 1)
                                     and -0.5 * run.size < run.box[0] - last.box[2]
                                     < 0.3 * run.size):
            yield "".join(line), orders
            line, orders = [], set()
        line.append(run.text)
        orders.add(run.order)
        last = run
    if line:
        yield "".join(line), orders


def positions(printed: list[str]) -> dict[str, list[int]]:
    where: dict[str, list[int]] = defaultdict(list)
    for i, word in enumerate(printed):
        where[word].append(i)
    return where


def missing_words(wanted: list[str], printed: list[str],
                  where: dict[str, list[int]] | None = None) -> list[int]:
    """Indexes into wanted of the words not found, in order, in printed."""
    if where is None:
        where = positions(printed)
    missing: list[int] = []
    cur = 0
    started = False
    for k, word in enumerate(wanted):
        spots = where.get(word)
        i = bisect.bisect_left(spots, cur) if spots else 0
        if not spots or i == len(spots):
            missing.append(k)
            continue
        pos = spots[i]
        if not started or pos - cur > GAP or wanted[k + 1:k + 2] and \
                wanted[k + 1] in printed[cur:pos]:
            # A jump (or the block's first word), or a short one over the next word (this
            # word printed damaged here, whole a few words on): take the first place its
            # next words follow.
            pos = next((p for p in spots[i:i + 200] if _confirmed(wanted, k, printed, p)), None)
            if pos is None:
                if started:
                    missing.append(k)
                    continue
                pos = spots[i]
        cur, started = pos + 1, True
    return missing


def _confirmed(wanted: list[str], k: int, printed: list[str], pos: int) -> bool:
    """The words after wanted[k] follow printed[pos] closely: the jump is real."""
    following = wanted[k + 1:k + 3]
    window = printed[pos + 1:pos + 12]
    return all(word in window for word in following)


def locate(wanted: list[str], pages: list[PageWords], first: bool,
           planned: int | None = None) -> int | None:
    """The 1-based page that prints most of the block's first (or last) words, in order:
    forty words, not a short phrase, since an article's title alone is also printed in the
    index. Of pages that print as many, the planned one, else the earliest (or latest)."""
    if not wanted:
        return None
    probe = wanted[:PROBE] if first else wanted[-PROBE:]
    scores = [len(probe) - len(missing_words(probe, page.visible, page.where)) for page in pages]
    best = max(scores, default=0)
    if best * 5 < len(probe) * 3:  # fewer than 60% of them anywhere
        return None
    found = [n for n, score in enumerate(scores, start=1) if score == best]
    if planned in found:
        return planned
    return found[0] if first else found[-1]
