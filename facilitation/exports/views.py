"""Downloads of the research exports of a session or a series.

- ``/facilitator/sessions/<code>/export/<filename>``: one file of a session's export
  (``formats.py`` lists them: transcript.csv, responses.csv, ..., export.zip).
- ``/facilitator/series/<id>/export/<filename>``: the same for every session of a series.
- ``/facilitator/sessions/<code>/transcript.<csv|json>``: the transcript's first URLs.

Facilitators read every session; researchers those granted to them (``access.py``):
404 for an unknown session or series, 403 without the grant. Every file is streamed.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, stream_with_context

from ..access import can_read_series, can_read_session, reader_required
from ..db import get_db
from ..models import Series
from ..workshop.sessions import session_by_code
from . import formats
from .common import series_sessions
from .transcript import FORMATS as TRANSCRIPT_FORMATS

bp = Blueprint("exports", __name__, url_prefix="/facilitator")


@bp.app_context_processor
def export_links() -> dict:
    """``export_formats(session)`` in every template: the downloads to offer for a session
    (the kept aggregates only after a purge kept some), zip last."""

    def export_formats(session=None) -> list[formats.Format]:
        if session is None:
            return formats.formats()
        return formats.formats(get_db(), [session])

    return {"export_formats": export_formats}


def _readable_session(code: str):
    db = get_db()
    session = session_by_code(db, code)
    if session is None:
        abort(404)
    if not can_read_session(db, session):
        abort(403)
    return db, session


def _format(filename: str) -> formats.Format:
    """The format that makes ``filename``; 404 for a file no format makes."""
    entry = formats.find(filename)
    if entry is None or entry.filename != filename:
        abort(404)
    return entry


def _download(entry: formats.Format, db, sessions, prefix: str) -> Response:
    chunks = entry.produce(db, sessions)
    # content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a text/ mimetype even
    # when it already names one, and a format's type says its charset itself.
    response = Response(stream_with_context(chunks), content_type=entry.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{prefix}-{entry.filename}"'
    response.headers["Cache-Control"] = "no-store"  # personal data: keep it out of caches
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _session_download(code: str, entry: formats.Format) -> Response:
    db, session = _readable_session(code)
    return _download(entry, db, [session], session.code)


@bp.get("/sessions/<code>/transcript.<fmt>")
@reader_required
def transcript(code: str, fmt: str):
    if fmt not in TRANSCRIPT_FORMATS:
        abort(404)
    return _session_download(code, formats.find(TRANSCRIPT_FORMATS[fmt][0]))


@bp.get("/sessions/<code>/export/<filename>")
@reader_required
def session_file(code: str, filename: str):
    return _session_download(code, _format(filename))


@bp.get("/series/<int:series_id>/export/<filename>")
@reader_required
def series_file(series_id: int, filename: str):
    entry = _format(filename)
    db = get_db()
    if db.get(Series, series_id) is None:
        abort(404)
    if not can_read_series(db, series_id):
        abort(403)
    sessions = series_sessions(db, series_id)  # none yet: files with headers only
    return _download(entry, db, sessions, f"series-{series_id}")
