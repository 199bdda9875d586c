"""What a PDF says about itself, read with pypdf: the vocabulary of the checks.

Nothing here knows about issues or plans; it turns a PDF file into plain facts
(destinations, links, text, fonts, images, page boxes) that the checks compare
against the plan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from .content import PageContent, Walker
from .glyphs import Unresolved, unresolved

_SUBSET = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class Destination:
    page: int  # 1-based
    top: float  # points from the bottom of the trim box


@dataclass(frozen=True)
class Link:
    page: int
    target: str  # named destination
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class Fragment:
    """A run of text as drawn, with the point it starts at."""

    text: str
    x: float
    y: float


@dataclass(frozen=True)
class FontUse:
    name: str  # BaseFont without the subset tag
    subset: bool
    embedded: bool
    page: int


@dataclass(frozen=True)
class ImageUse:
    page: int
    pixels: tuple[int, int]
    placed: tuple[float, float]  # points
    colour: str = ""  # the image's colour space, e.g. /DeviceRGB
    box: tuple[float, float, float, float] = (0, 0, 0, 0)  # where it is placed, points
    # The part that prints: the box inside its clip (a photo cropped to its frame).
    visible: tuple[float, float, float, float] | None = None

    @property
    def shown(self) -> tuple[float, float, float, float]:
        return self.visible or self.box

    @property
    def ppi(self) -> float:
        return min(self.pixels[0] / (self.placed[0] / 72), self.pixels[1] / (self.placed[1] / 72))


@dataclass(frozen=True)
class Boxes:
    media: tuple[float, ...]
    trim: tuple[float, ...] | None
    bleed: tuple[float, ...] | None


@dataclass
class PdfFacts:
    path: Path
    page_count: int
    destinations: dict[str, Destination]
    links: list[Link]
    texts: list[str]  # extracted text per page
    fragments: list[list[Fragment]]
    fonts: list[FontUse]
    images: list[ImageUse]
    boxes: list[Boxes]
    notdef: list[tuple[int, str]] = field(default_factory=list)  # (page, character or '?')
    rgb_paints: dict[int, int] = field(default_factory=dict)  # page -> RGB colour operations
    title: str | None = None
    language: str | None = None
    author: str | None = None
    output_intents: list["OutputIntent"] = field(default_factory=list)
    contents: list[PageContent] = field(default_factory=list)  # per page, painting order
    rotations: list[int] = field(default_factory=list)  # /Rotate per page, degrees
    names_lost: bool = False  # the PDF has no named destinations at all
    unresolved: list[Unresolved] = field(default_factory=list)  # codes a RIP cannot print
    output_profile: bytes | None = None  # the PDF/X output intent's ICC profile
    fit: list[dict] | None = None  # what the fit stage set on each run of pages (its Info)


@dataclass(frozen=True)
class OutputIntent:
    subtype: str  # /GTS_PDFX
    condition: str  # OutputConditionIdentifier
    components: int  # of the embedded profile: 4 for CMYK
    registry: str = ""
    info: str = ""


def read(path: Path) -> PdfFacts:
    reader = PdfReader(str(path), strict=False)
    pages = reader.pages
    number: dict[int, int] = {}
    for i, page in enumerate(pages):
        number.setdefault(page.indirect_reference.idnum, i + 1)  # a repeated page: its first
    destinations = {}
    for name, dest in reader.named_destinations.items():
        page_ref = dest.get("/Page")
        idnum = page_ref.idnum if isinstance(page_ref, IndirectObject) else None
        if idnum in number:
            destinations[str(name)] = Destination(number[idnum], float(dest.get("/Top") or 0))
    links, texts, fragments, fonts, images, boxes, notdef = [], [], [], [], [], [], []
    contents, rotations = [], []
    rgb: dict[int, int] = {}
    walker = Walker(notdef_codes)
    seen_fonts: set[int] = set()
    for i, page in enumerate(pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and annot.get("/Dest") is not None:
                target = annot["/Dest"]
                if isinstance(target, str):
                    links.append(Link(i, str(target), tuple(float(v) for v in annot["/Rect"])))
        content = walker.page(page)
        contents.append(content)
        printed = lines(content.runs)
        texts.append("\n".join(f.text for f in printed))
        fragments.append(printed)
        # Fonts are counted where text selects them: WeasyPrint shares one
        # resource dictionary between pages, so its listing says nothing of a page.
        for font in content.fonts:
            if id(font) not in seen_fonts:
                seen_fonts.add(id(font))
                fonts.append(_font_use(font, i))
        notdef.extend((i, char) for char in content.notdef)
        if content.rgb:
            rgb[i] = content.rgb
        for picture in content.pictures:
            x0, y0, x1, y1 = picture.box
            images.append(ImageUse(i, picture.pixels, (x1 - x0, y1 - y0), picture.colour,
                                   picture.box, picture.visible))
        rotations.append(int(page.get("/Rotate", 0) or 0) % 360)
        boxes.append(Boxes(
            tuple(float(v) for v in page.mediabox),
            tuple(float(v) for v in page["/TrimBox"]) if "/TrimBox" in page else None,
            tuple(float(v) for v in page["/BleedBox"]) if "/BleedBox" in page else None))
    meta = reader.metadata or {}
    root = reader.trailer["/Root"]
    lang = root.get("/Lang")
    intents = []
    output_profile = None
    for intent in root.get("/OutputIntents") or []:
        intent = intent.get_object()
        profile = intent.get("/DestOutputProfile")
        components = int(profile.get_object().get("/N", 0)) if profile is not None else 0
        if profile is not None and output_profile is None and intent.get("/S") == "/GTS_PDFX":
            output_profile = profile.get_object().get_data()
        intents.append(OutputIntent(str(intent.get("/S", "")),
                                    str(intent.get("/OutputConditionIdentifier", "")),
                                    components, str(intent.get("/RegistryName", "")),
                                    str(intent.get("/Info", ""))))
    return PdfFacts(path, len(pages), destinations, links, texts, fragments, fonts, images,
                    boxes, notdef, rgb, title=str(meta.get("/Title") or "") or None,
                    language=str(lang) if lang else None,
                    author=str(meta.get("/Author") or "") or None, output_intents=intents,
                    contents=contents, rotations=rotations,
                    names_lost=not reader.named_destinations and len(pages) > 0,
                    unresolved=unresolved(walker.fonts.values()), output_profile=output_profile,
                    fit=_fit(meta.get(FIT_KEY)))


FIT_KEY = "/PublishFit"


def _fit(value) -> list[dict] | None:
    """The fit stage's record, as publish wrote it; anything else is no record."""
    import json
    try:
        runs = json.loads(str(value)) if value is not None else None
    except ValueError:
        return None
    if not isinstance(runs, list) or not all(isinstance(r, dict) for r in runs):
        return None
    return runs


