"""One pass over a page's content stream: text with its place and size, fills, images, colour.

pypdf parses a content stream into Python objects one token at a time, which is
what made the check slow (its own text extraction parsed every stream a second
time). This walker reads the decoded bytes with one regular expression, keeps
the graphics and text state the checks need, and records, in painting order:

- text runs (one per text-showing operator): the characters, the box they cover
  on the page, the effective font size and the fill colour;
- painted shapes: the bounding box of each filled path (clipped), its colour and
  whether it is opaque, so text painted over later can be told from text on top;
- placed images: box, pixels, colour space;
- colour operations in RGB, and CMYK fills (for the ink-coverage fact);
- paints (fills, strokes, text, shadings) by colour, with the overprint and knockout in
  force, the smallest text size and the thinnest line, and every colour space used other
  than by a paint (groups, soft masks, shadings, images, annotations), for the press
  preflight (press.py); patterns, forms, soft masks and annotation appearances are walked;
- characters drawn with a .notdef glyph, and the fonts text selects.
"""
from __future__ import annotations

import array
import math
import re
import sys
from dataclasses import dataclass, field

from .budget import Budget
from .colour import Space, describe, ink

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, PDF user space (y up)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Run:
    text: str
    box: Box
    size: float  # effective font size in points
    order: int  # painting order on the page
    colour: tuple[Space, tuple]  # (space, components)
    mcid: int | None = None  # the marked content it is drawn in (a tagged PDF's structure)
    artifact: bool = False  # drawn inside an /Artifact marked sequence

    @property
    def x(self) -> float:
        return self.box[0]

    @property
    def y(self) -> float:  # baseline
        return self.box[1] + 0.2 * self.size


@dataclass(frozen=True)
class Shape:
    box: Box
    order: int
    opaque: bool


@dataclass(frozen=True)
class Picture:
    box: Box  # the whole image as drawn (a photo cropped to its frame reaches past it)
    pixels: tuple[int, int]
    colour: str
    order: int
    xobject: object = None  # the image XObject (None for an inline image)
    where: str = "page"
    name: str = ""
    visible: Box | None = None  # the part inside its clip, what prints; None: the whole box

    @property
    def shown(self) -> Box:
        return self.visible or self.box


@dataclass
class Paint:
    """Everything a page paints in one colour, one way (fill, stroke, text, shading)."""

    kind: str
    space: Space
    values: tuple
    where: str  # "page", "form /Fm0", "pattern /P1", "annotation 3 (Link)"...
    box: Box  # where it is first painted (or, for text and strokes, at its smallest)
    overprint: bool
    knockout: bool  # inside a knockout transparency group
    count: int = 1
    size: float | None = None  # text: the smallest, in points
    width: float | None = None  # strokes, and fills of one rectangle: the thinnest, points
    opm: int = 0  # the overprint mode in force (1: a CMYK 0 leaves the plate below alone)


@dataclass(frozen=True)
class SpaceUse:
    what: str  # "shading /Sh0", "the page's transparency group", "image /Im1 (...)"
    space: Space
    where: str
    box: Box | None


_RGB = Space("rgb", "DeviceRGB", 3)
_CMYK = Space("cmyk", "DeviceCMYK", 4)
_GRAY = Space("gray", "DeviceGray", 1)


@dataclass
class _Inherited:
    """The graphics state a form or pattern starts with, and q/Q saves."""

    fill: tuple = (_GRAY, (0.0,))
    stroke: tuple = (_GRAY, (0.0,))
    width: float = 1.0
    overprint_fill: bool = False
    overprint_stroke: bool = False
    opm: int = 0
    knockout: bool = False
    mode: int = 0  # text rendering mode

    def copy(self) -> "_Inherited":
        return _Inherited(self.fill, self.stroke, self.width, self.overprint_fill,
                          self.overprint_stroke, self.opm, self.knockout, self.mode)


