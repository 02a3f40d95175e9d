"""Every export file of a session, downloaded and read back by the parser its format needs
(csv, json, zip with the XML of a REFI-QDA project): a file that is cut off, is not UTF-8
or does not parse fails here. Shared by the tests of hostile and old stored text."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from facilitation.exports import formats

# What no export may hold once read: a lone surrogate (not UTF-8), NUL and the other
# controls but tab and line breaks, and the bidi embeddings, overrides and isolates.
UNWRITABLE = re.compile(
    "[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
# JSON writes C0 controls as escapes ("\\u0000"), which every JSON reader takes.
UNWRITABLE_JSON = re.compile("[\ud800-\udfff\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def download_all(client, code: str) -> dict[str, object]:
    """``{file name: its content parsed}`` for every export format of session ``code``."""
    parsed = {}
    for entry in formats.formats():
        response = client.get(f"/facilitator/sessions/{code}/export/{entry.filename}")
        assert response.status_code == 200, (entry.filename, response.status_code)
        parsed[entry.filename] = parse(entry.filename, response.data)
    return parsed


def read_folder(folder: Path) -> dict[str, object]:
    """The files ``flask export`` wrote, parsed."""
    return {path.name: parse(path.name, path.read_bytes()) for path in sorted(folder.iterdir())}


def parse(name: str, data: bytes):
    """``data`` read as the format its file name says; assertion errors say what is wrong."""
    if name.endswith((".zip", ".qdpx")):
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.testzip() is None, name
        return {member: parse(member, archive.read(member)) for member in archive.namelist()}
    text = data.decode("utf-8")  # strict: a surrogate written with surrogatepass fails here
    if name.endswith(".csv"):
        return list(csv.reader(io.StringIO(text, newline="")))
    if name.endswith(".json"):
        return json.loads(text)
    if name.endswith(".qde"):
        return ElementTree.fromstring(data)
    if name.endswith(".html"):
        assert text.rstrip().endswith("</html>"), f"{name} is cut off"
        HTMLParser().feed(text)
        return text
    return text  # the REFI-QDA project's plain-text sources


def strings(value):
    """Every piece of text in a parsed export, to look for what no export may hold."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)
    elif isinstance(value, ElementTree.Element):
        for element in value.iter():
            yield from strings([element.text or "", element.tail or "", *element.attrib.values()])


def unwritable_in(parsed: dict) -> list[tuple[str, str]]:
    """``(file, text)`` for each text of ``parsed`` holding a character no export may hold."""
    found = []
    for name, content in parsed.items():
        if isinstance(content, dict) and name.endswith((".zip", ".qdpx")):
            found.extend(unwritable_in(content))
            continue
        pattern = UNWRITABLE_JSON if name.endswith(".json") else UNWRITABLE
        found.extend((name, text) for text in strings(content) if pattern.search(text))
    return found
