"""Profiles kept while their answers stay the same (workshop/profile_cache.py): a live
session's computed again when an answer or a seat changes, a run's at most once a
minute, a purged session's forgotten."""

from __future__ import annotations

from facilitation.extensions import socketio
from facilitation.models import WorkshopSession
from facilitation.workshop import profile_cache
from tests.conftest import BUILTIN_PLAN
from tests.factories import Run, client_id


class Counting:
    """A compute function that counts its calls and returns the call's number."""

    def __init__(self):
        self.calls = 0

    def __call__(self, _data):
        self.calls += 1
        return self.calls


def ask(workshop, compute, what="room"):
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        return profile_cache.cached(db, session, what, lambda: None, compute)


def test_a_live_sessions_profile_is_kept_until_an_answer_or_a_seat_changes(workshop):
    compute = Counting()
    phone = workshop.phone()
    assert ask(workshop, compute) == 1
    assert ask(workshop, compute) == 1  # nothing changed: kept
    facilitator = workshop.facilitator()
    facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})
    facilitator.emit("open_input")
    assert ask(workshop, compute) == 1  # stepping through stages changes no answer
    answer = {"stage": "purposeful", "value": {"lights": {"purposeful": "met"}}}
    assert phone.emit("answer", {**answer, "client_id": client_id()})["ok"] is True
    assert ask(workshop, compute) == 2
    workshop.phone(sector="Housing")  # someone joins: the breakdowns' groups change
    assert ask(workshop, compute) == 3
    assert ask(workshop, compute, "other") == 4  # each question kept on its own


def test_a_runs_profile_is_refreshed_by_age_once_someone_answered(app, monkeypatch):
    run = Run(app, socketio, BUILTIN_PLAN)
    compute = Counting()
    assert ask(run, compute) == 1
    first = run.phone()
    index = run.stage_index("purposeful")
    for step in range(1, index + 1):
        first.emit("pace", {"index": step})
    answer = {"stage": "purposeful", "value": {"lights": {"purposeful": "met"}}}
    assert first.emit("answer", {**answer, "client_id": client_id()})["ok"] is True
    # Kept from nobody's answers: never shown beside the first person's own.
    assert ask(run, compute) == 2
    second = run.phone()
    for step in range(1, index + 1):
        second.emit("pace", {"index": step})
    assert second.emit("answer", {**answer, "client_id": client_id()})["ok"] is True
    assert ask(run, compute) == 2  # a run shows what it had until it is a minute old
    monkeypatch.setattr(profile_cache, "RUN_REFRESH", 0.0)
    assert ask(run, compute) == 3
    run.close()


def test_forgetting_a_session_drops_what_was_kept(workshop):
    compute = Counting()
    assert ask(workshop, compute) == 1
    profile_cache.forget(workshop.session_id)
    assert ask(workshop, compute) == 2


def test_off_the_loop_runs_here_without_gevent():
    assert profile_cache.off_the_loop(lambda data: data * 2, 21) == 42
