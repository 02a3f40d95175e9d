"""A deck as a PDF: what passes, what LibreOffice converts, and what is refused in words."""

from __future__ import annotations

import http.server
import io
import json
import subprocess
import sys
import threading

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from facilitation.slides import convert
from facilitation.slides.convert import MAX_BYTES, to_pdf
from facilitation.slides.errors import DeckRefused
from facilitation.slides.render import render_pdf
from tests.conftest import ROOT
from tests.slides import pdfs


def test_a_pdf_passes_as_it_came_whatever_its_name():
    pdf = pdfs.pdf_with_pages(2)
    assert to_pdf(pdf, "deck.pdf") is pdf
    assert to_pdf(pdf, "slides.pptx") is pdf  # by its content, not its name


def test_a_pdf_whose_header_comes_after_other_bytes_is_still_a_pdf():
    pdf = b"\xef\xbb\xbf" + b" " * 500 + pdfs.pdf_with_pages(1)
    assert to_pdf(pdf, "deck") is pdf


def test_a_file_over_the_size_limit_is_refused_with_both_sizes():
    data = pdfs.oversized_pdf(MAX_BYTES + 1)
    assert len(data) == MAX_BYTES + 1
    with pytest.raises(DeckRefused) as refused:
        to_pdf(data, "deck.pdf")
    assert "This file is 50.1 MB; a deck can be at most 50 MB." in refused.value.message


def test_a_file_of_exactly_the_limit_is_not_refused_for_its_size():
    data = pdfs.oversized_pdf(MAX_BYTES)
    assert to_pdf(data, "deck.pdf") is data


@pytest.mark.parametrize("name", ["notes.docx", "photo.png", "deck", "deck.pdf.exe"])
def test_other_kinds_of_file_are_refused_with_the_kinds_accepted(name):
    with pytest.raises(DeckRefused) as refused:
        to_pdf(b"PK\x03\x04 something else", name)
    assert refused.value.message == (
        "A deck must be a PDF, a PowerPoint file (.pptx or .ppt) or an OpenDocument "
        f"presentation (.odp); {name} is none of these."
    )


def test_a_keynote_deck_is_refused_with_how_to_export_it():
    with pytest.raises(DeckRefused) as refused:
        to_pdf(b"PK\x03\x04 keynote", "Talk.KEY")
    assert "In Keynote, export the deck as PDF" in refused.value.message


@pytest.mark.parametrize("name", ["deck.pdf", "deck.pptx", "Talk.key"])
def test_an_empty_file_is_refused_as_empty_not_as_the_wrong_kind(name):
    with pytest.raises(DeckRefused) as refused:
        to_pdf(b"", name)
    assert refused.value.message == (
        f"{name} is empty (0 bytes). Export the deck again and upload that file."
    )


def test_a_pdf_by_name_that_is_not_one_inside_is_called_damaged_not_the_wrong_kind():
    with pytest.raises(DeckRefused) as refused:
        to_pdf(b"<html>a download page, saved as a PDF</html>", "Deck.PDF")
    assert refused.value.message == (
        "Deck.PDF is not a PDF inside: the file is damaged or of another kind. Export the "
        "deck as PDF again from your presentation program and upload that."
    )


@pytest.mark.parametrize("name", ["deck.pptx", "deck.odp", "deck.ppt"])
def test_a_file_that_is_not_what_its_name_says_is_refused_before_libreoffice(
    name, monkeypatch
):
    monkeypatch.setattr(convert, "run_office", lambda *args: pytest.fail("converted"))
    with pytest.raises(DeckRefused) as refused:
        to_pdf(b"<html><body>not a deck</body></html>", name)
    assert f"{name} is not the presentation its name says" in refused.value.message


