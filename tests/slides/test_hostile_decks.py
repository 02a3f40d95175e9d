"""Hostile decks and uploads beyond the issue's list: LibreOffice under the same kind of limits
as the renderer, file names in other scripts, pages of absurd sizes, a compressed content
stream that inflates to hundreds of megabytes, and a page's text full of markup and formulas
in each place it is shown or exported."""

from __future__ import annotations

# The plan editor's fixtures are imported from its tests, and named as the tests' arguments.
# ruff: noqa: F811
import csv
import io
import os
import re
import sqlite3
import stat
import sys
import zlib

import pytest
from sqlalchemy import update

from facilitation.db import get_db
from facilitation.extensions import socketio
from facilitation.models import DeckPage
from facilitation.slides import convert, store
from facilitation.slides.convert import to_pdf
from facilitation.slides.errors import DeckRefused
from facilitation.slides.render import MAX_TEXT, Limits, render_pdf
from facilitation.workshop.identity import screen_key
from tests.plans.test_deck_upload import (  # noqa: F401  (fixtures)
    client,
    folder,
    plan_deck_names,
    upload,
    uploads,
)
from tests.slides import pdfs
from tests.slides.factories import SlidesWorkshop

# LibreOffice ---------------------------------------------------------------------------


def fake_office(tmp_path, monkeypatch) -> None:
    """A "soffice" that writes, as its PDF, the limits it runs under and its PYTHONPATH."""
    program = tmp_path / "bin" / "soffice"
    program.parent.mkdir()
    program.write_text(
        "#!/bin/sh\n"
        "for last; do :; done\n"  # the deck, the last argument
        'out="$(dirname "$last")/out"; mkdir -p "$out"\n'
        '{ echo "%PDF-1.7"; cat /proc/$$/limits; echo "pythonpath=${PYTHONPATH-}"; } '
        '> "$out/deck.pdf"\n'
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{program.parent}{os.pathsep}{os.environ['PATH']}")


def soft_limit(report: str, name: str) -> str:
    """The soft limit ``name`` ("Max address space") in a /proc/PID/limits listing."""
    match = re.search(rf"^{name}\s+(\S+)", report, re.M)
    assert match is not None, name
    return match.group(1)


def test_libreoffice_runs_under_limits_on_memory_time_files_and_no_app_code(tmp_path, monkeypatch):
    fake_office(tmp_path, monkeypatch)
    report = to_pdf(pdfs.pptx_with_slides(1), "talk.pptx").decode()
    assert soft_limit(report, "Max address space") == str(convert.OFFICE_MEMORY)
    assert soft_limit(report, "Max file size") == str(convert.OFFICE_FILE_BYTES)
    assert soft_limit(report, "Max cpu time") == str(convert.CONVERT_SECONDS)
    assert soft_limit(report, "Max open files") == "64"
    assert soft_limit(report, "Max core file size") == "0"
    assert "pythonpath=\n" in report  # LibreOffice's Python gets no path to the app's code


def test_a_deck_libreoffice_cannot_convert_within_its_memory_is_refused(soffice, monkeypatch):
    # LibreOffice needs some hundreds of megabytes of address space to start: under 64 MB
    # it cannot, as it could not go past the limit on a deck that inflates to gigabytes.
    monkeypatch.setattr(convert, "OFFICE_MEMORY", 64 * 1024 * 1024)
    with pytest.raises(DeckRefused) as refused:
        to_pdf(pdfs.pptx_with_slides(1), "talk.pptx")
    assert refused.value.message.startswith("LibreOffice could not convert this deck to PDF.")


# File names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("研修.pdf", "deck.pdf"),  # nothing left of the name in plain letters
        ("....odp", "deck.odp"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a\x00b.pdf", "a-b.pdf"),
        ("rtl\u202efdp.odp", "rtlfdp.odp"),
        ("<img src=x onerror=alert(1)>.pdf", "img src-x onerror-alert-1.pdf"),
    ],
)
def test_a_deck_named_in_another_script_or_with_tricks_is_kept_under_a_plain_name(
    app, client, uploads, uploaded, kept
):
    response = upload(client, name=uploaded)
    assert response.status_code == 200, response.get_json()
    assert plan_deck_names(app) == {kept: 6}


@pytest.mark.parametrize("uploaded", ["研修.pdf.exe", "slides.pdf.html", "deck", "研修"])
def test_a_file_that_is_not_a_deck_by_its_last_extension_is_refused(client, uploads, uploaded):
    assert upload(client, name=uploaded).status_code == 400
    assert uploads == []


