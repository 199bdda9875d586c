"""Render stage: HTML to laid-out pages with WeasyPrint, sandboxed.

- Fonts: fontconfig sees the project's fonts/ folder and nothing else, so a
  character the fonts lack is a reported missing glyph, not a silent fallback to
  whatever the machine has installed.
- Resources: only files inside the allowed folders (layouts, fonts, the issue's
  own folder) and data: URIs are read. Anything else stops the render with an
  error naming the URL.
- Failures WeasyPrint only logs (an image it could not load, an SVG it could
  not draw, a stylesheet it could not read) fail the render: a PDF missing a
  picture or a QR code must not be published as good.
- Interrupts: WeasyPrint 70 catches every exception while drawing an SVG (and
  while reading a colour profile), KeyboardInterrupt and the --timeout alarm
  included. The exception is recorded where it is raised and raised again once
  WeasyPrint returns, so an interrupted render never becomes a written PDF.
- Hyphenation: the proper names and acronyms compose listed in the document's head
  get no break points from pyphen while the document is laid out (patches/hyphenation.py).
- One WeasyPrint import and one FontConfiguration serve every issue a process
  builds: start-up and font loading dominate small documents.
"""
from __future__ import annotations

import hashlib
import logging
import sys
import os
import re
import signal
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..source import anchors, reads
from . import private, screencss
from .patches import hyphenation
from . import patches as weasy
from ..errors import MissingGlyph, RenderError

# PDF/X-4: a print-ready variant with an OutputIntent from the layout's
# `@color-profile device-cmyk`, and transparency kept live for the RIP.
PDF_VARIANT = "pdf/x-4"
# The screen edition: tagged PDF/UA-1 (PDF 1.7), sRGB, no output intent (screencss.py).
SCREEN_VARIANT = "pdf/ua-1"
# WeasyPrint's error for an image without alt text: on screen that is the check's to report
# (a proof item), not a failed render.
_NO_ALT = re.compile(r'Image ".*" has no required alt description')
_DATA_URI = re.compile(r"data:[^\s'\"]{40,}")
_NOTDEF = re.compile(r'unsupported by fonts: "(.*)" \(([^)]*)\)')


