"""A deck as a PDF: a PDF as it came; PowerPoint and OpenDocument decks through LibreOffice.

LibreOffice runs as its own process in a temporary folder with a profile of its own (so two
conversions, or a desktop LibreOffice of the same account, never share one), a time limit,
and its whole process group killed when the time is up: ``soffice`` starts ``soffice.bin``.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from flask_babel import gettext

from . import confined
from .environment import child_environment, python_path
from .errors import DeckRefused

MAX_BYTES = 50 * 1024 * 1024
CONVERT_SECONDS = 120
# LibreOffice's limits (``confined``): the memory a deck may make it use, as the renderer's;
# the largest file it may write, the PDF of a deck at most MAX_BYTES (its pictures passed
# through, or redrawn a little larger). A deck past either is not converted.
OFFICE_MEMORY = 1536 * 1024 * 1024
OFFICE_FILE_BYTES = 2 * MAX_BYTES
PDF_MAGIC = b"%PDF-"
# The PDF standard lets a header start anywhere in the first 1024 bytes.
PDF_HEADER_WITHIN = 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# How each converted kind starts. LibreOffice opens a file by what it holds, not by its
# name: a file of another kind renamed .pptx would be opened as whatever it really is.
CONVERTED = {".pptx": ZIP_MAGIC, ".odp": ZIP_MAGIC, ".ppt": OLE_MAGIC}
MEGABYTE = 1024 * 1024
KEYNOTE = ".key"


def to_pdf(data: bytes, filename: str) -> bytes:
    """``data`` as PDF bytes, or ``DeckRefused`` saying why not and what to upload instead."""
    check_size(data)
    if is_pdf(data):
        return data
    if not data:
        # An empty file (a failed download, a sync placeholder) is no kind of deck: say so,
        # not that its name is wrong.
        raise DeckRefused(
            gettext(
                "%(name)s is empty (0 bytes). Export the deck again and upload that file.",
                name=filename,
            )
        )
    suffix = os.path.splitext(filename)[1].lower()
    if suffix == KEYNOTE:
        raise DeckRefused(keynote_advice())
    if suffix == ".pdf":
        raise DeckRefused(
            gettext(
                "%(name)s is not a PDF inside: the file is damaged or of another kind. "
                "Export the deck as PDF again from your presentation program and upload that.",
                name=filename,
            )
        )
    if suffix not in CONVERTED:
        raise DeckRefused(
            gettext(
                "A deck must be a PDF, a PowerPoint file (.pptx or .ppt) or an OpenDocument "
                "presentation (.odp); %(name)s is none of these.",
                name=filename,
            )
        )
    if not data.startswith(CONVERTED[suffix]):
        raise DeckRefused(
            gettext(
                "%(name)s is not the presentation its name says: the file is damaged or of "
                "another kind. Export the deck as PDF and upload the PDF.",
                name=filename,
            )
        )
    return convert_with_libreoffice(data, suffix)


def keynote_advice() -> str:
    """What to do with a Keynote deck, which nothing here converts."""
    return gettext(
        "Keynote decks cannot be converted here. In Keynote, export the deck as PDF "
        "(File, Export To, PDF) and upload the PDF."
    )


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise DeckRefused(
            gettext(
                "This file is %(size)s; a deck can be at most %(limit)s. Export it with "
                "smaller images, or split it into two decks.",
                size=megabytes(len(data)),
                limit=megabytes(MAX_BYTES),
            )
        )


def megabytes(size: int) -> str:
    """52428801 -> "50.1 MB": rounded up, so a file over the limit never reads as equal to it."""
    tenths = math.ceil(size * 10 / MEGABYTE)
    return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths / 10:.1f} MB"


def is_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:PDF_HEADER_WITHIN]


def office_program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(data: bytes, suffix: str) -> bytes:
    program = office_program()
    if program is None:
        raise DeckRefused(
            gettext(
                "PowerPoint and OpenDocument decks need LibreOffice on the server, and this "
                "server does not have it. In your presentation program, export the deck as "
                "PDF (File, Export as PDF) and upload the PDF."
            )
        )
    with tempfile.TemporaryDirectory(prefix="deck-convert-") as name:
        folder = Path(name)
        source = folder / f"deck{suffix}"
        source.write_bytes(data)
        run_office(program, folder, source)
        output = folder / "out" / "deck.pdf"
        pdf = output.read_bytes() if output.is_file() else b""
    if not is_pdf(pdf):
        raise DeckRefused(
            gettext(
                "LibreOffice could not convert this deck to PDF. Open it in your presentation "
                "program, export it as PDF (File, Export as PDF) and upload the PDF."
            )
        )
    return pdf


# The profile's settings: no macro runs, whatever the document says, and nothing a document
# links to (an image on a web address, another file) is fetched, so a deck cannot make the
# server call an address of its choosing.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def run_office(program: str, folder: Path, source: Path) -> None:
    settings = folder / "profile" / "user" / "registrymodifications.xcu"
    settings.parent.mkdir(parents=True)
    settings.write_text(PROFILE_SETTINGS, encoding="utf-8")
    command = [
        program,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder / "out"),
        str(source),
    ]
    process = subprocess.Popen(
        confined.command(command, OFFICE_MEMORY, math.ceil(CONVERT_SECONDS), OFFICE_FILE_BYTES),
        cwd=folder,
        env=child_environment(HOME=str(folder), PYTHONPATH=python_path()),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so soffice.bin goes with it
    )
    try:
        process.wait(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        raise DeckRefused(
            gettext(
                "LibreOffice took longer than %(seconds)s seconds to convert this deck, so it "
                "was stopped. Export the deck as PDF (File, Export as PDF) and upload the PDF.",
                seconds=CONVERT_SECONDS,
            )
        ) from None
    finally:
        kill_group(process)


def kill_group(process: subprocess.Popen) -> None:
    """End whatever the conversion left running, then reap ``soffice`` itself."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
