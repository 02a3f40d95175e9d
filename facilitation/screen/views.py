"""The projector: one full-screen page per session, drawn live from the Socket.IO feed,
and the QR code of the session's join address.

The page needs a facilitator login or the screen key from the console's projector link,
so the laptop plugged into the projector needs no login. The QR code only encodes the
public join address, so anyone may fetch it, but only for a session that exists.
"""

from __future__ import annotations

import io

import segno
from flask import Blueprint, abort, current_app, make_response, render_template, request

from ..access import is_facilitator
from ..charts import text_on
from ..db import get_db
from ..link_pages import NO_STORE, linked_session, unavailable
from ..plans.theme import LogoProblem, logo_file
from ..public_url import public_address, public_url_for
from ..workshop.identity import LinkCheck, check_screen_key
from ..workshop.plan_cache import plan_of
from ..workshop.sessions import session_by_code

bp = Blueprint("screen", __name__)

# Error correction M survives a smudged or glare-washed projection (15% of modules);
# four modules of quiet zone is what the QR standard asks for.
QR_ERROR = "m"
QR_BORDER = 4
QR_SCALE = 10  # user units per module: the SVG scales, this only sets its default size
QR_CACHE_SECONDS = 3600
LOGO_CACHE_SECONDS = 3600


def join_url(code: str) -> str:
    """Where a phone goes to join: what the QR code encodes and the screen prints."""
    return public_url_for("participant.join", code=code)


def join_address() -> str:
    """The site's address as a person types it: no scheme, no trailing slash."""
    return public_address()


def join_qr(url: str) -> segno.QRCode:
    # micro=False: a Micro QR code would be smaller but many phone cameras cannot read it.
    return segno.make(url, error=QR_ERROR, micro=False)


def qr_svg(url: str) -> bytes:
    """The QR code as a standalone SVG: black modules on white, with its quiet zone.

    It keeps a viewBox so it scales to any size without blur, and crispEdges so the
    modules stay sharp squares at sizes that are not a whole number of pixels.
    """
    buffer = io.BytesIO()
    join_qr(url).save(
        buffer,
        kind="svg",
        scale=QR_SCALE,
        border=QR_BORDER,
        dark="#000",
        light="#fff",
        title=f"QR code for {url}",
        xmldecl=True,
        omitsize=True,
    )
    return buffer.getvalue().replace(b"<svg ", b'<svg shape-rendering="crispEdges" ', 1)


def _unavailable(status: int, heading: str, message: str, *, offer_login: bool = False):
    unavailable("screen/unavailable.html", status, heading, message, offer_login=offer_login)


@bp.get("/s/<code>/screen")
def show(code: str):
    session = linked_session(
        code,
        "screen/unavailable.html",
        "Check the address, or open the projector from the facilitator's console.",
    )
    key = request.args.get("key", "")
    key_is_valid = check_screen_key(session, key)
    if key_is_valid is LinkCheck.REPLACED and not is_facilitator():
        _unavailable(
            403,
            "This projector link has been replaced",
            "Ask the facilitator for the new one: the console's Projector links show it.",
            offer_login=True,
        )
    if not (key_is_valid or is_facilitator()):
        _unavailable(
            403,
            "This projector link is not valid",
            "Open it from the facilitator's console: the Open projector button there "
            "gives a link that works on this screen without logging in.",
            offer_login=True,
        )
    theme = plan_of(session).theme
    response = render_template(
        "screen/show.html",
        session=session,
        # Only a key that checks out is passed on, so the page never echoes a made-up one.
        key=key if key_is_valid else "",
        join_url=join_url(session.code),
        join_address=join_address(),
        theme=theme,
        on_accent=text_on(theme.accent) if theme.accent else "",
        # A projector pinned to one stage (?stage=KEY); the live feed checks the key.
        stage=request.args.get("stage", "")[:80],
    )
    return response, 200, NO_STORE


@bp.get("/s/<code>/qr.svg")
def qr(code: str):
    session = session_by_code(get_db(), code)
    if session is None:
        abort(404)
    return (
        qr_svg(join_url(session.code)),
        200,
        {
            "Content-Type": "image/svg+xml; charset=utf-8",
            "Cache-Control": f"public, max-age={QR_CACHE_SECONDS}",
        },
    )


@bp.get("/s/<code>/logo")
def logo(code: str):
    """The logo the session's plan names (docs/security.md): only that file, only while
    the session is kept, and only if it is still a PNG, JPEG or WebP image."""
    session = session_by_code(get_db(), code)
    if session is None or session.status == "archived":
        abort(404)
    name = plan_of(session).theme.logo
    if not name:
        abort(404)
    try:
        data, content_type = logo_file(current_app.config["PLANS_DIR"], name)
    except LogoProblem:
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = f"public, max-age={LOGO_CACHE_SECONDS}"
    # Nothing in an image runs, and if a browser is ever tricked into reading it as a
    # page, this stops it loading or framing anything.
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    response.add_etag()
    return response.make_conditional(request)
