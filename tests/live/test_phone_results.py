"""A phone's sync reply's results, counted once a second for a room of phones
(facilitation/live/phone_results.py); never kept for a statements stage, nor where every
change is pushed at once (BROADCAST_INTERVAL = 0, as tests run)."""

from __future__ import annotations

import pytest

from facilitation.extensions import socketio
from facilitation.live import phone_results as module
from facilitation.live.phone_results import PhoneResults
from facilitation.models import WorkshopSession
from tests.factories import Workshop
from tests.live.test_points_grid_words_statements import PLAN as STATEMENTS_PLAN


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def message(workshop, results: PhoneResults) -> dict:
    with workshop.db() as db:
        return results.message(db, db.get(WorkshopSession, workshop.session_id))


def go(workshop, key: str) -> None:
    facilitator = workshop.facilitator()
    assert facilitator.emit("goto", {"index": workshop.stage_index(key)})["ok"]


def test_a_room_of_phones_shares_one_count_a_second(workshop):
    clock = Clock()
    results = PhoneResults(clock=clock, max_age=1.0)
    go(workshop, "purposeful")
    workshop.join()
    first = message(workshop, results)
    assert first["participants"] == 1
    workshop.join()
    clock.now += 0.5
    assert message(workshop, results) is first  # the second phone of the same second
    clock.now += 0.5
    again = message(workshop, results)
    assert again is not first and again["participants"] == 2


def test_another_stage_or_a_reveal_is_counted_at_once(workshop):
    results = PhoneResults(clock=Clock(), max_age=1.0)
    go(workshop, "purposeful")
    first = message(workshop, results)
    assert first["stage"] == "purposeful" and first["revealed"] is False
    facilitator = workshop.facilitator()
    assert facilitator.emit("reveal")["ok"]
    revealed = message(workshop, results)
    assert revealed["revealed"] is True and "results" in revealed
    go(workshop, "proportionate")
    assert message(workshop, results)["stage"] == "proportionate"


def test_what_phones_are_not_sent_is_left_out(workshop):
    results = PhoneResults(clock=Clock(), max_age=1.0)
    go(workshop, "purposeful")
    assert workshop.facilitator().emit("reveal")["ok"]
    sent = message(workshop, results)
    for heavy in module.NOT_FOR_PHONES:
        assert heavy not in sent


def test_a_statements_stage_is_never_kept(app, tmp_path):
    path = tmp_path / "statements.yaml"
    path.write_text(STATEMENTS_PLAN)
    room = Workshop(app, socketio, path)
    try:
        results = PhoneResults(clock=Clock(), max_age=1.0)
        go(room, "statements")
        first = message(room, results)
        assert message(room, results) is not first
    finally:
        room.close()


def test_nothing_is_kept_where_every_change_is_pushed_at_once(workshop):
    results = PhoneResults(clock=Clock())  # the broadcaster's interval decides: 0 in tests
    go(workshop, "purposeful")
    first = message(workshop, results)
    assert message(workshop, results) is not first


@pytest.fixture
def kept_a_second(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(module.phone_results, "clock", clock)
    monkeypatch.setattr(module.phone_results, "max_age", 1.0)
    monkeypatch.setattr(module.phone_results, "_kept", {})
    return clock


def test_phones_syncing_in_the_same_second_share_the_count_screens_do_not(
    workshop, kept_a_second
):
    go(workshop, "purposeful")
    first = workshop.phone()
    assert first.emit("sync")["results"]["participants"] == 1
    second = workshop.phone()
    assert second.emit("sync")["results"]["participants"] == 1  # counted a moment ago
    assert workshop.screen().emit("sync")["results"]["participants"] == 2
    kept_a_second.now += 1.0
    assert second.emit("sync")["results"]["participants"] == 2
