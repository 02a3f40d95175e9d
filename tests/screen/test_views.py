"""The projector page and the join QR code over HTTP: who may open the page, what it
hands its script, and that the QR code is exactly the join address."""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as ET

import segno
from flask import url_for

from facilitation.auth import create_facilitator
from facilitation.models import WorkshopSession
from facilitation.screen.views import QR_BORDER, QR_ERROR
from facilitation.workshop import operations
from facilitation.workshop.identity import screen_key
from tests.conftest import BUILTIN_PLAN
from tests.factories import Workshop, log_in, session_of

SVG = "{http://www.w3.org/2000/svg}"


def key_for(app, code: str) -> str:
    with app.test_request_context():
        return screen_key(session_of(app, code))


def logged_in(app, workshop):
    with workshop.db() as db:
        account = create_facilitator(db, "screen-owner@example.org", "a-long-password")
    client = app.test_client()
    log_in(app, client, account.id)
    return client


def body_data(html: str) -> dict[str, str]:
    """The data-* attributes of <body>, unescaped as a browser would read them."""
    tag = re.search(r"<body\b[^>]*>", html).group(0)
    return {
        name: html_lib.unescape(value)
        for name, value in re.findall(r'data-([a-z-]+)="([^"]*)"', tag)
    }


# The projector page ------------------------------------------------------------------


