"""Preflight: would a printer accept this file?

Fonts embedded, subset and the project's own; no missing glyph; A4 trim with
the series' bleed; title and language set; both languages present where the series
requires them. (Images' resolution is judged with their figures, in photos.py.)
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from ..source import model as m
from ..errors import MissingGlyph
from .pdffacts import PdfFacts
from .report import Report
from .text import missing_words, normalize, tokens

A4 = (595.276, 841.89)  # points
BLEED_MM = 3
TOLERANCE = 0.6  # points
# Characterized print conditions by their identifier in the ICC's registry.
REGISTERED = {"FOGRA27", "FOGRA39", "FOGRA40", "FOGRA45", "FOGRA47", "FOGRA51", "FOGRA52",
              "FOGRA53", "FOGRA54", "CGATS TR 001", "CGATS TR 006", "CGATS21-2-CRPC1",
              "CGATS21-2-CRPC5", "CGATS21-2-CRPC6", "CGATS21-2-CRPC7", "JC200103", "JCW2003"}


@lru_cache(maxsize=4)
def project_font_names(fonts: Path) -> frozenset[str]:
    """Names a font of fonts/ can carry in a PDF: family and PostScript names, spaces as '-'."""
    names: set[str] = set()
    for path in sorted(fonts.iterdir()):
        suffix = path.suffix.lower()
        if suffix in (".ttf", ".otf"):
            faces = [TTFont(path, lazy=True)]
        elif suffix in (".ttc", ".otc"):
            faces = TTCollection(path, lazy=True).fonts
        else:
            continue
        for face in faces:
            if "CFF " in face.reader:
                # A RIP's re-save (Ghostscript) names a CFF face by its own FontName, which
                # a collection's faces share ("NotoSerifCJKjp-Regular" for the SC face too).
                names.update(face["CFF "].cff.fontNames)
            for record in face["name"].names:
                if record.nameID in (1, 4, 6, 16):
                    try:
                        names.add(record.toUnicode().replace(" ", "-"))
                    except UnicodeDecodeError:
                        pass
    return frozenset(names)


def _is_project_font(name: str, allowed: frozenset[str]) -> bool:
    return name in allowed or any(name.startswith(a + "-") for a in allowed)


def check_preflight(issue: m.Issue, facts: PdfFacts, report: Report, fonts: Path,
                    missing: list[MissingGlyph] | None = None) -> None:
    check_fonts(facts, report, fonts, missing)
    _boxes(facts, report)
    _colour(facts, report)
    check_metadata(issue, facts, report)


def check_fonts(facts: PdfFacts, report: Report, fonts: Path,
                missing: list[MissingGlyph] | None = None) -> None:
    """Fonts embedded, subset and the project's own; no missing glyph."""
    allowed = project_font_names(fonts)
    reported: set[str] = set()
    for font in facts.fonts:
        if font.name in reported:
            continue
        if not font.embedded:
            report.add("error", "font-embedded", f"font {font.name} is not embedded", font.page)
        elif not font.subset:
            report.add("error", "font-subset", f"font {font.name} is embedded whole, not subset",
                       font.page)
        if not _is_project_font(font.name, allowed):
            report.add("error", "font-source", f"font {font.name} is not one of the project's "
                                               f"fonts ({fonts})", font.page)
        reported.add(font.name)

    if missing:
        for glyph in missing:
            where = f" in '{glyph.anchor}'" if glyph.anchor else ""
            report.add("error", "missing-glyph",
                       f"character '{glyph.char}' ({glyph.codepoint}){where} has no glyph in "
                       "the project's fonts", glyph.page, glyph.anchor)
    else:
        for page, char in dict.fromkeys(facts.notdef):
            shown = f"'{char}' (U+{ord(char):04X})" if len(char) == 1 and char != "?" \
                else "a character"
            report.add("error", "missing-glyph", f"{shown} is printed as a blank box "
                                                 "(.notdef): the fonts lack it", page)
    for glyph in facts.unresolved:
        report.add("error", "missing-glyph", glyph.message, glyph.page)


def _boxes(facts: PdfFacts, report: Report) -> None:
    bleed = BLEED_MM * 72 / 25.4
    for number, boxes in enumerate(facts.boxes, start=1):
        if boxes.trim is None:
            report.add("error", "trim-box", "has no TrimBox", number)
            continue
        width, height = boxes.trim[2] - boxes.trim[0], boxes.trim[3] - boxes.trim[1]
        if abs(width - A4[0]) > TOLERANCE or abs(height - A4[1]) > TOLERANCE:
            report.add("error", "trim-box", f"trim is {width / 72 * 25.4:.1f} x "
                                            f"{height / 72 * 25.4:.1f} mm, not A4 (210 x 297 mm)",
                       number)
        want = (boxes.trim[0] - bleed, boxes.trim[1] - bleed,
                boxes.trim[2] + bleed, boxes.trim[3] + bleed)
        if boxes.bleed is None or any(abs(a - b) > TOLERANCE for a, b in zip(boxes.bleed, want)):
            report.add("error", "bleed-box", f"BleedBox is not the trim plus {BLEED_MM} mm",
                       number)

    # Images' resolution is judged with the figures they belong to (photos.py).


