"""Total-fit line breaking (Knuth and Plass, "Breaking paragraphs into lines", 1981).

A paragraph is given as its break points, in order, each with the natural width of the
paragraph's text up to it (`end`: where a line broken there ends) and from it (`start`:
where the next line begins), the word spaces before those points and their natural
width, and a hyphen width (a break inside a word adds a hyphen). The lines are chosen
together, so that the sum of their demerits is least: a line's demerits grow with the
cube of how far its spaces stretch, and with a hyphen, two hyphens in a row, a hyphen
on the paragraph's last full line and a loose line next to a tight one.

A line's ratio r is its slack over the natural width of its spaces, so its word
spaces are 1 + r times natural: down to 1 - SHRINK (a tight line, which publish's
patch narrows), up to LIMIT (three times natural); a line still looser is set ragged
(`Line.ragged`), its spaces natural, rather than gappy.

A line over LIMIT costs more than any number of lines within it, so a paragraph gets
as few ragged lines as it can have; then as few lines over twice natural; and
badness grows with the cube of the ratio without limit, so a line that must be loose
is the least loose possible.

Pure Python: a paragraph of the archive has 40-250 break points, and the search looks
only at lines that fit, so a paragraph is set in a millisecond or two.
"""
from __future__ import annotations

from dataclasses import dataclass

LIMIT = 2.0  # the loosest a justified line is set: three times natural; beyond, ragged
SHRINK = 0.2  # spaces may narrow to 80 % of natural (InDesign's default minimum)
HYPHEN = 50  # penalty of a break at a hyphen (TeX's \hyphenpenalty)
LADDER = 3  # at most this many hyphenated lines in a row (hyphenate-limit-lines)
DOUBLE_HYPHEN = 3000  # two hyphenated lines in a row (\doublehyphendemerits)
FINAL_HYPHEN = 5000  # the last full line hyphenated (\finalhyphendemerits)
ADJACENT = 3000  # a loose line next to a decent or tight one (\adjdemerits)
RAGGED = 1e12  # a line set ragged: first as few of them as can be, then the least loose
LOOSE = 1e6  # a line with spaces over twice natural: next, as few of those as can be
UNSTRETCHABLE = 1e5  # badness of a line with no space to widen, per its share left empty
LINE = 10  # \linepenalty: fewer lines are better, other things equal


@dataclass(frozen=True)
class Break:
    """A place the paragraph may break. Widths are cumulative from the paragraph's start."""

    end: float  # width of the text before it, without the space there
    start: float  # width of the text before the next line's first character
    spaces: int  # word spaces before `end` (not counting one at the break)
    space_width: float  # their natural width, summed
    spaces_after: int  # word spaces before `start`
    space_width_after: float
    hyphen: float = 0.0  # width of the hyphen a break here adds (0: not in a word)
    forced: bool = False  # the paragraph's end
    dash: bool = False  # after a hyphen in the text ("semi-"): a hyphenated line too


@dataclass(frozen=True)
class Line:
    first: int  # index of the break the line starts after (-1: the paragraph's start)
    last: int  # index of the break it ends at
    width: float  # natural width
    ratio: float  # stretch ratio of its spaces (0 for the last line)
    ragged: bool  # too loose to justify: set with natural spaces


def _fitness(ratio: float) -> int:
    if ratio < -SHRINK / 2:
        return 0  # tight
    if ratio < 0.5:
        return 1  # decent
    if ratio < 1.0:
        return 2  # loose
    return 3  # very loose


def compose(breaks: list[Break], widths, looseness: int = 0, first: int = -1) -> list[Line]:
    """The best lines for the paragraph from break `first` on (-1: its start); `widths(n)`
    is the width of its n-th line (0-based, counted from `first`). `looseness` -1 or +1
    asks for one line fewer or more than the best, if that can be set within LIMIT."""
    if looseness:
        lines = _search(breaks, widths, first, by_count=True)
        best = _search(breaks, widths, first, by_count=False)
        if best and lines:
            wanted = len(best) + looseness
            for chosen in lines:
                if len(chosen) == wanted and not any(line.ragged for line in chosen):
                    return chosen
            return best
    return _search(breaks, widths, first, by_count=False) or []


