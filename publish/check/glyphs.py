"""Every code a page shows, resolved through the embedded font program as a RIP does.

poppler and PDFium (publish's own pictures) pick a CFF glyph by its glyph id and forgive
a font whose CIDs are not its glyph ids; Ghostscript, MuPDF and a RIP follow the PDF
specification (ISO 32000, 9.7.4): a code is mapped to a CID by the font's encoding CMap,
the CID to a glyph by the CFF charset (a CIDFontType0) or the CIDToGIDMap (a
CIDFontType2), and that glyph is what prints. So a code is good only when the glyph it
resolves to exists, is not .notdef, has an outline where its character is visible, and is
not the glyph the font program's own cmap gives another character. Each code that fails
names its character (from ToUnicode), the first page it is shown on and the font.
"""
from __future__ import annotations

import io
import re
import struct
import unicodedata
from dataclasses import dataclass
from hashlib import sha256

from fontTools.cffLib import CFFFontSet
from fontTools.misc.psCharStrings import T2CharString
from fontTools.ttLib import TTFont

_SUBSET = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class Unresolved:
    page: int
    char: str  # the text ToUnicode gives the code ("" when it gives none)
    font: str  # BaseFont without its subset tag
    why: str  # what a conforming reader finds

    @property
    def message(self) -> str:
        if len(self.char) == 1:
            shown = f"'{self.char}' (U+{ord(self.char):04X})"
        elif self.char:
            shown = f"'{self.char}'"
        else:
            shown = "a character"
        return f"{shown} in font {self.font} {self.why}"


@dataclass
class _Program:
    """What resolving needs of one embedded font program."""

    glyphs: int  # number of glyphs
    cid_keyed: bool = False  # a CFF with a ROS: CIDs go through its charset
    charset: list | None = None  # CFF: (first gid, first cid, count) ranges
    empty: object = None  # gid -> True when the glyph has no outline
    owners: dict | None = None  # gid -> characters the program's cmap maps to it

    def gid_of_cid(self, cid: int) -> int | None:
        if not self.cid_keyed:
            return cid if cid < self.glyphs else None
        for first_gid, first_cid, count in self.charset:
            if first_cid <= cid < first_cid + count:
                return first_gid + cid - first_cid
        return None


_programs: dict[str, _Program | None] = {}  # by the font file's digest, for the process


def unresolved(fonts) -> list[Unresolved]:
    """The codes shown in fonts (the walker's Font objects) that resolve to no right glyph."""
    out: list[Unresolved] = []
    for font in fonts:
        if not font.used:
            continue
        try:
            out += _check(font)
        except Exception:  # a font program fontTools cannot read: other rules speak of it
            continue
    return out


