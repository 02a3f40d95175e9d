"""Pages for privacy: a researcher's Research page, and the facilitator's retention form.

``research.home`` (``/research/``) lists the sessions and series granted to the researcher
who is logged in, each with a read-only summary and its export downloads.
``retention.shorten`` (POST ``/facilitator/sessions/<code>/retention``) shortens how long a
session's raw data is kept, from the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..access import facilitator_required, is_facilitator, is_researcher
from ..db import get_db
from ..errors import Refused
from ..models import (
    Answer,
    Comment,
    KeptAggregate,
    Note,
    Participant,
    Series,
    WorkshopSession,
)
from ..public_url import public_url_for
from ..workshop.profile import PROFILE_KEPT_KEY
from ..workshop.sessions import session_by_code
from . import grants, retention

research_bp = Blueprint("research", __name__, url_prefix="/research")
retention_bp = Blueprint("retention", __name__, url_prefix="/facilitator/sessions")


# Shared by the console, the dashboard and the Research page -----------------------------


@dataclass(frozen=True)
class RetentionInfo:
    days: int
    plan_days: int
    shortened: bool
    due_at: datetime | None  # None until the session ends
    purged_at: datetime | None
    kept: int  # stages whose aggregate counts were kept

    @property
    def purged(self) -> bool:
        return self.purged_at is not None


def retention_info(session: WorkshopSession) -> RetentionInfo:
    plan_days = retention.plan_retention_days(session)
    days = retention.retention_days(session)
    kept = 0
    if session.purged_at is not None:
        kept = get_db().scalar(
            select(func.count())
            .select_from(KeptAggregate)
            .where(
                KeptAggregate.session_id == session.id,
                KeptAggregate.stage_key != PROFILE_KEPT_KEY,  # not a stage
            )
        )
    return RetentionInfo(
        days=days,
        plan_days=plan_days,
        shortened=days < plan_days,
        due_at=retention.purge_due_at(session),
        purged_at=session.purged_at,
        kept=kept,
    )


@retention_bp.app_template_global("retention_info")
def _retention_info_global(session: WorkshopSession) -> RetentionInfo:
    return retention_info(session)


@retention_bp.app_template_filter("long_date")
def _long_date(moment) -> str:
    return f"{moment.day} {moment:%B %Y}" if moment is not None else ""


def export_url(kind: str, ident, filename: str) -> str:
    """A download address: ``/facilitator/sessions/<code>/export/<filename>`` or
    ``/facilitator/series/<id>/export/<filename>`` (readable with a grant)."""
    collection = "sessions" if kind == "session" else "series"
    return f"{request.script_root}/facilitator/{collection}/{ident}/export/{filename}"


def export_links(kind: str, ident, sessions=None) -> list[dict]:
    """The downloads of a session or a series; with its ``sessions``, the files only some
    exports have (kept aggregates) where they have them."""
    from ..exports.formats import formats

    return [
        {
            "label": entry.label,
            "filename": entry.filename,
            "url": export_url(kind, ident, entry.filename),
        }
        for entry in formats(get_db(), sessions)
    ]


# The facilitator's retention form -----------------------------------------------------


@retention_bp.post("/<code>/retention")
@facilitator_required
def shorten(code: str):
    db = get_db()
    session = session_by_code(db, code)
    if session is None:
        abort(404)
    typed = request.form.get("days", "")
    try:
        days = retention.parse_days(typed)
        before = retention.retention_days(session)
        retention.shorten_retention(db, session.id, days)
    except Refused as refused:
        flash(f"Nothing was changed. {refused.message}", "error")
        page = render_template(
            "facilitator/console.html",
            session=session,
            join_url=public_url_for("participant.join", code=session.code),
            home_url=public_url_for("participant.home"),
            retention_error=refused.message,
            retention_value=typed,
        )
        return page, 400
    if days == before:
        flash(f"The raw data is already kept for {days} days after the session ends.", "success")
    else:
        flash(
            f"Session {session.code}: the raw data will now be deleted {days} "
            f"day{'' if days == 1 else 's'} after the session ends.",
            "success",
        )
    return redirect(url_for("facilitator.console", code=session.code)), 303


# The researcher's Research page -------------------------------------------------------


@dataclass
class SessionSummary:
    session: WorkshopSession
    series: Series | None
    stages: int
    participants: int
    answers: int
    comments: int
    notes: int
    retention: RetentionInfo
    exports: list[dict]


def _counts(db, model, session_ids, *where) -> dict[int, int]:
    if not session_ids:
        return {}
    rows = db.execute(
        select(model.session_id, func.count())
        .where(model.session_id.in_(session_ids), *where)
        .group_by(model.session_id)
    )
    return dict(rows.all())


def summaries(db, sessions: list[WorkshopSession]) -> list[SessionSummary]:
    from ..workshop.plan_cache import plan_of

    ids = [s.id for s in sessions]
    participants = _counts(db, Participant, ids, Participant.withdrawn_at.is_(None))
    answers = _counts(db, Answer, ids)
    comments = _counts(db, Comment, ids)
    notes = _counts(db, Note, ids)
    series_ids = {s.series_id for s in sessions if s.series_id is not None}
    series = (
        {row.id: row for row in db.scalars(select(Series).where(Series.id.in_(series_ids)))}
        if series_ids
        else {}
    )
    return [
        SessionSummary(
            session=s,
            series=series.get(s.series_id),
            stages=len(plan_of(s).stages),
            participants=participants.get(s.id, 0),
            answers=answers.get(s.id, 0),
            comments=comments.get(s.id, 0),
            notes=notes.get(s.id, 0),
            retention=retention_info(s),
            exports=export_links("session", s.code, [s]),
        )
        for s in sessions
    ]


@research_bp.get("/")
@login_required
def home():
    if is_facilitator():
        return redirect(url_for("facilitator.dashboard"))
    if not is_researcher():
        abort(403)
    from ..exports.common import series_sessions

    db = get_db()
    sessions = grants.granted_sessions(db, current_user)
    series = grants.granted_series(db, current_user)
    in_series = {}
    for s in sessions:
        in_series.setdefault(s.series_id, 0)
        in_series[s.series_id] += 1
    return render_template(
        "research/home.html",
        sessions=summaries(db, sessions),
        series=[
            {
                "series": row,
                "sessions": in_series.get(row.id, 0),
                "exports": export_links("series", row.id, series_sessions(db, row.id)),
            }
            for row in series
        ],
    )