def _colour(facts: PdfFacts, report: Report) -> None:
    cmyk = [i for i in facts.output_intents if i.subtype == "/GTS_PDFX" and i.components == 4]
    if not cmyk:
        report.add("error", "output-intent", "the PDF has no PDF/X output intent with a CMYK "
                                             "profile: the printer cannot tell the print condition")
    elif not any(i.condition in REGISTERED for i in cmyk):
        report.add("error", "output-intent",
                   f"the output condition \"{cmyk[0].condition}\" is not a registered "
                   "identifier (ICC registry, e.g. FOGRA39): a RIP cannot match it")

    # Under a CMYK print condition (PDF/X-4) RGB is an error: the printer's conversion
    # changes colours the layout chose in ink.
    rgb = "error" if cmyk else "warning"
    for page, count in sorted(facts.rgb_paints.items()):
        report.add(rgb, "colour", f"{count} colour operation(s) in DeviceRGB under the CMYK "
                                  "print condition (give layout colours as device-cmyk())", page)
    for image in facts.images:
        if image.colour in ("/DeviceRGB", "/CalRGB"):
            report.add(rgb, "colour", f"an RGB image ({image.pixels[0]}x{image.pixels[1]} "
                                      "px) under the CMYK print condition: convert it to CMYK",
                       image.page)


def check_metadata(issue: m.Issue, facts: PdfFacts, report: Report) -> None:
    """Title and language set; the languages the series requires printed."""
    if not facts.title:
        report.add("error", "metadata", "the PDF has no title")
    if not facts.language:
        report.add("error", "metadata", "the PDF does not declare its language")

    damaged = any(c.damaged for c in facts.contents)
    printed = [w for c in facts.contents for w in tokens("\n".join(r.text for r in c.runs))] \
        if damaged else []
    # Spacing around Chinese text differs between tools (and between lines): compare without it.
    everything = re.sub(r"\s+", "", normalize(" ".join(facts.texts)))
    for lang in issue.series.require_languages:
        wanted = [getattr(issue.title, lang)] if getattr(issue.title, lang) else []
        for block in (pl.block for p in issue.pages for pl in p.blocks):
            if isinstance(block, m.Contacts):
                for office in block.offices:
                    wanted.extend(getattr(office, lang))
        if not wanted:
            report.add("error", "languages", f"the series requires {lang} text (masthead, "
                                             "contacts) and the issue has none")
        for text in wanted:
            if re.sub(r"\s+", "", normalize(text)) not in everything \
                    and not (damaged and _spoiled_only(text, printed)):
                report.add("error", "languages", f"the {lang} text \"{text[:50]}\" is not in the "
                                                 "PDF's text")


def _spoiled_only(text: str, printed: list[str]) -> bool:
    """Every word of text not found is one a ligature sets (its text the PDF maps wrongly)."""
    wanted = tokens(text)
    lost = [wanted[i] for i in missing_words(wanted, printed)]
    return all(re.search("ff|fi|fl", word) for word in lost)


def measured(facts: PdfFacts) -> dict:
    """The preflight facts a printer asks for, measured from the PDF (for the report)."""
    trims, bleeds = [], []
    for boxes in facts.boxes:
        if boxes.trim:
            size = (round((boxes.trim[2] - boxes.trim[0]) / PT, 1),
                    round((boxes.trim[3] - boxes.trim[1]) / PT, 1))
            if size not in trims:
                trims.append(size)
            if boxes.bleed:
                bleeds.append(min(boxes.trim[0] - boxes.bleed[0], boxes.trim[1] - boxes.bleed[1],
                                  boxes.bleed[2] - boxes.trim[2], boxes.bleed[3] - boxes.trim[3]))
    intent = facts.output_intents[0] if facts.output_intents else None
    fonts: dict[str, dict] = {}
    for font in facts.fonts:
        fonts.setdefault(font.name, {"name": font.name, "embedded": font.embedded,
                                     "subset": font.subset})
    ink = max(((c.max_ink, n) for n, c in enumerate(facts.contents, start=1)), default=(0, 0))
    small = min(((r.size, n) for n, c in enumerate(facts.contents, start=1) for r in c.runs
                 if r.text.strip()), default=None)
    return {
        "pages": facts.page_count,
        "trim_mm": trims,
        "bleed_mm": round(min(bleeds) / PT, 1) if len(bleeds) == len(facts.boxes) and bleeds
        else None,
        "output_intent": {"subtype": intent.subtype.lstrip("/"), "condition": intent.condition,
                          "registry": intent.registry, "components": intent.components}
        if intent else None,
        "fonts": sorted(fonts.values(), key=lambda f: f["name"]),
        "max_ink": {"percent": round(ink[0], 1), "page": ink[1]} if ink[1] else None,
        "smallest_text": {"pt": round(small[0], 2), "page": small[1]} if small else None,
        "images": [{"page": i.page, "pixels": list(i.pixels), "ppi": round(i.ppi),
                    "colour": i.colour} for i in facts.images],
    }


PT = 72 / 25.4
