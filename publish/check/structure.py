"""Structure: the PDF against the page plan and against the index it prints.

Works from the PDF alone (named destinations, links, text), so a PDF built
elsewhere, or edited by hand, is checked just the same.
"""
from __future__ import annotations

import re
import unicodedata

from .. import anchors
from .. import model as m
from .pdffacts import PdfFacts
from .report import PageLine, Report

PT_PER_MM = 72 / 25.4
LINE_MM = 4.3  # one line of body text, to say an overflow in lines as well


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


def planned_anchors(issue: m.Issue) -> list[str]:
    return [pl.anchor for p in issue.pages for pl in p.blocks]


def _name(placed: m.Placed) -> str:
    block = placed.block
    if isinstance(block, m.Article):
        return f"article '{block.id}'"
    return f"{block.kind} block '{placed.anchor}'"


def check_structure(issue: m.Issue, facts: PdfFacts, report: Report) -> None:
    planned = issue.page_count
    # One line per plan entry (a spread is one line), then one per page the plan lacks.
    report.pages = [PageLine(p.first, [pl.anchor for pl in p.blocks], [], last=p.last)
                    for p in issue.pages]
    report.pages += [PageLine(n, [], []) for n in range(planned + 1, facts.page_count + 1)]
    line_of = {n: line for line in report.pages for n in range(line.page, max(line.page, line.last) + 1)}
    where = {name: d.page for name, d in facts.destinations.items()}
    for name in planned_anchors(issue):
        if name in where and where[name] in line_of:
            line_of[where[name]].found.append(name)

    if facts.page_count != planned:
        report.add("error", "page-count", f"the PDF has {facts.page_count} pages; the plan has "
                                          f"{planned}")
    if issue.series.saddle_stitched and planned % 4:
        report.add("error", "page-count", f"the plan has {planned} pages; a saddle-stitched "
                                          "issue needs a multiple of 4")
    elif planned % 2:
        report.add("error", "page-count", f"the plan has {planned} pages; a printed issue needs "
                                          "an even number")

    for page in issue.pages:
        limit = issue.end_limit(page)
        for number, placed in enumerate(page.blocks):
            # A spread's first block opens it; the rest may start on either of its pages.
            latest = page.first if number == 0 else page.last
            _starts_and_ends(placed, page, latest, limit, facts, report)
        if limit == page.last:
            _page_fits(page, facts, report)
    _index(issue, facts, report)
    _page_references(issue, facts, report)


def _starts_and_ends(placed: m.Placed, page: m.Page, latest: int, limit: int,
                     facts: PdfFacts, report: Report) -> None:
    start = facts.destinations.get(placed.anchor)
    title = ""
    if isinstance(placed.block, m.Article):
        title = f' "{_short(placed.block.title.plain)}"'
    if start is None:
        report.add("error", "starts-on-page", f"{_name(placed)}{title} is not in the PDF "
                                              f"(planned for page {page.label})",
                   page.first, placed.anchor)
        return
    if not page.first <= start.page <= latest:
        planned = str(page.first) if latest == page.first else f"{page.first} or {latest}"
        report.add("error", "starts-on-page",
                   f"{_name(placed)}{title} should start on page {planned}, "
                   f"found on page {start.page}", page.first, placed.anchor)
        return
    end = facts.destinations.get(anchors.end(placed.anchor))
    if end is not None and end.page > limit:
        report.add("error", "overflow",
                   f"{_name(placed)}{title} runs past page {limit} onto page {end.page}"
                   f"{_overflow_amount(facts, end)}", limit, placed.anchor)


def _page_fits(page: m.Page, facts: PdfFacts, report: Report) -> None:
    end = facts.destinations.get(anchors.end(page.anchor))
    start = facts.destinations.get(page.anchor)
    if end is None or start is None or start.page != page.first:
        return
    if end.page > page.last:
        report.add("error", "overflow",
                   f"the content planned for page {page.label} does not fit: it runs onto "
                   f"page {end.page}{_overflow_amount(facts, end)}", page.last)


def _overflow_amount(facts: PdfFacts, end) -> str:
    """How far the content runs down the extra page, from its first line to the end mark."""
    tops = [f.y for f in facts.fragments[end.page - 1] if f.y >= end.top]
    if not tops:
        return ""
    mm = max(0.0, (max(tops) + 8 - end.top) / PT_PER_MM)  # +8 pt: the first line's ascent
    return f" by {mm:.0f} mm (about {max(1, round(mm / LINE_MM))} lines)"


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n - 3] + "..."


