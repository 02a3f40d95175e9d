"""Seating people at breakout tables, with who it moved: their phones are told at once.

The transport sends each moved participant's phone its ``me`` (as in the ``sync`` reply),
so a table the facilitator gave or took away shows on it without a reconnect.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Participant
from . import operations
from .state import participant_view


def seated(db: Session, session_id: int) -> dict[int, str]:
    """Who sits at a table now: participant id -> table name."""
    rows = db.execute(
        select(Participant.id, Participant.table_key).where(
            Participant.session_id == session_id,
            Participant.table_key.is_not(None),
            Participant.withdrawn_at.is_(None),
        )
    )
    return dict(rows.all())


def set_tables(
    db: Session, session_id: int, names: list[str] | None
) -> tuple[operations.Done, list[int]]:
    """``operations.set_tables``, and who sat at a table that is gone (they have none now)."""
    before = seated(db, session_id)
    done = operations.set_tables(db, session_id, names)
    after = seated(db, session_id)
    return done, [pid for pid, table in before.items() if after.get(pid) != table]


def move_participant(
    db: Session, session_id: int, pseudonym: str, table: str | None
) -> tuple[operations.Done, int | None]:
    """``operations.move_participant``, and the id of whoever was moved."""
    done = operations.move_participant(db, session_id, pseudonym, table)
    moved = db.scalar(
        select(Participant.id).where(
            Participant.session_id == session_id, Participant.pseudonym == pseudonym
        )
    )
    return done, moved


def phone_views(db: Session, participant_ids) -> dict[int, dict]:
    """Each participant's ``me``, read afresh, for those still taking part."""
    views = {}
    for participant_id in participant_ids:
        participant = db.get(Participant, participant_id, populate_existing=True)
        if participant is not None and participant.withdrawn_at is None:
            views[participant_id] = participant_view(db, participant)
    return views
