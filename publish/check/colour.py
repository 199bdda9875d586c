"""Colour spaces as a printer sees them: which plates a colour uses and how much ink.

Every colour space PDF has (ISO 32000, 8.6) is sorted into a family: process CMYK or gray
(the four plates), RGB (DeviceRGB, CalRGB, an ICC profile of 3 components: converted by
the printer, so not what the layout chose), spot (a Separation or DeviceN naming a plate
other than the four), Lab (device independent, converted by the RIP), Indexed (by its
base), Pattern (by what the pattern paints). Ink is C+M+Y+K in percent, for process
colours only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PROCESS = {"Cyan", "Magenta", "Yellow", "Black"}
_DEVICE = {"/DeviceRGB": "rgb", "/DeviceCMYK": "cmyk", "/DeviceGray": "gray", "/RGB": "rgb",
           "/CMYK": "cmyk", "/G": "gray", "/Pattern": "pattern", "/CalRGB": "rgb",
           "/CalGray": "gray", "/CalCMYK": "cmyk"}


@dataclass(frozen=True)
class Space:
    family: str  # cmyk, gray, rgb, spot, lab, pattern, other
    name: str  # what a message calls it: "DeviceRGB", "ICCBased RGB", "Separation 'PANTONE 286 C'"
    components: int
    colorants: tuple[str, ...] = ()  # DeviceN and Separation: the plates named
    base: "Space | None" = None  # Indexed: its base space


def _name(value) -> str:
    """A PDF name without its slash, #xx escapes decoded ("PANTONE#20286#20C")."""
    text = str(_obj(value)).lstrip("/")
    return re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m[1], 16)), text)


def _obj(value):
    return value.get_object() if hasattr(value, "get_object") else value


def describe(space, named: dict | None = None, depth: int = 0) -> Space:
    """A colour space (a name, a resource name, or an array) as a Space."""
    space = _obj(space)
    if isinstance(space, str):
        if space in _DEVICE:
            family = _DEVICE[space]
            return Space(family, space.lstrip("/"), {"rgb": 3, "cmyk": 4, "gray": 1}.get(family, 0))
        if named is not None and space in named and depth < 4:
            return describe(named[space], named, depth + 1)
        return Space("other", space.lstrip("/"), 0)
    if not isinstance(space, list) or not space:
        return Space("other", str(space), 0)
    kind = str(_obj(space[0]))
    if kind == "/ICCBased":
        n = int(_obj(space[1]).get("/N", 0))
        family = {1: "gray", 3: "rgb", 4: "cmyk"}.get(n, "other")
        return Space(family, f"ICCBased {family.upper() if family != 'other' else n}", n)
    if kind in _DEVICE:
        family = _DEVICE[kind]
        return Space(family, kind.lstrip("/"), {"rgb": 3, "cmyk": 4, "gray": 1}.get(family, 0))
    if kind == "/Lab":
        return Space("lab", "Lab", 3)
    if kind in ("/Indexed", "/I") and len(space) > 1:
        base = describe(space[1], named, depth + 1)
        return Space(base.family, f"Indexed {base.name}", 1, base.colorants, base)
    if kind == "/Separation" and len(space) > 1:
        name = _name(space[1])
        if name in PROCESS:
            return Space("cmyk", f"Separation {name}", 1, (name,))
        if name in ("All", "None"):
            return Space("cmyk", f"Separation {name}", 1, (name,))
        return Space("spot", f"Separation '{name}'", 1, (name,))
    if kind == "/DeviceN" and len(space) > 1:
        names = tuple(_name(n) for n in _obj(space[1]))
        spots = tuple(n for n in names if n not in PROCESS and n != "None")
        listed = ", ".join(f"'{n}'" for n in names)
        return Space("spot" if spots else "cmyk", f"DeviceN {listed}", len(names), names)
    if kind == "/Pattern":
        return Space("pattern", "Pattern", 0)
    return Space("other", kind.lstrip("/"), 0)


def ink(space: Space, values: tuple[float, ...]) -> float | None:
    """C+M+Y+K in percent of a process colour, None when it is not one (or not known)."""
    if space.family == "cmyk" and not space.colorants and len(values) == 4:
        return sum(values) * 100
    if space.family == "gray" and space.base is None and len(values) == 1:
        return (1 - values[0]) * 100
    if space.colorants and len(values) == len(space.colorants) and \
            all(n in PROCESS for n in space.colorants):
        return sum(values) * 100
    if space.colorants == ("All",) and len(values) == 1:
        return values[0] * 400
    return None


def cmyk(space: Space, values: tuple[float, ...]) -> tuple[float, float, float, float] | None:
    """The four process inks of a colour, None when it is not a process colour."""
    if space.family == "cmyk" and not space.colorants and len(values) == 4:
        return tuple(values)
    if space.family == "gray" and space.base is None and len(values) == 1:
        return (0.0, 0.0, 0.0, 1 - values[0])
    if space.colorants and len(values) == len(space.colorants) and \
            all(n in PROCESS for n in space.colorants):
        inks = dict(zip(space.colorants, values))
        return tuple(inks.get(n, 0.0) for n in ("Cyan", "Magenta", "Yellow", "Black"))
    return None


def is_white(space: Space, values: tuple[float, ...]) -> bool:
    """Paper: no ink at all (what overprint makes vanish)."""
    inks = cmyk(space, values)
    if inks is not None:
        return all(v <= 0.001 for v in inks)
    if space.family == "spot" and values:
        return all(v <= 0.001 for v in values)
    return False
