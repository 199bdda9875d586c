"""What the screen edition needs besides print's structure: a tagged, linked, RGB file.

From the PDF alone (tagged.py and pdffacts):
- tagged PDF/UA-1: a structure tree, MarkInfo, the PDF/UA identification;
- every line of text either claimed by an element of the tree or an artifact;
- the tree read in the plan's order: each block's first words come after the block
  before it's (the cover's index after the foreword, the columns, then the next block);
- each figure with alternative text (an image without one is the issue's proof item,
  named by verdict.py; one the issue describes but the PDF does not is an error);
- the document's language, and Chinese text inside elements whose language is Chinese;
- links: internal ones to destinations that exist, URIs well formed;
- fonts embedded and the project's (preflight's rules), no missing glyph;
- no CMYK colour, no CMYK image and no press profile as output intent; the A4 trim as
  the page, without printer's boxes;
- an outline with each indexed article under the page it is on.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from ..source import model as m
from ..errors import MissingGlyph
from . import tagged
from .pdffacts import PdfFacts
from .preflight import A4, TOLERANCE, check_fonts, check_metadata
from .report import Report
from .text import block_tokens, tokens

PROBE = 8  # words that find a block in the reading order
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_MAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


def check_screen(issue: m.Issue, facts: PdfFacts, report: Report, fonts: Path,
                 missing: list[MissingGlyph] | None = None) -> tagged.TaggedFacts:
    found = tagged.read(facts.path)
    check_fonts(facts, report, fonts, missing)
    _tags(issue, facts, found, report)
    _figures(issue, found, report)
    _links(facts, found, report)
    _colour_and_page(facts, found, report)
    _outline(issue, found, report)
    check_metadata(issue, facts, report)
    return found


def _tags(issue: m.Issue, facts: PdfFacts, found: tagged.TaggedFacts, report: Report) -> None:
    if not found.tagged:
        report.add("error", "tags", "the PDF is not tagged (no structure tree): a screen "
                                    "reader cannot read it in order")
        return
    if found.ua_part != "1":
        report.add("error", "tags", "the PDF does not identify itself as PDF/UA-1 "
                                    "(pdfuaid:part in its XMP metadata)")
    claimed = found.claimed()
    loose: dict[int, int] = {}
    not_chinese: dict[int, int] = {}
    text: dict[tuple[int, int], list[str]] = {}
    for number, content in enumerate(facts.contents, start=1):
        for run in content.runs:
            if run.artifact or not run.text.strip():
                continue
            element = claimed.get((number, run.mcid)) if run.mcid is not None else None
            if element is None:
                loose[number] = loose.get(number, 0) + 1
                continue
            text.setdefault((number, run.mcid), []).append(run.text)
            if _HAN.search(run.text) and not (element.lang or "").lower().startswith("zh"):
                not_chinese[number] = not_chinese.get(number, 0) + 1
    for number, count in sorted(loose.items()):
        report.add("error", "tags", f"{count} run(s) of text are neither tagged nor marked as "
                                    "artifacts: a screen reader skips or misplaces them", number)
    for number, count in sorted(not_chinese.items()):
        report.add("error", "language", f"{count} run(s) of Chinese text are in elements whose "
                                        "language is not Chinese (lang zh): they would be read "
                                        "out as English", number)
    # The words in the order a screen reader meets them.
    stream = tokens(" ".join(" ".join(text.get(key, ())) for e in found.elements
                             for key in e.content))
    _reading_order(issue, stream, report)


def _reading_order(issue: m.Issue, stream: list[str], report: Report) -> None:
    at, before = 0, None
    for page in issue.pages:
        for placed in page.blocks:
            probe = block_tokens(placed.block)[:PROBE]
            if len(probe) < 2:
                continue
            where = _find(stream, probe, at)
            if where is None:
                earlier = _find(stream, probe, 0)
                if earlier is None:
                    report.add("error", "reading-order", f"the text of {_name(placed)} is not "
                                                         "in the structure tree", page.first,
                               placed.anchor)
                else:
                    report.add("error", "reading-order",
                               f"{_name(placed)} is read before {_name(before)}, against the "
                               "plan", page.first, placed.anchor)
                continue
            at, before = where + 1, placed


def _find(stream: list[str], probe: list[str], start: int) -> int | None:
    """Where probe's words begin, in order, each within a few words of the last (a page
    reference's number or a line's hyphen may come between), at or after start."""
    first = probe[0]
    for i in range(start, len(stream)):
        if stream[i] != first:
            continue
        j, ok = i, True
        for word in probe[1:]:
            window = stream[j + 1:j + 4]
            if word not in window:
                ok = False
                break
            j += 1 + window.index(word)
        if ok:
            return i
    return None


def _name(placed: m.Placed | None) -> str:
    if placed is None:
        return "the start"
    if isinstance(placed.block, m.Article):
        return f"article '{placed.block.id}'"
    return f"{placed.block.kind} '{placed.anchor}'"


def _figures(issue: m.Issue, found: tagged.TaggedFacts, report: Report) -> None:
    """A figure the issue describes must carry its text in the PDF."""
    described = sum(1 for picture in _pictures(issue) if picture.described)
    carried = [e for e in found.elements if e.tag == "Figure" and e.alt]
    if len(carried) < described:
        report.add("error", "alt", f"{described - len(carried)} of the {described} pictures the "
                                   "issue describes have no alternative text in the PDF")


def _pictures(issue: m.Issue):
    """Every image the PDF draws: figures with an image, QR codes (promos' too)."""
    def walk(block):
        if isinstance(block, m.Figure) and block.image is not None and not block.decorative:
            yield block
        elif isinstance(block, m.QR) and not block.decorative:
            yield block
        if isinstance(block, m.Promo) and block.qr is not None:
            yield from walk(block.qr)
        body = getattr(block, "body", ())
        for flow in body if isinstance(body, tuple) else ():
            if not isinstance(flow, m.Text):
                yield from walk(flow)
    for page in issue.pages:
        for placed in page.blocks:
            yield from walk(placed.block)


def _links(facts: PdfFacts, found: tagged.TaggedFacts, report: Report) -> None:
    for link in facts.links:
        if link.target not in facts.destinations:
            report.add("error", "links", f"a link goes to '{link.target}', which the PDF does "
                                         "not have", link.page)
    for page, uri in found.uris:
        if not _well_formed(uri):
            report.add("error", "links", f"a link's address is not well formed: {uri[:80]}",
                       page)
    for page in sorted(set(found.dead_links)):
        report.add("error", "links", "a link has neither a destination nor an address", page)


def _well_formed(uri: str) -> bool:
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        host = parts.hostname or ""
        return "." in host and not any(c.isspace() for c in uri)
    if scheme == "mailto":
        return bool(_MAIL.match(parts.path))
    if scheme == "tel":
        return bool(re.fullmatch(r"\+?[\d\-. ()]{5,}", parts.path))
    return False


def _colour_and_page(facts: PdfFacts, found: tagged.TaggedFacts, report: Report) -> None:
    for number, content in enumerate(facts.contents, start=1):
        cmyk = sum(p.count for p in content.paints.values() if p.space.family == "cmyk")
        if cmyk:
            report.add("error", "colour", f"{cmyk} paint(s) in CMYK: the screen edition is "
                                          "sRGB", number)
    for image in facts.images:
        if image.colour == "/DeviceCMYK":
            report.add("error", "colour", f"a CMYK image ({image.pixels[0]}x{image.pixels[1]} "
                                          "px): the screen edition is sRGB", image.page)
    for intent in facts.output_intents:
        if intent.components == 4:
            report.add("error", "output-intent", f"the PDF carries the press profile "
                                                 f"(\"{intent.condition}\") as output intent: "
                                                 "a screen file needs none")
    for number, boxes in enumerate(facts.boxes, start=1):
        width, height = boxes.media[2] - boxes.media[0], boxes.media[3] - boxes.media[1]
        if abs(width - A4[0]) > TOLERANCE or abs(height - A4[1]) > TOLERANCE:
            report.add("error", "page-size", f"the page is {width / 72 * 25.4:.1f} x "
                                             f"{height / 72 * 25.4:.1f} mm, not A4 (210 x 297 "
                                             "mm): the screen edition's page is the trim",
                       number)
    for number, extra in enumerate(found.boxes, start=1):
        if extra:
            report.add("error", "page-size", f"the page has printer's boxes ({', '.join(extra)})",
                       number)


def _outline(issue: m.Issue, found: tagged.TaggedFacts, report: Report) -> None:
    titles = {(_folded(b.title), b.page) for b in found.outline}
    for page, article in issue.indexed():
        title = _folded(article.title.plain)
        if not any(t == title and p is not None and page.first <= p <= page.last
                   for t, p in titles):
            report.add("error", "bookmarks", f"article '{article.id}' has no bookmark on its "
                                             "page", page.first, article.id)


def _folded(text: str) -> str:
    return " ".join(tokens(text))
