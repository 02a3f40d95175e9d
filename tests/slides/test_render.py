"""Rendering in the worker process: pages, text and sizes of a good deck; each hostile deck
refused with its own message; the time and memory limits end the worker cleanly."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
import time

import pytest
from PIL import Image

from facilitation.slides import render
from facilitation.slides.errors import DeckRefused
from facilitation.slides.render import render_pdf
from facilitation.slides.scripts import holds_javascript
from tests.conftest import ROOT
from tests.slides import pdfs


def webp(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "WEBP"
    return image


def refusal(pdf: bytes, limits=None) -> str:
    with pytest.raises(DeckRefused) as refused:
        render_pdf(pdf, limits)
    return refused.value.message


def test_a_five_page_deck_gives_five_pages_with_their_text_and_webp_images():
    pages = render_pdf(pdfs.pdf_with_pages(5))
    assert [page.number for page in pages] == [1, 2, 3, 4, 5]
    for page in pages:
        title, body = pdfs.page_text(page.number)
        assert page.text == f"{title}\n{body}"
        projector, phone = webp(page.projector), webp(page.phone)
        assert projector.size == page.projector_size == (1920, 1080)
        assert phone.size == page.phone_size == (800, 450)


def test_the_images_show_the_page():
    (page,) = render_pdf(pdfs.pdf_with_pages(1))
    projector = webp(page.projector).convert("L")
    # White paper with black Helvetica on it: mostly white, some dark pixels.
    histogram = projector.histogram()
    assert sum(histogram[:64]) > 1000
    assert sum(histogram[192:]) > 0.9 * projector.width * projector.height


def test_a_portrait_page_keeps_its_proportions():
    (page,) = render_pdf(pdfs.pdf_with_pages(1, size=(595, 842)))  # A4
    assert page.projector_size == (763, 1080) or page.projector_size == (764, 1080)
    assert page.phone_size[1] == 800 and 565 <= page.phone_size[0] <= 566
    assert webp(page.phone).size == page.phone_size


def test_text_keeps_lines_and_drops_what_cannot_be_stored():
    assert render.page_text("Title\r\n\r\n\r\nOne   two\x02\r\nthree\ufffe\u202e") == (
        "Title\n\nOne two\nthree"
    )
    assert render.page_text("\u200b \r\n") == ""


def test_a_broken_pdf_is_refused():
    assert refusal(pdfs.broken_pdf()) == (
        "This file could not be read as a PDF: it is damaged or not a PDF. Export the deck "
        "as PDF again from your presentation program and upload that."
    )


@pytest.mark.parametrize("user_password", ["secret", ""], ids=["password", "owner-only"])
def test_an_encrypted_pdf_is_refused(user_password):
    message = refusal(pdfs.encrypted_pdf(user_password=user_password))
    assert message.startswith("This PDF is protected by a password or encryption")


@pytest.mark.parametrize(
    "make",
    [
        pdfs.scripted_pdf_open_action,
        pdfs.scripted_pdf_names_tree,
        pdfs.scripted_pdf_in_object_stream,
        lambda: pdfs.scripted_pdf_open_action().replace(b"/S /JavaScript", b"/S /J#61vaScript"),
    ],
    ids=["open-action", "names-tree", "object-stream", "escaped-name"],
)
def test_a_pdf_with_javascript_is_refused(make):
    assert refusal(make()).startswith("This PDF contains JavaScript")


def test_a_deck_that_speaks_of_javascript_is_not_refused():
    assert not holds_javascript(pdfs.pdf_about_javascript())
    (page,) = render_pdf(pdfs.pdf_about_javascript())
    assert page.text.startswith("Using /JavaScript and /JS")


def test_a_pdf_of_more_than_300_pages_is_refused_with_its_count():
    assert refusal(pdfs.pdf_with_pages(301)) == (
        "This deck has 301 pages; a deck can have at most 300. Split it into smaller decks, "
        "or upload only the pages the workshop shows."
    )


def test_a_pdf_of_no_pages_is_refused():
    # PDFium does not open a document without a page: it is a damaged file to it.
    assert refusal(pdfs.pdf_with_pages(0)).startswith("This file could not be read as a PDF")


def test_a_deck_that_renders_for_too_long_is_stopped_within_its_time():
    limits = dataclasses.replace(render.LIMITS, max_seconds=2)
    started = time.monotonic()
    message = refusal(pdfs.render_bomb(), limits)
    assert time.monotonic() - started < 10  # it would draw for minutes
    assert message.startswith("This deck took longer than 2 seconds to render")


def test_the_first_look_has_its_own_short_time_limit():
    limits = dataclasses.replace(render.LIMITS, inspect_seconds=0.01)
    assert refusal(pdfs.pdf_with_pages(1), limits).startswith(
        "This deck took longer than 1 second to render"
    )


def test_a_deck_past_the_memory_limit_is_refused_cleanly():
    limits = dataclasses.replace(render.LIMITS, memory_bytes=40 * 1024 * 1024)
    assert refusal(pdfs.pdf_with_pages(2), limits) == (
        "Rendering this deck stopped before it finished: it needs more memory than the "
        "server allows a deck (40 MB), or the file is damaged. Export it as PDF with smaller "
        "images, or split it into smaller decks."
    )
    assert len(render_pdf(pdfs.pdf_with_pages(2))) == 2  # the default limit: rendered


GEVENT_RUN = """
import json, sys
from gevent import monkey
monkey.patch_all()
import dataclasses, subprocess, gevent, gevent.subprocess
from facilitation.slides import render
from facilitation.slides.errors import DeckRefused
from tests.slides import pdfs

