"""What a tagged (screen) PDF says about itself beyond print's facts: its structure tree in
reading order, its links, its outline, its identification. Read with pypdf, from the PDF
alone, like pdffacts."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass(frozen=True)
class Element:
    """A structure element, in the tree's order (the order a screen reader reads)."""

    tag: str  # "P", "Figure", "Link"...
    page: int | None  # 1-based
    lang: str | None  # its own or inherited
    alt: str | None
    depth: int
    content: tuple[tuple[int, int], ...]  # (page, mcid) it claims directly


@dataclass(frozen=True)
class Bookmark:
    level: int  # 1 for the top
    title: str
    page: int | None


@dataclass
class TaggedFacts:
    tagged: bool  # a StructTreeRoot, and MarkInfo /Marked true
    ua_part: str | None  # pdfuaid:part of the XMP metadata
    elements: list[Element] = field(default_factory=list)
    uris: list[tuple[int, str]] = field(default_factory=list)  # (page, URI) of link actions
    dead_links: list[int] = field(default_factory=list)  # pages with a link going nowhere
    outline: list[Bookmark] = field(default_factory=list)
    boxes: list[tuple[str, ...]] = field(default_factory=list)  # page boxes besides the media

    def claimed(self) -> dict[tuple[int, int], Element]:
        return {key: e for e in self.elements for key in e.content}


_UA_PART = re.compile(rb"pdfuaid:part\s*(?:=\s*[\"'](\d)|>\s*(\d))")


def read(path: Path) -> TaggedFacts:
    reader = PdfReader(str(path), strict=False)
    root = reader.trailer["/Root"]
    number = {page.indirect_reference.idnum: i for i, page in
              enumerate(reader.pages, start=1)}
    metadata = root.get("/Metadata")
    xmp = metadata.get_object().get_data() if metadata is not None else b""
    part = _UA_PART.search(xmp)
    tree = root.get("/StructTreeRoot")
    marked = bool((root.get("/MarkInfo") or {}).get("/Marked"))
    facts = TaggedFacts(tagged=tree is not None and marked,
                        ua_part=(part[1] or part[2]).decode() if part else None)
    if tree is not None:
        lang = str(root.get("/Lang")) if root.get("/Lang") else None
        _walk(tree.get_object().get("/K"), None, lang, 0, number, facts.elements, set())
    for i, page in enumerate(reader.pages, start=1):
        facts.boxes.append(tuple(box for box in ("/TrimBox", "/BleedBox", "/ArtBox")
                                 if box in page))
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if action is not None and action.get("/S") == "/URI":
                facts.uris.append((i, str(action.get("/URI", ""))))
            elif annot.get("/Dest") is None:
                facts.dead_links.append(i)
    try:
        _bookmarks(reader, reader.outline, 1, facts.outline)
    except Exception:  # an outline pypdf cannot follow is an outline a reader cannot either
        facts.outline = []
    return facts


def _page(element, number: dict[int, int]) -> int | None:
    ref = element.get("/Pg") if isinstance(element, DictionaryObject) else None
    return number.get(ref.idnum) if isinstance(ref, IndirectObject) else None


def _walk(kids, page: int | None, lang: str | None, depth: int, number: dict[int, int],
          out: list[Element], seen: set[int]) -> None:
    if kids is None:
        return
    if isinstance(kids, IndirectObject):
        if kids.idnum in seen:
            return  # a loop in a damaged tree
        seen.add(kids.idnum)
        kids = kids.get_object()
    if isinstance(kids, ArrayObject):
        for kid in kids:
            _walk(kid, page, lang, depth, number, out, seen)
        return
    if not isinstance(kids, DictionaryObject) or kids.get("/Type") in ("/OBJR", "/MCR"):
        return
    if kids.get("/S") is None:
        return
    page = _page(kids, number) or page
    lang = str(kids["/Lang"]) if kids.get("/Lang") else lang
    children = kids.get("/K")
    children = children.get_object() if isinstance(children, IndirectObject) else children
    items = children if isinstance(children, ArrayObject) else [children]
    content = tuple((page, int(k)) for k in items if isinstance(k, int) and page is not None)
    alt = kids.get("/Alt")
    out.append(Element(str(kids["/S"]).lstrip("/"), page, lang,
                       str(alt) if alt is not None else None, depth, content))
    for kid in items:
        if not isinstance(kid, int):
            _walk(kid, page, lang, depth + 1, number, out, seen)


def _bookmarks(reader, items, level: int, out: list[Bookmark]) -> None:
    for item in items:
        if isinstance(item, list):
            _bookmarks(reader, item, level + 1, out)
            continue
        try:
            page = reader.get_destination_page_number(item) + 1
        except Exception:
            page = None
        out.append(Bookmark(level, str(item.title), page))