def _obj(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _check(font) -> list[Unresolved]:
    top = font.dict
    subtype = top.get("/Subtype")
    if subtype != "/Type0":
        return _check_simple(font)
    descendant = _obj(top["/DescendantFonts"][0])
    name = _SUBSET.sub("", str(descendant.get("/BaseFont", top.get("/BaseFont", ""))).lstrip("/"))
    descriptor = _obj(descendant.get("/FontDescriptor")) or {}
    kind = descendant.get("/Subtype")
    if kind == "/CIDFontType0" and "/FontFile3" in descriptor:
        stream = _obj(descriptor["/FontFile3"])
        program = _program(stream.get_data(), "cff", str(stream.get("/Subtype", "")))
    elif kind == "/CIDFontType2" and "/FontFile2" in descriptor:
        program = _program(_obj(descriptor["/FontFile2"]).get_data(), "truetype", "")
    else:
        return []  # not embedded: font-embedded says so
    if program is None:
        return []
    to_cid = _encoding(top)
    to_gid = _cid_to_gid(descendant) if kind == "/CIDFontType2" else None
    out = []
    for code, page in font.used.items():
        cid = to_cid(code)
        if cid is None or cid == 0:
            continue  # .notdef by the encoding itself: missing-glyph's .notdef rule says so
        char = font.unicode[code] if font.unicode else ""
        if kind == "/CIDFontType2":
            gid = to_gid(cid)
            if gid is None or gid >= program.glyphs:
                out.append(Unresolved(page, char, name, f"is CID {cid}, which maps to no "
                                      f"glyph of the embedded font ({program.glyphs} glyphs): "
                                      "a RIP prints nothing or a box"))
                continue
        else:
            gid = program.gid_of_cid(cid)
            if gid is None:
                out.append(Unresolved(page, char, name, f"is CID {cid}, which the embedded "
                                      "font's CFF charset does not have: a RIP prints "
                                      ".notdef (a box or nothing)"))
                continue
        why = _wrong_glyph(program, gid, char)
        if why:
            out.append(Unresolved(page, char, name, f"is CID {cid}, glyph {gid} of the "
                                  f"embedded font, {why}"))
    return out


def _wrong_glyph(program: _Program, gid: int, char: str) -> str:
    if gid == 0:
        return "its .notdef: a RIP prints a box or nothing"
    visible = any(not c.isspace() and unicodedata.category(c)[0] not in "CZ" for c in char)
    if visible and program.empty(gid):
        return "which has no outline: a RIP prints a blank"
    owners = program.owners.get(gid) if program.owners else None
    if visible and len(char) == 1 and owners and char not in owners:
        other = "".join(sorted(owners))[:3]
        return f"which the font gives to '{other}': a RIP prints that instead"
    return ""


def _program(data: bytes, kind: str, subtype: str) -> _Program | None:
    key = sha256(data).hexdigest()
    if key not in _programs:
        try:
            _programs[key] = _read_cff(data, subtype) if kind == "cff" else _read_truetype(data)
        except Exception:
            _programs[key] = None
    return _programs[key]


def _owners(cmap: dict[int, int]) -> dict[int, set[str]]:
    owners: dict[int, set[str]] = {}
    for codepoint, gid in cmap.items():
        owners.setdefault(gid, set()).add(chr(codepoint))
    return owners


def _read_cff(data: bytes, subtype: str) -> _Program:
    # fontTools names every glyph of the charset (63,000 in a CJK face) as soon as its
    # glyph order or charstrings are asked for; the charset's ranges, the charstrings'
    # INDEX and the cmap are read here from the bytes instead, for the glyphs shown.
    cmap = None
    if subtype == "/OpenType":
        ttfont = TTFont(io.BytesIO(data), lazy=True)
        raw = ttfont.reader["CFF "]
        cmap = _cmap(ttfont.reader["cmap"]) if "cmap" in ttfont.reader else None
    else:
        raw = data
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(raw), None, isCFF2=False)
    top = cff[cff.fontNames[0]]
    charstring, count = _index(raw, top.rawDict["CharStrings"])
    program = _Program(count, cid_keyed="ROS" in top.rawDict)
    program.charset = _charset_ranges(raw, top.rawDict.get("charset", 0), count)
    program.owners = _owners(cmap) if cmap else None

    def empty(gid: int) -> bool:
        glyph = T2CharString(bytecode=charstring(gid))
        glyph.decompile()
        ops = [op for op in glyph.program if isinstance(op, str)]
        return not any(op.endswith(("moveto", "lineto", "curveto", "flex", "flex1", "hflex",
                                    "hflex1", "subr")) for op in ops)
    program.empty = empty
    return program


def _index(raw: bytes, pos: int):
    """A CFF INDEX at pos: a function giving item i's bytes, and the count."""
    count = int.from_bytes(raw[pos:pos + 2], "big")
    if count == 0:
        return (lambda i: b""), 0
    size = raw[pos + 2]
    offsets = pos + 3
    base = offsets + (count + 1) * size - 1

    def item(i: int) -> bytes:
        at = offsets + i * size
        start = int.from_bytes(raw[at:at + size], "big")
        end = int.from_bytes(raw[at + size:at + 2 * size], "big")
        return raw[base + start:base + end]
    return item, count


