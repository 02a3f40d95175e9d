"""Test decks made here, byte by byte: no files from elsewhere.

``pdf_with_pages`` writes the PDF syntax itself (a catalog, a page tree, one Helvetica text
stream a page), so each page's text is known; the hostile ones change one thing about it.
"""

from __future__ import annotations

import io

from PIL import Image

SLIDE = (960, 540)  # points: a 16:9 slide, as presentation programs export one


def page_text(number: int) -> tuple[str, str]:
    """The title and body line written on page ``number``."""
    return f"Slide {number} title", f"Body of slide {number}"


def pdf_with_pages(
    count: int,
    *,
    size: tuple[int, int] = SLIDE,
    texts=page_text,
    catalog_extra: str = "",
    extra_objects=(),
) -> bytes:
    """A valid PDF of ``count`` pages, each with its ``texts(number)`` in Helvetica.

    ``catalog_extra`` is added to the catalog's dictionary; ``extra_objects`` are written as
    objects numbered from 3 + 2 * count on (so a test can point the catalog at them).
    """
    width, height = size
    first_page = 4  # 1 catalog, 2 page tree, 3 font; then page and content pairs
    kids = " ".join(f"{first_page + 2 * index} 0 R" for index in range(count))
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>".encode(),
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for number in range(1, count + 1):
        title, body = texts(number)
        content = (
            f"BT /F1 48 Tf 60 {height - 120} Td ({title}) Tj ET\n"
            f"BT /F1 28 Tf 60 {height - 220} Td ({body}) Tj ET\n"
        ).encode()
        content_number = first_page + 2 * (number - 1) + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_number} 0 R >>".encode()
        )
        objects.append(
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        )
    objects.extend(extra.encode() if isinstance(extra, str) else extra for extra in extra_objects)
    return assemble(objects)


def assemble(objects: list[bytes]) -> bytes:
    """Objects 1..n with a cross-reference table whose offsets are right."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def broken_pdf() -> bytes:
    """A PDF header, then nothing a reader can recover a page from."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 64


def encrypted_pdf(count: int = 2, *, user_password: str = "secret") -> bytes:
    """A good deck saved with AES-256 encryption (pikepdf); ``user_password`` "" leaves only
    an owner password, so it opens without one but is still encrypted."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_with_pages(count))) as pdf:
        out = io.BytesIO()
        pdf.save(
            out, encryption=pikepdf.Encryption(owner="owner-secret", user=user_password, R=6)
        )
    return out.getvalue()


def scripted_pdf_open_action(count: int = 2) -> bytes:
    """A script run when the document opens (an /OpenAction), in plain dictionaries."""
    script = 3 + 2 * count + 1
    return pdf_with_pages(
        count,
        catalog_extra=f"/OpenAction {script} 0 R ",
        extra_objects=["<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"],
    )


def scripted_pdf_names_tree(count: int = 2) -> bytes:
    """A document-level script in the catalog's Names tree (the one PDFium counts)."""
    action = 3 + 2 * count + 1
    return pdf_with_pages(
        count,
        catalog_extra=f"/Names << /JavaScript << /Names [(hello) {action} 0 R] >> >> ",
        extra_objects=["<< /S /JavaScript /JS (app.alert\\('hello'\\)) >>"],
    )


def scripted_pdf_in_object_stream(count: int = 2) -> bytes:
    """An /OpenAction whose action hides, with #-escaped names, in a compressed object
    stream (pikepdf writes object streams), as a hostile file would hide it."""
    import pikepdf

    source = scripted_pdf_open_action(count).replace(b"/S /JavaScript", b"/S /J#61vaScript")
    with pikepdf.open(io.BytesIO(source)) as pdf:
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    return out.getvalue()


def pdf_about_javascript() -> bytes:
    """A harmless deck whose text and title speak of /JavaScript and /JS: not a script."""
    return pdf_with_pages(
        1,
        texts=lambda number: ("Using /JavaScript and /JS", "var x = 1; % not a comment"),
        catalog_extra="/PageLabels << /Nums [0 << /P (/JavaScript /JS \\(x\\)) >>] >> ",
    )


def oversized_pdf(size: int) -> bytes:
    """A valid one-page PDF padded to ``size`` bytes with a comment line: cheap to build,
    and refused on its size before anything reads it."""
    pdf = pdf_with_pages(1)
    return pdf + b"%" + b"x" * (size - len(pdf) - 2) + b"\n"


def pptx_with_slides(count: int = 5) -> bytes:
    """A PowerPoint deck of ``count`` slides, each with its ``page_text`` (python-pptx)."""
    from pptx import Presentation

    deck = Presentation()
    layout = deck.slide_layouts[1]  # title and content
    for number in range(1, count + 1):
        slide = deck.slides.add_slide(layout)
        title, body = page_text(number)
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def render_bomb(levels: int = 4) -> bytes:
    """One small page that draws for minutes: a form of 1,000 squares drawn ten times by a
    form drawn ten times by... (``levels`` deep), so 10**levels * 1,000 squares."""

    def form(body: bytes, child: int | None = None) -> bytes:
        resources = b"/Resources << /XObject << /X %d 0 R >> >> " % child if child else b""
        return (
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 960 540] %s/Length %d >>\nstream\n"
            % (resources, len(body))
            + body
            + b"\nendstream"
        )

    squares = b"".join(b"%d %d 3 3 re f\n" % (i % 900, (i * 7) % 500) for i in range(1000))
    draw_ten = b"/X Do\n" * 10
    top = 5 + levels - 1  # objects 5.. are the forms, innermost first
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 960 540] "
        b"/Resources << /XObject << /X %d 0 R >> >> /Contents 4 0 R >>" % top,
        b"<< /Length %d >>\nstream\n" % len(draw_ten) + draw_ten + b"\nendstream",
        form(squares),
        *(form(draw_ten, child) for child in range(5, top)),
    ]
    return assemble(objects)


def pptx_linking_to(url: str) -> bytes:
    """A one-slide PowerPoint deck whose picture is not in the file but linked to ``url``,
    which a converter that follows links would fetch."""
    import re
    import zipfile

    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    picture = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(picture, "PNG")
    picture.seek(0)
    deck.slides.add_slide(deck.slide_layouts[6]).shapes.add_picture(
        picture, Inches(1), Inches(1)
    )
    saved = io.BytesIO()
    deck.save(saved)
    linked = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(linked, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "ppt/slides/_rels/slide1.xml.rels":
                external = f'Target="{url}" TargetMode="External"'.encode()
                data = re.sub(rb'Target="\.\./media/image1\.png"', external, data)
            elif item.filename == "ppt/slides/slide1.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            target.writestr(item, data)
    return linked.getvalue()
