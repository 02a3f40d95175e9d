"""The images of a running session's slides: a page rendered for the projector or for
phones, never the PDF (docs/security.md, docs/accessibility.md).

Who sees which page: whoever may see the session's console (a facilitator, a researcher it
is granted to) every page; the projector (by its key) and the session's participants (by
their cookie) only pages the room has been shown, so nobody reads ahead of the facilitator.
In a self-paced run there is no room: a participant sees every page of a slides stage they
have reached. Everything else is a 404 that says nothing of what exists.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..db import get_db
from ..models import Event, WorkshopSession
from ..plans.model import Stage
from ..workshop import runs
from ..workshop.identity import check_screen_key, participant_from_cookies
from ..workshop.plan_cache import plan_of
from ..workshop.sessions import session_by_code
from . import session_pages

bp = Blueprint("slides", __name__)

AUDIENCES = ("projector", "phone")  # DeckPage's two images
CACHE_SECONDS = 86400  # a session's pages never change (SessionDeck): a day in the cache


@bp.get("/s/<code>/slides/<stage_key>/<int:index>/<audience>.webp")
def page_image(code: str, stage_key: str, index: int, audience: str):
    if audience not in AUDIENCES:
        abort(404)
    db = get_db()
    session = session_by_code(db, code)
    if session is None:
        abort(404)
    stage = plan_of(session).stage(stage_key)
    if stage is None:
        abort(404)
    pages = session_pages.stage_pages(db, session, stage)
    if pages is None or pages.number(index) is None:
        abort(404)
    if not _may_see(db, session, stage, index):
        abort(404)
    image = session_pages.page_image(db, pages, index, audience)
    if image is None:
        abort(404)
    response = make_response(image)
    response.headers["Content-Type"] = "image/webp"
    response.headers["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Nothing in an image runs; should a browser ever read it as a page, it loads nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
    return response


def _may_see(db: Session, session: WorkshopSession, stage: Stage, index: int) -> bool:
    if access.can_read_session(db, session):
        return True  # the console's view: every page, the next one among them
    if session.status == "archived":
        return False
    if check_screen_key(session, request.args.get("key")):
        return _shown(db, session, stage, index)
    participant = participant_from_cookies(db, request.cookies, session)
    if participant is None or participant.withdrawn_at is not None:
        return False
    if runs.is_run(session):
        reached = plan_of(session).stage_index(stage.key)
        return reached is not None and reached <= participant.furthest_index
    return _shown(db, session, stage, index)


def _shown(db: Session, session: WorkshopSession, stage: Stage, index: int) -> bool:
    """Whether the room has been shown page ``index`` of ``stage``: it is the page on the
    projector now, or a ``slide.shown`` of the session's log names it."""
    plan = plan_of(session)
    if plan.stages[session.stage_index].key == stage.key and session.page_index == index:
        return True
    shown = db.scalars(
        select(Event.payload).where(
            Event.session_id == session.id,
            Event.type == "slide.shown",
            Event.stage_key == stage.key,
        )
    )
    return any(payload.get("index") == index for payload in shown)
