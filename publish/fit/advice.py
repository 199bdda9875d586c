"""What an editor can do about a run that cannot fit, in numbers measured at the setting
nearest to fitting (the tightest for a run too long, the loosest for one too short)."""
from __future__ import annotations

import math

from .. import model as m
from ..check.text import block_tokens
from .measure import Fill


def advice(issue: m.Issue, run: list[m.Page], fill: Fill, tolerance: float,
           extreme: bool = True) -> str:
    """extreme: fill was measured at the dial's end (else at the nearest setting found,
    past which the content jumps, a block moving to another column or page)."""
    label = run[0].label if len(run) == 1 else f"{run[0].first}-{run[-1].last}"
    if fill.over > 0.05:
        lines = max(1, math.ceil(fill.over / fill.line))
        words = max(1, round(lines * fill.words_per_line))
        articles = sorted(((len(block_tokens(pl.block)), pl.block.id) for page in run
                           for pl in page.blocks if isinstance(pl.block, m.Article)),
                          key=lambda a: (-a[0], a[1]))
        cut = ", or ".join(f"from '{ident}'" for _, ident in articles[:2])
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
