"""Pages opened with a link from the facilitator's console (the projector, the note-taker's
page): the page each shows instead when the link cannot open it."""

from __future__ import annotations

from typing import NoReturn

from flask import abort, make_response, render_template

from .db import get_db
from .models import WorkshopSession
from .workshop.sessions import session_by_code

# The address carries the link's key: keep these pages out of shared caches.
NO_STORE = {"Cache-Control": "no-store"}


def unavailable(
    template: str, status: int, heading: str, message: str, *, offer_login: bool = False
) -> NoReturn:
    """End the request with ``template`` saying why the page cannot be shown, and offering
    the facilitator a log-in where a login would open it."""
    page = render_template(template, heading=heading, message=message, offer_login=offer_login)
    abort(make_response(page, status, NO_STORE))


def linked_session(code: str, template: str, advice: str) -> WorkshopSession:
    """The session whose join code is ``code``, or a 404 page that says so with ``advice``."""
    session = session_by_code(get_db(), code)
    if session is None:
        unavailable(template, 404, "There is no session with this code", advice)
    return session
