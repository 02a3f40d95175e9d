"""Whether a PDF holds JavaScript where PDFium does not count it.

PDFium counts the scripts of the document's Names tree (the worker asks it); an /OpenAction,
an /AA (additional actions) entry, a link or a form field can hold a script too, and PDFium
has no call that reports those. The build in pypdfium2's wheel has no JavaScript engine, so
nothing could run; a deck that carries scripts is refused all the same, as nothing on a
slide needs one. A script action must be named: ``/S /JavaScript`` and its ``/JS``. Those
names are looked for in the file's dictionaries and in its compressed object streams, where
dictionaries can hide; not in page content, images or string values, which are not actions
(a slide about JavaScript is not refused for its text).

This runs in the worker, inside its limits: decompressing is what a hostile file could make
expensive.
"""

from __future__ import annotations

import re
import zlib

SCRIPT_NAMES = frozenset({b"JS", b"JavaScript"})
# A stream's bytes run from the keyword ``stream`` to ``endstream``; a non-greedy match is
# enough here, as this only has to find names, not parse the file.
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
# The one way exporters pack an object stream: /Filter /FlateDecode, alone (or in an array).
_FLATE_ONLY = re.compile(rb"/Filter\s*(?:/FlateDecode|\[\s*/FlateDecode\s*\])(?![\w#])")
_STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)", re.S)  # innermost literal string
_COMMENT = re.compile(rb"%[^\r\n]*")
_NAME = re.compile(rb"/([^\s()<>\[\]{}/%]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# How far before ``stream`` its dictionary is looked for, and how much one object stream may
# inflate to: object streams hold dictionaries, a few kilobytes to a few megabytes.
DICTIONARY_WITHIN = 4096
MAX_INFLATED = 64 * 1024 * 1024
# Nested literal strings are taken off innermost first, one level a pass.
MAX_STRING_DEPTH = 32


def holds_javascript(pdf: bytes) -> bool:
    outside = _STREAM.sub(b"stream endstream", pdf)
    if names_javascript(outside):
        return True
    return any(
        inflated is None or names_javascript(inflated) for inflated in object_streams(pdf)
    )


def object_streams(pdf: bytes):
    """The inflated bytes of each object stream (as they are if not packed); None for one
    packed otherwise than with Flate alone (ASCIIHex, a predictor, a chain of filters...).
    PDFium reads those too, and a script could hide in them; no presentation program writes
    one, so such a file is refused as one that holds a script rather than decoded here
    filter by filter."""
    for match in _STREAM.finditer(pdf):
        before = pdf[max(0, match.start() - DICTIONARY_WITHIN) : match.start()]
        # Names may spell any byte as #xx: /Obj#53tm is /ObjStm to PDFium.
        dictionary = unescape(before[before.rfind(b"obj") :])
        if _OBJECT_STREAM.search(dictionary):
            if b"/Filter" not in dictionary:
                yield match.group(1)  # not packed: read as it is
                continue
            if not _FLATE_ONLY.search(dictionary) or b"/DecodeParms" in dictionary:
                yield None
                continue
            inflated = inflate(match.group(1))
            if inflated:
                yield inflated


def inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, MAX_INFLATED)
    except zlib.error:
        return b""  # not Flate, or damaged: PDFium will say whether it can read it


def names_javascript(syntax: bytes) -> bool:
    for _ in range(MAX_STRING_DEPTH):
        syntax, found = _STRING.subn(b" ", syntax)
        if not found:
            break
    syntax = _COMMENT.sub(b"", syntax)
    return any(unescape(name) in SCRIPT_NAMES for name in _NAME.findall(syntax))


def unescape(name: bytes) -> bytes:
    """``J#61vaScript`` -> ``JavaScript``: a name may spell any byte as #xx."""
    return _ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), name)
