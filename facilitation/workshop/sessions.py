"""Finding sessions."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..db import row_by_id
from ..models import Participant, WorkshopSession
from .codes import looks_like_code, normalise_code

# Built once: every page, connection and event of a phone finds its session by code or id.
_BY_CODE = select(WorkshopSession).where(WorkshopSession.code == bindparam("code"))


def session_by_code(db: Session, code: str) -> WorkshopSession | None:
    code = normalise_code(code)
    if not looks_like_code(code):
        return None
    return db.scalar(_BY_CODE, {"code": code})


def recent_sessions(
    db: Session, limit: int = 50, *, include_archived: bool = True
) -> list[WorkshopSession]:
    query = select(WorkshopSession).order_by(WorkshopSession.created_at.desc()).limit(limit)
    if not include_archived:
        query = query.where(WorkshopSession.status != "archived")
    return list(db.scalars(query))


def archived_count(db: Session) -> int:
    return db.scalar(
        select(func.count())
        .select_from(WorkshopSession)
        .where(WorkshopSession.status == "archived")
    )


def participant_counts(db: Session, session_ids: list[int]) -> dict[int, int]:
    """Participants still taking part, per session, in one grouped query."""
    if not session_ids:
        return {}
    rows = db.execute(
        select(Participant.session_id, func.count())
        .where(Participant.session_id.in_(session_ids), Participant.withdrawn_at.is_(None))
        .group_by(Participant.session_id)
    ).all()
    return {session_id: count for session_id, count in rows}


def session_by_id(db: Session, session_id: int) -> WorkshopSession | None:
    """The session as this database session holds it (no query when already loaded)."""
    return row_by_id(db, WorkshopSession, session_id)


def is_purged(db: Session, session_id: int) -> bool:
    """Whether the session's raw data has been deleted (only its summary is left)."""
    purged_at = db.scalar(select(WorkshopSession.purged_at).where(WorkshopSession.id == session_id))
    return purged_at is not None
