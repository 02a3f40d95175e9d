"""The console's next press (operations.next_press, the ``next`` event) and the plan's flow."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitation.errors import Refused
from facilitation.models import Event
from facilitation.plans.loader import PlanInvalid, parse_plan
from facilitation.plans.model import Flow
from facilitation.workshop import flow as stage_flow
from facilitation.workshop import operations
from facilitation.workshop.reveals import stage_revealed
from tests.conftest import BUILTIN_PLAN
from tests.factories import client_id


def press(facilitator) -> str:
    ack = facilitator.emit("next")
    assert ack["ok"], ack
    return ack["did"]


def light(value: str) -> dict:
    return {
        "stage": "purposeful",
        "client_id": client_id(),
        "value": {"lights": {"purposeful": value}},
    }


def test_a_press_shows_the_next_stage_and_opens_its_input(workshop):
    facilitator = workshop.facilitator()
    facilitator.emit("goto", {"index": workshop.stage_index("scenario")})
    state = facilitator.emit("sync")["state"]
    assert state["flow"]["next"] == "open" and state["flow"]["next_title"] == "Test 1: Purposeful"
    assert press(facilitator) == "open"  # reached from the stage list: closed till now
    assert press(facilitator) == "next"  # comments only, no results: straight on
    session = workshop.session()
    assert session.stage_index == workshop.stage_index("purposeful")
    assert session.input_open and not session.revealed
    assert facilitator.received("state")[-1]["flow"]["next"] == "close_reveal"


def test_the_press_after_input_closes_it_and_reveals_then_moves_on(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    facilitator.emit("goto", {"index": workshop.stage_index("scenario")})
    press(facilitator)
    press(facilitator)
    assert phone.emit("answer", light("met"))["ok"]
    assert press(facilitator) == "close_reveal"
    session = workshop.session()
    assert not session.input_open and session.revealed
    assert press(facilitator) == "next"
    assert workshop.session().stage_index == workshop.stage_index("proportionate")


def test_going_back_keeps_revealed_results_and_unrevealed_ones_hidden(workshop):
    facilitator = workshop.facilitator()
    facilitator.emit("goto", {"index": workshop.stage_index("scenario")})
    press(facilitator)  # the scenario, open for comments
    press(facilitator)  # Purposeful, open
    press(facilitator)  # closed and revealed
    press(facilitator)  # Proportionate, open, never revealed
    facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})
    assert workshop.session().revealed is True
    assert facilitator.received("state")[-1]["flow"]["next"] == "next"
    facilitator.emit("goto", {"index": workshop.stage_index("proportionate")})
    assert workshop.session().revealed is False
    # Run before (its input was opened): the press goes on, its results still hidden.
    assert press(facilitator) == "next"
    with workshop.db() as db:
        assert not stage_revealed(db, workshop.session(), "proportionate")


def test_a_stage_never_run_and_reached_from_the_stage_list_opens_first(workshop):
    facilitator = workshop.facilitator()
    facilitator.emit("goto", {"index": workshop.stage_index("proportionate")})
    assert press(facilitator) == "open"
    assert workshop.session().input_open


def test_stepping_back_to_a_stage_already_run_then_pressing_moves_on(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    facilitator.emit("goto", {"index": workshop.stage_index("scenario")})
    press(facilitator)  # the scenario, open for comments
    press(facilitator)  # Test 1, open
    facilitator.emit("goto", {"index": workshop.stage_index("scenario")})  # Left: a glance
    state = facilitator.received("state")[-1]
    assert state["flow"]["next"] == "next" and not state["input_open"]
    assert press(facilitator) == "next"  # back to Test 1, not the comment box again
    session = workshop.session()
    assert session.stage_index == workshop.stage_index("purposeful") and session.input_open
    assert phone.emit("answer", light("met"))["ok"]
    assert press(facilitator) == "close_reveal"


def test_information_stages_never_reveal(workshop):
    facilitator = workshop.facilitator()
    plan = workshop.plan
    assert not stage_flow.has_results(plan.stage("welcome"))
    assert not stage_flow.has_results(plan.stage("scenario"))
    assert stage_flow.has_results(plan.stage("purposeful"))
    facilitator.emit("goto", {"index": 0})
    state = facilitator.emit("sync")["state"]
    assert state["flow"]["has_results"] is False and state["flow"]["next"] == "next"


def test_the_last_stage_refuses_a_press_once_done(workshop):
    facilitator = workshop.facilitator()
    facilitator.emit("goto", {"index": len(workshop.plan.stages) - 1})
    assert facilitator.emit("sync")["state"]["flow"]["next"] == "end"
    assert facilitator.emit("next") == {"ok": False, "error": "This is the last stage of the plan."}


def test_the_built_in_plan_runs_in_one_press_per_stage_plus_one_per_reveal(workshop):
    facilitator = workshop.facilitator()
    stages = workshop.plan.stages
    presses = 0
    while facilitator.emit("sync")["state"]["flow"]["next"] != "end":
        press(facilitator)
        presses += 1
    reveals = sum(stage_flow.has_results(stage) for stage in stages)
    assert presses <= len(stages) - 1 + reveals
    with workshop.db() as db:
        revealed = db.scalars(select(Event.stage_key).where(Event.type == "results.revealed"))
        assert set(revealed) == {s.key for s in stages if stage_flow.has_results(s)}


def test_the_session_overrides_the_plans_flow(workshop):
    facilitator = workshop.facilitator()
    ack = facilitator.emit("set_flow", {"input": "manual", "reveal": "manual"})
    assert ack["ok"]
    state = facilitator.received("state")[-1]
    assert (state["flow"]["input"], state["flow"]["reveal"]) == ("manual", "manual")
    facilitator.emit("goto", {"index": workshop.stage_index("sector")})
    assert press(facilitator) == "open"
    assert press(facilitator) == "close"
    assert press(facilitator) == "next"  # to the scenario
    assert not workshop.session().input_open  # manual input: shown closed
    assert press(facilitator) == "open"
    assert press(facilitator) == "next"
    assert press(facilitator) == "open"
    assert press(facilitator) == "close"
    assert not workshop.session().revealed  # manual reveal: the R key's job
    assert press(facilitator) == "next"
    refused = facilitator.emit("set_flow", {"reveal": "sometimes"})
    assert refused == {"ok": False, "error": "'reveal' must be next_press or on_close or manual."}


def test_reveal_on_close_reveals_when_input_closes(workshop):
    facilitator = workshop.facilitator()
    facilitator.emit("set_flow", {"reveal": "on_close"})
    facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})
    facilitator.emit("open_input")
    assert not workshop.session().revealed
    assert facilitator.emit("close_input")["ok"]
    assert workshop.session().revealed


def test_a_phone_cannot_press(workshop):
    phone = workshop.phone()
    assert phone.emit("next")["ok"] is False
    assert phone.emit("set_flow", {"input": "manual"})["ok"] is False


def test_the_operation_says_what_it_did(workshop):
    session_id = workshop.session().id
    with workshop.db() as db:
        operations.go_to_stage(db, session_id, 0)
        action, done = operations.next_press(db, session_id)
        assert action == "next" and done.seq > 0
        with pytest.raises(Refused):
            operations.set_flow(db, session_id, "sometimes", None)


@pytest.mark.parametrize(
    ("input_open", "revealed", "opened", "flow", "expected"),
    [
        (True, False, True, Flow(), "close_reveal"),
        (True, False, True, Flow(reveal="on_close"), "close_reveal"),
        (True, False, True, Flow(reveal="manual"), "close"),
        (False, False, True, Flow(), "reveal"),
        (False, False, True, Flow(reveal="manual"), "next"),
        (False, False, False, Flow(input="manual"), "open"),
        (False, True, True, Flow(), "next"),
    ],
)
def test_next_action(workshop, input_open, revealed, opened, flow, expected):
    stage = workshop.plan.stage("purposeful")
    action = stage_flow.next_action(
        stage, input_open=input_open, revealed=revealed, opened=opened, flow=flow, last=False
    )
    assert action == expected


@pytest.mark.parametrize(
    ("key", "input_open", "opened", "flow", "expected"),
    [
        ("purposeful", False, False, Flow(), "next"),  # neither reopened nor revealed
        ("purposeful", False, False, Flow(input="manual"), "next"),
        ("scenario", False, False, Flow(), "next"),
        ("purposeful", False, True, Flow(), "reveal"),  # reopened by hand on this visit
        ("purposeful", True, True, Flow(), "close_reveal"),
    ],
)
def test_next_action_on_a_stage_run_before(workshop, key, input_open, opened, flow, expected):
    action = stage_flow.next_action(
        workshop.plan.stage(key),
        input_open=input_open,
        revealed=False,
        opened=opened,
        flow=flow,
        last=False,
        run_before=True,
    )
    assert action == expected


def test_the_plan_says_its_flow_with_lines_in_errors():
    source = BUILTIN_PLAN.read_text()
    plan = parse_plan(source.replace("\nstages:", "\nflow: {reveal: on_close}\nstages:", 1), "x")
    assert plan.flow == Flow(input="on_show", reveal="on_close")
    with pytest.raises(PlanInvalid) as invalid:
        parse_plan(source.replace("\nstages:", "\nflow:\n  input: later\nstages:", 1), "x")
    assert any(
        "flow.input: must be on_show or manual" in str(e) and e.line for e in invalid.value.errors
    )


def test_the_projector_can_be_blacked_out(workshop):
    facilitator, screen = workshop.facilitator(), workshop.screen()
    assert facilitator.emit("set_screen_mode", {"mode": "black"})["ok"]
    assert screen.received("state")[-1]["screen_mode"] == "black"
    assert facilitator.emit("set_screen_mode", {"mode": "auto"})["ok"]
    assert workshop.session().screen_mode == "auto"


def test_a_flow_change_that_names_no_setting_is_refused_and_logs_nothing(workshop):
    facilitator = workshop.facilitator()
    before = workshop.session().last_seq
    for payload in (None, {}, {"other": "manual"}):
        ack = facilitator.emit("set_flow", payload)
        assert ack["ok"] is False and "flow setting" in ack["error"]
    assert workshop.session().last_seq == before


def test_only_consoles_learn_what_the_next_press_shows(workshop):
    """The flow names the stage not yet shown: phones and projectors never get it, in the
    sync reply or in a pushed state."""
    facilitator, phone, screen = workshop.facilitator(), workshop.phone(), workshop.screen()
    for client in (phone, screen):
        assert "flow" not in client.emit("sync")["state"]
    assert facilitator.emit("sync")["state"]["flow"]["next_title"] == "Your sector"
    assert facilitator.emit("goto", {"index": workshop.stage_index("scenario")})["ok"]
    for client in (phone, screen):
        pushed = client.received("state")
        assert pushed and all("flow" not in state for state in pushed)
        assert "Test 1: Purposeful" not in str(pushed)
    assert facilitator.received("state")[-1]["flow"]["next_title"] == "Test 1: Purposeful"
