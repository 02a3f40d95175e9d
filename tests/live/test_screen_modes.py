"""Screen modes for projectors that follow the facilitator, and projectors pinned to a stage."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from facilitation.live.presence import presence
from facilitation.models import Event
from tests.factories import client_id


def open_stage(facilitator, workshop, key: str) -> None:
    assert facilitator.emit("goto", {"index": workshop.stage_index(key)})["ok"]
    assert facilitator.emit("open_input")["ok"]


def light(value: str) -> dict:
    return {
        "stage": "purposeful",
        "client_id": client_id(),
        "value": {"lights": {"purposeful": value}},
    }


@pytest.mark.parametrize("mode", ["join", "question", "results", "wall", "notes", "auto"])
def test_the_facilitator_sets_the_screen_mode(workshop, mode):
    facilitator, screen = workshop.facilitator(), workshop.screen()
    assert screen.emit("sync")["state"]["screen_mode"] == "auto"
    ack = facilitator.emit("set_screen_mode", {"mode": mode})
    assert ack["ok"]
    assert screen.received("state")[-1]["screen_mode"] == mode
    assert workshop.session().screen_mode == mode
    with workshop.db() as db:
        event = db.scalar(select(Event).where(Event.type == "screen.mode_set"))
    assert event.payload == {"mode": mode}


def test_screen_mode_checks_role_and_payload(workshop):
    facilitator, screen, phone = workshop.facilitator(), workshop.screen(), workshop.phone()
    for client in (screen, phone):
        assert client.emit("set_screen_mode", {"mode": "wall"}) == {
            "ok": False,
            "error": "Only a facilitator can do that.",
        }
    for payload in ({}, {"mode": "cinema"}, {"mode": 3}):
        ack = facilitator.emit("set_screen_mode", payload)
        assert ack["ok"] is False and "auto, join, question, results, wall or notes" in ack["error"]
    assert not facilitator.emit("set_screen_mode", "wall")["ok"]
    assert workshop.session().screen_mode == "auto"


def test_a_new_stage_keeps_the_screen_mode(workshop):
    facilitator = workshop.facilitator()
    facilitator.emit("set_screen_mode", {"mode": "wall"})
    facilitator.emit("goto", {"index": 3})
    assert facilitator.emit("sync")["state"]["screen_mode"] == "wall"


def test_the_console_gets_a_follow_link_and_a_pinned_link_per_stage(workshop):
    links = workshop.facilitator().emit("sync")["screen_links"]
    assert links[0]["stage"] is None and "stage=" not in links[0]["url"]
    assert [link["stage"] for link in links[1:]] == [s.key for s in workshop.plan.stages]
    assert links[4]["url"].endswith("&stage=purposeful")
    assert "/s/" in links[4]["url"] and "key=" in links[4]["url"]


def test_a_pinned_projector_shows_its_stage_and_its_results_once_revealed(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    follower, pinned = workshop.screen(), workshop.screen()
    open_stage(facilitator, workshop, "purposeful")
    phone.emit("answer", light("met"))

    reply = pinned.emit("sync", {"stage": "purposeful"})
    view = reply["pinned"]
    assert view["stage"]["key"] == "purposeful" and view["index"] == 3
    assert view["revealed"] is False and "results" not in view["results"]
    assert view["results"]["answered"] == 1
    assert "purposeful" in presence.pinned_stages(workshop.session_id)

    facilitator.emit("reveal")
    message = pinned.received("results")[-1]
    assert message["stage"] == "purposeful" and message["revealed"] is True
    assert message["results"]["items"][0]["met"] == 1 and message["figure"]

    # The room moves on: the follower follows, the pinned projector keeps its stage.
    pinned.received()
    facilitator.emit("goto", {"index": workshop.stage_index("proportionate")})
    assert follower.received("results")[-1]["stage"] == "proportionate"
    results = pinned.received("results")
    assert results and all(m["stage"] == "purposeful" for m in results)
    assert results[-1]["revealed"] is True and results[-1]["results"]
    again = pinned.emit("sync", {"stage": "purposeful"})["pinned"]
    assert again["revealed"] is True and again["results"]["results"]


def test_results_never_revealed_or_hidden_again_stay_hidden_on_a_pinned_projector(workshop):
    facilitator, phone, pinned = workshop.facilitator(), workshop.phone(), workshop.screen()
    open_stage(facilitator, workshop, "purposeful")
    phone.emit("answer", light("partly"))
    pinned.emit("sync", {"stage": "purposeful"})
    facilitator.emit("goto", {"index": workshop.stage_index("proportionate")})
    hidden = pinned.received("results")[-1]
    assert hidden["stage"] == "purposeful" and hidden["revealed"] is False
    assert "results" not in hidden and "figure" not in hidden
    facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})
    facilitator.emit("reveal")
    facilitator.emit("hide_results")
    facilitator.emit("goto", {"index": workshop.stage_index("proportionate")})
    last = pinned.emit("sync", {"stage": "purposeful"})["pinned"]
    assert last["revealed"] is False and "results" not in last["results"]


def test_a_pinned_projector_gets_its_stage_comments(workshop):
    facilitator, phone, pinned = workshop.facilitator(), workshop.phone(), workshop.screen()
    pinned.emit("sync", {"stage": "change"})
    open_stage(facilitator, workshop, "change")
    posted = phone.emit(
        "comment", {"stage": "change", "client_id": client_id(), "text": "Audit it"}
    )
    assert posted["ok"]
    wall = pinned.received("comments")[-1]
    assert wall["stage"] == "change" and [c["text"] for c in wall["comments"]] == ["Audit it"]
    facilitator.emit("goto", {"index": workshop.stage_index("trust")})
    facilitator.emit("hide_comment", {"comment_id": posted["comment_id"]})
    wall = pinned.received("comments")[-1]
    assert wall["stage"] == "change" and wall["comments"] == []


def test_pinning_to_an_unknown_stage_is_refused_and_unpinning_follows_again(workshop):
    facilitator, screen = workshop.facilitator(), workshop.screen()
    refused = screen.emit("sync", {"stage": "no-such-stage"})
    assert refused["ok"] is False and "not in the plan" in refused["error"]
    screen.emit("sync", {"stage": "purposeful"})
    assert "pinned" not in screen.emit("sync", {})
    assert presence.pinned_stages(workshop.session_id) == []
    screen.received()
    facilitator.emit("goto", {"index": 2})
    assert screen.received("results")[-1]["stage"] == workshop.plan.stages[2].key


def test_phones_cannot_pin(workshop):
    phone = workshop.phone()
    reply = phone.emit("sync", {"stage": "purposeful"})
    assert reply["ok"] and "pinned" not in reply
