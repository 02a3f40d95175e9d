"""A run's personal resume link and its QR code, shown on the person's own phone page.

The link (participant.resume, /r/<code>/<token>) lets them carry on on another device;
the QR code is drawn on the server like the projector's join code (screen/views.py), so
the phone needs no QR library and the page works as soon as it loads.
"""

from __future__ import annotations

import io

import segno

from ..models import Participant, WorkshopSession
from ..public_url import public_url_for
from ..screen.views import QR_BORDER, QR_ERROR
from ..workshop.identity import resume_token


def resume_url(participant: Participant, session: WorkshopSession) -> str:
    token = resume_token(participant, session.code)
    return public_url_for("participant.resume", code=session.code, token=token)


def resume_qr_svg(url: str) -> str:
    """The link's QR code as an inline SVG element (no XML declaration, no fixed size:
    phone.css sizes it). segno writes only its own markup and escapes the title."""
    buffer = io.BytesIO()
    # micro=False: many phone cameras cannot read a Micro QR code.
    segno.make(url, error=QR_ERROR, micro=False).save(
        buffer,
        kind="svg",
        scale=4,
        border=QR_BORDER,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgns=True,
        omitsize=True,
        svgclass="resume-qr",
        lineclass=None,
    )
    return buffer.getvalue().decode().replace("<svg ", '<svg shape-rendering="crispEdges" ', 1)
