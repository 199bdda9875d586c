"""Proof or press: what in the issue itself still stands between the PDF and the printer.

A PDF can match its plan and pass preflight and still not be ready: a figure is a
placeholder frame, a QR code carries an invented payload, a passage is marked
uncertain, a section is empty, or the text asks a reader of paper to "click
here". These come from the issue (the model), by page; `--press` makes each an
error.
"""
from __future__ import annotations

import re

from ..source import model as m
from .report import Report

# Phrases that only work on a screen, unless the block also prints an address.
_WEB_ONLY = re.compile(r"\b(?:click(?:ing)? (?:here|on|the link|below)|tap (?:here|on)|"
                       r"follow (?:this|the) link|link below)\b", re.I)
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|int|net|gov|"
                      r"edu|cn|eu|info)\b|\S+@\S+\.\w+", re.I)


def _short(text: str, n: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def _texts(value) -> list[str]:
    """Every text a block or flow item prints (English and Chinese), nested blocks included."""
    out: list[str] = []
    if isinstance(value, m.Text):
        out += [t for t in (value.en, value.zh) if t]
    elif isinstance(value, (tuple, list)):
        for item in value:
            out += _texts(item)
    elif hasattr(value, "__dataclass_fields__") and not isinstance(value, m.QR):
        for name in value.__dataclass_fields__:
            out += _texts(getattr(value, name))
    elif isinstance(value, m.QR) and value.caption:
        out += _texts(value.caption)
    return out


def _items(block, where: str, screen: bool = False) -> list[tuple[str, str]]:
    """What in block (and the blocks in its flow) keeps it a proof: (rule, message).
    screen: a picture without alternative text is one too."""
    found: list[tuple[str, str]] = []
    if screen and isinstance(block, m.Figure) and block.image is not None \
            and block.described is None:
        caption = f' ("{_short(block.caption.plain)}")' if block.caption else ""
        found.append(("alt", f"{where}: figure{caption} without alternative text (`alt`: what "
                             "it shows, `caption`, or `decorative`)"))
    if isinstance(block, m.Figure) and block.image is None:
        caption = f' ("{_short(block.caption.plain)}")' if block.caption else ""
        found.append(("placeholder", f"{where}: placeholder figure{caption}, no image yet"))
    if isinstance(block, m.QR) and block.placeholder:
        found.append(("qr-placeholder", f"{where}: QR code with a placeholder payload "
                                        f"({_short(block.data, 40)})"))
    if isinstance(block, (m.Article, m.Panel)) and block.uncertain:
        found.append(("uncertain", f"{where}: passage marked uncertain: "
                                   f"{_short(block.uncertain, 80)}"))
    if isinstance(block, (m.Article, m.Panel, m.Promo)) and not block.body:
        found.append(("empty", f"{where} is empty"))
    for flow in getattr(block, "body", ()) if isinstance(getattr(block, "body", ()), tuple) \
            else ():
        if not isinstance(flow, m.Text):
            found += _items(flow, where, screen)
    if isinstance(block, m.Promo) and block.qr is not None:
        found += _items(block.qr, where, screen)
    return found


def _where(placed: m.Placed) -> str:
    if isinstance(placed.block, m.Article):
        return f"article '{placed.block.id}'"
    return f"{placed.block.kind} '{placed.anchor}'"


def _linked(text: str, phrase: re.Match) -> bool:
    """Whether the phrase is the words of a link with an address (`[click here](https://...)`),
    which the screen edition makes clickable."""
    return any(link.start() <= phrase.start() < link.end() for link in _LINK.finditer(text))


_LINK = re.compile(r"\[[^\]]*\]\((?:https?:|mailto:)[^)\s]+\)", re.I)


def check_proof(issue: m.Issue, report: Report, press: bool, edition: str = "print") -> None:
    """Add one finding per proof item: severity "proof", or "error" when going to press.
    edition "screen": a web phrase that is a link is no item; a picture without alt is."""
    severity = "error" if press else "proof"
    screen = edition == "screen"
    for page in issue.pages:
        if not page.blocks:
            report.add(severity, "empty", "the page is empty", page.first)
        for placed in page.blocks:
            where = _where(placed)
            for rule, item in _items(placed.block, where, screen):
                report.add(severity, rule, item, page.first, placed.anchor)
            text = " ".join(_texts(placed.block))
            phrase = _WEB_ONLY.search(text)
            if screen:
                phrase = next((p for p in _WEB_ONLY.finditer(text) if not _linked(text, p)),
                              None)
            if phrase and not _ADDRESS.search(text):
                report.add(severity, "web-only", f"{where} says \"{phrase[0]}\" " + (
                    "and links nowhere: give the words their address ([click here](https://...))"
                    if screen else "with no printed address: a reader of paper cannot click"),
                           page.first, placed.anchor)
