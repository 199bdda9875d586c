"""The press preflight: what a prepress desk rejects that the plan and the fonts cannot see.

From the paints the content walker recorded (content.py) and the output intent:

- total ink (C+M+Y+K) over the print condition's limit, in vector paint, text, shadings
  and image pixels;
- rich black (black with cyan, magenta or yellow under it) in text under 12 pt, which
  blurs with the slightest misregister;
- lines under 0.125 pt (strokes, and fills of one thin rectangle), which break up on
  press;
- overprint on white (the white vanishes) or inside a knockout group;
- spot colours (a plate beyond the four) that the layout does not declare in
  `--spot-colours`;
- RGB anywhere: paints, shadings, patterns, blending groups, soft masks, images,
  annotations (their appearance streams and colours), forms, ICC-based RGB;
- annotations outside the trim, and web links (screen furniture);
- the output profile identified by its content (its header, colour space, description,
  profile ID and SHA-256 digest) against the declared condition.

Each finding names the page, the object (page content, a form, a pattern, an
annotation...) and the amount. They stand between the PDF and press: severity "proof",
"error" under --press; RGB and a profile that is not the condition's are errors always.
"""
from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..conditions import ink_limit
from ..errors import PublishError
from ..source.layout import resolve
from .colour import Space, cmyk, ink, is_white
from .report import Report

HAIRLINE = 0.125  # points
RICH_BLACK_BELOW = 12.0  # points
# Output profiles known by their content: SHA-256 of the file -> (condition, name). See
# layouts/base/color/README.md for where each comes from.
KNOWN_PROFILES: dict[str, tuple[str, str]] = {
    "9d54aff92a289dc8bdac188bdfe8c87f811b2c149e0da424748264b27c4cd03d":
        ("FOGRA39", "publish's own FOGRA39 profile (ArgyllCMS, from FOGRA39L.ti3; not a "
                    "standard profile)"),
    "128dc02f7246cc3807af0323695379f64151a8f27a587736acc59f8b6ce894b8":
        ("FOGRA39", "ECI's ISO Coated v2 (ISOcoated_v2_eci.icc, 2009)"),
    "c6b4b62f0726243742eced8b9669476a6be89e581f50a7600ed8b6fcbb9cdab8":
        ("FOGRA39", "ECI's ISO Coated v2 300% (ISOcoated_v2_300_eci.icc, 2009)"),
}
# Words in a profile's description that name a print condition.
_CONDITION_WORDS = [
    (re.compile(r"fogra\s*39|iso\s*coated\s*v2(?!.*(?:300|uncoated))|coated\s*fogra\s*39", re.I),
     "FOGRA39"),
    (re.compile(r"fogra\s*51|pso\s*coated\s*v3", re.I), "FOGRA51"),
    (re.compile(r"fogra\s*52|pso\s*uncoated\s*v3", re.I), "FOGRA52"),
    (re.compile(r"fogra\s*47|pso\s*uncoated", re.I), "FOGRA47"),
    (re.compile(r"swop|tr\s*00[135]", re.I), "SWOP"),
    (re.compile(r"gracol|tr\s*006|crpc\s*6", re.I), "GRACoL"),
    (re.compile(r"japan\s*colou?r", re.I), "Japan Color"),
]


@dataclass(frozen=True)
class Profile:
    """An ICC profile as its own bytes describe it."""

    size: int  # bytes in the file
    declared_size: int  # the header's
    version: str
    device_class: str  # 'prtr' for a printer
    space: str  # 'CMYK'
    pcs: str
    description: str
    sha256: str
    id_ok: bool | None  # the header's MD5 profile ID against the content (None: no ID)


def read_profile(data: bytes) -> Profile | None:
    if len(data) < 132:
        return None
    declared = struct.unpack(">I", data[0:4])[0]
    version = f"{data[8]}.{data[9] >> 4}"
    stored_id = data[84:100]
    id_ok = None
    if any(stored_id):
        blanked = bytearray(data)
        blanked[44:48] = b"\0" * 4
        blanked[64:68] = b"\0" * 4
        blanked[84:100] = b"\0" * 16
        id_ok = hashlib.md5(bytes(blanked)).digest() == stored_id
    return Profile(len(data), declared, version, data[12:16].decode("latin-1").strip(),
                   data[16:20].decode("latin-1").strip(), data[20:24].decode("latin-1").strip(),
                   _description(data), hashlib.sha256(data).hexdigest(), id_ok)


