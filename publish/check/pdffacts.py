"""What a PDF says about itself, read with pypdf: the vocabulary of the checks.

Nothing here knows about issues or plans; it turns a PDF file into plain facts
(destinations, links, text, fonts, images, page boxes) that the checks compare
against the plan.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream, IndirectObject

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
    output_intents: list[tuple[str, str, int]] = field(default_factory=list)  # (subtype, condition, profile components)


def read(path: Path) -> PdfFacts:
    reader = PdfReader(str(path), strict=False)
    pages = reader.pages
    number = {page.indirect_reference.idnum: i + 1 for i, page in enumerate(pages)}
    destinations = {}
    for name, dest in reader.named_destinations.items():
        page_ref = dest.get("/Page")
        idnum = page_ref.idnum if isinstance(page_ref, IndirectObject) else None
        if idnum in number:
            destinations[str(name)] = Destination(number[idnum], float(dest.get("/Top") or 0))
    links, texts, fragments, fonts, images, boxes, notdef = [], [], [], [], [], [], []
    rgb: dict[int, int] = {}
    for i, page in enumerate(pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and annot.get("/Dest") is not None:
                target = annot["/Dest"]
                if isinstance(target, str):
                    links.append(Link(i, str(target), tuple(float(v) for v in annot["/Rect"])))
        frags: list[Fragment] = []

        def visit(text, cm, tm, font_dict, font_size, frags=frags):
            if text and text.strip():
                a, b, c, d, e, f = _multiply(tm, cm)
                frags.append(Fragment(text, e, f))
        texts.append(page.extract_text(visitor_text=visit) or "")
        fragments.append(frags)
        walker = _Walker(i, fonts, images, notdef, rgb)
        walker.walk(page.get_contents(), page.get("/Resources"), (1, 0, 0, 1, 0, 0), reader)
        boxes.append(Boxes(
            tuple(float(v) for v in page.mediabox),
            tuple(float(v) for v in page["/TrimBox"]) if "/TrimBox" in page else None,
            tuple(float(v) for v in page["/BleedBox"]) if "/BleedBox" in page else None))
    meta = reader.metadata or {}
    root = reader.trailer["/Root"]
    lang = root.get("/Lang")
    intents = []
    for intent in root.get("/OutputIntents") or []:
        intent = intent.get_object()
        profile = intent.get("/DestOutputProfile")
        components = int(profile.get_object().get("/N", 0)) if profile is not None else 0
        intents.append((str(intent.get("/S", "")), str(intent.get("/OutputConditionIdentifier", "")),
                        components))
    return PdfFacts(path, len(pages), destinations, links, texts, fragments, fonts, images,
                    boxes, notdef, rgb, title=str(meta.get("/Title") or "") or None,
                    language=str(lang) if lang else None,
                    author=str(meta.get("/Author") or "") or None, output_intents=intents)


def _multiply(m1, m2):
    a1, b1, c1, d1, e1, f1 = (float(v) for v in m1)
    a2, b2, c2, d2, e2, f2 = (float(v) for v in m2)
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


class _Walker:
    """Follows a content stream's graphics state to find fonts, placed images and .notdef."""

    def __init__(self, page: int, fonts: list, images: list, notdef: list, rgb: dict):
        self.page, self.fonts, self.images, self.notdef, self.rgb = page, fonts, images, notdef, rgb
        self.seen_fonts: set[int] = set()
        self.notdef_cache: dict[int, dict[int, str]] = {}

    def walk(self, contents, resources, ctm, reader, depth=0):
        if contents is None or depth > 8:
            return
        resources = resources.get_object() if resources is not None else {}
        font_res = (resources.get("/Font") or {})
        font_res = font_res.get_object() if hasattr(font_res, "get_object") else font_res
        xobjects = resources.get("/XObject") or {}
        xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
        stack, font = [], None
        stream = contents if isinstance(contents, ContentStream) else \
            ContentStream(contents.get_object() if hasattr(contents, "get_object") else contents,
                          reader)
        for operands, operator in stream.operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop() if stack else ctm
            elif operator == b"cm":
                ctm = _multiply([float(v) for v in operands], ctm)
            elif operator in (b"rg", b"RG") or (operator in (b"cs", b"CS")
                                                and operands and operands[0] == "/DeviceRGB"):
                self.rgb[self.page] = self.rgb.get(self.page, 0) + 1
            elif operator == b"Tf":
                # Fonts are counted where text selects them: WeasyPrint shares one
                # resource dictionary between pages, so its listing says nothing of a page.
                font = font_res.get(operands[0])
                font = font.get_object() if font is not None else None
                if font is not None:
                    self._font(font)
            elif operator in (b"Tj", b"TJ", b"'", b'"') and font is not None \
                    and font.get("/Subtype") == "/Type0":
                missing = self._notdef_codes(font)
                strings = operands[0] if operator == b"TJ" else operands[-1:]
                for s in strings:
                    if isinstance(s, (bytes, str)):
                        raw = s if isinstance(s, bytes) else s.encode("latin-1", "replace")
                        for k in range(0, len(raw) - 1, 2):
                            code = raw[k] << 8 | raw[k + 1]
                            if code in missing:
                                self.notdef.append((self.page, missing[code]))
            elif operator == b"Do":
                xobject = xobjects.get(operands[0])
                xobject = xobject.get_object() if xobject is not None else None
                if xobject is None:
                    continue
                if xobject.get("/Subtype") == "/Image":
                    a, b, c, d = ctm[:4]
                    space = xobject.get("/ColorSpace")
                    space = space.get_object() if space is not None else ""
                    space = str(space[0] if isinstance(space, list) else space)
                    self.images.append(ImageUse(
                        self.page, (int(xobject["/Width"]), int(xobject["/Height"])),
                        (math.hypot(a, b), math.hypot(c, d)), space))
                elif xobject.get("/Subtype") == "/Form":
                    matrix = [float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0))]
                    self.walk(xobject, xobject.get("/Resources") or resources,
                              _multiply(matrix, ctm), reader, depth + 1)

    def _notdef_codes(self, font) -> dict[int, str]:
        key = id(font)
        if key not in self.notdef_cache:
            self.notdef_cache[key] = notdef_codes(font)
        return self.notdef_cache[key]

    def _font(self, font):
        if id(font) in self.seen_fonts:
            return
        self.seen_fonts.add(id(font))
        name = str(font.get("/BaseFont", "")).lstrip("/")
        descriptor = font.get("/FontDescriptor")
        if font.get("/Subtype") == "/Type0":
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        self.fonts.append(FontUse(_SUBSET.sub("", name), bool(_SUBSET.match(name)), embedded,
                                  self.page))


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