def test_without_libreoffice_the_message_says_to_export_a_pdf(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no soffice on it
    with pytest.raises(DeckRefused) as refused:
        to_pdf(pdfs.pptx_with_slides(1), "talk.pptx")
    assert refused.value.message == (
        "PowerPoint and OpenDocument decks need LibreOffice on the server, and this server "
        "does not have it. In your presentation program, export the deck as PDF (File, "
        "Export as PDF) and upload the PDF."
    )


def test_a_pptx_is_converted_to_a_pdf_of_its_slides(soffice):
    pdf = to_pdf(pdfs.pptx_with_slides(5), "talk.pptx")
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 5
        for number in range(1, 6):
            text = document[number - 1].get_textpage().get_text_bounded()
            title, body = pdfs.page_text(number)
            assert title in text and body in text
    finally:
        document.close()


def test_a_conversion_over_its_time_is_stopped_with_a_message_and_leaves_nothing_running(
    soffice, monkeypatch
):
    monkeypatch.setattr(convert, "CONVERT_SECONDS", 0.2)
    started = []
    popen = subprocess.Popen

    def remember(*args, **kwargs):
        process = popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(convert.subprocess, "Popen", remember)
    with pytest.raises(DeckRefused) as refused:
        to_pdf(pdfs.pptx_with_slides(2), "talk.pptx")
    assert "LibreOffice took longer than 0.2 seconds" in refused.value.message
    (process,) = started
    assert process.returncode is not None
    assert not group_alive(process.pid)


def group_alive(group: int) -> bool:
    """Whether a process of ``group`` still runs (a killed one may linger a moment as a
    zombie until init reaps it: that one runs nothing)."""
    listing = subprocess.run(["ps", "-eo", "pgid=,stat="], capture_output=True, text=True)
    return any(
        row.split()[0] == str(group) and not row.split()[1].startswith("Z")
        for row in listing.stdout.splitlines()
    )


def test_a_deck_cannot_make_the_server_fetch_an_address(soffice):
    """A picture linked to a web address is not fetched: otherwise a deck could make the
    server call any address it can reach (an internal service, a cloud's metadata)."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/linked.png"
        assert to_pdf(pdfs.pptx_linking_to(url), "linked.pptx").startswith(b"%PDF-")
    finally:
        server.shutdown()
        server.server_close()
    assert asked == []


def test_a_deck_cannot_show_a_file_of_the_server(soffice, tmp_path):
    """A picture linked to a file on the server is not drawn: otherwise a deck could show
    the room any image the server's user can read."""
    secret = tmp_path / "secret.png"
    Image.new("RGB", (400, 400), (255, 0, 0)).save(secret)
    pdf = to_pdf(pdfs.pptx_linking_to(secret.as_uri()), "linked.pptx")
    (page,) = render_pdf(pdf)
    drawn = Image.open(io.BytesIO(page.projector)).convert("RGB")
    red = drawn.point(lambda value: 255 if value > 200 else 0).split()[0]
    green = drawn.split()[1].point(lambda value: 255 if value < 60 else 0)
    assert ImageChops.multiply(red, green).getbbox() is None  # no red pixel anywhere


GEVENT_RUN = """
import json
from gevent import monkey
monkey.patch_all()
import gevent, gevent.subprocess, subprocess
from facilitation.slides import convert
from tests.slides import pdfs

ticks = []
ticker = gevent.spawn(lambda: [ticks.append(gevent.sleep(0.01)) for _ in range(100000)])
pdf = convert.to_pdf(pdfs.pptx_with_slides(2), "talk.pptx")
ticker.kill()
print(json.dumps({
    "patched": subprocess.Popen is gevent.subprocess.Popen,
    "pdf": pdf.startswith(b"%PDF-"),
    "ticks": len(ticks),
}))
"""


def test_converting_under_gevent_lets_other_greenlets_run(soffice):
    finished = subprocess.run(
        [sys.executable, "-c", GEVENT_RUN], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert finished.returncode == 0, finished.stderr
    result = json.loads(finished.stdout.splitlines()[-1])
    assert result["patched"] and result["pdf"]
    assert result["ticks"] > 20  # the server's other work went on meanwhile