def _description(data: bytes) -> str:
    count = struct.unpack(">I", data[128:132])[0]
    for k in range(min(count, 200)):
        sig, offset, size = struct.unpack(">4sII", data[132 + 12 * k:144 + 12 * k])
        if sig != b"desc":
            continue
        tag = data[offset:offset + size]
        if tag[:4] == b"desc":  # ICC v2: an ASCII count and string
            n = struct.unpack(">I", tag[8:12])[0]
            return tag[12:12 + n].split(b"\0")[0].decode("latin-1")
        if tag[:4] == b"mluc":  # ICC v4: the first localised record, UTF-16
            records = struct.unpack(">I", tag[8:12])[0]
            if records:
                length, at = struct.unpack(">II", tag[20:28])
                return tag[at:at + length].decode("utf-16-be", "replace").rstrip("\0")
    return ""


def profile_condition(profile: Profile) -> str | None:
    """The print condition a profile's description names, if any."""
    for pattern, condition in _CONDITION_WORDS:
        if pattern.search(profile.description):
            return condition
    return None


@lru_cache(maxsize=8)
def _declared(sheets: tuple[Path, ...], stamps: tuple[float, ...]) -> frozenset[str]:
    names: set[str] = set()
    for sheet in sheets:
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        for m in re.finditer(r"--spot-colou?rs\s*:\s*([^;}]+)", css):
            names = {a or b for a, b in re.findall(r"\"([^\"]+)\"|'([^']+)'", m[1])}
    return frozenset(names)


def declared_spots(layouts: Path, name: str) -> frozenset[str]:
    """The spot colours a layout declares (`--spot-colours: "PANTONE 286 C"` in :root)."""
    try:
        sheets = tuple(resolve(layouts, name).stylesheets)
    except PublishError:
        return frozenset()
    return _declared(sheets, tuple(s.stat().st_mtime for s in sheets))


def _where(box, trim) -> str:
    if not box or not trim:
        return ""
    x0, y0, x1, y1 = box
    mm = 25.4 / 72
    def span(a: float, b: float) -> str:
        a, b = f"{max(a, 0) * mm:.0f}", f"{max(b, 0) * mm:.0f}"
        return a if a == b else f"{a}-{b}"
    return f" at {span(x0 - trim[0], x1 - trim[0])} mm across, " \
           f"{span(trim[3] - y1, trim[3] - y0)} mm down"


def _object(where: str) -> str:
    return "the page content" if where == "page" else where


def _values(space: Space, values: tuple) -> str:
    inks = cmyk(space, values)
    if inks is not None:
        return "/".join(f"{v * 100:.0f}" for v in inks)
    return " ".join(f"{v:g}" for v in values if isinstance(v, float))


def _named(condition: str) -> str:
    return condition or "the print condition"


def _times(count: int) -> str:
    return "" if count == 1 else f" ({count} times)"


_image_inks: dict[int, float | None] = {}  # by image object, for one check


def image_ink(picture) -> float | None:
    """The most ink an image's pixels lay down (C+M+Y+K, percent), over 4x4-pixel cells so
    that one stray pixel is not the figure; None for images not in process colour."""
    if picture.xobject is None:
        return None
    key = id(picture.xobject)
    if key not in _image_inks:
        _image_inks[key] = _pixels_ink(picture)
    return _image_inks[key]


def _pixels_ink(picture) -> float | None:
    try:
        import numpy as np
        image = picture.xobject.decode_as_image()
    except Exception:  # an image pypdf cannot decode: its other checks speak of it
        return None
    if image.mode not in ("CMYK", "L", "1"):
        return None
    if image.width >= 8 and image.height >= 8:
        image = image.reduce(4)
    pixels = np.asarray(image, dtype=np.float64)
    if image.mode == "CMYK":
        return float(pixels.sum(axis=2).max()) / 255 * 100
    return float(255 - pixels.min()) / 255 * 100 if image.mode == "L" else 100.0


