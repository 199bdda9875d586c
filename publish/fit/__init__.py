"""Fit stage: between compose and the final render, each run of pages is set so that its
planned content fits its pages and every column ends within the layout's tolerance of its
foot (docs/fit.md).

The issue is composed and rendered at the layout's own setting (or the settings frozen
beside it, or those remembered for runs with the same content); each run's fill is read
from the laid-out boxes. A run that fits costs nothing more. Each other run is searched
alone (publish/fit/search.py) and the issue is rendered once more with what was found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..source import model as m
from ..compose.document import compose
from ..source.layout import FitBounds, resolve
from . import memory
from .advice import advice, articles, cut, estimate
from .documents import Split, height, placeholders, with_figures
from .levers import Dial, Nominal, Setting
from .measure import Fill, measure
from .search import search

__all__ = ["fit", "Fitted", "RunFit"]


@dataclass
class RunFit:
    """What the fit did to one run of pages."""

    first: int
    last: int
    label: str
    setting: Setting
    fill: Fill  # in the final document
    state: str  # "fits" (as laid out), "adjusted", "frozen", "too long", "too short"
    trials: int = 0
    figures: list[tuple[str, float, float]] = field(default_factory=list)
    advice: str | None = None

    @property
    def moved(self) -> str:
        """What moved, in words: "body 8.8 pt, leading 1.32, figure 2 40 -> 36 mm"."""
        s = self.setting
        parts = []
        if s.space != 1.0:
            parts.append(f"space x{s.space:g}")
        if s.body is not None:
            parts.append(f"body {s.body:g} pt")
        if s.leading is not None:
            parts.append(f"leading {s.leading:g}")
        if s.tracking:
            parts.append(f"tracking {s.tracking * 100:+.1f} %")
        parts += [f"figure '{name}' {a:g} -> {b:g} mm" for name, a, b in self.figures if a != b]
        return ", ".join(parts)

    def as_dict(self) -> dict:
        s = self.setting
        return {"page": self.label, "first": self.first, "last": self.last,
                "state": self.state, "moved": self.moved, "dial": s.t,
                "space": s.space, "figures": s.figures, "body": s.body, "leading": s.leading,
                "tracking": s.tracking,
                "figure_heights": [{"figure": n, "from": a, "to": b} for n, a, b in self.figures],
                "fill_mm": round(self.fill.short, 1), "over_mm": round(self.fill.over, 1),
                "advice": self.advice}


@dataclass
class Fitted:
    rendered: object  # render.Rendered, of the issue as fitted
    runs: list[RunFit]
    bounds: FitBounds
    html: str = ""

    @property
    def adjusted(self) -> int:
        """How many pages the fit set differently from the layout."""
        return sum(r.last - r.first + 1 for r in self.runs if not r.setting.nominal)

    def record(self) -> str:
        """What the fit did, as the PDF's Info carries it for `publish check` to report."""
        import json
        return json.dumps([r.as_dict() for r in self.runs], sort_keys=True,
                          separators=(",", ":"), ensure_ascii=True)

    @property
    def unfitted(self) -> list[RunFit]:
        return [r for r in self.runs if r.state in ("too long", "too short")]


def styles(settings: dict[int, Setting]) -> dict:
    return {first: s.style() for first, s in settings.items() if not s.nominal}


def at(issue: m.Issue, settings: dict[int, Setting]) -> m.Issue:
    return with_figures(issue, {first: s.figures for first, s in settings.items()})


