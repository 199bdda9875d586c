"""Render stage: HTML to laid-out pages with WeasyPrint, sandboxed.

- Fonts: fontconfig sees the project's fonts/ folder and nothing else, so a
  character the fonts lack is a reported missing glyph, not a silent fallback to
  whatever the machine has installed.
- Resources: only files inside the allowed folders (layouts, fonts, the issue's
  own folder) and data: URIs are read. Anything else stops the render with an
  error naming the URL.
- One WeasyPrint import and one FontConfiguration serve every issue a process
  builds: start-up and font loading dominate small documents.
"""
from __future__ import annotations

import hashlib
import logging
import sys
import os
import re
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import anchors
from .errors import RenderError

# PDF/X-4: a print-ready variant with an OutputIntent from the layout's
# `@color-profile device-cmyk`, and transparency kept live for the RIP.
PDF_VARIANT = "pdf/x-4"
_NOTDEF = re.compile(r'unsupported by fonts: "(.*)" \(([^)]*)\)')


@dataclass(frozen=True)
class MissingGlyph:
    char: str
    codepoint: str  # "U+1D11E"
    page: int | None = None  # 1-based
    anchor: str | None = None  # the article or block it stands in


@dataclass
class Rendered:
    document: object  # weasyprint.Document
    missing_glyphs: list[MissingGlyph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # WeasyPrint's, each with its file
    fetched: list[str] = field(default_factory=list)  # every URL the render read
    document_id: uuid.UUID = uuid.UUID(int=0)

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    def write_pdf(self, target) -> None:
        """Write the PDF; WeasyPrint reports missing glyphs only now, as it draws the text."""
        from weasyprint.pdf import metadata
        # PDF/X-4's XMP DocumentID is a random uuid4 in WeasyPrint; the same issue must give
        # the same bytes, so the ID is derived from the composed document instead.
        random_uuid = metadata.uuid4
        metadata.uuid4 = lambda: self.document_id
        try:
            with _captured() as messages:
                self.document.write_pdf(target, pdf_variant=PDF_VARIANT)
        finally:
            metadata.uuid4 = random_uuid
        self._note(messages)

    def _note(self, messages: list[str]) -> None:
        for message in messages:
            match = _NOTDEF.search(message)
            if match:
                for char in dict.fromkeys(match[1]):
                    for glyph in _locate(self.document, char, match[2]):
                        if glyph not in self.missing_glyphs:
                            self.missing_glyphs.append(glyph)
            elif message not in self.warnings:
                self.warnings.append(message)


@contextmanager
def _captured():
    records = _Capture()
    log = logging.getLogger("weasyprint")
    log.addHandler(records)
    try:
        yield records.messages
    finally:
        log.removeHandler(records)


_renderer: "Renderer | None" = None


def renderer(fonts: Path) -> "Renderer":
    """The process's renderer (fontconfig can be pointed at one fonts folder per process)."""
    global _renderer
    fonts = fonts.resolve()
    if _renderer is None:
        _renderer = Renderer(fonts)
    elif _renderer.fonts != fonts:
        raise RenderError(f"this process already renders with the fonts in {_renderer.fonts}; "
                          f"cannot switch to {fonts}")
    return _renderer


def _fontconfig_file(fonts: Path) -> Path:
    key = hashlib.sha256(str(fonts).encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"publish-fontconfig-{os.getuid()}-{key}"
    folder.mkdir(exist_ok=True)
    conf = folder / "fonts.conf"
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f"  <dir>{_xml(str(fonts))}</dir>\n  <cachedir>{_xml(str(folder / 'cache'))}</cachedir>\n"
            "</fontconfig>\n")
    if not conf.is_file() or conf.read_text() != text:
        conf.write_text(text)
    return conf


def _xml(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Renderer:
    def __init__(self, fonts: Path):
        if not fonts.is_dir():
            raise RenderError(f"fonts folder {fonts} not found")
        self.fonts = fonts
        # Must be set before WeasyPrint (and with it Pango and fontconfig) is loaded.
        os.environ["FONTCONFIG_FILE"] = str(_fontconfig_file(fonts))
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        self._weasyprint = weasyprint
        self.font_config = FontConfiguration()

    def render(self, html: str, base: Path, allowed: list[Path]) -> Rendered:
        """Lay out html (relative URLs resolve against base); read only under allowed."""
        weasyprint = self._weasyprint
        fetcher = _sandbox_fetcher(weasyprint, [p.resolve() for p in allowed + [self.fonts]])
        with _captured() as messages:
            try:
                document = weasyprint.HTML(
                    string=html, base_url=base.resolve().as_uri() + "/",
                    url_fetcher=fetcher).render(font_config=self.font_config)
            except weasyprint.urls.FatalURLFetchingError:
                raise RenderError(_refusal(fetcher)) from None
        if fetcher.refused:
            raise RenderError(_refusal(fetcher))
        rendered = Rendered(document, fetched=fetcher.fetched,
                            document_id=uuid.uuid5(uuid.NAMESPACE_URL, "publish:" + hashlib.sha256(
                                html.encode()).hexdigest()))
        rendered._note(messages)
        return rendered


def _refusal(fetcher) -> str:
    url, reason = fetcher.refused[0]
    return f"refused to read {url}: {reason}"


class _Capture(logging.Handler):
    """WeasyPrint's warnings, each prefixed with the file it is about where that is known."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())  # one line, whatever the CSS held
        source = _source_of_warning()
        if source:
            at = _AT.search(message)
            if at:
                message = _AT.sub("", message, count=1)
            message = f"{source}{':' + at[1] + ':' + at[2] if at else ''}: {message}"
        self.messages.append(message)


_AT = re.compile(r" at (\d+):(\d+)")


def _source_of_warning() -> str | None:
    """The stylesheet WeasyPrint was reading when it warned, from its own stack: its CSS
    messages give a line and column but not the file. A warning about a style="" attribute
    or the markup is about the composed HTML, that is the layout's templates."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_name
        if name == "preprocess_stylesheet":
            url = frame.f_locals.get("base_url") or ""
            return _shown_path(url)
        if name in ("find_style_attributes", "get_html_metadata", "_build_one_box"):
            return "the layout's HTML"
        frame = frame.f_back
    return None


def _shown_path(url: str) -> str:
    if not url.startswith("file:"):
        return url or "the layout's HTML"
    path = Path(unquote(urlsplit(url).path))
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _sandbox_fetcher(weasyprint, roots: list[Path]):
    class SandboxFetcher(weasyprint.urls.URLFetcher):
        """Serves data: URIs and files under roots; refuses and remembers everything else."""

        def __init__(self):
            super().__init__(fail_on_errors=True, allow_redirects=False)
            self.refused: list[tuple[str, str]] = []
            self.fetched: list[str] = []

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                self.fetched.append(url[:40])
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    self.fetched.append(url)
                    return super().fetch(url, headers)
                reason = ("only files inside the project's layouts and fonts and the "
                          "issue's folder may be read")
            else:
                reason = "nothing is fetched from the network while rendering"
            self.refused.append((url, reason))
            raise ValueError(f"refused: {url}")

    return SandboxFetcher()


def _locate(document, char: str, codepoint: str) -> list[MissingGlyph]:
    """Where a character stands in the laid-out pages: page number and enclosing anchor."""
    found: list[MissingGlyph] = []
    for number, page in enumerate(document.pages, start=1):
        for anchor in _text_anchors(page._page_box, None, char):
            glyph = MissingGlyph(char, codepoint, number, anchor)
            if glyph not in found:
                found.append(glyph)
    return found or [MissingGlyph(char, codepoint)]


def _text_anchors(box, anchor, char):
    element = getattr(box, "element", None)
    if element is not None and element.get("id") and not element.get("id").endswith(anchors.END):
        anchor = element.get("id").removesuffix(anchors.BLOCK)
    if char in (getattr(box, "text", None) or ""):
        yield anchor
    for child in getattr(box, "children", ()) or ():
        yield from _text_anchors(child, anchor, char)