@dataclass
class Rendered:
    document: object  # weasyprint.Document
    missing_glyphs: list[MissingGlyph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # WeasyPrint's, each with its file
    fetched: list[str] = field(default_factory=list)  # every URL the render read
    document_id: uuid.UUID = uuid.UUID(int=0)
    fetcher: object = None  # SVG images fetch their own resources while the PDF is drawn
    edition: str = "print"
    info: dict[str, str] = field(default_factory=dict)  # more entries for the PDF's Info

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    def write_pdf(self, target) -> None:
        """Write the PDF; WeasyPrint reports missing glyphs only now, as it draws the text."""
        from weasyprint.pdf import metadata
        from weasyprint.urls import FatalURLFetchingError
        # PDF/X-4's XMP DocumentID is a random uuid4 in WeasyPrint; the same issue must give
        # the same bytes, so the ID is derived from the composed document instead.
        random_uuid = metadata.uuid4
        metadata.uuid4 = lambda: self.document_id
        screen = self.edition == "screen"
        try:
            with _captured() as messages, _swallowed_interrupts_raised(), \
                    weasy.subsetnames.named_for(str(self.document_id)), \
                    weasy.tagging.tagged(screen):
                self.document.write_pdf(
                    target, pdf_variant=SCREEN_VARIANT if screen else PDF_VARIANT,
                    finisher=self._finish)
        except FatalURLFetchingError as e:
            # An SVG image fetches its own resources only now, as it is drawn.
            raise RenderError(_refusal(self.fetcher, e) if self.fetcher else str(e)) from None
        finally:
            metadata.uuid4 = random_uuid
        if self.fetcher is not None and self.fetcher.refused:
            raise RenderError(_refusal(self.fetcher))
        self._note(messages)

    def _finish(self, document, pdf) -> None:
        (_screen_finish if self.edition == "screen" else _registered_condition)(document, pdf)
        import pydyf
        for key, value in sorted(self.info.items()):
            pdf.info[key] = pydyf.String(value)

    def _note(self, messages: list[tuple[int, str]]) -> None:
        if self.edition == "screen":
            messages = [(level, message) for level, message in messages
                        if not _NO_ALT.fullmatch(message)]
        failures = [_failure(message) for level, message in messages if level >= logging.ERROR]
        if failures:
            raise RenderError("the render failed: " + "; ".join(dict.fromkeys(failures)))
        for _, message in messages:
            match = _NOTDEF.search(message)
            if match:
                for char in dict.fromkeys(match[1]):
                    for glyph in _locate(self.document, char, match[2]):
                        if glyph not in self.missing_glyphs:
                            self.missing_glyphs.append(glyph)
            elif message not in self.warnings:
                self.warnings.append(message)


_FAILURES = [  # WeasyPrint's log messages for what it leaves out, in our words
    (re.compile(r"Failed to load image at '(.*)': ?(.*)"),
     lambda m: f"the image {m[1]} could not be loaded ({m[2] or 'not a readable image'})"),
    (re.compile(r"Failed to render SVG image (.*)"),
     lambda m: f"the SVG image {m[1]} could not be drawn"),
    (re.compile(r"Failed to load stylesheet at (.*?) ?: (.*)"),
     lambda m: f"the stylesheet {m[1]} could not be loaded ({m[2]})"),
]


def _failure(message: str) -> str:
    message = _DATA_URI.sub(lambda m: m[0][:40] + "...", message)
    for pattern, say in _FAILURES:
        match = pattern.fullmatch(message)
        if match:
            return say(match)
    return message


@contextmanager
def _swallowed_interrupts_raised():
    """Raise again, on the way out, an exception a signal handler raised and a library ate.

    The SIGINT handler (KeyboardInterrupt) and the --timeout alarm raise inside whatever
    Python code runs when the signal arrives; inside WeasyPrint's SVG drawing that code
    catches BaseException and carries on. Each handler is wrapped for the duration so
    that what it raised is remembered and raised again once WeasyPrint returns.
    """
    raised: list[BaseException] = []
    wrapped = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, getattr(signal, "SIGALRM", None)):
            handler = signal.getsignal(signum) if signum is not None else None
            if callable(handler):
                wrapped[signum] = handler
                signal.signal(signum, _recording(handler, raised))
    try:
        with _svg_failures_raised(raised):
            yield
    finally:
        for signum, handler in wrapped.items():
            signal.signal(signum, handler)
    if raised:
        raise raised[0]


def _recording(handler, raised: list[BaseException]):
    def handle(signum, frame):
        try:
            handler(signum, frame)
        except BaseException as e:
            raised.append(e)
            raise
    return handle


_svg_raised: list[list[BaseException]] = []  # one list per write in progress


@contextmanager
def _svg_failures_raised(raised: list[BaseException]):
    _svg_raised.append(raised)
    try:
        yield
    finally:
        _svg_raised.remove(raised)


def _guard_svg_drawing() -> None:
    """Make what SVG drawing raises reach _swallowed_interrupts_raised (WeasyPrint logs and
    drops it). Wraps the SVG's own draw, so WeasyPrint's handling around it stays as is."""
    from weasyprint.images import SVGImage
    if getattr(SVGImage.draw, "_publish_guarded", False):
        return
    unguarded = SVGImage.draw

    def draw(self, *args, **kwargs):
        svg = self._svg
        inner = svg.draw

        def recorded(*a, **k):
            try:
                return inner(*a, **k)
            except BaseException as e:
                if _svg_raised:
                    _svg_raised[-1].append(
                        e if not isinstance(e, Exception) else
                        RenderError(f"could not draw the SVG image {_short(self._base_url)}: "
                                    f"{type(e).__name__}: {e}"))
                raise
        svg.draw = recorded
        try:
            return unguarded(self, *args, **kwargs)
        finally:
            del svg.draw
    draw._publish_guarded = True
    SVGImage.draw = draw


