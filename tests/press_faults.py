"""Print faults and unusual-but-valid constructs put into a good PDF with pypdf: a page's
content, resources and dictionary extended with PDF objects written as Python values."""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, BooleanObject, ContentStream, DecodedStreamObject,
                           DictionaryObject, FloatObject, NameObject, NumberObject,
                           TextStringObject)


class Stream:
    def __init__(self, entries: dict, data: bytes):
        self.entries, self.data = entries, data


def pdf(writer: PdfWriter, value):
    """A Python value as a PDF object: dict, list, "/Name", "text", bool, number, Stream."""
    if isinstance(value, Stream):
        stream = DecodedStreamObject()
        for key, item in value.entries.items():
            stream[NameObject(key)] = pdf(writer, item)
        stream.set_data(value.data)
        return writer._add_object(stream)
    if isinstance(value, dict):
        return DictionaryObject({NameObject(k): pdf(writer, v) for k, v in value.items()})
    if isinstance(value, list):
        return ArrayObject(pdf(writer, v) for v in value)
    if isinstance(value, bool):
        return BooleanObject(value)
    if isinstance(value, int):
        return NumberObject(value)
    if isinstance(value, float):
        return FloatObject(value)
    if isinstance(value, str) and value.startswith("/"):
        return NameObject(value)
    if isinstance(value, str):
        return TextStringObject(value)
    return value


def edited(source: Path, target: Path, page: int, paint: bytes = b"", before: bytes = b"",
           resources: dict | None = None, entries: dict | None = None,
           profile: bytes | None = None) -> Path:
    """source with paint drawn last on page (in the page's own coordinates: points, y up),
    before run first, resources added to the page's (by kind: /ColorSpace, /Shading...),
    entries set in the page dictionary, or the output intent's profile replaced."""
    writer = PdfWriter(clone_from=str(source))
    p = writer.pages[page - 1]
    if paint or before:
        stream = ContentStream(p.get_contents(), writer)
        stream.set_data(before + b"\nq\n" + stream.get_data() + b"\nQ\n" + paint + b"\n")
        p.replace_contents(stream)
    held = p["/Resources"].get_object()
    for kind, items in (resources or {}).items():
        if kind not in held:
            held[NameObject(kind)] = DictionaryObject()
        group = held[kind].get_object()
        for name, value in items.items():
            group[NameObject(name)] = pdf(writer, value)
    for key, value in (entries or {}).items():
        p[NameObject(key)] = pdf(writer, value)
    if profile is not None:
        intent = writer._root_object["/OutputIntents"][0].get_object()
        intent["/DestOutputProfile"].get_object().set_data(profile)
    writer.write(str(target))
    return target
