"""What an editor can do about a run that cannot fit, in numbers measured at the setting
nearest to fitting (the tightest for a run too long, the loosest for one too short)."""
from __future__ import annotations

import math
import re
from dataclasses import replace

from ..source import model as m
from ..check.text import block_tokens
from .measure import Fill


def articles(run: list[m.Page]) -> list[str]:
    """The run's articles, longest first: where to cut."""
    found = sorted(((len(block_tokens(pl.block)), pl.block.id) for page in run
                    for pl in page.blocks if isinstance(pl.block, m.Article)),
                   key=lambda a: (-a[0], a[1]))
    return [ident for _, ident in found]


def estimate(fill: Fill) -> int:
    """Words to cut, from the overflow's height in lines of body text."""
    return max(1, round(math.ceil(fill.over / fill.line) * fill.words_per_line))


def cut(issue: m.Issue, ident: str, words: int) -> m.Issue:
    """The issue with the last `words` words of article ident's text taken away."""
    def shorter(article: m.Article) -> m.Article:
        body, left = list(article.body), words
        for i in range(len(body) - 1, -1, -1):
            item = body[i]
            if not isinstance(item, m.Text) or not item.en or left <= 0:
                continue
            found = list(re.finditer(r"\S+", item.en))
            if left >= len(found):
                body[i], left = replace(item, en=found[0].group() if found else ""), \
                    left - max(0, len(found) - 1)
            else:
                body[i], left = replace(item, en=item.en[:found[-left].start()].rstrip()), 0
        return replace(article, body=tuple(body))
    pages = tuple(replace(page, blocks=tuple(
        replace(pl, block=shorter(pl.block)) if isinstance(pl.block, m.Article)
        and pl.block.id == ident else pl for pl in page.blocks)) for page in issue.pages)
    return replace(issue, pages=pages)


def advice(issue: m.Issue, run: list[m.Page], fill: Fill, tolerance: float,
           extreme: bool = True, words: int | None = None) -> str:
    """extreme: fill was measured at the dial's end (else at the nearest setting found,
    past which the content jumps, a block moving to another column or page); words: how
    many words to cut, as measured by cutting them (else estimated from the overflow)."""
    label = run[0].label if len(run) == 1 else f"{run[0].first}-{run[-1].last}"
    if fill.over > 0.05:
        words = words or estimate(fill)
        lines = max(1, math.ceil(words / max(1.0, fill.words_per_line)))
        cut = ", or ".join(f"from '{ident}'" for ident in articles(run)[:2])
        later = run[-1].last + 1
        tail = f" or let the page run to page {later}" if later <= issue.page_count else \
            " or give the issue more pages"
        what = f"cut them {cut}," if cut else "cut"
        at = "at the tightest setting" if extreme else "at the nearest setting"
        return (f"page {label}: {_n(lines, 'line')} (about {_n(words, 'word')}) too long {at}: "
                f"{what}{tail}")
    worst = fill.worst
    if worst is None:
        return f"page {label}: cannot be measured"
    short = worst.white
    # Enough text to bring every column to within half the tolerance of its foot.
    missing = sum(max(0.0, c.white - tolerance / 2) for c in fill.columns)
    lines = max(1, math.ceil(missing / fill.line))
    where = f"page {run[0].first + worst.page}" if len(run) > 1 or run[0].last > run[0].first \
        else f"page {label}"
    column = f"column {worst.index} " if worst.index else ""
    at = "at the loosest setting" if extreme else "at the nearest setting"
    return (f"{where}: {column}ends {short:.0f} mm short {at}: about "
            f"{_n(lines, 'line')} (about {_n(round(lines * fill.words_per_line), 'word')}) more, "
            f"or a figure {short - tolerance / 2:.0f} mm taller")


def _n(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