def _short(url: str | None) -> str:
    url = str(url)
    return url[:40] + "..." if url.startswith("data:") and len(url) > 40 else url


# WeasyPrint names the output condition after the profile's description; a RIP matches
# the print condition by its identifier in the ICC's registry, so that is what is declared.
_REGISTERED = re.compile(r"\b(FOGRA\d+|CGATS21-2-CRPC\d|CGATS TR 00\d|JC200103|JCW2003)\b")


def _registered_condition(document, pdf) -> None:
    import pydyf
    for intent in pdf.catalog.get("OutputIntents") or []:
        description = str(getattr(intent.get("Info"), "string", ""))
        match = _REGISTERED.search(description)
        if match:
            intent["OutputConditionIdentifier"] = pydyf.String(match[1])
            intent["OutputCondition"] = pydyf.String(description)
            intent["RegistryName"] = pydyf.String("http://www.color.org")


def _screen_finish(document, pdf) -> None:
    """The screen edition's pages are the A4 trim, and nothing else: no TrimBox or BleedBox
    (WeasyPrint writes them on every page, equal to the MediaBox without bleed). Its links
    are printed too, as PDF/UA asks (the Print flag), should a reader print the file."""
    for number in range(1, len(pdf.objects)):
        item = pdf.objects[number]
        if isinstance(item, dict) and item.get("Type") == "/Page":
            item.pop("TrimBox", None)
            item.pop("BleedBox", None)
        elif isinstance(item, dict) and item.get("Type") == "/Annot":
            item["F"] = 4


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
    folder = private.folder() / f"fontconfig-{key}"
    folder.mkdir(mode=0o700, exist_ok=True)
    conf = folder / "fonts.conf"
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f"  <dir>{_xml(str(fonts))}</dir>\n  <cachedir>{_xml(str(folder / 'cache'))}</cachedir>\n"
            "</fontconfig>\n")
    if not conf.is_file() or conf.read_text() != text:
        temp = folder / f".fonts.conf.{os.getpid()}"
        temp.write_text(text)
        os.replace(temp, conf)  # two processes starting at once each see a whole file
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
        _guard_svg_drawing()
        hyphenation.install()
        weasy.install()
        self._weasyprint = weasyprint
        self.font_config = FontConfiguration()

    def render(self, html: str, base: Path, allowed: list[Path],
               edition: str = "print") -> Rendered:
        """Lay out html (relative URLs resolve against base); read only under allowed.
        edition "screen": stylesheets are read with sRGB colours (screencss.py)."""
        weasyprint = self._weasyprint
        # The figures' images, converted for print by compose (render/colour.py), are read
        # from publish's own image folder: that folder, and nothing else of it, is allowed.
        from .colour import private_folder
        allowed = allowed + [private_folder()]
        fetcher = _sandbox_fetcher(weasyprint, [p.resolve() for p in allowed + [self.fonts]],
                                   screen=edition == "screen")
        # A remembered column height that the layout contradicts means its digest missed
        # something: the document is laid out again, searching every group afresh.
        names = hyphenation.listed(html)
        for look_up in (True, False):
            with _captured() as messages, _swallowed_interrupts_raised(), \
                    hyphenation.names_of(html), weasy.linebreaks.remembered(names), \
                    weasy.composer.remembered(), \
                    weasy.balanced.remembered(names, look_up) as layout:
                try:
                    document = weasyprint.HTML(
                        string=html, base_url=base.resolve().as_uri() + "/",
                        url_fetcher=fetcher).render(font_config=self.font_config)
                except weasyprint.urls.FatalURLFetchingError as e:
                    raise RenderError(_refusal(fetcher, e)) from None
            if not layout.mismatched:
                break
        if fetcher.refused:
            raise RenderError(_refusal(fetcher))
        rendered = Rendered(document, fetched=fetcher.fetched, fetcher=fetcher,
                            document_id=_document_id(html, allowed + [self.fonts]),
                            edition=edition)
        rendered._note(messages)
        return rendered


