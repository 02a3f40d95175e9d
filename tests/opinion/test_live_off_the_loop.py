"""Opinion groups under the server (gevent): the caller never waits for them.

The test process is not patched by gevent, so the server's path is switched on by hand
(``_off_the_loop``) and gevent's hub is run explicitly (``gevent.wait``): the greenlet
reads the votes with its own database session, computes in gevent's thread pool, keeps the
result and marks the session, whose push then carries it. Asked for many times while one
computation runs, it runs once more after it, not once per ask.
"""

from __future__ import annotations

import gevent
import pytest

from facilitation import clock
from facilitation.models import WorkshopSession
from facilitation.opinion import live as opinion_live
from facilitation.privacy.retention import purge_session
from tests.live.test_points_grid_words_statements import react
from tests.opinion.live_room import latest_result, make_room, plant, with_opinion


@pytest.fixture
def room(app, tmp_path):
    workshop = make_room(app, tmp_path)
    yield workshop
    workshop.close()


@pytest.fixture
def off_the_loop(monkeypatch):
    """The server's path, with a count of the computations made."""
    made = []
    compute = opinion_live.compute

    def counted(*args):
        made.append(args)
        return compute(*args)

    monkeypatch.setattr(opinion_live, "_off_the_loop", lambda: True)
    monkeypatch.setattr(opinion_live, "compute", counted)
    return made


def test_pushes_do_not_wait_and_the_result_follows_when_ready(room, off_the_loop):
    planted = plant(room)
    facilitator = planted.facilitator
    # Sixty votes pushed, none waited for a computation: every push said "waiting".
    pushed = with_opinion(facilitator.received("results"))
    assert pushed and {m["opinion"]["status"] for m in pushed} == {"waiting"}
    assert off_the_loop == []  # nothing ran yet: the hub has not turned
    gevent.wait()
    # One computation, started by the first ask, reading every vote: the asks after it
    # came before it read them.
    assert len(off_the_loop) == 1
    opinion = with_opinion(facilitator.received("results"))[-1]["opinion"]
    assert opinion["status"] == "formed" and opinion["placed"] == 12  # and the two authors
    # Up to date now: a push without new votes asks for nothing.
    assert latest_result(room).grouping.status == "formed"
    gevent.wait()
    assert len(off_the_loop) == 1


def test_a_new_vote_asks_again_and_keeps_the_letters(room, off_the_loop):
    planted = plant(room)
    gevent.wait()
    before = latest_result(room).grouping
    react(planted.voters[0], planted.statements[0], "pass")
    assert latest_result(room).grouping is before  # the kept one, at once
    gevent.wait()
    after = latest_result(room).grouping
    assert after is not before and len(off_the_loop) == 2
    assert all(after.group_of(pid) == before.group_of(pid) for pid in before.placed)


def test_a_purged_session_is_forgotten(room, off_the_loop):
    planted = plant(room)
    gevent.wait()
    key = (room.session_id, room.code, "views")
    assert key in opinion_live._kept
    assert planted.facilitator.emit("end_session")["ok"]
    with room.db() as db:
        session = db.get(WorkshopSession, room.session_id)
        purge_session(db, session, now=clock.now())
    assert key not in opinion_live._kept


def test_asked_for_newer_votes_while_computing_it_runs_once_more(room, off_the_loop, monkeypatch):
    planted = plant(room)
    gevent.wait()
    computed = len(off_the_loop)
    key = (room.session_id, room.code, "views")
    assert key in opinion_live._kept
    compute = opinion_live.compute

    def meanwhile(matrix, settings, previous):
        # Votes come in while the computation runs (in the pool's thread): asked three
        # times for newer votes, it runs once more, not three times.
        if len(off_the_loop) == computed:
            for newer in (1, 2, 3):
                opinion_live._ask(key, room.session_id, "views", settings, 10**6 + newer)
        return compute(matrix, settings, previous)

    monkeypatch.setattr(opinion_live, "compute", meanwhile)
    react(planted.voters[0], planted.statements[0], "pass")
    gevent.wait()
    assert len(off_the_loop) == computed + 2
    assert not opinion_live._kept[key].running
