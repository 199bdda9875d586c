"""The issue's model and HTML at a setting, and a document of one run of pages alone.

Every plan entry starts on a new page, so a run (a `<section class="page">`) lays out the
same alone as among the others: a trial renders only the run being searched. Two things
reach across runs and are written out for a trial instead: a page reference
(`target-counter`) becomes the planned page's number, and the running header and footer
come with the document's head.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..source import model as m

_SECTION = re.compile(r'<section class="page page-(\d+)[ "]')
_PAGEREF = re.compile(r'<a class="pageref" href="#([^"]+)">(.*?)</a>', re.S)


def placeholders(page: m.Page) -> list[m.Figure]:
    """The page's figures whose height the fit may change (placeholders, and pictures
    given a height range), in order."""
    return [f for f in _figures(page) if f.flexible]


def height(figure: m.Figure, factor: float) -> float:
    """A flexible figure's height at a factor, within its own range, to a tenth of a mm."""
    h = figure.height * factor
    if figure.min_height is not None:
        h = max(h, figure.min_height)
    if figure.max_height is not None:
        h = min(h, figure.max_height)
    return round(h, 1)


def _figures(page: m.Page):
    def walk(item):
        if isinstance(item, m.Figure):
            yield item
        body = getattr(item, "body", None)
        if isinstance(body, tuple):  # an article's, panel's or promo's flow
            for child in body:
                yield from walk(child)
    for placed in page.blocks:
        yield from walk(placed.block)


def with_figures(issue: m.Issue, factors: dict[int, float]) -> m.Issue:
    """The issue with each placeholder's height on the runs in factors (by the run's first
    page) scaled by the run's factor, to a tenth of a millimetre."""
    if not any(f != 1.0 for f in factors.values()):
        return issue
    scale: dict[int, float] = {}
    for run in issue.runs():
        for page in run:
            scale[page.first] = factors.get(run[0].first, 1.0)

    def change(item, factor: float):
        if isinstance(item, m.Figure):
            return replace(item, height=height(item, factor)) if item.flexible else item
        body = getattr(item, "body", None)
        if isinstance(body, tuple):
            return replace(item, body=tuple(change(child, factor) for child in body))
        return item
    pages = []
    for page in issue.pages:
        factor = scale.get(page.first, 1.0)
        if factor == 1.0:
            pages.append(page)
            continue
        pages.append(replace(page, blocks=tuple(replace(p, block=change(p.block, factor))
                                               for p in page.blocks)))
    return replace(issue, pages=tuple(pages))


class Split:
    """A composed document cut into its head and its runs."""

    def __init__(self, html: str, issue: m.Issue):
        starts = [(int(match[1]), match.start()) for match in _SECTION.finditer(html)]
        end = html.rfind("</body>")
        self.head = html[:starts[0][1]] if starts else html[:end]
        self.tail = html[end:]
        self.runs: dict[int, str] = {}
        for i, (first, start) in enumerate(starts):
            stop = starts[i + 1][1] if i + 1 < len(starts) else end
            self.runs[first] = html[start:stop]
        self.planned = {a.id: p.first for p, a in issue.articles()}

    def alone(self, first: int) -> str:
        """A document of one run, its page references printed as the planned pages."""
        def number(match: re.Match) -> str:
            page = self.planned.get(match[1])
            return f'<a class="pageref-fit">{match[2]}{page if page else ""}</a>'
        return self.head + _PAGEREF.sub(number, self.runs[first]) + self.tail