def _obj(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _legacy(space: Space) -> str:
    """The colour a Picture has always named: a device space's name."""
    return {"rgb": "/DeviceRGB", "cmyk": "/DeviceCMYK", "gray": "/DeviceGray"}.get(
        space.family, "/" + space.name.split()[0])


def _shading_ends(shading) -> list[tuple[float, ...]]:
    """The colours a shading runs between, where its function says (types 2 and 3)."""
    out: list[tuple[float, ...]] = []

    def visit(function, depth=0):
        function = _obj(function)
        if isinstance(function, list):
            parts = [visit(f, depth + 1) for f in function]
            return parts
        if not hasattr(function, "get") or depth > 4:
            return None
        kind = int(function.get("/FunctionType", -1))
        if kind == 2:
            for key, default in (("/C0", [0.0]), ("/C1", [1.0])):
                out.append(tuple(float(v) for v in _obj(function.get(key, default))))
        elif kind == 3:
            for part in _obj(function.get("/Functions", [])):
                visit(part, depth + 1)
        return None

    function = shading.get("/Function")
    if function is not None:
        functions = _obj(function)
        if isinstance(functions, list):  # one function per component
            ends = []
            for f in functions:
                out.clear()
                visit(f)
                ends.append([v[0] for v in out if v])
            if ends and all(len(e) == len(ends[0]) for e in ends):
                return [tuple(e[i] for e in ends) for i in range(len(ends[0]))]
            return []
        visit(functions)
    return out


@dataclass
class PageContent:
    runs: list[Run] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    rgb: int = 0  # colour operations in RGB in the page's own content (forms: see paints)
    max_ink: float = 0.0  # highest C+M+Y+K of a vector fill, percent
    notdef: list[str] = field(default_factory=list)  # characters drawn as .notdef
    fonts: list = field(default_factory=list)  # font dictionaries selected by text
    damaged: int = 0  # glyphs drawn whose text the PDF maps wrongly (see _swapped)
    paints: dict = field(default_factory=dict)  # key -> Paint
    spaces: list[SpaceUse] = field(default_factory=list)
    walked: set = field(default_factory=set)  # patterns already walked on this page
    annotations: list = field(default_factory=list)  # (subtype, box, URI or "")


def multiply(m1: Matrix, m2: Matrix) -> Matrix:
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def transform_box(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> Box:
    a, b, c, d, e, f = m
    xs, ys = [], []
    for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return (min(xs), min(ys), max(xs), max(ys))


def intersect(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


_TOKEN = re.compile(
    rb"[ \t\r\n\f\x00]*(?:"
    rb"([-+]?(?:\d+\.?\d*|\.\d+))"  # 1 number
    rb"|(/[^ \t\r\n\f\x00/\[\]()<>{}%]*)"  # 2 name
    rb"|(\[)"  # 3 array
    rb"|(<<)"  # 4 dictionary (inline image parameters, marked content)
    rb"|(<[0-9A-Fa-f \t\r\n]*>)"  # 5 hex string
    rb"|(\()"  # 6 literal string
    rb"|([A-Za-z'\"*][A-Za-z0-9'\"*]*)"  # 7 operator
    rb"|(%[^\r\n]*)"  # 8 comment
    rb"|(>>|\]|\{|\})"  # 9 stray closers
    rb")")
_ARRAY = re.compile(rb"([^()\]]*)\]")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b",
            ord("f"): b"\f", ord("("): b"(", ord(")"): b")", ord("\\"): b"\\"}


_SPACE = re.compile(rb"\s+")


def _hex(digits: bytes) -> bytes:
    try:
        return bytes.fromhex(digits.decode())  # skips whitespace itself
    except ValueError:  # an odd number of digits: the last is followed by 0
        digits = _SPACE.sub(b"", digits)
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """A literal string starting after its '(' at pos: its bytes and the position after ')'."""
    out = bytearray()
    depth = 1
    n = len(data)
    while pos < n:
        ch = data[pos]
        if ch == 0x5C:  # backslash
            pos += 1
            if pos >= n:
                break
            esc = data[pos]
            if esc in _ESCAPES:
                out += _ESCAPES[esc]
                pos += 1
            elif 0x30 <= esc <= 0x37:
                digits = data[pos:pos + 3]
                k = 0
                while k < len(digits) and 0x30 <= digits[k] <= 0x37:
                    k += 1
                out.append(int(digits[:k], 8) & 0xFF)
                pos += k
            elif esc in (0x0A, 0x0D):
                pos += 1
                if esc == 0x0D and pos < n and data[pos] == 0x0A:
                    pos += 1
            else:
                out.append(esc)
                pos += 1
            continue
        if ch == 0x28:
            depth += 1
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), pos + 1
        out.append(ch)
        pos += 1
    return bytes(out), pos


_DAMAGED = object()  # stands, among .notdef characters, for a glyph with damaged text


_MCID = re.compile(rb"/MCID\s+(\d+)")


def _marked(marks: list) -> tuple[int | None, bool]:
    """The innermost marked content id of the open sequences, and whether one is an artifact."""
    artifact = "artifact" in marks
    mcid = next((m for m in reversed(marks) if isinstance(m, int)), None)
    return mcid, artifact


class _Default(dict):
    """A dict whose missing keys read as one default value (looked up at C speed)."""

    def __init__(self, default, *args):
        super().__init__(*args)
        self.default = default

    def __missing__(self, key):
        return self.default


class _Array:
    """A TJ array's source, kept whole: it is read at once when shown."""

    __slots__ = ("body",)

    def __init__(self, body: bytes):
        self.body = body


_HEX_DIGITS = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_KERNING = re.compile(rb"<[^>]*>|([-+]?(?:\d+\.?\d*|\.\d+))")


def _slow_items(body: bytes) -> list:
    items, _ = Walker._array_slow(body + b"]", 0)
    return items


class Font:
    """What text needs of a font: code length, codes to text, widths, .notdef codes."""

    def __init__(self, font, notdef: dict[int, str]):
        self.dict = font
        self.used: dict[int, int] = {}  # code -> first page it is shown on (see glyphs.py)
        self.page = 0  # the page being walked, set by the walker when text selects the font
        self.two_byte = font.get("/Subtype") == "/Type0"
        self.notdef = notdef
        self.unicode: dict[int, str] = _Default("")
        self.damaged: set[int] = set()  # codes whose ToUnicode text is known to be wrong
        self.widths: dict[int, float] = {}
        self.default_width = 1000.0 if self.two_byte else 500.0
        to_unicode = font.get("/ToUnicode")
        # A Type 3 font (glyphs drawn by the PDF itself, as Ghostscript re-draws some fonts)
        # without a ToUnicode map prints glyphs whose text nothing says.
        self.unreadable = to_unicode is None and font.get("/Subtype") == "/Type3"
        if to_unicode is not None:
            try:
                unicode, self.damaged = _cmap(to_unicode.get_object().get_data())
                self.unicode = _Default("", unicode)
            except Exception:  # a broken CMap leaves the codes to the fallback below
                self.unicode = _Default("")
        if self.two_byte:
            descendant = font["/DescendantFonts"][0].get_object()
            self.default_width = float(descendant.get("/DW", 1000))
            w = descendant.get("/W")
            if w is not None:
                items = list(w.get_object())
                i = 0
                while i + 1 < len(items):
                    first = int(items[i])
                    second = items[i + 1]
                    second = second.get_object() if hasattr(second, "get_object") else second
                    if isinstance(second, list):
                        for k, width in enumerate(second):
                            self.widths[first + k] = float(width)
                        i += 2
                    else:
                        for code in range(first, int(second) + 1):
                            self.widths[code] = float(items[i + 2])
                        i += 3
        else:
            first = int(font.get("/FirstChar", 0))
            for k, width in enumerate(font.get("/Widths") or []):
                self.widths[first + k] = float(width)

    def show_array(self, array: "_Array"):
        """A TJ array written as hex strings and numbers, taken whole: its text, advance in
        glyph units, glyphs, word spaces, the sum of its numbers, .notdef characters."""
        body = array.body
        if b"(" in body:
            return self.show_items(_slow_items(body))
        kerning = sum(map(float, filter(None, _KERNING.findall(body))))
        raw = _hex(b"".join(_HEX_DIGITS.findall(body)))
        text, units, count, spaces, missing = self.show(raw)
        return text, units, count, spaces, kerning, missing

    def show_items(self, items: list):
        parts, units, count, spaces, kerning, missing = [], 0.0, 0, 0, 0.0, []
        for item in items:
            if isinstance(item, float):
                kerning += item
                continue
            raw = _hex(item[0]) if isinstance(item, tuple) else item
            t, u, c, sp, mi = self.show(raw)
            parts.append(t)
            units, count, spaces = units + u, count + c, spaces + sp
            missing += mi
        return "".join(parts), units, count, spaces, kerning, missing

    def show(self, raw: bytes) -> tuple[str, float, int, int, list[str]]:
        """What showing raw draws: text, advance in glyph units, glyphs, word spaces,
        characters drawn as .notdef. Cached per string: a page shows the same few often."""
        codes = self.codes(raw)
        used, page = self.used, self.page
        for code in codes:
            if code not in used:
                used[code] = page
        if not isinstance(self.widths, _Default):
            self.widths = _Default(self.default_width, self.widths)
        units = sum(map(self.widths.__getitem__, codes))
        spaces = 0 if self.two_byte else codes.count(32)
        missing = [self.notdef[c] for c in codes if c in self.notdef]
        if self.damaged or self.unreadable:
            missing += [_DAMAGED] * (len(codes) if self.unreadable
                                     else sum(1 for c in codes if c in self.damaged))
        return self.text(codes), units, len(codes), spaces, missing

    def codes(self, raw: bytes) -> list[int]:
        if self.two_byte:
            codes = array.array("H", raw[:len(raw) // 2 * 2])
            if sys.byteorder == "little":
                codes.byteswap()
            return codes.tolist()
        return list(raw)

    def text(self, codes: list[int]) -> str:
        if self.unicode:
            return "".join(map(self.unicode.__getitem__, codes))
        if self.two_byte:
            return ""
        return bytes(codes).decode("cp1252", "replace")


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")


def _utf16(hexdigits: bytes) -> str:
    try:
        return bytes.fromhex(hexdigits.decode()).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return ""


def _swapped(hexdigits: bytes) -> bool:
    """A value of several characters written in the wrong byte order ("<66006900>" for
    "fi"), as Ghostscript 10.0 writes ligatures: each unit's low byte is 00."""
    raw = bytes.fromhex(hexdigits.decode()) if len(hexdigits) % 2 == 0 else b""
    return len(raw) >= 4 and not any(raw[1::2]) and all(raw[0::2])


def _cmap(data: bytes) -> tuple[dict[int, str], set[int]]:
    """Codes to text, and the codes whose text is damaged (repaired as far as it goes)."""
    out: dict[int, str] = {}
    damaged: set[int] = set()

    def value(code: int, hexdigits: bytes) -> None:
        if _swapped(hexdigits):
            out[code] = bytes.fromhex(hexdigits.decode()).decode("utf-16-le", "replace")
            damaged.add(code)
        else:
            out[code] = _utf16(hexdigits)

    for section in _BFCHAR.findall(data):
        values = _HEX.findall(section)
        for code, hexdigits in zip(values[0::2], values[1::2]):
            value(int(code, 16), hexdigits)
    for section in _BFRANGE.findall(data):
        for low, high, target in _RANGE.findall(section):
            low, high = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for k, hexdigits in enumerate(_HEX.findall(target)):
                    value(low + k, hexdigits)
            elif low == high:
                value(low, target[1:-1])
            else:
                start = bytes.fromhex(target[1:-1].decode())
                for k in range(high - low + 1):
                    last = int.from_bytes(start[-2:], "big") + k
                    out[low + k] = (start[:-2] + last.to_bytes(2, "big")).decode("utf-16-be",
                                                                                  "replace")
    return out, damaged


def _resource(resources, kind: str) -> dict:
    value = resources.get(kind) if resources is not None else None
    if value is None:
        return {}
    return value.get_object() if hasattr(value, "get_object") else value


class Walker:
    """Walks one page (and the forms it draws) with a font cache shared across pages."""

    def __init__(self, notdef_codes):
        self.fonts: dict[int, Font] = {}
        self.notdef_codes = notdef_codes
        self.budget = Budget()  # one document's: a hostile PDF stops the walk (budget.py)
        self.number = 0  # of the page walked, from 1

    def font(self, font_dict) -> Font:
        key = id(font_dict)
        if key not in self.fonts:
            self.fonts[key] = Font(font_dict, self.notdef_codes(font_dict))
        return self.fonts[key]

    def page(self, page) -> PageContent:
        content = PageContent()
        self.number += 1
        contents = page.get_contents()
        group = _obj(page.get("/Group"))
        if group is not None:
            self._group(group, "the page's transparency group", _obj(page.get("/Resources")),
                        content, "page")
        if contents is not None:
            self._walk(contents.get_data(), page.get("/Resources"), IDENTITY, content, 0, [0])
        for n, annot in enumerate(page.get("/Annots") or [], start=1):
            self._annotation(_obj(annot), n, content)
        return content

    def _annotation(self, annot, n: int, out: PageContent) -> None:
        """What an annotation paints (its normal appearance) and the colour it names."""
        if not hasattr(annot, "get"):
            return
        subtype = str(annot.get("/Subtype", "")).lstrip("/")
        where = f"annotation {n} ({subtype})"
        rect = tuple(float(v) for v in annot.get("/Rect", (0, 0, 0, 0)))
        box = (min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]),
               max(rect[1], rect[3])) if len(rect) == 4 else (0, 0, 0, 0)
        action = _obj(annot.get("/A"))
        uri = str(_obj(action.get("/URI"))) if hasattr(action, "get") and \
            action.get("/URI") is not None else ""
        out.annotations.append((subtype, box, uri))
        for key in ("/C", "/IC"):
            values = _obj(annot.get(key))
            if isinstance(values, list) and len(values) == 3:
                self._use(out, f"its colour ({key})", Space("rgb", "DeviceRGB", 3), where, box)
        appearance = _obj(annot.get("/AP"))
        normal = _obj(appearance.get("/N")) if hasattr(appearance, "get") else None
        if hasattr(normal, "get") and normal.get("/Subtype") != "/Form" and \
                not hasattr(normal, "get_data"):
            normal = next((_obj(v) for v in normal.values() if hasattr(_obj(v), "get_data")),
                          None)
        if normal is not None and hasattr(normal, "get_data"):
            self._scratch(out, lambda scratch: self._form(
                normal, "", IDENTITY, scratch, 1, [0], None, 1.0, where, _Inherited()))

    def _use(self, out: PageContent, what: str, space: "Space", where: str, box) -> None:
        """A colour space used other than by a paint (a group's, a shading's, an image's)."""
        if space.family in ("rgb", "spot", "lab", "other"):
            use = SpaceUse(what, space, where, box)
            if use not in out.spaces:
                out.spaces.append(use)

    def _paint(self, out: PageContent, kind: str, colour, box, where: str, state,
               size: float | None = None, width: float | None = None) -> None:
        space, values = colour
        over = state.overprint_stroke if kind == "stroke" else state.overprint_fill
        key = (kind, space, values, where, over, state.opm if over else 0, state.knockout)
        paint = out.paints.get(key)
        if paint is None:
            out.paints[key] = Paint(kind, space, values, where, box, over, state.knockout,
                                    size=size, width=width, opm=state.opm if over else 0)
            return
        paint.count += 1
        if size is not None and (paint.size is None or size < paint.size):
            paint.size, paint.box = size, box
        if width is not None and (paint.width is None or width < paint.width):
            paint.width, paint.box = width, box

    def _group(self, group, what: str, resources, out: PageContent, where: str) -> bool:
        """A transparency group's blending colour space; True when it knocks out."""
        if not hasattr(group, "get"):
            return False
        if group.get("/CS") is not None:
            self._use(out, what, describe(group["/CS"], _resource(resources, "/ColorSpace")),
                      where, None)
        return bool(group.get("/K", False))

    def _walk(self, data: bytes, resources, ctm: Matrix, out: PageContent, depth: int,
              counter: list[int], clip: Box | None = None, alpha: float = 1.0,
              where: str = "page", inherited: "_Inherited | None" = None) -> None:
        self.budget.stream(len(data))
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        fonts = _resource(resources, "/Font")
        xobjects = _resource(resources, "/XObject")
        states = _resource(resources, "/ExtGState")
        spaces = _resource(resources, "/ColorSpace")
        patterns = _resource(resources, "/Pattern")
        shadings = _resource(resources, "/Shading")
        state = inherited.copy() if inherited is not None else _Inherited()
        stack: list = []
        tm = lm = IDENTITY
        font: Font | None = None
        size = 0.0
        char_space = word_space = rise = 0.0
        scale = 1.0
        leading = 0.0
        path: list[Box] = []
        rects = 0  # rectangles in the path (a lone one is a line when thin)
        cx = cy = 0.0
        operands: list = []
        marks: list = []  # marked content open: an MCID, None, or "artifact"
        pos, n = 0, len(data)
        match = _TOKEN.match
        while pos < n:
            m = match(data, pos)
            if m is None or m.end() == pos:
                pos += 1
                continue
            pos = m.end()
            group = m.lastindex
            if group == 1:
                operands.append(float(m.group(1)))
                continue
            if group == 2:
                operands.append(m.group(2).decode("latin-1"))
                continue
            if group == 5:
                operands.append((m.group(5)[1:-1],))  # hex digits, decoded when shown
                continue
            if group == 6:
                value, pos = _literal(data, pos)
                operands.append(value)
                continue
            if group == 3:
                a = _ARRAY.match(data, pos)
                if a is None:  # literal strings with brackets inside: item by item
                    items, pos = self._array_slow(data, pos)
                else:
                    pos = a.end()
                    items = _Array(a.group(1))
                operands.append(items)
                continue
            if group == 4:
                start, pos = pos, self._skip_dict(data, pos)
                mcid = _MCID.search(data, start, pos)
                operands.append({"MCID": int(mcid[1])} if mcid else {})
                continue
            if group in (8, 9):
                continue
            op = m.group(7)
            if op == b"BI":
                start = data.find(b"ID", pos)
                end = data.find(b"EI", start)
                self._inline_image(data[pos:start] if start >= 0 else b"", spaces, ctm, out,
                                   where, counter, state)
                pos = n if end < 0 else end + 2
                operands = []
                continue
            ops, operands = operands, []
            if op == b"BDC" or op == b"BMC":
                tag = ops[0] if ops else ""
                mcid = ops[1].get("MCID") if op == b"BDC" and len(ops) > 1 and \
                    isinstance(ops[1], dict) else None
                marks.append(("artifact" if tag == "/Artifact" else mcid))
                continue
            if op == b"EMC":
                if marks:
                    marks.pop()
                continue
            if op in (b"Tj", b"TJ", b"'", b'"'):
                if font is None:
                    continue
                if op == b"'" or op == b'"':
                    if op == b'"' and len(ops) >= 3:
                        word_space, char_space = ops[0], ops[1]
                    lm = tm = multiply((1, 0, 0, 1, 0, -leading), lm)
                shown = ops[-1] if ops else None
                if isinstance(shown, _Array):
                    text, units, count, gaps, kerning, missing = font.show_array(shown)
                elif isinstance(shown, tuple):  # a hex string
                    text, units, count, gaps, missing = font.show(_hex(shown[0]))
                    kerning = 0.0
                elif isinstance(shown, (bytes, list)):
                    text, units, count, gaps, kerning, missing = font.show_items(
                        shown if isinstance(shown, list) else [shown])
                else:
                    continue
                if missing:
                    for char in missing:
                        if char is _DAMAGED:
                            out.damaged += 1
                        else:
                            out.notdef.append(char)
                advance = (units / 1000 * size + count * char_space + gaps * word_space
                           - kerning / 1000 * size) * scale
                trm = multiply(tm, ctm)
                if text.strip():
                    box = transform_box(trm, 0, rise - 0.2 * size, advance, rise + 0.8 * size)
                    effective = size * math.sqrt(abs(trm[0] * trm[3] - trm[1] * trm[2]))
                    out.runs.append(Run(text, box, effective, counter[0], state.fill,
                                        *_marked(marks)))
                    counter[0] += 1
                    if state.mode != 3:  # 3: invisible text (an OCR layer) paints nothing
                        self._paint(out, "text", state.fill, box, where, state, size=effective)
                tm = multiply((1, 0, 0, 1, advance, 0), tm)
            elif op == b"Tm":
                if len(ops) == 6:
                    lm = tm = tuple(ops)
            elif op == b"Td" or op == b"TD":
                if len(ops) == 2:
                    if op == b"TD":
                        leading = -ops[1]
                    lm = tm = multiply((1, 0, 0, 1, ops[0], ops[1]), lm)
            elif op == b"T*":
                lm = tm = multiply((1, 0, 0, 1, 0, -leading), lm)
            elif op == b"Tf":
                if len(ops) == 2:
                    size = ops[1]
                    font_dict = fonts.get(ops[0])
                    font_dict = font_dict.get_object() if font_dict is not None else None
                    font = self.font(font_dict) if font_dict is not None else None
                    if font is not None:
                        font.page = self.number
                    if font is not None and all(f is not font.dict for f in out.fonts):
                        out.fonts.append(font.dict)
            elif op == b"BT":
                lm = tm = IDENTITY
            elif op == b"Tc":
                char_space = ops[0] if ops else 0.0
            elif op == b"Tw":
                word_space = ops[0] if ops else 0.0
            elif op == b"Tz":
                scale = (ops[0] if ops else 100.0) / 100
            elif op == b"TL":
                leading = ops[0] if ops else 0.0
            elif op == b"Ts":
                rise = ops[0] if ops else 0.0
            elif op == b"Tr":
                state.mode = int(ops[0]) if ops else 0
            elif op == b"q":
                self.budget.nest(len(stack))
                stack.append((ctm, clip, alpha, state.copy()))
            elif op == b"Q":
                if stack:
                    ctm, clip, alpha, state = stack.pop()
            elif op == b"cm":
                if len(ops) == 6:
                    ctm = multiply(tuple(ops), ctm)
            elif op == b"re":
                if len(ops) == 4:
                    x, y, w, h = ops
                    path.append(transform_box(ctm, x, y, x + w, y + h))
                    rects += 1
            elif op == b"m" or op == b"l":
                if len(ops) == 2:
                    cx, cy = ops
                    path.append(transform_box(ctm, cx, cy, cx, cy))
                    rects = 2
            elif op == b"c" or op == b"v" or op == b"y":
                if len(ops) >= 4:
                    cx, cy = ops[-2], ops[-1]
                    path.append(transform_box(ctm, cx, cy, cx, cy))
                    rects = 2
            elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s"):
                if path:
                    box = (min(p[0] for p in path), min(p[1] for p in path),
                           max(p[2] for p in path), max(p[3] for p in path))
                    if op not in (b"S", b"s"):
                        thin = min(box[2] - box[0], box[3] - box[1]) if rects == 1 else None
                        if clip is not None:
                            box = intersect(clip, box)
                        if box[2] > box[0] and box[3] > box[1]:
                            out.shapes.append(Shape(box, counter[0], alpha >= 0.999))
                            counter[0] += 1
                            self._ink(state.fill, out)
                            self._paint(out, "fill", state.fill, box, where, state, width=thin)
                    if op in (b"S", b"s", b"B", b"B*", b"b", b"b*"):
                        width = state.width * math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
                        self._paint(out, "stroke", state.stroke, box, where, state, width=width)
                path = []
                rects = 0
            elif op == b"W" or op == b"W*":
                if path:
                    box = (min(p[0] for p in path), min(p[1] for p in path),
                           max(p[2] for p in path), max(p[3] for p in path))
                    clip = intersect(clip, box)
            elif op == b"n":
                path = []
                rects = 0
            elif op == b"w":
                state.width = ops[0] if ops and isinstance(ops[0], float) else 1.0
            elif op == b"gs":
                gstate = states.get(ops[0]) if ops else None
                gstate = gstate.get_object() if gstate is not None else None
                if hasattr(gstate, "get"):
                    if "/ca" in gstate:
                        alpha = float(gstate["/ca"])
                    self._extgstate(gstate, ops[0], state, out, where, depth, counter)
            elif op in (b"cs", b"CS"):
                space = describe(ops[0] if ops else "/DeviceGray", spaces)
                # The initial colour of a space: black in process spaces, full tint in a spot.
                values = (0.0,) if space.base is not None else \
                    {"cmyk": (0.0, 0.0, 0.0, 1.0), "gray": (0.0,), "rgb": (0.0, 0.0, 0.0)
                     }.get(space.family, (1.0,) * space.components)
                if op == b"cs":
                    state.fill = (space, values)
                else:
                    state.stroke = (space, values)
                if space.family == "rgb" and where == "page":
                    out.rgb += 1
            elif op in (b"sc", b"scn", b"SC", b"SCN"):
                stroke = op in (b"SC", b"SCN")
                space = (state.stroke if stroke else state.fill)[0]
                values = tuple(v for v in ops if isinstance(v, float))
                name = next((v for v in ops if isinstance(v, str)), None)
                if name is not None:  # a pattern: what it paints is looked at where it is
                    self._pattern(name, patterns, spaces, ctm, out, where, depth, counter,
                                  state)
                    values = (name,)
                if stroke:
                    state.stroke = (space, values)
                else:
                    state.fill = (space, values)
            elif op in (b"rg", b"RG", b"k", b"K", b"g", b"G"):
                family = {b"r": _RGB, b"R": _RGB, b"k": _CMYK, b"K": _CMYK, b"g": _GRAY,
                          b"G": _GRAY}[op[:1]]
                colour = (family, tuple(v for v in ops if isinstance(v, float)))
                if op in (b"rg", b"k", b"g"):
                    state.fill = colour
                else:
                    state.stroke = colour
                if family is _RGB and where == "page":
                    out.rgb += 1
            elif op == b"sh":
                shading = _obj(shadings.get(ops[0])) if ops else None
                if shading is not None:
                    self._shading(shading, f"shading {ops[0]}", spaces, out, where, clip,
                                  state)
            elif op == b"Do":
                if not ops or depth > 8:
                    continue
                xobject = xobjects.get(ops[0])
                xobject = xobject.get_object() if xobject is not None else None
                if xobject is None:
                    continue
                subtype = xobject.get("/Subtype")
                if subtype == "/Image":
                    box = transform_box(ctm, 0, 0, 1, 1)
                    space = describe(xobject.get("/ColorSpace", "/DeviceGray"), spaces) \
                        if not xobject.get("/ImageMask") else state.fill[0]
                    pixels = (int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0)))
                    out.pictures.append(Picture(box, pixels, _legacy(space), counter[0],
                                                xobject, where, ops[0],
                                                intersect(clip, box) if clip else None))
                    counter[0] += 1
                    self._use(out, f"image {ops[0]} ({pixels[0]}x{pixels[1]} px)", space,
                              where, box)
                    if xobject.get("/ImageMask"):
                        self._paint(out, "fill", state.fill, box, where, state)
                    if xobject.get("/SMask") is not None:
                        mask = _obj(xobject["/SMask"])
                        if hasattr(mask, "get") and mask.get("/ColorSpace") is not None:
                            self._use(out, f"soft mask of image {ops[0]}",
                                      describe(mask["/ColorSpace"], spaces), where, box)
                elif subtype == "/Form":
                    self._form(xobject, ops[0], ctm, out, depth + 1, counter, clip, alpha,
                               where, state, resources=resources)

    def _form(self, xobject, name: str, ctm: Matrix, out: PageContent, depth: int,
              counter: list[int], clip, alpha: float, where: str, state: "_Inherited",
              resources=None) -> None:
        """Walk a form XObject; where names it for messages ("form /F1 > form /F2")."""
        here = where
        if name:
            here = f"form {name}" if where == "page" else f"{where} > form {name}"
        inner = state.copy()
        group = _obj(xobject.get("/Group"))
        if group is not None:
            inner.knockout = self._group(group, f"the transparency group of {here}",
                                         xobject.get("/Resources") or resources, out,
                                         here) or inner.knockout
        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
        with self.budget.form(xobject, name or here):
            self._walk(xobject.get_data(), xobject.get("/Resources") or resources,
                       multiply(matrix, ctm), out, depth, counter, clip, alpha, here, inner)

    def _extgstate(self, gstate, name: str, state: "_Inherited", out: PageContent, where: str,
                   depth: int, counter: list[int]) -> None:
        if "/OP" in gstate:
            state.overprint_stroke = bool(gstate["/OP"])
            if "/op" not in gstate:
                state.overprint_fill = state.overprint_stroke
        if "/op" in gstate:
            state.overprint_fill = bool(gstate["/op"])
        if "/OPM" in gstate:
            state.opm = int(gstate["/OPM"])
        mask = _obj(gstate.get("/SMask"))
        if hasattr(mask, "get") and depth < 8:
            where_mask = f"soft mask of {name}" if where == "page" else \
                f"{where} > soft mask of {name}"
            form = _obj(mask.get("/G"))
            if form is not None and hasattr(form, "get_data"):
                group = _obj(form.get("/Group"))
                if group is not None:
                    self._group(group, f"the {where_mask}", form.get("/Resources"), out,
                                where_mask)
                # A mask's content paints no ink: only the colour spaces it uses count.
                scratch = PageContent()
                self._form(form, "", IDENTITY, scratch, depth + 1, [0], None, 1.0,
                           where_mask, _Inherited())
                for use in scratch.spaces:
                    self._use(out, use.what, use.space, use.where, use.box)
                for paint in scratch.paints.values():
                    self._use(out, f"a {paint.kind}'s colour", paint.space, paint.where,
                              paint.box)

    def _pattern(self, name: str, patterns: dict, spaces: dict, ctm: Matrix, out: PageContent,
                 where: str, depth: int, counter: list[int], state: "_Inherited") -> None:
        pattern = _obj(patterns.get(name))
        if pattern is None or depth > 8 or id(pattern) in out.walked:
            return
        out.walked.add(id(pattern))
        here = f"pattern {name}" if where == "page" else f"{where} > pattern {name}"
        if int(pattern.get("/PatternType", 1)) == 2:
            shading = _obj(pattern.get("/Shading"))
            if shading is not None:
                self._shading(shading, f"the shading of pattern {name}", spaces, out, where,
                              None, state)
            gstate = _obj(pattern.get("/ExtGState"))
            if hasattr(gstate, "get"):
                self._extgstate(gstate, name, state.copy(), out, here, depth, counter)
        elif hasattr(pattern, "get_data"):
            matrix = tuple(float(v) for v in pattern.get("/Matrix", IDENTITY))
            self._scratch(out, lambda scratch: self._walk(
                pattern.get_data(), pattern.get("/Resources"), matrix, scratch, depth + 1,
                [0], None, 1.0, here, state.copy()))

    def _scratch(self, out: PageContent, walk) -> None:
        """Walk a pattern cell or an annotation's appearance for its paints and colour spaces
        only: its text and shapes are not the page's (the text and geometry checks')."""
        scratch = PageContent()
        scratch.walked = out.walked
        walk(scratch)
        for use in scratch.spaces:
            self._use(out, use.what, use.space, use.where, use.box)
        for key, paint in scratch.paints.items():
            if key in out.paints:
                out.paints[key].count += paint.count
            else:
                out.paints[key] = paint

    def _shading(self, shading, what: str, spaces: dict, out: PageContent, where: str, box,
                 state: "_Inherited") -> None:
        space = describe(shading.get("/ColorSpace", "/DeviceGray"), spaces)
        self._use(out, what, space, where, box)
        for values in _shading_ends(shading):
            self._paint(out, "shading", (space, values), box, where, state)

    def _inline_image(self, header: bytes, spaces: dict, ctm: Matrix, out: PageContent,
                      where: str, counter: list[int], state: "_Inherited") -> None:
        """An inline image (BI ... ID ... EI): its colour space and where it is placed."""
        found = re.search(rb"/(?:CS|ColorSpace)\s*(/[^\s/\[\]<>()]+|\[[^\]]*\])", header)
        mask = re.search(rb"/(?:IM|ImageMask)\s*true", header)
        width = re.search(rb"/(?:W|Width)\s+(\d+)", header)
        height = re.search(rb"/(?:H|Height)\s+(\d+)", header)
        box = transform_box(ctm, 0, 0, 1, 1)
        pixels = (int(width[1]) if width else 0, int(height[1]) if height else 0)
        if mask:
            self._paint(out, "fill", state.fill, box, where, state)
            return
        raw = found[1].decode("latin-1") if found else "/DeviceGray"
        if raw.startswith("["):
            parts = re.findall(r"/[^\s/\[\]]+", raw)
            space = describe([{"/I": "/Indexed"}.get(parts[0], parts[0]),
                              *parts[1:2]] if parts else "/DeviceGray", spaces)
        else:
            space = describe(raw, spaces)
        out.pictures.append(Picture(box, pixels, _legacy(space), counter[0], None, where,
                                    "inline"))
        counter[0] += 1
        self._use(out, f"inline image ({pixels[0]}x{pixels[1]} px)", space, where, box)

    @staticmethod
    def _ink(fill, out: PageContent) -> None:
        value = ink(*fill)
        if value is not None:
            out.max_ink = max(out.max_ink, value)

    @staticmethod
    def _array_slow(data: bytes, pos: int) -> tuple[list, int]:
        items: list = []
        n = len(data)
        while pos < n:
            m = _TOKEN.match(data, pos)
            if m is None or m.end() == pos:
                pos += 1
                continue
            pos = m.end()
            if m.lastindex == 1:
                items.append(float(m.group(1)))
            elif m.lastindex == 5:
                items.append(_hex(m.group(5)[1:-1]))
            elif m.lastindex == 6:
                value, pos = _literal(data, pos)
                items.append(value)
            elif m.lastindex == 9 and m.group(9) == b"]":
                break
        return items, pos

    @staticmethod
    def _skip_dict(data: bytes, pos: int) -> int:
        depth = 1
        while depth and pos < len(data):
            nxt_open = data.find(b"<<", pos)
            nxt_close = data.find(b">>", pos)
            if nxt_close < 0:
                return len(data)
            if 0 <= nxt_open < nxt_close:
                depth += 1
                pos = nxt_open + 2
            else:
                depth -= 1
                pos = nxt_close + 2
        return pos
