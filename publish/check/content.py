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
- characters drawn with a .notdef glyph, and the fonts text selects.
"""
from __future__ import annotations

import array
import math
import re
import sys
from dataclasses import dataclass, field

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, PDF user space (y up)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Run:
    text: str
    box: Box
    size: float  # effective font size in points
    order: int  # painting order on the page
    colour: tuple[str, tuple[float, ...]]  # (space, components)
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
    box: Box
    pixels: tuple[int, int]
    colour: str
    order: int


@dataclass
class PageContent:
    runs: list[Run] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    rgb: int = 0  # colour operations in RGB
    cmyk: int = 0  # colour operations in CMYK (none may be left in the screen edition)
    max_ink: float = 0.0  # highest C+M+Y+K of a vector fill, percent
    notdef: list[str] = field(default_factory=list)  # characters drawn as .notdef
    fonts: list = field(default_factory=list)  # font dictionaries selected by text
    damaged: int = 0  # glyphs drawn whose text the PDF maps wrongly (see _swapped)


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
        self.shown: dict = {}
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

    def font(self, font_dict) -> Font:
        key = id(font_dict)
        if key not in self.fonts:
            self.fonts[key] = Font(font_dict, self.notdef_codes(font_dict))
        return self.fonts[key]

    def page(self, page) -> PageContent:
        content = PageContent()
        contents = page.get_contents()
        if contents is not None:
            self._walk(contents.get_data(), page.get("/Resources"), IDENTITY, content, 0, [0])
        return content

    def _walk(self, data: bytes, resources, ctm: Matrix, out: PageContent, depth: int,
              counter: list[int], clip: Box | None = None, alpha: float = 1.0) -> None:
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        fonts = _resource(resources, "/Font")
        xobjects = _resource(resources, "/XObject")
        states = _resource(resources, "/ExtGState")
        spaces = _resource(resources, "/ColorSpace")
        stack: list = []
        fill = ("/DeviceGray", (0.0,))
        fill_space = "/DeviceGray"
        tm = lm = IDENTITY
        font: Font | None = None
        size = 0.0
        char_space = word_space = rise = 0.0
        scale = 1.0
        leading = 0.0
        path: list[Box] = []
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
                end = data.find(b"EI", data.find(b"ID", pos))
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
                    text, units, count, spaces, kerning, missing = font.show_array(shown)
                elif isinstance(shown, tuple):  # a hex string
                    text, units, count, spaces, missing = font.show(_hex(shown[0]))
                    kerning = 0.0
                elif isinstance(shown, (bytes, list)):
                    text, units, count, spaces, kerning, missing = font.show_items(
                        shown if isinstance(shown, list) else [shown])
                else:
                    continue
                if missing:
                    for char in missing:
                        if char is _DAMAGED:
                            out.damaged += 1
                        else:
                            out.notdef.append(char)
                advance = (units / 1000 * size + count * char_space + spaces * word_space
                           - kerning / 1000 * size) * scale
                trm = multiply(tm, ctm)
                if text.strip():
                    box = transform_box(trm, 0, rise - 0.2 * size, advance, rise + 0.8 * size)
                    effective = size * math.sqrt(abs(trm[0] * trm[3] - trm[1] * trm[2]))
                    out.runs.append(Run(text, box, effective, counter[0], fill,
                                        *_marked(marks)))
                    counter[0] += 1
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
            elif op == b"q":
                stack.append((ctm, fill, fill_space, clip, alpha))
            elif op == b"Q":
                if stack:
                    ctm, fill, fill_space, clip, alpha = stack.pop()
            elif op == b"cm":
                if len(ops) == 6:
                    ctm = multiply(tuple(ops), ctm)
            elif op == b"re":
                if len(ops) == 4:
                    x, y, w, h = ops
                    path.append(transform_box(ctm, x, y, x + w, y + h))
            elif op == b"m" or op == b"l":
                if len(ops) == 2:
                    cx, cy = ops
                    path.append(transform_box(ctm, cx, cy, cx, cy))
            elif op == b"c" or op == b"v" or op == b"y":
                if len(ops) >= 4:
                    cx, cy = ops[-2], ops[-1]
                    path.append(transform_box(ctm, cx, cy, cx, cy))
            elif op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
                if path:
                    box = (min(p[0] for p in path), min(p[1] for p in path),
                           max(p[2] for p in path), max(p[3] for p in path))
                    if clip is not None:
                        box = intersect(clip, box)
                    if box[2] > box[0] and box[3] > box[1]:
                        out.shapes.append(Shape(box, counter[0], alpha >= 0.999))
                        counter[0] += 1
                        self._ink(fill, out)
                path = []
            elif op == b"W" or op == b"W*":
                if path:
                    box = (min(p[0] for p in path), min(p[1] for p in path),
                           max(p[2] for p in path), max(p[3] for p in path))
                    clip = intersect(clip, box)
            elif op in (b"n", b"S", b"s"):
                path = []
            elif op == b"gs":
                state = states.get(ops[0]) if ops else None
                state = state.get_object() if state is not None else None
                if state is not None and "/ca" in state:
                    alpha = float(state["/ca"])
            elif op == b"cs":
                fill_space = self._space(ops[0] if ops else "", spaces)
                fill = (fill_space, ())
                if fill_space == "/DeviceRGB":
                    out.rgb += 1
                elif fill_space == "/DeviceCMYK":
                    out.cmyk += 1
            elif op == b"CS":
                stroke_space = self._space(ops[0], spaces) if ops else ""
                if stroke_space == "/DeviceRGB":
                    out.rgb += 1
                elif stroke_space == "/DeviceCMYK":
                    out.cmyk += 1
            elif op in (b"sc", b"scn"):
                fill = (fill_space, tuple(v for v in ops if isinstance(v, float)))
            elif op == b"rg":
                fill = ("/DeviceRGB", tuple(ops))
                out.rgb += 1
            elif op == b"RG":
                out.rgb += 1
            elif op == b"k":
                fill = ("/DeviceCMYK", tuple(ops))
                out.cmyk += 1
            elif op == b"K":
                out.cmyk += 1
            elif op == b"g":
                fill = ("/DeviceGray", tuple(ops))
            elif op == b"Do":
                if not ops or depth > 8:
                    continue
                xobject = xobjects.get(ops[0])
                xobject = xobject.get_object() if xobject is not None else None
                if xobject is None:
                    continue
                subtype = xobject.get("/Subtype")
                if subtype == "/Image":
                    space = xobject.get("/ColorSpace")
                    space = space.get_object() if space is not None else ""
                    if isinstance(space, list):
                        name = str(space[0])
                        if name == "/ICCBased":
                            components = int(space[1].get_object().get("/N", 0))
                            name = {3: "/DeviceRGB", 4: "/DeviceCMYK", 1: "/DeviceGray"}.get(
                                components, name)
                        space = name
                    out.pictures.append(Picture(
                        transform_box(ctm, 0, 0, 1, 1),
                        (int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))),
                        str(space), counter[0]))
                    counter[0] += 1
                elif subtype == "/Form":
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                    self._walk(xobject.get_data(), xobject.get("/Resources") or resources,
                               multiply(matrix, ctm), out, depth + 1, counter, clip, alpha)

    @staticmethod
    def _space(name: str, spaces: dict) -> str:
        if name in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray", "/Pattern"):
            return name
        space = spaces.get(name)
        space = space.get_object() if space is not None else None
        if isinstance(space, list) and space:
            kind = str(space[0])
            if kind == "/ICCBased":
                components = int(space[1].get_object().get("/N", 0))
                return {3: "/DeviceRGB", 4: "/DeviceCMYK", 1: "/DeviceGray"}.get(components, kind)
            if kind == "/CalRGB":
                return "/DeviceRGB"
            return kind
        return str(name)

    @staticmethod
    def _ink(fill, out: PageContent) -> None:
        space, values = fill
        if space == "/DeviceCMYK" and len(values) == 4:
            out.max_ink = max(out.max_ink, sum(values) * 100)
        elif space == "/DeviceGray" and len(values) == 1:
            out.max_ink = max(out.max_ink, (1 - values[0]) * 100)

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
