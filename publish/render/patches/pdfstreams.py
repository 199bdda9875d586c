"""Compressed PDF streams, remembered for the life of the process.

pydyf (WeasyPrint's PDF writer) deflates every stream at level 9, and when the file gets an
identifier (PDF/X-4 asks for one) it deflates every stream twice: once to hash the file,
once to write it. The same bytes come round again and again: the colour profile (200 KB,
0.25 s a time) in every issue, the font subsets of an issue rebuilt after an edit that
added no new character, the pages an edit did not touch. Deflating the same bytes at the
same level gives the same output, so remembering it changes nothing in the PDF.

pydyf reaches zlib through its module's `zlib` name; install() puts a stand-in there that
answers `compressobj` from memory and passes everything else to zlib. The largest streams
are kept on disk too, for the next process (see STORED).
"""
from __future__ import annotations

import hashlib
import os
import threading
import zlib
from collections import OrderedDict
from pathlib import Path

from .. import private

LIMIT = 64 * 1024 * 1024  # bytes of compressed streams kept; the least recently used go


class _Memory:
    def __init__(self, limit: int = LIMIT):
        self.limit = limit
        self.kept: OrderedDict[tuple, bytes] = OrderedDict()
        self.size = 0
        self.hits = self.misses = 0
        self.lock = threading.Lock()

    def deflate(self, data: bytes, options: tuple) -> bytes:
        key = (options, len(data), hashlib.sha256(data).digest())
        with self.lock:
            found = self.kept.get(key)
            if found is not None:
                self.kept.move_to_end(key)
                self.hits += 1
                return found
        deflated = _stored(data, options, key[2]) if len(data) >= STORED else None
        if deflated is None:
            compressor = zlib.compressobj(**dict(options))
            deflated = compressor.compress(data) + compressor.flush()
            if len(data) >= STORED:
                _store(deflated, options, key[2])
        with self.lock:
            self.misses += 1
            if key not in self.kept:
                self.kept[key] = deflated
                self.size += len(deflated)
            while self.size > self.limit and self.kept:
                _, dropped = self.kept.popitem(last=False)
                self.size -= len(dropped)
        return deflated


memory = _Memory()

# Streams this large are also kept on disk, in publish's private temporary folder, for the
# next process: the colour profile took 0.25 s to deflate in every `publish build`.
STORED = 128 * 1024


def _file(options: tuple, digest: bytes) -> Path:
    settings = "-".join(f"{k}{v}" for k, v in options)
    return (private.folder() / "deflated" /
            f"{digest.hex()}-{settings}-zlib{zlib.ZLIB_RUNTIME_VERSION}")


def _stored(data: bytes, options: tuple, digest: bytes) -> bytes | None:
    """The stream deflated by an earlier process, if it inflates back to `data`."""
    try:
        deflated = _file(options, digest).read_bytes()
        if zlib.decompress(deflated) == data:
            return deflated
    except (OSError, zlib.error):
        pass
    return None


def _store(deflated: bytes, options: tuple, digest: bytes) -> None:
    try:
        path = _file(options, digest)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        temp.write_bytes(deflated)
        os.replace(temp, path)  # two processes at once each leave a whole file
    except OSError:
        pass  # a cache: without it the next process deflates again


class _Compressor:
    """zlib's compressobj as pydyf uses it: all the data, then flush()."""

    def __init__(self, options: tuple):
        self.options = options
        self.parts: list[bytes] = []

    def compress(self, data) -> bytes:
        self.parts.append(bytes(data))
        return b""

    def flush(self, mode: int = zlib.Z_FINISH) -> bytes:
        if mode != zlib.Z_FINISH:  # never from pydyf; a partial flush is zlib's business
            raise ValueError("only a finishing flush is supported")
        data, self.parts = b"".join(self.parts), []
        return memory.deflate(data, self.options)


class _Zlib:
    """zlib, with compressobj() remembering what it deflated."""

    def compressobj(self, *args, **options):
        if args:  # not how pydyf calls it: plain zlib
            return zlib.compressobj(*args, **options)
        return _Compressor(tuple(sorted(options.items())))

    def __getattr__(self, name):
        return getattr(zlib, name)


def install() -> None:
    import pydyf
    if not isinstance(pydyf.zlib, _Zlib):
        pydyf.zlib = _Zlib()