ticks = []
ticker = gevent.spawn(lambda: [ticks.append(gevent.sleep(0.01)) for _ in range(10000)])
pages = render.render_pdf(pdfs.pdf_with_pages(3))
try:
    render.render_pdf(pdfs.render_bomb(), dataclasses.replace(render.LIMITS, max_seconds=1))
    stopped = None
except DeckRefused as refused:
    stopped = refused.message
ticker.kill()
print(json.dumps({
    "patched": subprocess.Popen is gevent.subprocess.Popen,
    "pages": [page.text for page in pages],
    "stopped": stopped,
    "ticks": len(ticks),
}))
"""


def test_rendering_under_gevent_lets_other_greenlets_run_and_still_times_out():
    finished = subprocess.run(
        [sys.executable, "-c", GEVENT_RUN],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    result = json.loads(finished.stdout.splitlines()[-1])
    assert result["patched"]
    assert result["pages"] == [f"Slide {n} title\nBody of slide {n}" for n in (1, 2, 3)]
    assert result["stopped"].startswith("This deck took longer than 1 second to render")
    assert result["ticks"] > 50  # the server's other work went on meanwhile


def test_the_worker_sets_its_limits_on_itself():
    script = (
        "import resource\n"
        "from facilitation.slides.worker import set_limits\n"
        "set_limits(700_000_000, 7, 5_000_000)\n"
        "print([resource.getrlimit(getattr(resource, 'RLIMIT_' + name)) for name in"
        " ('AS', 'CPU', 'FSIZE', 'CORE', 'NOFILE')])\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert finished.stdout.strip() == (
        "[(700000000, 700000000), (7, 8), (5000000, 5000000), (0, 0), (64, 64)]"
    )


def test_the_pdf_library_has_no_javascript_engine():
    from pypdfium2.version import PDFIUM_INFO

    assert "V8" not in PDFIUM_INFO.flags and "XFA" not in PDFIUM_INFO.flags


def test_a_pages_text_is_cut_at_its_limit():
    text = render.page_text("word " * 5000)
    assert len(text) <= render.MAX_TEXT and text.startswith("word word")