# PDFs of absurd shapes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "projector"),
    [
        ((14400, 14400), (1080, 1080)),  # 200 by 200 inches: scaled down, not drawn at 72 dpi
        ((1, 1), (1080, 1080)),  # a point square: scaled up to the screen
        ((14400, 1), (1920, 1)),  # a line: a pixel high, not an empty image
        ((1, 14400), (1, 1080)),
    ],
)
def test_a_page_of_any_size_is_drawn_to_fit_the_screen(size, projector):
    (page,) = render_pdf(pdfs.pdf_with_pages(1, size=size))
    assert page.projector_size == projector
    assert page.phone_size[0] <= 800 and page.phone_size[1] <= 800


def test_a_content_stream_that_inflates_to_hundreds_of_megabytes_is_drawn_in_the_worker():
    content = b"q Q\n" * (100 * 1024 * 1024 // 4)  # 100 MB of drawing, 100 KB compressed
    packed = zlib.compress(content, 9)
    deck = pdfs.assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 960 540] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream",
        ]
    )
    assert len(deck) < 200_000
    (page,) = render_pdf(deck)
    assert page.projector_size == (1920, 1080)
    assert page.text == ""


# A page's text full of markup and formulas -------------------------------------------------

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_BODY = "=cmd|' /C calc'!A0 <img src=x onerror=alert(2)>"


def test_a_pages_text_with_markup_and_a_formula_stays_text_in_the_worker():
    (page,) = render_pdf(pdfs.pdf_with_pages(1, texts=lambda n: (HOSTILE_TITLE, HOSTILE_BODY)))
    # Helvetica's WinAnsi quotes come back typographic; the rest as written.
    assert page.text.startswith(HOSTILE_TITLE + "\n=cmd|")
    assert "<img src=x onerror=alert(2)>" in page.text


@pytest.fixture
def hostile_room(app):
    """A live session whose every page's text is a formula, then markup."""
    room = SlidesWorkshop(app, socketio)
    with room.db() as db:
        db.execute(update(DeckPage).values(text=HOSTILE_BODY + "\n" + HOSTILE_TITLE))
        db.commit()
    yield room
    room.close()


def test_a_pages_hostile_text_is_escaped_on_every_page_and_guarded_in_csv(hostile_room):
    room = hostile_room
    facilitator = room.facilitator()
    assert facilitator.emit("next")["did"] == "page"  # page 2: a slide.shown with its text
    with room.app.test_request_context():
        key = screen_key(room.session())
    base = f"/facilitator/sessions/{room.code}"
    pages = {
        "console": facilitator.http.get(base),
        "projector": room.app.test_client().get(f"/s/{room.code}/screen?key={key}"),
        "phone": room.phone().http.get(f"/p/{room.code}"),
        "report": facilitator.http.get(f"{base}/export/report.html"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        html = response.get_data(as_text=True)
        assert "<script>alert(1)" not in html, where
        assert "<img src=x onerror" not in html, where
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["report"].get_data(as_text=True)
    export = facilitator.http.get(f"{base}/export/slides.csv")
    assert export.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(export.get_data(as_text=True))) for cell in row]
    assert any(cell.startswith("'=cmd|") for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)


# The database while a deck renders --------------------------------------------------------


def test_an_upload_that_renders_while_others_write_is_kept(app, client, monkeypatch):
    """Rendering takes up to minutes, in which the room goes on writing (answers, pages
    shown). The upload holds no transaction open meanwhile: on SQLite one opened before the
    rendering could not become a write after another connection's, and kept the write-ahead
    log from being emptied (what a deletion relies on)."""
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    render = store.render_pdf

    def others_write_meanwhile(pdf, limits=None):
        pages = render(pdf, limits)
        assert not get_db().in_transaction()  # on PostgreSQL too: none idle for minutes
        other = sqlite3.connect(path, isolation_level=None, timeout=5)
        try:  # another connection's write, which the request's snapshot (if any) misses
            other.execute("UPDATE stored_plan SET updated_at = datetime('now', '+1 minute')")
        finally:
            other.close()
        return pages

    monkeypatch.setattr(store, "render_pdf", others_write_meanwhile)
    response = upload(client, data=pdfs.pdf_with_pages(2))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert plan_deck_names(app) == {"framework.pdf": 2}


