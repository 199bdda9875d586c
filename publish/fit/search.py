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

MAX_TRIALS = 6
_DEBUG = bool(os.environ.get("PUBLISH_FIT_DEBUG"))


@dataclass
class Outcome:
    setting: Setting
    fill: Fill  # at that setting, in the run's own document
    trials: int
    fits: bool


def search(dial: Dial, nominal_fill: Fill, tolerance: float,
           trial: Callable[[Setting], Fill]) -> Outcome:
    aim = -tolerance / 2
    e0 = nominal_fill.excess(tolerance)
    direction = -1.0 if e0 > 0 else 1.0
    known: list[tuple[float, float, Fill]] = [(0.0, e0, nominal_fill)]
    reach = dial.reach * direction
    t = direction * 1.0
    trials = 0
    while trials < MAX_TRIALS:
        setting = dial.at(t)
        fill = trial(setting)
        trials += 1
        e = fill.excess(tolerance)
        if _DEBUG:
            print(f"fit: t={setting.t:+.3f} e={e:+.1f} mm", [round(c.white) for c in fill.columns])
        if fill.fits(tolerance):
            return Outcome(setting, fill, trials, True)
        known.append((setting.t, e, fill))
        if setting.t == reach and (e - aim) * direction < 0:
            # The loosest (or tightest) setting still falls short (or runs over).
            return Outcome(setting, fill, trials, False)
        t = _next(known, aim, direction, reach)
        if any(abs(t - k[0]) < 0.02 for k in known):
            break
    best = min(known[1:] or known, key=lambda k: abs(k[1] - aim))
    return Outcome(dial.at(best[0]), best[2], trials, best[2].fits(tolerance))


def _next(known, aim: float, direction: float, reach: float) -> float:
    """The next dial position: between the nearest trials either side of the aim, by their
    secant, or past the furthest trial along it while none is beyond the aim."""
    below = [k for k in known if (k[1] - aim) * direction < 0]  # not far enough yet
    beyond = [k for k in known if (k[1] - aim) * direction >= 0]
    if beyond:
        a = max(below, key=lambda k: k[0] * direction)
        b = min(beyond, key=lambda k: k[0] * direction)
        t = _secant(a, b, aim)
        span = b[0] - a[0]
        low, high = sorted((a[0] + 0.15 * span, b[0] - 0.15 * span))
        return round(min(high, max(low, t)), 3)
    ordered = sorted(below, key=lambda k: k[0] * direction)
    a, b = ordered[-2], ordered[-1]
    t = _secant(a, b, aim) if b[1] != a[1] else b[0] + direction
    # At least a quarter step further, at most to the dial's end.
    t = max(t * direction, b[0] * direction + 0.25) * direction
    return round(min(abs(reach), abs(t)) * direction, 3)


def _secant(a, b, aim: float) -> float:
    if b[1] == a[1]:
        return (a[0] + b[0]) / 2
    return a[0] + (aim - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
