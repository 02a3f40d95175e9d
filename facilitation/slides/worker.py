"""The deck renderer's own process: ``python -m facilitation.slides.worker FOLDER MODE ...``.

It reads FOLDER/deck.pdf with PDFium and writes FOLDER/result.json: in ``inspect`` mode the
page count, in ``render`` mode each page's text and sizes beside its WebP images; or the
reason it refuses the deck. Limits on memory, processor time and file size are set first
thing, so a hostile PDF can at worst end this process, never the server. Nothing in the PDF
is run: PDFium is built without a JavaScript engine here, and no action is ever triggered.
The messages a person reads are the server's (``render.py``): this process names reasons.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from .confined import set_limits
from .scripts import holds_javascript

PROJECTOR = (1920, 1080)
PHONE = (800, 800)
WEBP_QUALITY = 80


class Refusal(Exception):
    """The deck is refused for ``reason`` (with details such as a page number)."""

    def __init__(self, reason: str, **details):
        super().__init__(reason)
        self.result = {"refused": reason, **details}


def main(argv: list[str]) -> int:
    args = parse(argv)
    set_limits(args.memory, args.cpu, args.file_size)
    folder = Path(args.folder)
    try:
        result = work(folder, args.mode, args.max_pages, args.max_text)
    except Refusal as refusal:
        result = refusal.result
    except MemoryError:
        result = {"refused": "memory"}
    (folder / "result.json").write_text(json.dumps(result), encoding="utf-8")
    return 0


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="facilitation.slides.worker")
    parser.add_argument("folder")
    parser.add_argument("mode", choices=("inspect", "render"))
    parser.add_argument("--memory", type=int, required=True, help="address space, bytes")
    parser.add_argument("--cpu", type=int, required=True, help="processor time, seconds")
    parser.add_argument("--file-size", type=int, required=True, help="largest file, bytes")
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("--max-text", type=int, required=True, help="characters a page")
    return parser.parse_args(argv)


def work(folder: Path, mode: str, max_pages: int, max_text: int) -> dict:
    data = (folder / "deck.pdf").read_bytes()
    pdf = open_pdf(data)
    try:
        count = checked_page_count(pdf, data, max_pages)
        if mode == "inspect":
            return {"pages": count}
        pages = [render_page(pdf, number, folder, max_text) for number in range(1, count + 1)]
        return {"pages": pages}
    finally:
        pdf.close()


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise Refusal("encrypted") from None
        raise Refusal("broken") from None
    # Opened without a password (an owner password only) is still an encrypted file.
    if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
        pdf.close()
        raise Refusal("encrypted")
    pdf.init_forms()  # form fields are drawn as they look; no form action is ever run
    return pdf


def checked_page_count(pdf: pdfium.PdfDocument, data: bytes, max_pages: int) -> int:
    if pdfium_c.FPDFDoc_GetJavaScriptActionCount(pdf.raw) > 0 or holds_javascript(data):
        raise Refusal("scripted")
    count = len(pdf)
    if count == 0:
        raise Refusal("no_pages")
    if count > max_pages:
        raise Refusal("too_many_pages", pages=count)
    return count


def render_page(pdf: pdfium.PdfDocument, number: int, folder: Path, max_text: int) -> dict:
    try:
        page = pdf[number - 1]
        try:
            projector = fit(draw(page, number), PROJECTOR)
            # Cut here: the result file is under the limit on file size, and a page of fine
            # print must not take it past (the server keeps less still, render.MAX_TEXT).
            text = page_text(page)[:max_text]
        finally:
            page.close()
    except pdfium.PdfiumError:
        raise Refusal("broken_page", page=number) from None
    phone = fit(projector, PHONE)
    save(projector, folder / f"{number}-projector.webp")
    save(phone, folder / f"{number}-phone.webp")
    return {"number": number, "text": text, "projector": projector.size, "phone": phone.size}


def draw(page: pdfium.PdfPage, number: int) -> Image.Image:
    width, height = page.get_size()
    if not (width > 0 and height > 0):
        raise Refusal("broken_page", page=number)
    scale = min(PROJECTOR[0] / width, PROJECTOR[1] / height)
    bitmap = page.render(scale=scale, may_draw_forms=True)
    try:
        return bitmap.to_pil().convert("RGB")  # a copy: the bitmap's memory is freed next
    finally:
        bitmap.close()


def fit(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """``image`` within ``box``, its proportions kept; rounding may leave a pixel over."""
    if image.width <= box[0] and image.height <= box[1]:
        return image
    smaller = image.copy()
    smaller.thumbnail(box, Image.Resampling.LANCZOS)
    return smaller


def page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_bounded()
    finally:
        textpage.close()


def save(image: Image.Image, path: Path) -> None:
    image.save(path, format="WEBP", quality=WEBP_QUALITY)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