def _document_id(html: str, roots: list[Path]) -> uuid.UUID:
    """The XMP DocumentID: a hash of the composed document with each folder it may read
    written as a name, so the same commit built in another folder gives the same bytes."""
    for n, root in enumerate(roots):
        for form in sorted({root.resolve().as_uri(), root.absolute().as_uri()}, key=len,
                           reverse=True):
            html = html.replace(form, f"root{n}:")
    return uuid.uuid5(uuid.NAMESPACE_URL, "publish:" + hashlib.sha256(html.encode()).hexdigest())


def _refusal(fetcher, failure: BaseException | None = None) -> str:
    if fetcher.refused:
        url, reason = fetcher.refused[0]
        return f"refused to read {_short(url)}: {reason}"
    # Allowed but unreadable (a layout names a file that is not there): WeasyPrint's own words.
    if failure is None:
        return "a resource could not be read"
    url = re.search(r'"(.*)"', str(failure))
    cause = failure.__cause__
    reason = getattr(cause, "reason", cause)  # urllib wraps the OSError
    reason = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
    return f"could not read {_short(url[1]) if url else 'a resource'}" + (
        f": {reason}" if reason else "")


class _Capture(logging.Handler):
    """WeasyPrint's warnings, each prefixed with the file it is about where that is known."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = " ".join(record.getMessage().split())  # one line, whatever the CSS held
        # Failures (level ERROR) are matched against WeasyPrint's own wording: no prefix.
        source = _source_of_warning() if record.levelno < logging.ERROR else None
        if source:
            at = _AT.search(message)
            if at:
                message = _AT.sub("", message, count=1)
            message = f"{source}{':' + at[1] + ':' + at[2] if at else ''}: {message}"
        self.messages.append((record.levelno, message))


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


def _sandbox_fetcher(weasyprint, roots: list[Path], screen: bool = False):
    class SandboxFetcher(weasyprint.urls.URLFetcher):
        """Serves data: URIs and files under roots; refuses and remembers everything else.
        screen: stylesheets are served with their CMYK colours in sRGB (screencss.py)."""

        def __init__(self):
            super().__init__(fail_on_errors=True, allow_redirects=False)
            self.refused: list[tuple[str, str]] = []
            self.fetched: list[str] = []
            self.profile: Path | None = None  # the press profile the stylesheets named

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                self.fetched.append(url[:40])
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    self.fetched.append(url)
                    if screen and path.suffix.lower() == ".css":
                        return self._for_screen(url, path)
                    response = super().fetch(url, headers)
                    try:
                        data = response.read()
                    finally:
                        response.close()
                    reads.note(path, data)  # the bytes used, for the skip-unchanged digest
                    return weasyprint.urls.URLFetcherResponse(
                        response.url, data, response.headers, response.status)
                reason = ("only files inside the project's layouts and fonts and the "
                          "issue's folder may be read")
            else:
                reason = "nothing is fetched from the network while rendering"
            self.refused.append((url, reason))
            raise ValueError(f"refused: {url}")

        def _for_screen(self, url, path):
            data = path.read_bytes()
            reads.note(path, data)  # the bytes used, for the skip-unchanged digest
            css = data.decode("utf-8")
            self.profile = screencss.press_profile(css, url) or self.profile
            return weasyprint.urls.URLFetcherResponse(
                url, screencss.for_screen(css, self.profile),
                headers={"Content-Type": "text/css; charset=utf-8"})

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
