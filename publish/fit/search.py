"""The search for one run's setting: the dial position nearest the layout's at which the run's
content fits its pages and every column ends within the tolerance of its foot.

The fill is measured as one signed number, e(t): millimetres too long (> 0) or the white
at the emptiest column foot (< 0); it grows with t (a looser setting sets more height).
The search aims at half the tolerance of white, from the layout's setting outwards: a
first trial with the first lever at its bound, then secant steps between the two nearest
trials (extrapolating until the aim is bracketed, interpolating after), each step a render
of the run alone. It stops at the first trial that fits, or at the dial's end, where the
run cannot fit and the advice is measured. Nothing in it depends on time: the same run
gives the same trials and the same answer.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from .levers import Dial, Setting
from .measure import Fill

MAX_TRIALS = 7
_DEBUG = bool(os.environ.get("PUBLISH_FIT_DEBUG"))


@dataclass
class Outcome:
    setting: Setting
    fill: Fill  # at that setting, in the run's own document
    trials: int
    fits: bool
    extreme: bool = False  # tried at the dial's end (the tightest or loosest setting)


def search(dial: Dial, nominal_fill: Fill, tolerance: float,
           trial: Callable[[Setting], Fill]) -> Outcome:
    direction = -1.0 if nominal_fill.over > 0.05 else 1.0
    # The aim, as room: half the tolerance of white at the foot of each column short now.
    aim = -tolerance / 2 * max(1, sum(1 for c in nominal_fill.columns if c.white > 2))
    known: list[tuple[float, float, Fill]] = [(0.0, nominal_fill.length(), nominal_fill)]
    reach = dial.reach * direction
    t = guess(dial, nominal_fill, aim, direction)
    trials = 0
    extreme = False
    while trials < MAX_TRIALS:
        setting = dial.at(t)
        fill = trial(setting)
        trials += 1
        if _DEBUG:
            print(f"fit: t={setting.t:+.3f} length={fill.length():+.1f} over={fill.over:.1f}",
                  [round(c.white) for c in fill.columns])
        if fill.fits(tolerance):
            return Outcome(setting, fill, trials, True)
        known.append((setting.t, fill.length(), fill))
        if setting.t == reach:
            extreme = True
            if _side(fill) == _side(nominal_fill):
                # The tightest (or loosest) setting still runs over (or falls short).
                return Outcome(setting, fill, trials, False, extreme)
        t = _next(known, aim, direction, reach)
        if any(abs(t - k[0]) < 0.002 for k in known):
            break
    # No setting tried fits: the nearest that does not run over (else the least over).
    best = min(known, key=lambda k: (k[2].over > 0.05, k[2].over, k[2].short, abs(k[0])))
    return Outcome(dial.at(best[0]), best[2], trials, False, best[0] == reach)


def guess(dial: Dial, fill: Fill, aim: float, direction: float) -> float:
    """The first trial: where a first-order model of the run's room meets the aim. The
    room a lever adds is what it scales (margins, placeholder heights, lines of text,
    measured at the layout's setting) times its change; text grows as the square of the
    body size (taller lines, and more of them) times the leading."""
    nominal = dial.at(0.0)
    base = fill.length()

    def room(t: float) -> float:
        s = dial.at(t)
        body = (s.body or dial.nominal.body) / dial.nominal.body
        leading = (s.leading or dial.nominal.leading) / dial.nominal.leading
        grow = body * body * leading * (1 + 2 * (s.tracking - nominal.tracking))
        return base + fill.spaced * (s.space - 1) + fill.figures * (s.figures - 1) + \
            fill.text * (grow - 1)
    steps = int(dial.reach * 40)
    for i in range(1, steps + 1):
        t = direction * i / 40
        if (room(t) - aim) * direction >= 0:
            return round(t, 3)
    return round(direction * dial.reach, 3)


def _side(fill: Fill) -> int:
    return 1 if fill.over > 0.05 else -1


def _next(known, aim: float, direction: float, reach: float) -> float:
    """The next dial position: between the nearest trials either side of fitting, by the
    secant of their room (kept a sixth of the way from either), or past the furthest trial
    while every trial is on the layout's side."""
    start = _side(known[0][2])
    same = [k for k in known if _side(k[2]) == start and not (start < 0 and k[1] > aim)]
    other = [k for k in known if k not in same]
    if other and same:
        a = max(same, key=lambda k: k[0] * direction)
        b = min(other, key=lambda k: k[0] * direction)
        t = _secant(a, b, aim)
        span = b[0] - a[0]
        low, high = sorted((a[0] + span / 6, b[0] - span / 6))
        return round(min(high, max(low, t)), 3)
    # No trial on the layout's side to bracket with (the first already overshot the aim):
    # go on from the furthest trial.
    ordered = sorted(same or known, key=lambda k: k[0] * direction)
    a, b = ordered[-2] if len(ordered) > 1 else ordered[0], ordered[-1]
    t = _secant(a, b, aim) if b[1] != a[1] else b[0] + direction
    # At least a quarter step further, at most to the dial's end.
    t = max(t * direction, b[0] * direction + 0.25) * direction
    return round(min(abs(reach), abs(t)) * direction, 3)


def _secant(a, b, aim: float) -> float:
    if b[1] == a[1]:
        return (a[0] + b[0]) / 2
    return a[0] + (aim - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