def _index(issue: m.Issue, facts: PdfFacts, report: Report) -> None:
    """The index printed on the first page lists the plan's titles under the plan's pages,
    and each title it lists is on that page."""
    found = next(((p.first, pl.block) for p in issue.pages for pl in p.blocks
                  if isinstance(pl.block, m.Index)), None)
    if found is None or facts.page_count < found[0]:
        return
    index_page, index_block = found
    text = normalize(facts.texts[index_page - 1])
    # The printed groups: "page 2 <titles> page 3 <titles>..."
    printed: dict[str, str] = {}
    if index_block.numbers:
        parts = re.split(rf"\b{re.escape(normalize(anchors.INDEX_PAGE))} (\d+(?:/\d+)?)\b", text)
        for label, body in zip(parts[1::2], parts[2::2]):
            printed[label] = printed.get(label, "") + " " + body
    for page, article in issue.indexed():
        listed = normalize(article.listed_title.plain)
        if index_block.numbers:
            if listed not in printed.get(page.label, ""):
                others = [label for label, body in printed.items() if listed in body]
                found = f"; it is listed under PAGE {others[0]}" if others else \
                    "; it is not in the index at all"
                report.add("error", "index", f"the index should list \"{_short(article.listed_title.plain)}\" "
                                             f"under PAGE {page.label}{found}",
                           index_page, article.id)
                continue
        elif listed not in text:
            report.add("error", "index", f"the index does not list \"{_short(article.listed_title.plain)}\"",
                       index_page, article.id)
            continue
        start = facts.destinations.get(article.id)
        if start is None:
            continue  # already reported by starts-on-page
        if not page.first <= start.page <= page.last:
            report.add("error", "index", f"the index lists \"{_short(article.listed_title.plain)}\" "
                                         f"on page {page.label}, but it is on page {start.page}",
                       start.page, article.id)
        elif normalize(article.title.plain) not in normalize(facts.texts[start.page - 1]):
            report.add("error", "index", f"\"{_short(article.title.plain)}\" is not printed on "
                                         f"page {start.page}", start.page, article.id)
    for label in printed:
        first = int(label.split("/")[0])
        if not any(p.first == first for p in issue.pages):
            report.add("error", "index", f"the index prints PAGE {label}, which the plan does "
                                         "not have", index_page)


def _page_references(issue: m.Issue, facts: PdfFacts, report: Report) -> None:
    """Every printed page reference ("pg.3") names the page its article is on.

    PDF text comes back a line at a time, so each reference link is matched to
    the line it sits on, and a line's links (left to right) to the references
    printed in it (in reading order).
    """
    ids = {a.id for _, a in issue.articles()}
    lines: dict[tuple[int, int], list] = {}
    for link in facts.links:
        if link.target not in ids or link.target not in facts.destinations:
            continue
        x0, y0, x1, y1 = link.rect
        if abs(x1 - x0) > 40:
            continue  # a title (the index), not a short "pg.3"
        fragment = _line_at(facts, link)
        if fragment is None:
            continue
        group = lines.setdefault((link.page, id(fragment)), [fragment, {}])
        group[1].setdefault(round(max(x0, x1)), link)  # one entry per link, not per box
    for (page, _), (fragment, links) in lines.items():
        printed = list(_REFERENCE.finditer(fragment.text))
        ordered = [links[x] for x in sorted(links)]
        if len(printed) != len(ordered):
            continue  # cannot tell which number belongs to which link
        for match, link in zip(printed, ordered):
            actual = facts.destinations[link.target].page
            if int(match[1]) != actual:
                report.add("error", "page-reference",
                           f"\"{match[0]}\" refers to article '{link.target}', which is on "
                           f"page {actual}", page, link.target)


_REFERENCE = re.compile(r"\b[^\W\d]{1,6}\.\s?(\d{1,3})\b")


def _line_at(facts: PdfFacts, link):
    """The line of text a link sits on: same baseline band, starting at or left of it."""
    x0, y0, x1, y1 = link.rect
    low, high = min(y0, y1) - 1, max(y0, y1) + 1
    left = min(x0, x1) + 1
    candidates = [f for f in facts.fragments[link.page - 1] if low <= f.y <= high and f.x <= left]
    return max(candidates, key=lambda f: f.x, default=None)