def lines(runs) -> list[Fragment]:
    """Runs joined into printed lines: a run on the same baseline that starts close after
    the last one continues its line (WeasyPrint starts a new run at each link or style)."""
    out: list[Fragment] = []
    last = None
    for run in runs:
        if last is not None and abs(run.y - last.y) < 0.3 * max(run.size, 1) and \
                -0.5 * run.size < run.box[0] - last.box[2] < 0.3 * run.size:
            out[-1] = Fragment(out[-1].text + run.text, out[-1].x, out[-1].y)
        else:
            out.append(Fragment(run.text, run.x, run.y))
        last = run
    return out


def _font_use(font, page: int) -> FontUse:
    name = str(font.get("/BaseFont", "")).lstrip("/") or str(font.get("/Subtype", "")).lstrip("/")
    descriptor = font.get("/FontDescriptor")
    if font.get("/Subtype") == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    # A Type 3 font's glyphs are procedures in the PDF itself: embedded by nature.
    embedded = font.get("/Subtype") == "/Type3" or \
        any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return FontUse(_SUBSET.sub("", name), bool(_SUBSET.match(name)), embedded, page)


_CIDCHAR = re.compile(r"<([0-9A-Fa-f]{4})>\s+0\b")
_BFCHAR = re.compile(r"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>")


def notdef_codes(font) -> dict[int, str]:
    """Codes a Type0 font draws as .notdef (CID 0), with the character each stands for.

    With Identity-H that is code 0. WeasyPrint gives each missing character a
    spare code that its encoding CMap sends to CID 0, and ToUnicode still names
    the character: that is how a missing glyph shows in the PDF itself.
    """
    codes: dict[int, str] = {}
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if encoding is not None else None
    if encoding == "/Identity-H":
        codes[0] = "?"
    elif encoding is not None and hasattr(encoding, "get_data"):
        for match in _CIDCHAR.finditer(encoding.get_data().decode("latin-1")):
            codes[int(match[1], 16)] = "?"
    if codes and font.get("/ToUnicode") is not None:
        data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        for match in _BFCHAR.finditer(data):
            code = int(match[1], 16)
            if code in codes:
                try:
                    codes[code] = bytes.fromhex(match[2]).decode("utf-16-be")
                except (ValueError, UnicodeDecodeError):
                    pass
    return codes
