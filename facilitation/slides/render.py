"""A PDF's pages as images and text, rendered by ``worker.py`` in a process of its own.

The worker runs twice: ``inspect`` (open, refuse what is refused, count the pages) under a
short time limit, then ``render`` under a limit that grows with the page count, so a one-page
deck that hangs is stopped in seconds, not minutes. Each run has limits on memory, processor
time and file size set in the child, and is killed when its time is up. Under gevent,
``subprocess`` is patched, so the server's other greenlets run while a deck renders.
"""

from __future__ import annotations

import json
import logging
import math
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext, ngettext

from facilitation.errors import Refused
from facilitation.text import REPLACEMENT, clean_text, writable

from .convert import megabytes
from .environment import child_environment, python_path
from .errors import DeckRefused

log = logging.getLogger(__name__)

MAX_PAGES = 300
GIGABYTE = 1024**3
# Characters of one page's text kept: a full slide has a thousand or two.
MAX_TEXT = 10_000
# Characters of a page's text the worker hands over: enough for MAX_TEXT once cleaned.
TEXT_READ = MAX_TEXT * 2


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 1536 * 1024 * 1024
    max_pages: int = MAX_PAGES
    inspect_seconds: float = 30
    page_seconds: float = 5
    max_seconds: float = 300
    file_bytes: int = 64 * 1024 * 1024  # any one file it writes; a page image is under 1 MB
    # All of a deck's images together: the server holds them at once while it stores them.
    # 300 photographs come to about 150 MB; 300 pages of noise (a hostile deck) to 450.
    images_bytes: int = 256 * 1024 * 1024


LIMITS = Limits()


@dataclass(frozen=True)
class RenderedPage:
    number: int  # 1-based
    text: str
    projector: bytes  # WebP
    projector_size: tuple[int, int]
    phone: bytes  # WebP
    phone_size: tuple[int, int]


def render_pdf(pdf: bytes, limits: Limits | None = None) -> list[RenderedPage]:
    """Every page of ``pdf``, or ``DeckRefused`` saying in plain words why not."""
    limits = limits or LIMITS
    with tempfile.TemporaryDirectory(prefix="deck-render-") as name:
        folder = Path(name)
        (folder / "deck.pdf").write_bytes(pdf)
        count = run_worker(folder, "inspect", limits, limits.inspect_seconds)["pages"]
        seconds = min(limits.max_seconds, limits.inspect_seconds + limits.page_seconds * count)
        result = run_worker(folder, "render", limits, seconds)
        images = sum(path.stat().st_size for path in folder.glob("*.webp"))
        if images > limits.images_bytes:
            raise DeckRefused(too_heavy(images, limits))
        return [read_page(folder, page) for page in result["pages"]]


def run_worker(folder: Path, mode: str, limits: Limits, seconds: float) -> dict:
    result_file, log_file = folder / "result.json", folder / f"{mode}.log"
    result_file.unlink(missing_ok=True)
    # Its errors go to a file, not a pipe: the worker's file-size limit bounds what it writes.
    with log_file.open("wb") as errors:
        try:
            finished = subprocess.run(
                worker_command(folder, mode, limits, seconds),
                cwd=folder,
                env=child_environment(PYTHONPATH=python_path()),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                timeout=seconds,  # then run() kills the worker and waits for it
            )
        except subprocess.TimeoutExpired:
            raise DeckRefused(too_slow(seconds)) from None
    result = read_result(result_file)
    if result is None:
        log.warning(
            "deck worker (%s) ended with %s and no complete result: %s",
            mode,
            finished.returncode,
            tail(log_file),
        )
        raise DeckRefused(stopped(limits))
    if "refused" in result:
        raise DeckRefused(refusal_message(result, limits))
    return result


def read_result(path: Path) -> dict | None:
    """The worker's result, or None when it wrote none or stopped while writing it (killed,
    or past its limit on file size): a file cut short is no answer, and no failure here."""
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return result if isinstance(result, dict) else None