def check_press(facts, report: Report, spots: frozenset[str], press: bool) -> dict:
    """Add the press preflight's findings; return the measured facts for the report."""
    severity = "error" if press else "proof"
    _image_inks.clear()
    intents = [i for i in facts.output_intents if i.subtype == "/GTS_PDFX"]
    condition = intents[0].condition if intents else ""
    limit = ink_limit(condition)
    rgb = "error" if any(i.components == 4 for i in intents) else "warning"
    worst = (0.0, 0, "")
    hairlines, spots_found, overprints = [], set(), 0
    for number, content in enumerate(facts.contents, start=1):
        trim = facts.boxes[number - 1].trim or facts.boxes[number - 1].media
        for paint in content.paints.values():
            amount = ink(paint.space, paint.values)
            what = {"fill": "a fill", "stroke": "a line", "text": "text",
                    "shading": "a shading"}[paint.kind]
            where = f"{_object(paint.where)}{_where(paint.box, trim)}"
            if amount is not None:
                if amount > worst[0]:
                    worst = (amount, number, f"{paint.kind}, {_object(paint.where)}")
                if amount > limit + 0.5:
                    report.add(severity, "ink-limit",
                               f"{what} of {amount:.0f}% ink ({_values(paint.space, paint.values)}"
                               f") in {where}{_times(paint.count)}: over {_named(condition)}'s "
                               f"{limit}%", number)
            inks = cmyk(paint.space, paint.values)
            if paint.kind == "text" and inks and paint.size is not None and \
                    paint.size < RICH_BLACK_BELOW and inks[3] >= 0.85 and max(inks[:3]) > 0.05:
                report.add(severity, "rich-black",
                           f"text at {paint.size:.1f} pt in rich black "
                           f"{_values(paint.space, paint.values)} in {where}"
                           f"{_times(paint.count)}: text under {RICH_BLACK_BELOW:.0f} pt is "
                           "set in black ink alone (0/0/0/100), or it blurs in register",
                           number)
            if paint.kind in ("stroke", "fill") and paint.width is not None and \
                    paint.width < HAIRLINE:
                hairlines.append((paint.width, number))
                report.add(severity, "hairline",
                           f"{'a line' if paint.kind == 'stroke' else 'a filled rule'} "
                           f"{paint.width:.3f} pt wide in {where}{_times(paint.count)}: lines "
                           f"under {HAIRLINE} pt break up on press", number)
            if paint.overprint and is_white(paint.space, paint.values) and \
                    (paint.space.family != "cmyk" or paint.space.colorants or paint.opm == 1):
                # White in DeviceCMYK vanishes under overprint mode 1 (its zeros leave the
                # plates below alone); gray and spot white always (they paint one plate).
                overprints += 1
                report.add(severity, "overprint",
                           f"{what} in white with overprint on, in {where}{_times(paint.count)}"
                           ": overprinted white vanishes on press", number)
            elif paint.overprint and paint.knockout:
                overprints += 1
                report.add(severity, "overprint",
                           f"{what} with overprint on inside a knockout group, in {where}"
                           f"{_times(paint.count)}: the RIP's result is undefined", number)
            if paint.space.family == "spot":
                undeclared = [n for n in paint.space.colorants
                              if n not in spots and n not in ("Cyan", "Magenta", "Yellow",
                                                              "Black", "None", "All")]
                spots_found.update(paint.space.colorants)
                if undeclared:
                    report.add(severity, "spot-colour",
                               f"{what} in {paint.space.name} in {where}{_times(paint.count)}: "
                               f"a plate the layout does not declare "
                               f"({', '.join(undeclared)}; declare it in --spot-colours)",
                               number)
            if paint.space.family == "rgb" and paint.where != "page" and \
                    paint.kind != "shading":  # a shading's space is said below, once
                report.add(rgb, "colour", f"{what} in {paint.space.name} in {where} under "
                                          "the CMYK print condition: give it in CMYK", number)
        for use in content.spaces:
            where = f"{_object(use.where)}{_where(use.box, trim)}"
            if use.space.family == "rgb":
                if use.what.startswith(("image", "inline image")):
                    continue  # said below with the image, as it always was
                report.add(rgb, "colour", f"{use.what} in {use.space.name} ({where}) under the "
                                          "CMYK print condition: give it in CMYK", number)
            elif use.space.family == "spot":
                spots_found.update(use.space.colorants)
                undeclared = [n for n in use.space.colorants if n not in spots
                              and n not in ("Cyan", "Magenta", "Yellow", "Black", "None", "All")]
                if undeclared and not use.what.startswith(("shading", "the shading")):
                    report.add(severity, "spot-colour",
                               f"{use.what} in {use.space.name} ({where}): a plate the layout "
                               f"does not declare ({', '.join(undeclared)}; declare it in "
                               "--spot-colours)", number)
        for n, (subtype, box, uri) in enumerate(content.annotations, start=1):
            outside = box[0] < trim[0] - 0.5 or box[1] < trim[1] - 0.5 or \
                box[2] > trim[2] + 0.5 or box[3] > trim[3] + 0.5
            if outside:
                report.add(severity, "annotation",
                           f"annotation {n} ({subtype}){_where(box, trim)} reaches outside the "
                           "trim: a print file keeps none there", number)
            elif uri:
                report.add(severity, "annotation",
                           f"annotation {n} is a link to {uri[:60]}: screen furniture, which "
                           "the print edition leaves out", number)
        for picture in content.pictures:
            amount = image_ink(picture)
            if amount is None:
                continue
            label = f"image {picture.name}" if picture.name != "inline" else "an inline image"
            if amount > worst[0]:
                worst = (amount, number, f"{label}, {_object(picture.where)}")
            if amount > limit + 0.5:
                report.add(severity, "ink-limit",
                           f"{label} ({picture.pixels[0]}x{picture.pixels[1]} px) in "
                           f"{_object(picture.where)}{_where(picture.box, trim)} lays down up to "
                           f"{amount:.0f}% ink: over {_named(condition)}'s "
                           f"{limit}% (convert it with the condition's profile)", number)
    profile = _check_profile(facts, report, condition, press)
    return {
        "ink": {"percent": round(worst[0], 1), "page": worst[1], "object": worst[2],
                "limit": limit} if worst[1] else None,
        "thinnest_line_pt": round(min(hairlines)[0], 3) if hairlines else None,
        "spot_colours": sorted(spots_found - {"Cyan", "Magenta", "Yellow", "Black", "None",
                                              "All"}),
        "overprint_faults": overprints,
        "output_profile": profile,
    }


