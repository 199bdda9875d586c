"""The levers of the fit stage, in the order a designer reaches for them, as one dial.

A run of pages is set by one number t: 0 is the layout's own setting; going below 0
tightens, above 0 loosens. Each whole step of |t| moves one lever from the layout's value
to its bound (layout.yaml's `fit`), the next lever only once the one before is at its
bound: first the space between blocks, then the heights of placeholder figures, then
body size and leading together, then tracking. A lever that cannot move on a run (no
placeholder on it, a body size pinned by the issue) takes no step, so every step moves
something. The setting nearest the layout's is the one with the smallest |t|.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..compose.document import Style
from ..source.layout import FitBounds

LEVERS = ("space", "figures", "type", "tracking")


@dataclass(frozen=True)
class Nominal:
    """The layout's own values on a run, as laid out (read from its boxes)."""

    body: float  # points
    leading: float


@dataclass(frozen=True)
class Setting:
    """One point on the dial, as the values it gives each lever."""

    t: float
    space: float = 1.0
    figures: float = 1.0
    body: float | None = None  # None: the layout's (or the pin)
    leading: float | None = None
    tracking: float = 0.0

    def style(self) -> Style:
        return Style(space=None if self.space == 1.0 else self.space, body=self.body,
                     leading=self.leading,
                     tracking=None if self.tracking == 0.0 else self.tracking)

    @property
    def nominal(self) -> bool:
        return self.t == 0


class Dial:
    def __init__(self, bounds: FitBounds, nominal: Nominal, placeholders: bool,
                 body_pinned: bool):
        self.bounds = bounds
        self.nominal = nominal
        # Leading still moves where the issue pins the body size.
        self.levers = [lever for lever in LEVERS if lever != "figures" or placeholders]
        self.body_pinned = body_pinned

    @property
    def reach(self) -> float:
        return float(len(self.levers))

    def at(self, t: float) -> Setting:
        t = max(-self.reach, min(self.reach, t))
        direction = 1 if t > 0 else 0 if t == 0 else -1
        values = {}
        for step, lever in enumerate(self.levers):
            amount = max(0.0, min(1.0, abs(t) - step))  # how far this lever moves, 0 to 1
            values[lever] = amount
        b, n = self.bounds, self.nominal

        def toward(nominal: float, bound: tuple[float, float], amount: float) -> float:
            end = bound[1] if direction > 0 else bound[0]
            end = max(end, nominal) if direction > 0 else min(end, nominal)
            return nominal + (end - nominal) * amount
        space = toward(1.0, b.space, values.get("space", 0.0))
        figures = toward(1.0, b.figures, values.get("figures", 0.0))
        kind = values.get("type", 0.0)
        body = leading = None
        if kind > 0:
            leading = round(toward(n.leading, b.leading, kind), 3)
            if not self.body_pinned:
                body = round(toward(n.body, b.body, kind), 2)
        tracking = toward(0.0, b.tracking, values.get("tracking", 0.0))
        return Setting(t=round(t, 4), space=round(space, 3), figures=round(figures, 3),
                       body=body, leading=leading, tracking=round(tracking, 4))
