"""A session's lifecycle: draft -> live <-> paused -> ended -> archived, and duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitation.errors import Refused
from facilitation.models import Event, WorkshopSession
from facilitation.workshop import operations
from facilitation.workshop.projection import replay
from tests.factories import client_id
from tests.live.test_projection import snapshot


def light(value: str) -> dict:
    return {
        "stage": "purposeful",
        "client_id": client_id(),
        "value": {"lights": {"purposeful": value}},
    }


def make_draft(workshop) -> None:
    """Turn the workshop's session into a fresh draft of the same plan."""
    with workshop.db() as db:
        session = operations.create_session(
            db, workshop.plan, None, workshop.plan.scenarios[0].key, draft=True
        )
        workshop.session_id, workshop.code = session.id, session.code


def test_a_draft_cannot_be_joined_until_the_facilitator_starts_it(workshop):
    make_draft(workshop)
    assert workshop.session().status == "draft"
    with pytest.raises(Refused) as refused:
        workshop.join()
    assert refused.value.message == "This workshop has not started yet."

    facilitator, screen = workshop.facilitator(), workshop.screen()
    assert facilitator.emit("sync")["state"]["status"] == "draft"
    # The facilitator can prepare: choose the stage, the screen mode, the scenario.
    assert facilitator.emit("goto", {"index": 1})["ok"]
    assert facilitator.emit("set_screen_mode", {"mode": "join"})["ok"]

    assert facilitator.emit("start_session")["ok"]
    assert screen.received("state")[-1]["status"] == "live"
    assert workshop.join() is not None
    again = facilitator.emit("start_session")
    assert again == {"ok": False, "error": "The session has already started."}


def test_pausing_refuses_input_with_a_clear_message(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})
    facilitator.emit("open_input")
    assert facilitator.emit("pause_session")["ok"]
    assert phone.received("state")[-1]["status"] == "paused"

    paused = "The facilitator has paused the workshop."
    assert phone.emit("answer", light("met")) == {"ok": False, "error": paused}
    text = {"stage": "purposeful", "client_id": client_id(), "text": "Hmm"}
    assert phone.emit("comment", text) == {"ok": False, "error": paused}
    assert workshop.join("Housing") is not None  # latecomers may join during a break
    assert facilitator.emit("pause_session")["error"] == "The workshop is already paused."
    # The facilitator can still prepare the next stage during the break.
    assert facilitator.emit("goto", {"index": workshop.stage_index("proportionate")})["ok"]
    facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})
    facilitator.emit("open_input")

    assert facilitator.emit("resume_session")["ok"]
    assert phone.received("state")[-1]["status"] == "live"
    assert phone.emit("answer", light("met"))["ok"]
    assert facilitator.emit("resume_session")["error"] == "The workshop is not paused."


def test_lifecycle_controls_are_for_facilitators_only(workshop):
    phone, screen = workshop.phone(), workshop.screen()
    for client in (phone, screen):
        for event in ("start_session", "pause_session", "resume_session"):
            assert client.emit(event) == {"ok": False, "error": "Only a facilitator can do that."}
    assert workshop.session().status == "live"


def test_a_paused_session_can_be_ended_and_an_ended_one_archived(workshop):
    facilitator = workshop.facilitator()
    facilitator.emit("pause_session")
    assert facilitator.emit("end_session")["ok"]
    assert facilitator.emit("resume_session")["error"] == "The workshop is not paused."
    assert facilitator.emit("pause_session")["error"] == "This session has ended."
    assert facilitator.emit("start_session")["error"] == "This session has ended."
    with workshop.db() as db:
        operations.archive_session(db, workshop.session_id)
    assert workshop.session().status == "archived"
    assert facilitator.emit("goto", {"index": 2})["error"] == "This session has ended."
    refused = facilitator.emit("hide_comment", {"comment_id": 1})
    assert "archived" in refused["error"]


def test_only_ended_sessions_are_archived(workshop):
    with workshop.db() as db, pytest.raises(Refused) as refused:
        operations.archive_session(db, workshop.session_id)
    assert "end it first" in refused.value.message
    with workshop.db() as db:
        operations.end_session(db, workshop.session_id)
        operations.archive_session(db, workshop.session_id)
        with pytest.raises(Refused):
            operations.archive_session(db, workshop.session_id)


def test_duplicate_keeps_the_frozen_plan_and_settings_with_a_new_code(workshop):
    scenario = workshop.plan.scenarios[1].key
    with workshop.db() as db:
        operations.choose_scenario(db, workshop.session_id, scenario)
        operations.set_tables(db, workshop.session_id, ["Red", "Blue"])
        operations.set_breakdown(db, workshop.session_id, "table")
        operations.end_session(db, workshop.session_id)
        copy = operations.duplicate_session(db, workshop.session_id, None)
        original = db.get(WorkshopSession, workshop.session_id)
        assert copy.code != original.code
        assert copy.plan_source == original.plan_source
        assert (copy.plan_slug, copy.plan_title) == (original.plan_slug, original.plan_title)
        assert copy.status == "draft"
        assert (copy.scenario_key, copy.tables, copy.breakdown) == (
            scenario,
            ["Red", "Blue"],
            "table",
        )
        assert copy.stage_index == 0 and not copy.input_open
        created = db.scalar(
            select(Event).where(Event.session_id == copy.id, Event.type == "session.created")
        )
        assert created.payload["duplicate_of"] == original.code


def test_replay_rebuilds_the_lifecycle(workshop):
    make_draft(workshop)
    facilitator = workshop.facilitator()
    facilitator.emit("start_session")
    facilitator.emit("pause_session")
    facilitator.emit("resume_session")
    facilitator.emit("pause_session")
    with workshop.db() as db:
        live = snapshot(db, workshop.session_id)
        assert live["session"][3] == "paused"
        replay(db, db.get(WorkshopSession, workshop.session_id))
        db.commit()
        assert snapshot(db, workshop.session_id) == live
        operations.end_session(db, workshop.session_id)
        operations.archive_session(db, workshop.session_id)
        live = snapshot(db, workshop.session_id)
        replay(db, db.get(WorkshopSession, workshop.session_id))
        db.commit()
        assert snapshot(db, workshop.session_id) == live
        assert live["session"][3] == "archived"