def _check_profile(facts, report: Report, condition: str, press: bool) -> dict | None:
    data = facts.output_profile
    if data is None:
        return None
    profile = read_profile(data)
    if profile is None:
        report.add("error", "output-intent", f"the output intent's profile ({len(data)} bytes) "
                                              "is not an ICC profile")
        return None
    described = profile_condition(profile)
    known = KNOWN_PROFILES.get(profile.sha256)
    said = f"the output profile \"{profile.description}\" (sha256 {profile.sha256[:16]}...)"
    if profile.device_class != "prtr" or profile.space != "CMYK":
        report.add("error", "output-intent", f"{said} is a {profile.space} "
                                              f"'{profile.device_class}' profile, not a CMYK "
                                              "printer profile")
    elif profile.declared_size != profile.size or profile.id_ok is False:
        report.add("error", "output-intent",
                   f"{said} is damaged or edited: " + (
                       f"its header says {profile.declared_size} bytes, it has {profile.size}"
                       if profile.declared_size != profile.size else
                       "its profile ID (MD5) does not match its content"))
    elif known and known[0] != condition:
        report.add("error", "output-intent", f"{said} is {known[1]}, a {known[0]} profile, "
                                              f"but the output intent declares {condition}")
    elif described and described != condition:
        report.add("error", "output-intent", f"{said} describes {described}, but the output "
                                              f"intent declares {condition}: a RIP converts to "
                                              "the profile, not to the label")
    elif not known:
        report.add("error" if press else "proof", "output-profile",
                   f"{said} is not a {condition} profile publish knows by its content: a "
                   "printer's portal that identifies profiles by content may reject it")
    return {"description": profile.description, "sha256": profile.sha256,
            "class": profile.device_class, "space": profile.space, "version": profile.version,
            "known_as": known[1] if known else None, "bytes": profile.size}