def _search(breaks, widths, first, by_count):
    """Dynamic programming over (break, fitness, hyphens in a row[, line count]) states."""
    ends = [b.end for b in breaks]
    starts = [b.start for b in breaks]
    spaces_before = [b.spaces for b in breaks]
    stretch_before = [b.space_width for b in breaks]
    spaces_after = [b.spaces_after for b in breaks]
    stretch_after = [b.space_width_after for b in breaks]
    if first >= 0:
        origin = (starts[first], spaces_after[first], stretch_after[first])
    else:
        origin = (0.0, 0, 0.0)
    widest = max(widths(0), widths(1)) * (1 + SHRINK) + 0.01
    line_widths: dict[int, float] = {}
    # state (break, fitness, hyphens in a row, lines) -> (demerits, previous state, line)
    best: dict[tuple, tuple] = {(first, 1, 0, 0): (0.0, None, None)}
    at: dict[int, list[tuple]] = {first: [(first, 1, 0, 0)]}
    last = len(breaks) - 1
    for j in range(first + 1, len(breaks)):
        b = breaks[j]
        end, hyphen, forced = ends[j], b.hyphen, b.forced
        hyphenated = hyphen > 0 or b.dash
        new: dict[tuple, tuple] = {}
        for i in range(j - 1, first - 1, -1):
            if i == first:
                start, spaces0, stretch0 = origin
            else:
                start, spaces0, stretch0 = starts[i], spaces_after[i], stretch_after[i]
            if end - start > widest:
                break  # lines starting further back are wider still
            keys = at.get(i)
            if not keys:
                continue
            natural = end - start + hyphen
            spaces = spaces_before[j] - spaces0
            stretch = stretch_before[j] - stretch0
            measured: dict[float, tuple | None] = {}
            for key in keys:
                count = key[3]
                available = line_widths.get(count)
                if available is None:
                    available = line_widths[count] = widths(count)
                if available in measured:
                    setting = measured[available]
                else:
                    setting = measured[available] = _setting(
                        natural, available, spaces, stretch, forced)
                if setting is None:
                    continue
                ratio, ragged, demerits, fitness = setting
                if ragged and hyphen:
                    demerits += RAGGED  # a short line ending in a hyphen: worst of all
                if hyphenated:
                    if key[2] >= LADDER:
                        continue
                    if hyphen:
                        demerits += HYPHEN ** 2
                    if key[2]:
                        demerits += DOUBLE_HYPHEN
                    if j == last - 1:
                        demerits += FINAL_HYPHEN
                if abs(fitness - key[1]) > 1:
                    demerits += ADJACENT
                total = best[key][0] + demerits
                new_key = (j, fitness, key[2] + 1 if hyphenated else 0,
                           count + 1 if by_count else 0)
                old = new.get(new_key)
                if old is None or total < old[0]:
                    new[new_key] = (total, key, (i, natural, ratio, ragged))
        # A state that costs more than another at the same break, by more than anything
        # the difference can win back (a fitness jump, a second hyphen), and that has no
        # fewer hyphens in a row, can never be on the best path.
        if len(new) > 1:
            cheapest = min(value[0] for value in new.values())
            if any(value[0] > cheapest + ADJACENT + DOUBLE_HYPHEN for value in new.values()):
                new = {key: value for key, value in new.items()
                       if not any(other[0] + ADJACENT + DOUBLE_HYPHEN < value[0]
                                  and k[2] <= key[2] and k[3] == key[3]
                                  for k, other in new.items())}
        best.update(new)
        at[j] = list(new)
    finals = at.get(last)
    if not finals:
        return None
    if by_count:
        found: dict[int, tuple] = {}
        for key in finals:
            if key[3] not in found or best[key][0] < best[found[key[3]]][0]:
                found[key[3]] = key
        return [_unwind(best, found[count]) for count in sorted(found)]
    return _unwind(best, min(finals, key=lambda k: best[k][0]))


def _setting(natural, available, spaces, stretch, forced):
    """(ratio, ragged, demerits, fitness) of a line, or None if it cannot be set."""
    if natural > available + SHRINK * stretch + 0.01:
        return None  # overfull even with the spaces narrowed
    if forced:
        if natural > available + 0.01:
            return None  # a paragraph's last line is not justified
        return 0.0, False, LINE ** 2, 1
    if spaces <= 0 or stretch <= 0:
        if natural > available + 0.01:
            return None
        # Nothing to stretch: set ragged, the fuller the better.
        ratio = (available - natural) / max(available, 1.0)
        ragged = ratio > 0.02
        badness = UNSTRETCHABLE * ratio
    else:
        ratio = (available - natural) / stretch
        ragged = ratio > LIMIT
        badness = 100 * (ratio ** 3 if ratio >= 0 else (-ratio / SHRINK) ** 3)
    demerits = (LINE + badness) ** 2 + (RAGGED if ragged else LOOSE if ratio > 1.0 else 0.0)
    return ratio, ragged, demerits, _fitness(ratio)


def _unwind(active, key) -> list[Line]:
    lines = []
    while key is not None:
        _, previous, line = active[key]
        if line is None:
            break
        i, natural, ratio, ragged = line
        lines.append(Line(i, key[0], natural, ratio, ragged))
        key = previous
    return lines[::-1]
