"""Researchers' grants: read-only access to one session, or to every session of a series.

Used by the ``grant`` and ``revoke`` commands and by the facilitator's Researchers page;
``facilitation.access`` checks them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..access import RESEARCHER, granted_session_ids
from ..auth import find_facilitator
from ..errors import Refused
from ..models import Facilitator, Grant, Series, WorkshopSession
from ..workshop.sessions import session_by_code


def researcher_by_email(db: Session, email: str) -> Facilitator:
    account = find_facilitator(db, email)
    if account is None:
        raise Refused(f"There is no account with the email {email.strip()}.")
    if account.role != RESEARCHER:
        raise Refused(
            f"{account.email} is a facilitator, who can already see every session. "
            "Grants are for researchers' accounts."
        )
    return account


def researchers(db: Session) -> list[Facilitator]:
    return list(
        db.scalars(
            select(Facilitator).where(Facilitator.role == RESEARCHER).order_by(Facilitator.email)
        )
    )


def _existing(db: Session, researcher_id: int, **target) -> Grant | None:
    where = [Grant.researcher_id == researcher_id]
    for column in ("session_id", "series_id"):
        value = target.get(column)
        where.append(
            getattr(Grant, column).is_(None) if value is None else getattr(Grant, column) == value
        )
    return db.scalar(select(Grant).where(*where))


def grant_session(db: Session, researcher: Facilitator, code: str) -> tuple[Grant, bool]:
    """Grant one session (by join code); returns the grant and whether it is new."""
    session = session_by_code(db, code)
    if session is None:
        raise Refused(f"There is no session with the code {code.strip()}.")
    existing = _existing(db, researcher.id, session_id=session.id)
    if existing is not None:
        return existing, False
    grant = Grant(researcher_id=researcher.id, session_id=session.id)
    db.add(grant)
    db.commit()
    return grant, True


def grant_series(db: Session, researcher: Facilitator, series_id: int) -> tuple[Grant, bool]:
    """Grant a whole series: its sessions now and any added to it later."""
    if db.get(Series, series_id) is None:
        raise Refused(f"There is no series number {series_id}.")
    existing = _existing(db, researcher.id, series_id=series_id)
    if existing is not None:
        return existing, False
    grant = Grant(researcher_id=researcher.id, series_id=series_id)
    db.add(grant)
    db.commit()
    return grant, True


def revoke(
    db: Session, researcher: Facilitator, *, code: str | None = None, series_id: int | None = None
) -> None:
    """Take back a direct grant of a session or of a series."""
    if code is not None:
        session = session_by_code(db, code)
        if session is None:
            raise Refused(f"There is no session with the code {code.strip()}.")
        grant = _existing(db, researcher.id, session_id=session.id)
        what = f"session {session.code}"
    else:
        grant = _existing(db, researcher.id, series_id=series_id)
        what = f"series {series_id}"
    if grant is None:
        raise Refused(f"{researcher.email} has no grant of {what}.")
    db.delete(grant)
    db.commit()


def revoke_grant(db: Session, researcher: Facilitator, grant_id: int) -> None:
    grant = db.get(Grant, grant_id)
    if grant is None or grant.researcher_id != researcher.id:
        raise Refused("That grant does not exist any more.")
    db.delete(grant)
    db.commit()


@dataclass(frozen=True)
class GrantView:
    """A grant as the Researchers page lists it."""

    id: int
    kind: str  # session | series
    label: str
    detail: str


def grants_of(db: Session, researcher: Facilitator) -> list[GrantView]:
    views = []
    rows = db.scalars(
        select(Grant).where(Grant.researcher_id == researcher.id).order_by(Grant.created_at)
    )
    for grant in rows:
        if grant.session_id is not None:
            session = db.get(WorkshopSession, grant.session_id)
            if session is None:
                continue
            views.append(GrantView(grant.id, "session", session.code, session.plan_title))
        elif grant.series_id is not None:
            series = db.get(Series, grant.series_id)
            if series is None:
                continue
            views.append(GrantView(grant.id, "series", series.title, f"Series {series.id}"))
    return views


def granted_sessions(db: Session, researcher: Facilitator) -> list[WorkshopSession]:
    """Sessions a researcher may read, newest first."""
    return list(
        db.scalars(
            select(WorkshopSession)
            .where(WorkshopSession.id.in_(granted_session_ids(db, researcher)))
            .order_by(WorkshopSession.created_at.desc(), WorkshopSession.id.desc())
        )
    )


def granted_series(db: Session, researcher: Facilitator) -> list[Series]:
    series_ids = select(Grant.series_id).where(
        Grant.researcher_id == researcher.id, Grant.series_id.is_not(None)
    )
    return list(db.scalars(select(Series).where(Series.id.in_(series_ids)).order_by(Series.title)))
