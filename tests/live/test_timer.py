"""The stage countdown: timer events, what clients are shown, and the scheduler that
closes input when a countdown with auto-close reaches zero: exactly once, after a
restart too. The clock is ``facilitation.workshop.timer.now``, moved by hand: no sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from facilitation.live import countdown_closer
from facilitation.models import Event, WorkshopSession
from facilitation.workshop import operations, timer
from facilitation.workshop.projection import replay
from tests.live.test_projection import snapshot


class Clock:
    def __init__(self):
        self.moment = datetime(2030, 5, 1, 10, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timer, "now", clock)
    countdown_closer.scheduler.reset()
    yield clock
    countdown_closer.scheduler.reset()


def open_stage(facilitator, workshop, key: str) -> None:
    assert facilitator.emit("goto", {"index": workshop.stage_index(key)})["ok"]
    assert facilitator.emit("open_input")["ok"]


def latest_state(client) -> dict:
    return client.received("state")[-1]


def events_of(workshop, type_: str) -> list[Event]:
    with workshop.db() as db:
        return list(
            db.scalars(
                select(Event)
                .where(Event.session_id == workshop.session_id, Event.type == type_)
                .order_by(Event.seq)
            )
        )


def test_start_pause_resume_add_and_stop(workshop, clock):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")

    ack = facilitator.emit("timer_start", {"seconds": 120, "auto_close": True})
    assert ack["ok"] and ack["seq"] > 0
    state = latest_state(phone)
    assert state["timer"] == {
        "running": True,
        "ends_at": "2030-05-01T10:02:00.000Z",
        "remaining_ms": 120_000,
        "auto_close": True,
    }
    assert state["server_time"] == "2030-05-01T10:00:00.000Z"

    clock.advance(30)
    assert facilitator.emit("timer_pause")["ok"]
    paused = latest_state(phone)["timer"]
    assert paused == {"running": False, "ends_at": None, "remaining_ms": 90_000, "auto_close": True}

    clock.advance(600)  # a long pause costs nothing
    assert facilitator.emit("timer_resume")["ok"]
    assert latest_state(phone)["timer"]["ends_at"] == "2030-05-01T10:12:00.000Z"

    assert facilitator.emit("timer_add", {})["ok"]  # a minute by default
    assert latest_state(phone)["timer"]["ends_at"] == "2030-05-01T10:13:00.000Z"
    assert facilitator.emit("timer_add", {"seconds": 30})["ok"]
    assert latest_state(phone)["timer"]["remaining_ms"] == 180_000

    assert facilitator.emit("timer_stop")["ok"]
    assert latest_state(phone)["timer"] is None
    types = [e.type for e in events_of(workshop, "timer.started")]
    assert types == ["timer.started"]
    assert [e.payload["remaining_ms"] for e in events_of(workshop, "timer.paused")] == [90_000]
    assert len(events_of(workshop, "timer.extended")) == 2
    assert len(events_of(workshop, "timer.stopped")) == 1


def test_adding_time_to_a_paused_timer_and_after_time_is_up(workshop, clock):
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 60})
    clock.advance(20)
    facilitator.emit("timer_pause")
    assert facilitator.emit("timer_add", {"seconds": 60})["ok"]
    assert facilitator.emit("sync")["state"]["timer"]["remaining_ms"] == 100_000
    facilitator.emit("timer_resume")
    clock.advance(500)  # long past zero: time is up, shown as 0
    state = facilitator.emit("sync")["state"]
    assert state["timer"]["running"] and state["timer"]["remaining_ms"] == 0
    refused = facilitator.emit("timer_pause")
    assert not refused["ok"] and "Time is already up" in refused["error"]
    assert facilitator.emit("timer_add", {})["ok"]  # from zero: a fresh minute
    assert facilitator.emit("sync")["state"]["timer"]["remaining_ms"] == 60_000


def test_a_new_stage_stops_the_timer(workshop, clock):
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 60, "auto_close": True})
    assert facilitator.emit("goto", {"index": workshop.stage_index("proportionate")})["ok"]
    assert facilitator.emit("sync")["state"]["timer"] is None
    session = workshop.session()
    assert (session.timer_ends_at, session.timer_auto_close) == (None, False)


def test_timer_controls_are_for_facilitators_only(workshop, clock):
    phone, screen = workshop.phone(), workshop.screen()
    for client in (phone, screen):
        for event, payload in [
            ("timer_start", {"seconds": 60}),
            ("timer_pause", {}),
            ("timer_resume", {}),
            ("timer_add", {}),
            ("timer_stop", {}),
        ]:
            ack = client.emit(event, payload)
            assert ack == {"ok": False, "error": "Only a facilitator can do that."}
    assert events_of(workshop, "timer.started") == []


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "60",
        {},
        {"seconds": 5},
        {"seconds": 3601},
        {"seconds": "60"},
        {"seconds": 60.5},
        {"seconds": True},
        {"seconds": 60, "auto_close": "yes"},
    ],
)
def test_bad_timer_payloads_are_refused_readably(workshop, clock, payload):
    facilitator = workshop.facilitator()
    ack = (
        facilitator.emit("timer_start", payload)
        if payload is not None
        else facilitator.emit("timer_start")
    )
    assert ack["ok"] is False and ack["error"]
    assert events_of(workshop, "timer.started") == []


def test_refusals_say_what_is_wrong(workshop, clock):
    facilitator = workshop.facilitator()
    assert facilitator.emit("timer_pause")["error"] == "The timer is not running."
    assert facilitator.emit("timer_resume")["error"] == "The timer is not paused."
    assert "no timer" in facilitator.emit("timer_add", {})["error"]
    assert facilitator.emit("timer_stop")["error"] == "There is no timer to stop."
    assert not facilitator.emit("timer_add", {"seconds": 0})["ok"]
    # The welcome stage takes no input: nothing to close at zero.
    refused = facilitator.emit("timer_start", {"seconds": 60, "auto_close": True})
    assert not refused["ok"] and "takes no input" in refused["error"]
    assert facilitator.emit("timer_start", {"seconds": 60})["ok"]  # a plain countdown is fine
    assert not facilitator.emit("timer_add", {"seconds": 3601})["ok"]
    assert facilitator.emit("timer_add", {"seconds": 3600})["ok"]
    assert "at most two hours" in facilitator.emit("timer_add", {"seconds": 3600})["error"]


def test_auto_close_closes_input_exactly_once(app, workshop, clock):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 10, "auto_close": True})

    clock.advance(9.9)
    assert countdown_closer.tick_timers(app) == []
    assert workshop.session().input_open

    clock.advance(0.2)
    phone.received()  # forget what came before
    assert countdown_closer.tick_timers(app) == [workshop.session_id]
    assert countdown_closer.tick_timers(app) == []  # the next tick finds nothing to do
    closed = events_of(workshop, "input.closed")
    assert len(closed) == 1
    assert (closed[0].actor, closed[0].payload, closed[0].stage_key) == (
        "system",
        {"reason": "timer"},
        "purposeful",
    )
    state = latest_state(phone)
    assert state["input_open"] is False
    assert state["timer"]["remaining_ms"] == 0 and state["timer"]["auto_close"] is False

    # The facilitator may open input again after time is up: it stays open.
    assert facilitator.emit("open_input")["ok"]
    clock.advance(60)
    assert countdown_closer.tick_timers(app) == []
    assert workshop.session().input_open
    assert len(events_of(workshop, "input.closed")) == 1


def test_two_schedulers_racing_close_once(app, workshop, clock):
    """Two workers (two schedulers) that both see the countdown run out: one close."""
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 10, "auto_close": True})
    other = countdown_closer.Scheduler()
    clock.advance(11)
    closed = countdown_closer.scheduler.tick(app) + other.tick(app)
    assert closed == [workshop.session_id]
    assert len(events_of(workshop, "input.closed")) == 1


def test_input_already_closed_at_zero_is_noted_once(app, workshop, clock):
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 10, "auto_close": True})
    facilitator.emit("close_input")
    clock.advance(11)
    countdown_closer.tick_timers(app)
    countdown_closer.tick_timers(app)
    assert [e.actor for e in events_of(workshop, "timer.expired")] == ["system"]
    assert len(events_of(workshop, "input.closed")) == 1  # only the facilitator's
    facilitator.emit("open_input")
    clock.advance(5)
    countdown_closer.tick_timers(app)
    assert workshop.session().input_open


def test_a_restart_rebuilds_pending_timers_from_the_database(app, workshop, clock):
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 30, "auto_close": True})
    assert workshop.session_id in countdown_closer.scheduler.due()

    countdown_closer.scheduler.reset()  # the process restarts: nothing in memory
    assert countdown_closer.scheduler.due() == {}
    clock.advance(31)
    assert countdown_closer.tick_timers(app) == [workshop.session_id]  # rebuilt on first use
    assert not workshop.session().input_open
    assert len(events_of(workshop, "input.closed")) == 1


def test_a_paused_workshop_freezes_the_countdown(app, workshop, clock):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 60, "auto_close": True})
    clock.advance(20)
    assert facilitator.emit("pause_session")["ok"]
    assert latest_state(phone)["timer"] == {
        "running": False,
        "ends_at": None,
        "remaining_ms": 40_000,
        "auto_close": True,
    }
    clock.advance(300)
    assert countdown_closer.tick_timers(app) == []  # frozen: nothing runs out during the break
    refused = facilitator.emit("timer_resume")
    assert not refused["ok"] and "Resume the workshop first" in refused["error"]
    assert facilitator.emit("resume_session")["ok"]
    assert latest_state(phone)["timer"]["ends_at"] == "2030-05-01T10:06:00.000Z"
    clock.advance(41)
    assert countdown_closer.tick_timers(app) == [workshop.session_id]


def test_a_timer_paused_before_the_break_stays_paused_after_it(workshop, clock):
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 60})
    facilitator.emit("timer_pause")
    facilitator.emit("pause_session")
    facilitator.emit("resume_session")
    assert facilitator.emit("sync")["state"]["timer"]["running"] is False


def test_replay_rebuilds_the_countdown(app, workshop, clock):
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 60, "auto_close": True})
    clock.advance(10)
    facilitator.emit("timer_pause")
    facilitator.emit("timer_add", {"seconds": 15})
    facilitator.emit("timer_resume")
    facilitator.emit("pause_session")
    facilitator.emit("resume_session")
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        live = (snapshot(db, workshop.session_id), timer.timer_view(session))
        replay(db, session)
        db.commit()
        session = db.get(WorkshopSession, workshop.session_id)
        assert (snapshot(db, workshop.session_id), timer.timer_view(session)) == live
    assert live[1]["ends_at"] == "2030-05-01T10:01:15.000Z"


def test_expire_timer_does_nothing_before_time(workshop, clock):
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    facilitator.emit("timer_start", {"seconds": 60, "auto_close": True})
    with workshop.db() as db:
        assert operations.expire_timer(db, workshop.session_id) is None
    assert workshop.session().input_open