def _cmap(table: bytes) -> dict[int, int]:
    """Code points to glyph ids from an OpenType cmap (its Unicode subtable, format 4 or 12)."""
    count = int.from_bytes(table[2:4], "big")
    best = None
    for k in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * k)
        fmt = int.from_bytes(table[offset:offset + 2], "big")
        rank = {(3, 10, 12): 0, (0, 4, 12): 1, (0, 6, 12): 1, (3, 1, 4): 2, (0, 3, 4): 3}.get(
            (platform, encoding, fmt), 4 if (platform == 0 and fmt in (4, 12)) else None)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, offset, fmt)
    out: dict[int, int] = {}
    if best is None:
        return out
    _, offset, fmt = best
    if fmt == 12:
        (groups,) = struct.unpack_from(">I", table, offset + 12)
        for g in range(groups):
            first, last, gid = struct.unpack_from(">III", table, offset + 16 + 12 * g)
            for k in range(last - first + 1):
                out[first + k] = gid + k
        return out
    segments = int.from_bytes(table[offset + 6:offset + 8], "big") // 2
    ends = offset + 14
    starts = ends + 2 * segments + 2
    deltas = starts + 2 * segments
    ranges = deltas + 2 * segments
    for k in range(segments):
        end, start = struct.unpack_from(">H", table, ends + 2 * k)[0], \
            struct.unpack_from(">H", table, starts + 2 * k)[0]
        delta, range_offset = struct.unpack_from(">hH", table, deltas + 2 * k)[0], \
            struct.unpack_from(">H", table, ranges + 2 * k)[0]
        for code in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                gid = (code + delta) & 0xFFFF
            else:
                at = ranges + 2 * k + range_offset + 2 * (code - start)
                gid = struct.unpack_from(">H", table, at)[0]
                gid = (gid + delta) & 0xFFFF if gid else 0
            if gid:
                out[code] = gid
    return out


def _charset_ranges(raw: bytes, offset: int, count: int) -> list[tuple[int, int, int]]:
    """A CFF charset as (first gid, first cid or SID, count) ranges; gid 0 is .notdef."""
    ranges = [(0, 0, 1)]
    if offset in (0, 1, 2) or count <= 1:  # the predefined ISOAdobe/Expert charsets
        return ranges + [(1, 1, count - 1)] if count > 1 else ranges
    fmt = raw[offset]
    pos, gid = offset + 1, 1
    while gid < count:
        if fmt == 0:
            (sid,) = struct.unpack_from(">H", raw, pos)
            pos += 2
            ranges.append((gid, sid, 1))
            gid += 1
            continue
        if fmt == 1:
            sid, left = struct.unpack_from(">HB", raw, pos)
            pos += 3
        else:
            sid, left = struct.unpack_from(">HH", raw, pos)
            pos += 4
        ranges.append((gid, sid, left + 1))
        gid += left + 1
    return ranges


def _read_truetype(data: bytes) -> _Program:
    ttfont = TTFont(io.BytesIO(data), lazy=True)
    glyphs = ttfont["maxp"].numGlyphs
    program = _Program(glyphs)
    if "loca" in ttfont:
        loca = ttfont["loca"]
        program.empty = lambda gid: gid + 1 >= len(loca) or loca[gid] == loca[gid + 1]
    else:
        program.empty = lambda gid: False
    if "cmap" in ttfont.reader:
        program.owners = _owners(_cmap(ttfont.reader["cmap"]))
    return program


_CIDCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*(\d+)")
_CIDRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)")
_SECTION = re.compile(rb"begincid(char|range)(.*?)endcid\1", re.S)