def test_screen_opens_with_a_valid_key(app, workshop):
    key = key_for(app, workshop.code)
    response = app.test_client().get(f"/s/{workshop.code}/screen?key={key}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert re.search(r'src="/static/js/screen\.[0-9a-f]{10}\.js"', page)  # hashed name
    assert "/vendor/plotly.min.js" in page
    # The join view is there before the script runs: the code, the QR code, the address.
    spoken = " ".join(workshop.code)
    assert f'<p class="join-code fit-width" aria-label="Code {spoken}">{workshop.code}</p>' in page
    assert f'src="/s/{workshop.code}/qr.svg"' in page
    assert f"http://localhost/j/{workshop.code}" in page


def test_screen_hands_code_key_and_join_address_to_its_script(app, workshop):
    key = key_for(app, workshop.code)
    page = app.test_client().get(f"/s/{workshop.code}/screen?key={key}").get_data(as_text=True)
    data = body_data(page)
    assert data["code"] == workshop.code
    assert data["key"] == key
    assert data["join-url"] == f"http://localhost/j/{workshop.code}"
    assert data["join-address"] == "localhost"
    assert data["qr-url"] == f"/s/{workshop.code}/qr.svg"
    assert data["plan-title"] == "Data for Public Benefit"


def test_screen_accepts_a_lower_case_code(app, workshop):
    key = key_for(app, workshop.code)
    response = app.test_client().get(f"/s/{workshop.code.lower()}/screen?key={key}")
    assert response.status_code == 200
    assert body_data(response.get_data(as_text=True))["code"] == workshop.code


def test_screen_without_a_key_is_refused_with_a_friendly_page(app, workshop):
    for query in ("", "?key=", "?key=forged", f"?key={key_for(app, 'ZZZZZZ')}"):
        response = app.test_client().get(f"/s/{workshop.code}/screen{query}")
        assert response.status_code == 403, query
        page = response.get_data(as_text=True)
        assert "This projector link is not valid" in page
        assert "facilitator&#39;s console" in page
        assert "screen.js" not in page
        assert "/login?next=" in page


def test_a_key_for_another_session_does_not_open_this_one(app, workshop):
    other = Workshop(app, workshop.socketio, BUILTIN_PLAN)
    response = app.test_client().get(f"/s/{workshop.code}/screen?key={key_for(app, other.code)}")
    assert response.status_code == 403


def test_a_logged_in_facilitator_needs_no_key(app, workshop):
    client = logged_in(app, workshop)
    response = client.get(f"/s/{workshop.code}/screen")
    assert response.status_code == 200
    assert body_data(response.get_data(as_text=True))["key"] == ""


def test_a_made_up_key_is_never_echoed_into_the_page(app, workshop):
    client = logged_in(app, workshop)
    hostile = '"><script>alert(1)</script>'
    response = client.get(f"/s/{workshop.code}/screen", query_string={"key": hostile})
    assert response.status_code == 200  # the facilitator's login is enough
    page = response.get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "alert(1)" not in page
    assert body_data(page)["key"] == ""


def test_data_attributes_are_escaped(app, workshop):
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        session.plan_title = 'Trust & "data" <b>sharing</b>'
        db.commit()
    key = key_for(app, workshop.code)
    page = app.test_client().get(f"/s/{workshop.code}/screen?key={key}").get_data(as_text=True)
    assert "<b>sharing</b>" not in page
    assert 'data-plan-title="Trust &amp; &#34;data&#34; &lt;b&gt;sharing&lt;/b&gt;"' in page
    assert body_data(page)["plan-title"] == 'Trust & "data" <b>sharing</b>'


def test_screen_of_an_unknown_session_is_404(app, workshop):
    key = key_for(app, "ZZZZZZ")
    for code in ("ZZZZZZ", "nope", "ABC"):
        response = app.test_client().get(f"/s/{code}/screen?key={key}")
        assert response.status_code == 404
        assert "There is no session with this code" in response.get_data(as_text=True)


def test_screen_of_an_ended_session_still_opens(app, workshop):
    with workshop.db() as db:
        operations.end_session(db, workshop.session_id)
    key = key_for(app, workshop.code)
    assert app.test_client().get(f"/s/{workshop.code}/screen?key={key}").status_code == 200


# The QR code -------------------------------------------------------------------------


def dark_modules(svg: bytes) -> set[tuple[int, int]]:
    """The dark modules drawn by the SVG, as (row, column), read back from its path.

    segno draws each row as horizontal runs: ``M x y`` then ``h len`` and relative
    ``m dx dy`` moves, at half-module y offsets, in module units.
    """
    root = ET.fromstring(svg)
    paths = [p for p in root.iter(f"{SVG}path") if p.get("stroke")]
    assert len(paths) == 1, "one stroked path holds the dark modules"
    tokens = re.findall(r"([MmHhVvLlZz])\s*(-?[\d.]+)?(?:[ ,](-?[\d.]+))?", paths[0].get("d"))
    x = y = 0.0
    dark = set()
    for command, a, b in tokens:
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        elif command == "h":
            length = float(a)
            for column in range(int(x), int(x + length)):
                dark.add((int(y), column))
            x += length
        else:
            raise AssertionError(f"unexpected path command {command}")
    return dark


def expected_modules(url: str) -> set[tuple[int, int]]:
    qr = segno.make(url, error=QR_ERROR, micro=False)
    return {
        (row, column)
        for row, line in enumerate(qr.matrix_iter(border=QR_BORDER))
        for column, bit in enumerate(line)
        if bit
    }


def test_qr_code_is_an_svg_of_the_join_url(app, workshop):
    response = app.test_client().get(f"/s/{workshop.code}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "max-age" in response.headers["Cache-Control"]

    root = ET.fromstring(response.data)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox")  # scales to any size
    with app.test_request_context():
        join_url = url_for("participant.join", code=workshop.code, _external=True)
    assert join_url == f"http://localhost/j/{workshop.code}"
    assert join_url in root.find(f"{SVG}title").text

    # The modules drawn are exactly those of a QR code of the join URL, quiet zone included.
    assert dark_modules(response.data) == expected_modules(join_url)
    # ...and not, say, those of the bare site address.
    assert dark_modules(response.data) != expected_modules("http://localhost/")


def test_qr_code_has_a_white_background_and_quiet_zone(app, workshop):
    root = ET.fromstring(app.test_client().get(f"/s/{workshop.code}/qr.svg").data)
    fills = [p.get("fill") for p in root.iter(f"{SVG}path") if p.get("fill")]
    assert "#fff" in fills
    modules = dark_modules(ET.tostring(root))
    assert min(row for row, _ in modules) == QR_BORDER
    assert min(column for _, column in modules) == QR_BORDER


def test_qr_code_follows_the_host_it_was_asked_on(app, workshop):
    response = app.test_client().get(
        f"/s/{workshop.code}/qr.svg", base_url="https://workshop.example.org"
    )
    expected = expected_modules(f"https://workshop.example.org/j/{workshop.code}")
    assert dark_modules(response.data) == expected


def test_qr_code_needs_no_login_but_an_existing_session(app, workshop):
    assert app.test_client().get(f"/s/{workshop.code}/qr.svg").status_code == 200
    assert app.test_client().get("/s/ZZZZZZ/qr.svg").status_code == 404
    assert app.test_client().get("/s/not-a-code/qr.svg").status_code == 404