def tail(path: Path, size: int = 2000) -> str:
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - size))
        return file.read().decode("utf-8", "replace")


def worker_command(folder: Path, mode: str, limits: Limits, seconds: float) -> list[str]:
    return [
        sys.executable,
        "-m",
        "facilitation.slides.worker",
        str(folder),
        mode,
        f"--memory={limits.memory_bytes}",
        f"--cpu={math.ceil(seconds)}",
        f"--file-size={limits.file_bytes}",
        f"--max-pages={limits.max_pages}",
        f"--max-text={TEXT_READ}",
    ]


def read_page(folder: Path, page: dict) -> RenderedPage:
    number = int(page["number"])
    return RenderedPage(
        number=number,
        text=page_text(page["text"]),
        projector=(folder / f"{number}-projector.webp").read_bytes(),
        projector_size=tuple(page["projector"]),
        phone=(folder / f"{number}-phone.webp").read_bytes(),
        phone_size=tuple(page["phone"]),
    )


def page_text(raw: str) -> str:
    """A page's text layer as it is stored: what cannot be stored or shown taken out (PDFs
    mark hyphens and unknown glyphs with controls), lines kept, spaces tidied, and no longer
    than a slide's text can sensibly be (a page of fine print is cut, not refused)."""
    try:
        text = clean_text(writable(raw[:TEXT_READ]).replace(REPLACEMENT, ""), lines=True)
    except Refused:  # only invisible characters: no text
        return ""
    return text[:MAX_TEXT].rstrip()


def refusal_message(result: dict, limits: Limits) -> str:
    reason = result["refused"]
    if reason == "too_many_pages":
        return gettext(
            "This deck has %(pages)s pages; a deck can have at most %(limit)s. Split it into "
            "smaller decks, or upload only the pages the workshop shows.",
            pages=result["pages"],
            limit=limits.max_pages,
        )
    if reason == "broken_page":
        return gettext(
            "Page %(page)s of this PDF could not be read: the file is damaged. Export the "
            "deck as PDF again and upload that.",
            page=result["page"],
        )
    if reason == "memory":
        return stopped(limits)
    return REFUSALS[reason]()


REFUSALS = {
    "broken": lambda: gettext(
        "This file could not be read as a PDF: it is damaged or not a PDF. Export the deck "
        "as PDF again from your presentation program and upload that."
    ),
    "encrypted": lambda: gettext(
        "This PDF is protected by a password or encryption, so it cannot be shown. Export "
        "the deck as PDF again without a password and upload that."
    ),
    "scripted": lambda: gettext(
        "This PDF contains JavaScript, which a deck here may not. Export the slides as a "
        "plain PDF (File, Export as PDF) and upload that."
    ),
    "no_pages": lambda: gettext("This PDF has no pages."),
}


def too_slow(seconds: float) -> str:
    return ngettext(
        "This deck took longer than %(num)d second to render, so it was stopped. Export it "
        "with simpler pages or smaller images, or split it into smaller decks.",
        "This deck took longer than %(num)d seconds to render, so it was stopped. Export it "
        "with simpler pages or smaller images, or split it into smaller decks.",
        math.ceil(seconds),
    )


def too_heavy(size: int, limits: Limits) -> str:
    return gettext(
        "The pages of this deck make %(size)s of images; a deck's can be at most %(limit)s. "
        "Export it with simpler pages, or split it into smaller decks.",
        size=megabytes(size),
        limit=megabytes(limits.images_bytes),
    )


def stopped(limits: Limits) -> str:
    return gettext(
        "Rendering this deck stopped before it finished: it needs more memory than the "
        "server allows a deck (%(limit)s), or the file is damaged. Export it as PDF with "
        "smaller images, or split it into smaller decks.",
        limit=memory_text(limits.memory_bytes),
    )


def memory_text(size: int) -> str:
    """1610612736 -> "1.5 GB"; under a gigabyte in megabytes."""
    if size < GIGABYTE:
        return megabytes(size)
    return f"{size / GIGABYTE:.1f}".removesuffix(".0") + " GB"