def fit(issue: m.Issue, layouts: Path, render, frozen: dict[int, Setting] | None = None,
        enabled: bool = True, edition: str = "print") -> Fitted:
    """render(html) -> Rendered lays a document out; frozen: the settings of fit.yaml by a
    run's first page, used as they are; enabled=False lays the issue out as composed."""
    layout = resolve(layouts, issue.series.layout)
    bounds = layout.fit
    runs = issue.runs()
    html = compose(issue, layouts, edition)
    split = Split(html, issue)
    searching = enabled and frozen is None
    keys = {run[0].first: memory.key(split, run[0].first, layout) for run in runs}
    settings: dict[int, Setting] = {}
    for run in runs:
        first = run[0].first
        if frozen is not None:
            settings[first] = frozen.get(first, Setting(0.0))
        else:
            settings[first] = (memory.recall(keys[first]) if searching else None) or Setting(0.0)
    current = _render(issue, layouts, settings, render, edition)
    fills = {run[0].first: _measure(current[0], run) for run in runs}
    states = {first: ("frozen" if frozen is not None else
                      "adjusted" if not settings[first].nominal else "fits")
              for first in settings}
    trials: dict[int, int] = {}
    advices: dict[int, str | None] = {}
    changed = False
    for run in runs if searching else ():
        first = run[0].first
        fill = fills[first]
        if fill.fits(bounds.tolerance):
            memory.remember(keys[first], settings[first])
            continue
        count = 0
        if not settings[first].nominal:  # remembered, yet it does not fit: search afresh
            settings[first] = Setting(0.0)
            fill = _trial(issue, layouts, run, settings[first], render)
            count = 1
            changed = True
        dial = Dial(bounds, Nominal(fill.body_pt, fill.leading),
                    placeholders=any(placeholders(p) for p in run),
                    body_pinned=run[0].body_size is not None)
        outcome = search(dial, fill, bounds.tolerance,
                         lambda s, run=run: _trial(issue, layouts, run, s, render))
        trials[first] = count + outcome.trials
        if outcome.setting != settings[first]:
            settings[first] = outcome.setting
            changed = True
        states[first] = "adjusted" if outcome.fits else (
            "too long" if outcome.fill.excess(bounds.tolerance) > 0 else "too short")
        if not outcome.fits:
            words = None
            if outcome.extreme and outcome.fill.over > 0.05 and articles(run):
                words, used = _words_to_cut(issue, layouts, run, outcome, render)
                trials[first] += used
            advices[first] = advice(issue, run, outcome.fill, bounds.tolerance,
                                    outcome.extreme, words)
        if outcome.fits:  # one that cannot fit is searched again, so its advice is the same
            memory.remember(keys[first], outcome.setting)
    if changed:
        current = _render(issue, layouts, settings, render, edition)
        fills = {run[0].first: _measure(current[0], run) for run in runs}
    result = []
    for run in runs:
        first = run[0].first
        fill = fills[first]
        state = states[first]
        if state in ("adjusted", "fits", "frozen") and not fill.fits(bounds.tolerance):
            # As laid out among the other pages it does not fit after all (or, frozen, no
            # longer does): said, with the advice at this setting.
            state = "too long" if fill.excess(bounds.tolerance) > 0 else "too short"
            advices.setdefault(first, advice(issue, run, fill, bounds.tolerance, False))
        result.append(RunFit(first, run[-1].last, _label(run), settings[first], fill, state,
                             trials.get(first, 0), _figure_changes(run, settings[first]),
                             advices.get(first)))
    fitted = Fitted(current[0], result, bounds, current[1])
    fitted.rendered.info["PublishFit"] = fitted.record()
    return fitted


def _words_to_cut(issue, layouts, run, outcome, render) -> tuple[int, int]:
    """How many words cut from the run's longest article let it fit at the tightest
    setting: estimated from the overflow, then tried and raised until it fits (at most
    three trials); the advice says that number."""
    ident = articles(run)[0]
    words, fill = estimate(outcome.fill), outcome.fill
    for n in range(1, 4):
        fill = _trial(cut(issue, ident, words), layouts, run, outcome.setting, render)
        if fill.over <= 0.05:
            return words, n
        words += estimate(fill) + max(2, round(fill.words_per_line))
    return words, 3


def _render(issue, layouts, settings, render, edition="print"):
    html = compose(at(issue, settings), layouts, edition, styles=styles(settings))
    return render(html), html


def _trial(issue, layouts, run, setting: Setting, render) -> Fill:
    first = run[0].first
    html = compose(at(issue, {first: setting}), layouts, styles=styles({first: setting}))
    alone = Split(html, issue).alone(first)
    return _measure(render(alone), run)


def _measure(rendered, run: list[m.Page]) -> Fill:
    first = run[0]
    entries = [(p.anchor, p.first - first.first) for p in run[1:]]
    return measure(rendered.document.pages, first.anchor, run[-1].last - first.first + 1,
                   entries)


def _label(run: list[m.Page]) -> str:
    return run[0].label if len(run) == 1 else f"{run[0].first}-{run[-1].last}"


def _figure_changes(run, setting: Setting) -> list[tuple[str, float, float]]:
    if setting.figures == 1.0:
        return []
    changes = []
    n = 0
    for page in run:
        for figure in placeholders(page):
            n += 1
            name = figure.image.stem if figure.image else f"{page.first}.{n}"
            changes.append((name, figure.height, height(figure, setting.figures)))
    return changes
