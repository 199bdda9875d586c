"""The screen edition's tags as PDF/UA wants them: a patch to WeasyPrint 70's tagged PDF.

WeasyPrint 70 writes a structure tree (`pdf_variant="pdf/ua-1"`) but:
- gives no element a language: a Chinese passage (`lang="zh-Hans"`) is read out in the
  document's language;
- marks the running header and the page numbers (margin boxes) as content with a marked
  content id that no element of the tree claims, which PDF/UA forbids (content is either
  tagged or an artifact); WeasyPrint's own comment says it meant them as artifacts;
- has no way to say that an element is decoration: a placeholder frame's label or a
  decorative image is tagged like any text or figure.

While a tagged PDF is written (`tagged(True)`, the screen edition only), the patch draws
the margin boxes and every element with a `data-artifact` attribute (and what is inside
it) as artifacts, leaves them out of the tree, and gives each element whose HTML element
has a `lang` the PDF's `/Lang`. The print edition is written with tags off, where none of
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
    build_box_tree, marked, paint = tags._build_box_tree, stream.Stream.marked, \
        document.Page.paint

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
            lang = _lang(getattr(box, "_box", box))
            if _active[0] and lang and "Lang" not in element:
                import pydyf
                element["Lang"] = pydyf.String(lang)
            yield element

    _build._publish_patched = True
    _build._publish_original = build_box_tree
    tags._build_box_tree = _build
    stream.Stream.marked = stream_marked
    document.Page.paint = page_paint
    return True


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
