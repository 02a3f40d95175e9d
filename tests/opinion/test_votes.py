"""The vote matrix read from the database (opinion/votes.py): an author counts as agreeing
with each visible statement they wrote, as Pol.is counts them; hidden statements count for
no one; a withdrawn person is in no row, whether as a voter or as an author."""

from __future__ import annotations

import pytest

from facilitation import clock
from facilitation.models import Participant, WorkshopSession
from facilitation.opinion.votes import read_votes
from facilitation.workshop import operations
from tests.opinion.live_room import make_room
from tests.support.scenario import comment, join, open_stage, react


@pytest.fixture
def room(app, tmp_path):
    workshop = make_room(app, tmp_path)
    yield workshop
    workshop.close()


def votes_of(room):
    with room.db() as db:
        session = db.get(WorkshopSession, room.session_id)
        return read_votes(db, session, "views")


def row(matrix, person) -> dict[int, int]:
    """{statement: vote} of the statements ``person`` counts as having voted on."""
    i = matrix.participants.index(person.id)
    return {
        sid: int(matrix.values[i, j])
        for j, sid in enumerate(matrix.statements)
        if matrix.seen[i, j]
    }


def test_an_author_counts_as_agreeing_with_what_they_wrote(room):
    open_stage(room, "views")
    author, voter = join(room, "Health"), join(room, "Housing")
    first = comment(room, author, "views", "Ask people first")
    second = comment(room, author, "views", "Tell people what was shared")
    hidden = comment(room, author, "views", "Something a facilitator hid")
    react(room, voter, first, -1)
    react(room, author, comment(room, voter, "views", "Share it all"), -1)
    with room.db() as db:
        operations.hide_comment(db, room.session_id, hidden)
    matrix, sectors, voters = votes_of(room)
    assert hidden not in matrix.statements
    # The author's own two (agree) and their vote on the voter's; nothing for the hidden one.
    voters_own = next(sid for sid in matrix.statements if sid not in (first, second))
    assert row(matrix, author) == {first: 1, second: 1, voters_own: -1}
    assert row(matrix, voter) == {first: -1, voters_own: 1}
    assert list(matrix.votes_per_person()) == [3, 2]
    assert sectors == {author.id: "Health", voter.id: "Housing"}
    assert voters == {author.id, voter.id}


def test_a_withdrawn_author_is_not_counted_for_their_statements(room):
    open_stage(room, "views")
    author, other, voter = join(room, "Health"), join(room, "Health"), join(room, "Housing")
    written = comment(room, author, "views", "Ask people first")
    kept = comment(room, other, "views", "Tell people what was shared")
    react(room, voter, written, 1)
    # Withdrawal itself deletes their statements: neither they nor the statements remain.
    with room.db() as db:
        operations.withdraw(db, room.session_id, author.id)
    matrix, sectors, voters = votes_of(room)
    assert author.id not in matrix.participants and author.id not in sectors
    assert matrix.statements == (kept,)
    # The writer of the statement left is a row (agreeing with it) but voted on nothing.
    assert matrix.participants == (other.id,) and voters == frozenset()
    # A withdrawn person whose statements are still there (the filter is the guard, as it
    # is for reactions): their statements stay columns, but they are no row.
    with room.db() as db:
        db.get(Participant, other.id).withdrawn_at = clock.now()
        db.commit()
    matrix, sectors, _voters = votes_of(room)
    assert kept in matrix.statements
    assert other.id not in matrix.participants and other.id not in sectors