def test_pages_of_a_megabyte_of_text_each_are_cut_in_the_worker_not_written_whole():
    """The worker writes each page's text into its result file, under its limit on file
    size: a page's text is cut there (to what the server could keep), so pages of fine print
    cannot take the result past that limit and have a valid deck refused."""
    line = "fine print " * 90  # about 1,000 characters a line, 1,000 lines a page
    body = "".join(f"BT /F1 1 Tf 10 {y % 500} Td ({line}) Tj ET\n" for y in range(1000))
    content = body.encode()
    deck = pdfs.assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R 5 0 R 6 0 R] /Count 3 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 960 540] "
                b"/Resources << /Font << /F1 3 0 R >> >> /Contents 7 0 R >>"
                for _ in range(3)
            ),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )
    limits = Limits(file_bytes=2 * 1024 * 1024)  # far over three pages' images and text
    pages = render_pdf(deck, limits)
    assert len(pages) == 3
    assert all(len(page.text) <= MAX_TEXT and "fine print" in page.text for page in pages)


def test_a_result_the_worker_cut_short_is_a_refusal_not_a_failure(monkeypatch):
    """A worker stopped while it wrote its result (killed, or past its file-size limit) leaves
    a file cut short: the deck is refused in words; the server does not fail on it."""
    from facilitation.slides import render

    def cut_short(folder, mode, limits, seconds):
        script = 'open(\'result.json\', \'w\').write(\'{"pages": [{"number": 1, "text": "abc\')'
        return [sys.executable, "-c", script]

    monkeypatch.setattr(render, "worker_command", cut_short)
    with pytest.raises(DeckRefused) as refused:
        render_pdf(pdfs.pdf_with_pages(1))
    assert refused.value.message.startswith("Rendering this deck stopped before it finished")


def test_a_deck_whose_images_together_are_too_heavy_is_refused_before_the_server_reads_them():
    """The server holds a deck's images at once while it stores them: 300 pages of noise
    would be 450 MB. Past the limit the deck is refused with both sizes."""
    deck = pdfs.pdf_with_pages(3)
    sizes = [len(page.projector) + len(page.phone) for page in render_pdf(deck)]
    with pytest.raises(DeckRefused) as refused:
        render_pdf(deck, Limits(images_bytes=sum(sizes) - 1))
    assert refused.value.message.startswith("The pages of this deck make 0.1 MB of images; ")
    assert "a deck's can be at most 0.1 MB" in refused.value.message


# A script hidden in an object stream packed another way ------------------------------------

_OBJECT_STREAM_HEAD = re.compile(rb"(\d+ 0 obj\s*<<)([^>]*?/Type\s*/ObjStm[^>]*)>>\s*stream\r?\n")


def repacked_object_stream(pack) -> bytes:
    """The deck with a script in an object stream (pdfs.scripted_pdf_in_object_stream), that
    stream's dictionary and bytes rewritten by ``pack(dictionary, inflated)``."""
    deck = pdfs.scripted_pdf_in_object_stream()
    head = _OBJECT_STREAM_HEAD.search(deck)
    end = deck.index(b"endstream", head.end())
    inflated = zlib.decompress(deck[head.end() : end].rstrip(b"\r\n"))
    dictionary, data = pack(head.group(2), inflated)
    dictionary = re.sub(rb"/Length \d+", b"/Length %d" % len(data), dictionary)
    stream = head.group(1) + dictionary + b">>\nstream\n" + data + b"\n"
    return deck[: head.start()] + stream + deck[end:]


def hex_packed(dictionary, inflated):
    return dictionary.replace(b"/FlateDecode", b"/ASCIIHexDecode"), inflated.hex().encode() + b">"


def hex_then_flate(dictionary, inflated):
    chain = dictionary.replace(b"/FlateDecode", b"[/ASCIIHexDecode /FlateDecode]")
    return chain, zlib.compress(inflated).hex().encode() + b">"


def escaped_type(dictionary, inflated):
    return dictionary.replace(b"/ObjStm", b"/Obj#53tm"), zlib.compress(inflated)


def not_packed(dictionary, inflated):
    return dictionary.replace(b"/Filter /FlateDecode", b""), inflated


@pytest.mark.parametrize("pack", [hex_packed, hex_then_flate, escaped_type, not_packed])
def test_a_script_in_an_object_stream_packed_another_way_is_refused(pack):
    import pypdfium2 as pdfium

    deck = repacked_object_stream(pack)
    # PDFium reads the stream so packed: the catalog is in it (with the script it opens).
    document = pdfium.PdfDocument(deck)
    assert len(document) == 2
    document.close()
    with pytest.raises(DeckRefused) as refused:
        render_pdf(deck)
    assert refused.value.message.startswith("This PDF contains JavaScript")
