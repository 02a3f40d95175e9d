"""A statements stage's votes read from the database, as the vote matrix wants them.

Only what the room can see counts: statements neither hidden by a facilitator nor awaiting
a moderator's approval, and the votes of people still taking part (a withdrawal deletes
their reactions anyway; they are filtered out here as well, as workshop/profile.py does).
A statement's author cannot vote on it, but wrote it because they hold it: they count as
agreeing with it (as Pol.is counts them). Otherwise someone who wrote three statements would
have three blanks where their views are clearest, and prolific writers would sit apart on
the map as a "group" of their own.

A big consultation holds hundreds of thousands of votes, so they are read in batches, and
between batches the event loop is let go (under gevent, ``time.sleep(0)`` yields), so the
votes arriving meanwhile are not held up by the reading.
"""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Comment, Participant, Reaction, WorkshopSession
from .matrix import VoteMatrix

READ_BATCH = 5000  # reactions read at a time
AGREE = 1


def visible_statements(db: Session, session_id: int, stage_key: str) -> dict[int, str]:
    """{comment id: text} of the stage's statements everyone may see."""
    rows = db.execute(
        select(Comment.id, Comment.text).where(
            Comment.session_id == session_id,
            Comment.stage_key == stage_key,
            Comment.hidden.is_(False),
            Comment.awaiting.is_(False),
        )
    ).all()
    return dict(rows)


def read_votes(
    db: Session, session: WorkshopSession, stage_key: str
) -> tuple[VoteMatrix, dict[int, str | None]]:
    """The stage's vote matrix (every visible statement a column, voted on or not) and the
    sector of each person in it (None: no sector given)."""
    statements = visible_statements(db, session.id, stage_key)
    rows = db.execute(
        select(Reaction.participant_id, Reaction.comment_id, Reaction.value, Participant.sector)
        .join(Comment, Comment.id == Reaction.comment_id)
        .join(Participant, Participant.id == Reaction.participant_id)
        .where(
            Comment.session_id == session.id,
            Comment.stage_key == stage_key,
            Comment.hidden.is_(False),
            Comment.awaiting.is_(False),
            Participant.withdrawn_at.is_(None),
        )
        .order_by(Reaction.participant_id, Reaction.comment_id)
        .execution_options(stream_results=True, yield_per=READ_BATCH)
    )
    votes: list[tuple[int, int, int]] = []
    sectors: dict[int, str | None] = {}
    authors = db.execute(
        select(Comment.participant_id, Comment.id, Participant.sector)
        .join(Participant, Participant.id == Comment.participant_id)
        .where(
            Comment.session_id == session.id,
            Comment.stage_key == stage_key,
            Comment.hidden.is_(False),
            Comment.awaiting.is_(False),
            Participant.withdrawn_at.is_(None),
        )
    ).all()
    for participant_id, comment_id, sector in authors:
        votes.append((participant_id, comment_id, AGREE))
        sectors[participant_id] = sector
    for batch in rows.partitions():
        for participant_id, comment_id, value, sector in batch:
            votes.append((participant_id, comment_id, value))
            sectors[participant_id] = sector
        time.sleep(0)
    return VoteMatrix.from_rows(votes, statements=statements), sectors