def _encoding(font):
    """code -> CID by the Type0 font's encoding: Identity-H, or an embedded CMap."""
    encoding = _obj(font.get("/Encoding"))
    if encoding in ("/Identity-H", "/Identity-V") or not hasattr(encoding, "get_data"):
        return lambda code: code
    chars: dict[int, int] = {}
    ranges: list[tuple[int, int, int]] = []
    for kind, body in _SECTION.findall(encoding.get_data()):
        if kind == b"char":
            for code, cid in _CIDCHAR.findall(body):
                chars[int(code, 16)] = int(cid)
        else:
            for low, high, cid in _CIDRANGE.findall(body):
                ranges.append((int(low, 16), int(high, 16), int(cid)))

    def to_cid(code: int) -> int | None:
        if code in chars:
            return chars[code]
        for low, high, cid in ranges:
            if low <= code <= high:
                return cid + code - low
        return None  # unmapped: CID 0 by the specification
    return to_cid


def _cid_to_gid(descendant):
    mapping = _obj(descendant.get("/CIDToGIDMap", "/Identity"))
    if not hasattr(mapping, "get_data"):
        return lambda cid: cid
    table = mapping.get_data()

    def to_gid(cid: int) -> int | None:
        if 2 * cid + 2 > len(table):
            return None
        return int.from_bytes(table[2 * cid:2 * cid + 2], "big")
    return to_gid


def _check_simple(font) -> list[Unresolved]:
    """A simple font (TrueType, Type 1, Type 3): each code must name a glyph the program has."""
    top = font.dict
    name = _SUBSET.sub("", str(top.get("/BaseFont", top.get("/Subtype", ""))).lstrip("/"))
    subtype = top.get("/Subtype")
    if subtype == "/Type3":
        procs = _obj(top.get("/CharProcs")) or {}
        names = _differences(top)
        return [Unresolved(page, font.unicode[code] if font.unicode else chr(code), name,
                           "has no glyph procedure in the Type 3 font: a RIP prints nothing")
                for code, page in font.used.items()
                if names.get(code) is None or names[code] not in procs]
    descriptor = _obj(top.get("/FontDescriptor")) or {}
    if subtype == "/TrueType" and "/FontFile2" in descriptor:
        ttfont = TTFont(io.BytesIO(_obj(descriptor["/FontFile2"]).get_data()), lazy=True)
        tables = {(t.platformID, t.platEncID): t.cmap for t in ttfont["cmap"].tables}
        out = []
        for code, page in font.used.items():
            unicode = ord(bytes([code]).decode("cp1252", "replace"))
            found = any(c in tables.get((3, 0), {}) for c in (code, 0xF000 + code)) or \
                code in tables.get((1, 0), {}) or unicode in tables.get((3, 1), {})
            if not found:
                out.append(Unresolved(page, font.unicode[code] if font.unicode else chr(code),
                                      name, f"is code {code}, which the embedded TrueType "
                                      "font's cmap does not map: a RIP prints .notdef"))
        return out
    if "/FontFile3" in descriptor and str(_obj(descriptor["/FontFile3"]).get("/Subtype")) \
            == "/Type1C":
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(_obj(descriptor["/FontFile3"]).get_data()), None)
        top_dict = cff[cff.fontNames[0]]
        glyph_names = set(top_dict.charset)
        names = _differences(top)
        builtin = getattr(top_dict, "Encoding", None)
        out = []
        for code, page in font.used.items():
            glyph = names.get(code)
            if glyph is None and isinstance(builtin, list) and code < len(builtin):
                glyph = builtin[code]
            if glyph is not None and glyph != ".notdef" and glyph not in glyph_names:
                out.append(Unresolved(page, font.unicode[code] if font.unicode else chr(code),
                                      name, f"names glyph /{glyph}, which the embedded font "
                                      "does not have: a RIP prints .notdef"))
        return out
    return []


def _differences(font) -> dict[int, str]:
    encoding = _obj(font.get("/Encoding"))
    names: dict[int, str] = {}
    if hasattr(encoding, "get") and encoding.get("/Differences") is not None:
        code = 0
        for item in _obj(encoding["/Differences"]):
            item = _obj(item)
            if isinstance(item, (int, float)) and not isinstance(item, str):
                code = int(item)
            else:
                names[code] = str(item).lstrip("/")
                code += 1
    return names
