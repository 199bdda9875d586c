"""Structure: the PDF against the page plan and against the index it prints.

Works from the PDF alone (named destinations, links, text), so a PDF built
elsewhere, or edited by hand, is checked just the same.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..source import anchors
from ..source import model as m
from .pdffacts import PdfFacts
from .report import PageLine, Report
from .text import block_tokens, locate, missing_words, page_words, tokens

PT_PER_MM = 72 / 25.4
LINE_MM = 4.3  # one line of body text, to say an overflow in lines as well


def planned_anchors(issue: m.Issue) -> list[str]:
    return [pl.anchor for p in issue.pages for pl in p.blocks]


def _name(placed: m.Placed) -> str:
    block = placed.block
    if isinstance(block, m.Article):
        return f"article '{block.id}'"
    return f"{block.kind} block '{placed.anchor}'"


@dataclass
class Place:
    """Where the PDF has a block: the page it starts and ends on (1-based; None if unknown)."""

    start: int | None
    end: int | None = None
    end_dest: object = None  # the end mark's destination, when the PDF has it


def check_structure(issue: m.Issue, facts: PdfFacts, report: Report) -> None:
    planned = issue.page_count
    words = [page_words(c) for c in facts.contents]
    wanted = {pl.anchor: _wanted(issue, pl.block) for p in issue.pages for pl in p.blocks}
    if facts.names_lost:
        report.add("warning", "destinations",
                   "the PDF has lost its named destinations (re-saved by another tool?): "
                   "blocks are found by their text, page references are not checked")
    damaged = sum(page.damaged for page in words)
    if damaged:
        report.add("warning", "text-map",
                   f"the PDF gives {damaged} printed glyph(s) wrong or no text (ligatures such as "
                   "\"fi\", glyphs re-drawn in Type 3 fonts), as a re-save by Ghostscript does: "
                   "a reader copying that text gets it wrong, and the words set with them are "
                   "not held against the check")
    places = _locate(issue, facts, words, wanted)
    # One line per plan entry (a spread is one line), then one per page the plan lacks.
    report.pages = [PageLine(p.first, [pl.anchor for pl in p.blocks], [], last=p.last)
                    for p in issue.pages]
    report.pages += [PageLine(n, [], []) for n in range(planned + 1, facts.page_count + 1)]
    line_of = {n: line for line in report.pages
               for n in range(line.page, max(line.page, line.last) + 1)}
    for name in planned_anchors(issue):
        start = places[name].start
        if start in line_of:
            line_of[start].found.append(name)

    starts = _root_causes(issue, facts, words, places, report)

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
        start = starts.get(page.first)
        for number, placed in enumerate(page.blocks):
            # A spread's first block opens it; the rest may start on either of its pages.
            latest = page.first if number == 0 else page.last
            _starts_and_ends(placed, page, latest, limit, start, places[placed.anchor],
                             facts, words, wanted[placed.anchor], report)
            if start is not None:
                # An overflow is reported as such; its words are not missing as well.
                last = max(start + limit - page.first, places[placed.anchor].end or 0)
                _complete(placed, page, start, last, words, wanted[placed.anchor], report)
        if limit == page.last and start is not None:
            _page_fits(page, start, places, facts, words, wanted, report)
    _index(issue, facts, words, places, report)
    if not facts.names_lost:
        _page_references(issue, facts, report)


def _wanted(issue: m.Issue, block) -> list[str]:
    """The words a block prints; an index prints its title and the listed titles."""
    if isinstance(block, m.Index):
        listed = " ".join(a.listed_title.plain for _, a in issue.indexed())
        return tokens((block.title.plain if block.title else "") + " " + listed)
    return block_tokens(block)


def _locate(issue: m.Issue, facts: PdfFacts, words, wanted) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for page in issue.pages:
        for placed in page.blocks:
            name = placed.anchor
            if facts.names_lost:
                own = wanted[name]
                places[name] = Place(locate(own, words, True, page.first),
                                     locate(own, words, False, page.first))
                continue
            start = facts.destinations.get(name)
            end = facts.destinations.get(anchors.end(name))
            places[name] = Place(start.page if start else None, end.page if end else None, end)
    return places


def _root_causes(issue: m.Issue, facts: PdfFacts, words, places, report) -> dict[int, int]:
    """One line for each page that is missing, repeated, swapped or out of place, before the
    details; returns the page each plan entry actually starts on (by its first block)."""
    starts: dict[int, int] = {}
    for page in issue.pages:
        found = [places[pl.anchor].start for pl in page.blocks[:1]
                 if places[pl.anchor].start is not None]
        if not found:  # its first block is gone: any other block still says where it is
            found = [places[pl.anchor].start - (page.last - page.first if i else 0)
                     for i, pl in enumerate(page.blocks) if places[pl.anchor].start is not None]
            found = [max(1, f) for f in found]
        if found:
            starts[page.first] = found[0]
    seen: dict[str, int] = {}
    repeated: set[int] = set()
    for number, page in enumerate(words, start=1):
        if len(page.all) < 20:
            continue
        key = " ".join(page.all)
        if key in seen:
            report.add("error", "pages", f"page {number} repeats page {seen[key]}", number)
            repeated.add(number)
        else:
            seen[key] = number
    missing = [p for p in issue.pages if p.first not in starts]
    for page in missing:
        report.add("error", "pages", f"planned page {page.label} is missing", page.first)
    swapped: set[int] = set()
    for a in issue.pages:
        for b in issue.pages:
            if a.first < b.first and starts.get(a.first) == b.first \
                    and starts.get(b.first) == a.first:
                report.add("error", "pages", f"planned pages {a.label} and {b.label} are "
                                             f"swapped: page {a.first} holds planned page "
                                             f"{b.label}", a.first)
                swapped |= {a.first, b.first}
    moved: list[tuple[m.Page, int]] = [(p, starts[p.first] - p.first) for p in issue.pages
                                       if p.first in starts and p.first not in swapped
                                       and starts[p.first] != p.first]
    # Consecutive plan entries moved by the same number of pages make one line.
    groups: list[list[tuple[m.Page, int]]] = []
    for page, delta in moved:
        if groups and groups[-1][-1][1] == delta and \
                issue.pages.index(groups[-1][-1][0]) + 1 == issue.pages.index(page):
            groups[-1].append((page, delta))
        else:
            groups.append([(page, delta)])
    for group in groups:
        first, delta = group[0]
        last = group[-1][0]
        span = f"page {first.label}" if len(group) == 1 else \
            f"pages {first.label} to {last.label}"
        printed = f"{first.first + delta}" if len(group) == 1 else \
            f"{first.first + delta} to {last.last + delta}"
        cause = _cause(issue, first, places, starts, repeated, missing)
        report.add("error", "pages",
                   f"planned {span} {'is' if len(group) == 1 else 'are'} printed "
                   f"{_pages(abs(delta))} {'late' if delta > 0 else 'early'}, as "
                   f"{'page' if len(group) == 1 else 'pages'} {printed}{cause}", first.first)
    return starts


def _pages(n: int) -> str:
    return "one page" if n == 1 else f"{n} pages"


def _cause(issue, page, places, starts, repeated, missing) -> str:
    before = [p for p in issue.pages if p.first < page.first]
    if any(p in missing for p in before):
        return f" (planned page {[p for p in before if p in missing][-1].label} is missing)"
    dup = [n for n in repeated if n <= starts.get(page.first, 0)]
    if dup:
        return f" (page {dup[0]} is a repeat)"
    for p in reversed(before):
        start = starts.get(p.first)
        ends = [places[pl.anchor].end for pl in p.blocks if places[pl.anchor].end]
        if start is not None and ends and max(ends) - start > p.last - p.first:
            return f" (the content of planned page {p.label} runs onto an extra page)"
    return ""


def _starts_and_ends(placed: m.Placed, page: m.Page, latest: int, limit: int,
                     entry_start: int | None, place: Place, facts: PdfFacts, words, wanted,
                     report: Report) -> None:
    title = ""
    if isinstance(placed.block, m.Article):
        title = f' "{_short(placed.block.title.plain)}"'
    if place.start is None:
        report.add("error", "starts-on-page", f"{_name(placed)}{title} is not in the PDF "
                                              f"(planned for page {page.label})",
                   page.first, placed.anchor)
        return
    if not page.first <= place.start <= latest:
        planned = str(page.first) if latest == page.first else f"{page.first} or {latest}"
        report.add("error", "starts-on-page",
                   f"{_name(placed)}{title} should start on page {planned}, "
                   f"found on page {place.start}", page.first, placed.anchor)
    # Measured from where its plan entry starts in this PDF, so an overflow on an earlier
    # page (which moves everything after it) neither hides nor fakes this one.
    base = entry_start if entry_start is not None else page.first
    allowed = base + limit - page.first
    if place.end is not None and place.end > allowed:
        report.add("error", "overflow",
                   f"{_name(placed)}{title} runs past page {allowed} onto page {place.end}"
                   f"{_overflow_amount(facts, place, words, wanted)}", allowed, placed.anchor)


def _complete(placed: m.Placed, page: m.Page, first: int, last: int, words, wanted,
              report: Report) -> None:
    """The block's words are printed, visible, in order, on its pages."""
    if not wanted:
        return
    pages = range(first, min(last, len(words)) + 1)
    visible = [w for n in pages for w in words[n - 1].visible]
    missing = missing_words(wanted, visible)
    # A glyph whose text the PDF maps wrongly spoils one word: it cannot count as missing.
    spoiled = sum(words[n - 1].damaged for n in pages)
    if len(missing) < max(2, len(wanted) // 100) + spoiled:
        return
    printed = [w for n in pages for w in words[n - 1].all]
    gone = missing_words(wanted, printed)
    covered = len(missing) - len(gone)
    on = f"page {first}" if len(pages) == 1 else f"pages {first} to {pages[-1]}"
    if covered > 0:
        report.add("error", "text", f"{_name(placed)}: {covered} of {len(wanted)} words on "
                                    f"{on} are hidden under a shape painted over them",
                   first, placed.anchor)
    if len(gone) >= max(2, len(wanted) // 100) + spoiled:
        sample = " ".join(wanted[i] for i in gone[:8])
        report.add("error", "text", f"{_name(placed)}: {len(gone)} of {len(wanted)} words are "
                                    f"not printed on {on} (from \"{sample}...\")",
                   first, placed.anchor)


def _page_fits(page: m.Page, start: int, places, facts: PdfFacts, words, wanted,
               report: Report) -> None:
    end = facts.destinations.get(anchors.end(page.anchor))
    if end is not None:
        place = Place(start, end.page, end)
        tokens_ = []
    else:
        ends = [places[pl.anchor].end for pl in page.blocks if places[pl.anchor].end]
        if not ends:
            return
        last = max(page.blocks, key=lambda pl: places[pl.anchor].end or 0)
        place = Place(start, max(ends))
        tokens_ = wanted[last.anchor]
    if place.end - start > page.last - page.first:
        report.add("error", "overflow",
                   f"the content planned for page {page.label} does not fit: it runs onto "
                   f"page {place.end}{_overflow_amount(facts, place, words, tokens_)}",
                   start + page.last - page.first)


def _overflow_amount(facts: PdfFacts, place: Place, words, wanted) -> str:
    """How far the content runs down the extra page, from its first line to the end mark
    (or, without destinations, how many of its words are there)."""
    end = place.end_dest
    if end is None:
        if not wanted or place.end is None:
            return ""
        on_page = len(wanted) - len(missing_words(wanted, words[place.end - 1].visible))
        return f" ({on_page} words)" if on_page else ""
    tops = [f.y for f in facts.fragments[end.page - 1] if f.y >= end.top]
    if not tops:
        return ""
    mm = max(0.0, (max(tops) + 8 - end.top) / PT_PER_MM)  # +8 pt: the first line's ascent
    return f" by {mm:.0f} mm (about {max(1, round(mm / LINE_MM))} lines)"


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n - 3] + "..."


def _index(issue: m.Issue, facts: PdfFacts, words, places, report: Report) -> None:
    """The index lists the plan's titles under the plan's page labels, and each listed
    title is printed, visible, on the page it is listed under."""
    found = next(((p.first, pl) for p in issue.pages for pl in p.blocks
                  if isinstance(pl.block, m.Index)), None)
    if found is None:
        return
    index_page = places[found[1].anchor].start or found[0]
    index_block = found[1].block
    if index_page > facts.page_count:
        return
    text = words[index_page - 1].joined
    # The printed groups, as words: "page 2 <titles> page 3 <titles> ... page 4 5 <titles>"
    printed: dict[str, str] = {}
    if index_block.numbers:
        spreads = [re.escape(p.label.replace("/", " ")) for p in issue.pages if p.last > p.first]
        word = re.escape(anchors.INDEX_PAGE.casefold())
        parts = re.split(rf" {word} (" + "".join(f"{label}|" for label in spreads) + r"\d+)(?= )",
                         text)
        for label, body in zip(parts[1::2], parts[2::2]):
            label = label.replace(" ", "/")
            printed[label] = printed.get(label, "") + " " + body + " "
        for page in dict.fromkeys(p for p, _ in issue.indexed()):
            if page.label not in printed:
                report.add("error", "index", f"the index does not print its section label "
                                             f"PAGE {page.label}", index_page)
    for page, article in issue.indexed():
        listed = " " + " ".join(tokens(article.listed_title.plain)) + " "
        if index_block.numbers:
            if listed not in printed.get(page.label, ""):
                others = [label for label, body in printed.items() if listed in body]
                where = f"; it is listed under PAGE {others[0]}" if others else \
                    "; it is not in the index at all"
                report.add("error", "index", f"the index should list "
                                             f"\"{_short(article.listed_title.plain)}\" "
                                             f"under PAGE {page.label}{where}",
                           index_page, article.id)
                continue
        elif listed not in text:
            report.add("error", "index", f"the index does not list "
                                         f"\"{_short(article.listed_title.plain)}\"",
                       index_page, article.id)
            continue
        start = places[article.id].start
        if start is None:
            continue  # already reported by starts-on-page
        if not page.first <= start <= page.last:
            report.add("error", "index", f"the index lists \"{_short(article.listed_title.plain)}\" "
                                         f"on page {page.label}, but it is on page {start}",
                       start, article.id)
            continue
        title = tokens(article.title.plain)
        lost = missing_words(title, words[start - 1].visible)
        if title and len(lost) * 3 > len(title):
            report.add("error", "index", f"\"{_short(article.title.plain)}\", listed in the "
                                         f"index, is not printed on page {start} ({len(lost)} "
                                         f"of its {len(title)} words missing)", start, article.id)
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
