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
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Comment, Participant, Reaction, WorkshopSession
from .matrix import VoteMatrix

# Reactions read at a time, the event loop let go between batches: 500 hold it about 5 ms
# on SQLite (2,000 held it about 20, a whole room's votes in the load benchmark at once).
READ_BATCH = 500


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


class StageVotes(NamedTuple):
    """A stage's votes as ``read_votes`` finds them."""

    matrix: VoteMatrix
    sectors: dict[int, str | None]  # each person in the matrix: their sector (None: none)
    # The people who voted (agree, disagree or pass) on a visible statement. Not everyone in
    # the matrix: someone who only wrote statements is a row (agreeing with them) but did not
    # vote, and "14 people voted" must not count them.
    voters: frozenset[int]


class VoteRows(NamedTuple):
    """A stage's votes as read, before the matrix is built: building it takes a while for a
    big room (a second for 600,000 votes), so the live side builds it off the event loop."""

    statements: dict[int, str]  # the visible statements: id -> text
    authored: list[tuple[int, int]]  # (author, statement) of each visible statement
    rows: list[tuple[int, int, int]]  # (participant, statement, value) of each vote
    sectors: dict[int, str | None]
    voters: frozenset[int]

    def matrix(self) -> VoteMatrix:
        return VoteMatrix.from_rows(self.rows, statements=self.statements, authored=self.authored)

    def stage_votes(self) -> StageVotes:
        return StageVotes(self.matrix(), self.sectors, self.voters)


def read_votes(db: Session, session: WorkshopSession, stage_key: str) -> StageVotes:
    """The stage's vote matrix (every visible statement a column, voted on or not), the
    sector of each person in it (None: no sector given) and who voted."""
    return read_vote_rows(db, session, stage_key).stage_votes()


def read_vote_rows(db: Session, session: WorkshopSession, stage_key: str) -> VoteRows:
    """The stage's votes and authors (``VoteRows``). Only the people still taking part:
    withdrawal deletes a person's reactions and statements anyway; they are filtered here
    too, as workshop/profile.py does. The reactions are read in no particular order (the
    reaction table's key allows one vote per person and statement, and an ORDER BY makes
    SQLite sort them all in one step the event loop cannot leave), in batches with the
    loop let go between them."""
    statements = visible_statements(db, session.id, stage_key)
    taking_part = dict(
        db.execute(
            select(Participant.id, Participant.sector).where(
                Participant.session_id == session.id, Participant.withdrawn_at.is_(None)
            )
        ).all()
    )
    visible = (
        Comment.session_id == session.id,
        Comment.stage_key == stage_key,
        Comment.hidden.is_(False),
        Comment.awaiting.is_(False),
    )
    authored = [
        (author, statement)
        for author, statement in db.execute(
            select(Comment.participant_id, Comment.id).where(*visible)
        ).all()
        if author in taking_part
    ]
    reactions = db.execute(
        select(Reaction.participant_id, Reaction.comment_id, Reaction.value)
        .join(Comment, Comment.id == Reaction.comment_id)
        .where(*visible)
        .execution_options(stream_results=True, yield_per=READ_BATCH)
    )
    rows: list[tuple[int, int, int]] = []
    for batch in reactions.partitions():
        rows.extend(row for row in batch if row[0] in taking_part)
        time.sleep(0)
    voters = frozenset(row[0] for row in rows)
    people = voters | {author for author, _ in authored}
    sectors = {person: taking_part[person] for person in people}
    return VoteRows(statements, authored, [tuple(row) for row in rows], sectors, voters)
