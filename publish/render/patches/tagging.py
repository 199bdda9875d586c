"""The screen edition's tags as PDF/UA wants them: a patch to WeasyPrint 70's tagged PDF.

WeasyPrint 70 writes a structure tree (`pdf_variant="pdf/ua-1"`) but:
- gives no element a language: a Chinese passage (`lang="zh-Hans"`) is read out in the
  document's language;
- marks the running header and the page numbers (margin boxes) as content with a marked
  content id that no element of the tree claims, which PDF/UA forbids (content is either
  tagged or an artifact); WeasyPrint's own comment says it meant them as artifacts;
- has no way to say that an element is decoration: a placeholder frame's label or a
  decorative image is tagged like any text or figure;
- writes a link annotation for every inline box inside a link as well as for the link
  (an address inside a link's words, a page reference's number), each over the same
  rectangle: the inner ones land in elements that are not /Link, which PDF/UA forbids;
- gives a table's header cells no /Scope (a corner header is then tied to nothing).

While a tagged PDF is written (`tagged(True)`, the screen edition only), the patch draws
the margin boxes and every element with a `data-artifact` attribute (and what is inside
it) as artifacts, leaves them out of the tree, gives each element whose HTML element
has a `lang` the PDF's `/Lang`, each header cell its `/Scope`, and keeps one annotation per link and rectangle (the
link's own, gathered first). The print edition is written with tags off, where none of
this runs: its bytes are as without the patch.
"""
from __future__ import annotations

from contextlib import contextmanager

WEASYPRINT_VERSION = "70.0"
ARTIFACT = "data-artifact"  # the attribute a template puts on decoration (screen edition)

_active = [False]


@contextmanager
def tagged(on: bool):
    """While the PDF being written is tagged: artifacts and languages as above."""
    before = _active[0]
    _active[0] = on
    try:
        yield
    finally:
        _active[0] = before


def install() -> bool:
    import weasyprint
    from weasyprint import document
    from weasyprint.pdf import stream, tags
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(tags._build_box_tree, "_publish_patched", False):
        return True
    from weasyprint import pdf as pdf_module
    build_box_tree, marked, paint = tags._build_box_tree, stream.Stream.marked, \
        document.Page.paint
    add_links = pdf_module.add_links  # generate_pdf calls it by this name (printlinks' first)

    def add_links_once(links_and_anchors, matrix, pdf, page, names, tags_, *args, **kwargs):
        if _active[0] and tags_ is not None:
            links, page_anchors = links_and_anchors
            seen, kept = set(), []
            for link in links:
                key = (link[0], link[1], tuple(round(v, 2) for v in link[2]))
                if key not in seen:
                    seen.add(key)
                    kept.append(link)
            links_and_anchors = (kept, page_anchors)
        return add_links(links_and_anchors, matrix, pdf, page, names, tags_, *args, **kwargs)

    def page_paint(self, stream_, *args, **kwargs):
        if _active[0] and stream_._tags is not None:
            stream_._publish_artifacts = _artifact_boxes(self._page_box)
        return paint(self, stream_, *args, **kwargs)

    @contextmanager
    def stream_marked(self, box, tag):
        if id(box) in getattr(self, "_publish_artifacts", ()):
            with self.artifact():
                yield
            return
        with marked(self, box, tag):
            yield

    def _build(box, parent, pdf, page_number, nums, annotations, tags_, *args, **kwargs):
        if _active[0]:
            real = getattr(box, "_box", box)  # an absolutely placed box's placeholder
            if _is_artifact(real):
                for inner in real.descendants(placeholders=True):
                    tags_.pop(inner, None)
                return
        for element in build_box_tree(box, parent, pdf, page_number, nums, annotations,
                                      tags_, *args, **kwargs):
            if _active[0]:
                _describe(element, getattr(box, "_box", box))
            yield element

    _build._publish_patched = True
    _build._publish_original = build_box_tree
    tags._build_box_tree = _build
    stream.Stream.marked = stream_marked
    document.Page.paint = page_paint
    pdf_module.add_links = add_links_once
    return True


def _describe(element, box) -> None:
    """The element's /Lang from its HTML element's lang; a header cell's /Scope from its
    scope (WeasyPrint links cells to headers but does not say which way a header reads)."""
    import pydyf
    lang = _lang(box)
    if lang and "Lang" not in element:
        element["Lang"] = pydyf.String(lang)
    if element.get("S") == "/TH" and isinstance(element.get("A"), dict):
        scope = (box.element.get("scope") or "col") if box.element is not None else "col"
        element["A"]["Scope"] = "/Row" if scope == "row" else "/Column"


def _is_artifact(box) -> bool:
    from weasyprint.formatting_structure import boxes
    if isinstance(box, boxes.MarginBox):
        return True
    element = getattr(box, "element", None)
    return element is not None and element.get(ARTIFACT) is not None


def _artifact_boxes(page_box) -> set[int]:
    """The ids of the boxes drawn as artifacts on a page: margin boxes, data-artifact."""
    found: set[int] = set()

    def walk(box, inside: bool):
        inside = inside or _is_artifact(box)
        if inside:
            found.add(id(box))
        for child in getattr(box, "children", ()) or ():
            walk(getattr(child, "_box", child), inside)
    walk(page_box, False)
    return found


def _lang(box) -> str | None:
    """The language of a box's own element, where it says one (not the document's root,
    whose language is the PDF's /Lang already)."""
    from weasyprint.formatting_structure import boxes
    element = getattr(box, "element", None)
    if element is None or isinstance(box, boxes.PageBox) \
            or getattr(box, "element_tag", None) in ("html", "body"):
        return None
    tag = getattr(box, "element_tag", "") or ""
    if "::" in tag:  # a pseudo-element (a list marker) speaks its element's language
        return None
    return element.get("lang") or None
