"""Downloads of a session's exports, for facilitators."""

from __future__ import annotations

from flask import Blueprint, Response, abort, stream_with_context
from flask_login import login_required

from ..db import get_db
from ..live.sessions import session_by_code
from .transcript import FORMATS

bp = Blueprint("exports", __name__, url_prefix="/facilitator/sessions")


@bp.get("/<code>/transcript.<fmt>")
@login_required
def transcript(code: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    db = get_db()
    session = session_by_code(db, code)
    if session is None:
        abort(404)
    filename, mimetype, produce = FORMATS[fmt]
    response = Response(stream_with_context(produce(db, session)), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{session.code}-{filename}"'
    return response
