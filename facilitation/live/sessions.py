"""Finding sessions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import WorkshopSession
from .codes import looks_like_code, normalise_code


def session_by_code(db: Session, code: str) -> WorkshopSession | None:
    code = normalise_code(code)
    if not looks_like_code(code):
        return None
    return db.scalar(select(WorkshopSession).where(WorkshopSession.code == code))


def recent_sessions(db: Session, limit: int = 50) -> list[WorkshopSession]:
    return list(
        db.scalars(select(WorkshopSession).order_by(WorkshopSession.created_at.desc()).limit(limit))
    )
