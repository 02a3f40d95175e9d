"""Points, the benefit-risk grid, the word cloud and statements, through Socket.IO events:
answers and their validation, statement votes with "pass", role checks, aggregates,
charts, withdrawal and replay."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitation.activities import stage_figure
from facilitation.extensions import socketio
from facilitation.models import Answer, Comment, Reaction, WorkshopSession
from facilitation.workshop.aggregates import stage_results
from facilitation.workshop.projection import replay
from tests.factories import Workshop, client_id
from tests.live.test_projection import snapshot

PLAN = """\
title: Points, grid, word cloud and statements
description: Points, grid, word cloud and statements.
privacy_notice: We keep your answers for research.
sectors: [Health, Housing]
scenarios:
  - key: arrears
    title: Rent arrears and health
    summary: The council shares rent arrears with the GP.
stages:
  - key: welcome
    title: Welcome
    prompt: Welcome
    type: info
    body: Hello.
  - key: priorities
    title: Priorities
    prompt: Spread your points
    type: points
    points: 10
    items: [Privacy, Speed, Fairness]
  - key: placement
    title: Benefit and risk
    prompt: Where does the scenario sit?
    type: grid
    size: 5
    axes:
      x: {label: Benefit, low: Little, high: Great}
      y: {label: Risk, low: Safe, high: Dangerous}
  - key: two-things
    title: Two things
    prompt: Place both
    type: grid
    items: [Sharing, Not sharing]
  - key: words
    title: In a few words
    prompt: What comes to mind?
    type: word_cloud
    max_words: 3
  - key: statements
    title: Statements
    prompt: Say what you think
    type: statements
  - key: talk
    title: Open talk
    prompt: Comments
    type: open_text
"""


@pytest.fixture
def plan_path(tmp_path):
    path = tmp_path / "points-grid-words-statements.yaml"
    path.write_text(PLAN)
    return path


@pytest.fixture
def room(app, plan_path):
    workshop = Workshop(app, socketio, plan_path)
    yield workshop
    workshop.close()


def open_stage(facilitator, room, key: str) -> None:
    assert facilitator.emit("goto", {"index": room.stage_index(key)})["ok"]
    assert facilitator.emit("open_input")["ok"]


def answer(phone, stage: str, value, cid: str | None = None) -> dict:
    return phone.emit("answer", {"stage": stage, "client_id": cid or client_id(), "value": value})


def react(phone, comment_id: int, reaction: str) -> dict:
    return phone.emit(
        "react", {"comment_id": comment_id, "client_id": client_id(), "reaction": reaction}
    )


def post(phone, stage: str, text: str) -> int:
    ack = phone.emit("comment", {"stage": stage, "client_id": client_id(), "text": text})
    assert ack["ok"], ack
    return ack["comment_id"]


def results(room, key: str) -> dict:
    with room.db() as db:
        session = db.get(WorkshopSession, room.session_id)
        return stage_results(db, session, room.plan.stage(key))


def count(room, model) -> int:
    with room.db() as db:
        return db.scalar(select(func.count()).select_from(model))


# Points -----------------------------------------------------------------------------------


def test_points_are_spent_within_the_budget_and_summed(room):
    facilitator = room.facilitator()
    phones = [room.phone() for _ in range(3)]
    open_stage(facilitator, room, "priorities")

    assert answer(phones[0], "priorities", {"points": {"privacy": 7, "speed": 3}})["ok"]
    assert answer(phones[1], "priorities", {"points": {"privacy": 2, "fairness": 0}})["ok"]
    # Equal answers are stored alike: items left at 0 are dropped.
    assert answer(phones[2], "priorities", {"points": {"privacy": 2}})["ok"]
    me = phones[1].emit("sync")["me"]
    assert me["answers"]["priorities"] == {"points": {"privacy": 2}}

    summary = results(room, "priorities")
    by_key = {item["key"]: item for item in summary["items"]}
    assert (by_key["privacy"]["total"], by_key["privacy"]["voters"]) == (11, 3)
    assert (by_key["speed"]["total"], by_key["speed"]["voters"]) == (3, 1)
    assert (by_key["fairness"]["total"], by_key["fairness"]["voters"]) == (0, 0)
    assert [item["key"] for item in summary["items"]] == ["privacy", "speed", "fairness"]
    assert summary["voters"] == summary["answered"] == 3 and summary["budget"] == 10

    figure = stage_figure("points", summary)
    bars = figure["data"][0]
    assert list(bars["x"]) == [11, 3, 0] and bars["orientation"] == "h"
    assert bars["text"][0] == "11 · 3 people"


def test_points_refuse_overspending_negatives_and_unknown_items(room):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "priorities")
    cases = {
        "You have 10 points; you spent 12.": {"points": {"privacy": 8, "speed": 4}},
        "Points must be whole numbers, 0 or more.": {"points": {"privacy": -1, "speed": 4}},
        "Give at least one point to an item.": {"points": {"privacy": 0}},
        "Unknown item: 'nope'.": {"points": {"nope": 1}},
    }
    for error, value in cases.items():
        assert answer(phone, "priorities", value) == {"ok": False, "error": error}
    for value in (
        {"points": {"privacy": 1.5}},
        {"points": {"privacy": True}},
        {"points": {}},
        {"points": [1, 2]},
        {"points": {"privacy": 1}, "extra": 1},
        {"order": ["privacy"]},
    ):
        ack = answer(phone, "priorities", value)
        assert ack["ok"] is False and ack["error"], value
    assert count(room, Answer) == 0
    assert answer(phone, "priorities", {"points": {"fairness": 10}})["ok"]


# Benefit-risk grid --------------------------------------------------------------------------


def test_grid_places_the_scenario_and_summarises_each_cell(room):
    facilitator = room.facilitator()
    phones = [room.phone() for _ in range(4)]
    open_stage(facilitator, room, "placement")
    for phone, cell in zip(phones, ([4, 2], [4, 2], [5, 1], [2, 5]), strict=True):
        assert answer(phone, "placement", {"cells": {"scenario": cell}})["ok"]

    summary = results(room, "placement")
    assert summary["size"] == 5 and summary["answered"] == 4
    assert summary["axes"]["x"] == {"label": "Benefit", "low": "Little", "high": "Great"}
    (item,) = summary["items"]
    assert item["key"] == "scenario" and item["label"] == "The scenario"
    assert item["cells"] == [
        {"x": 2, "y": 5, "count": 1},
        {"x": 4, "y": 2, "count": 2},
        {"x": 5, "y": 1, "count": 1},
    ]
    assert (item["n"], item["mean_x"], item["mean_y"]) == (4, 3.75, 2.5)

    figure = stage_figure("grid", summary)
    assert figure["layout"]["meta"] == {"chart": "grid"}
    assert figure["layout"]["xaxis"]["title"]["text"] == "Benefit →"
    assert list(figure["layout"]["yaxis"]["ticktext"]) == ["Safe", "", "", "", "Dangerous"]
    dots = [t for t in figure["data"] if t["type"] == "scatter" and t["mode"] == "markers+text"]
    assert len(dots) == 1 and list(dots[0]["text"]) == ["1", "2", "1"]
    sizes = list(dots[0]["marker"]["size"])
    assert sizes[1] > sizes[0] == sizes[2]  # the busier cell has the bigger dot


def test_grid_with_items_takes_any_of_them_and_draws_one_trace_each(room):
    facilitator, alice, bob = room.facilitator(), room.phone(), room.phone()
    open_stage(facilitator, room, "two-things")
    assert room.session() and room.plan.stage("two-things").activity.size == 5
    both = {"cells": {"sharing": [5, 2], "not-sharing": [1, 1]}}
    assert answer(alice, "two-things", both)["ok"]
    assert answer(bob, "two-things", {"cells": {"sharing": [3, 3]}})["ok"]
    summary = results(room, "two-things")
    by_key = {item["key"]: item for item in summary["items"]}
    assert by_key["sharing"]["n"] == 2 and by_key["sharing"]["mean_x"] == 4
    assert by_key["not-sharing"]["n"] == 1
    figure = stage_figure("grid", summary)
    names = [t.get("name") for t in figure["data"] if t.get("mode") == "markers+text"]
    assert names == ["Sharing", "Not sharing"]


def test_grid_refuses_cells_off_the_grid(room):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "placement")
    off = "Place it inside the grid (1 to 5)."
    for cell in ([0, 3], [6, 1], [3, -1], [2.5, 1], [3], [3, 3, 3], "3,3", [True, 2]):
        assert answer(phone, "placement", {"cells": {"scenario": cell}}) == {
            "ok": False,
            "error": off,
        }, cell
    assert not answer(phone, "placement", {"cells": {}})["ok"]
    assert answer(phone, "placement", {"cells": {"other": [1, 1]}})["error"] == (
        "Unknown item: 'other'."
    )
    assert count(room, Answer) == 0


# Word cloud ---------------------------------------------------------------------------------


def test_word_cloud_counts_words_without_stop_words(room):
    facilitator = room.facilitator()
    phones = [room.phone() for _ in range(4)]
    open_stage(facilitator, room, "words")
    for phone, text in zip(
        phones, ("Trust, the data", "  trust   Privacy ", "privacy and TRUST!", "Fair"), strict=True
    ):
        assert answer(phone, "words", {"text": text})["ok"]
    me = phones[1].emit("sync")["me"]
    assert me["answers"]["words"] == {"text": "trust Privacy"}

    summary = results(room, "words")
    assert summary["words"] == [
        {"word": "trust", "count": 3},
        {"word": "privacy", "count": 2},
        {"word": "data", "count": 1},
        {"word": "fair", "count": 1},
    ]
    assert summary["voters"] == summary["answered"] == 4
    assert stage_figure("word_cloud", summary) is None  # drawn as words, not a chart


def test_word_cloud_refuses_too_many_words_and_empty_text(room):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "words")
    assert answer(phone, "words", {"text": "one two three four"}) == {
        "ok": False,
        "error": "Use at most 3 words.",
    }
    assert answer(phone, "words", {"text": "   "})["error"] == "Type at least one word."
    long = "x" * 81
    assert "80 characters" in answer(phone, "words", {"text": long})["error"]
    assert not answer(phone, "words", {"text": 3})["ok"]
    # The words go up on the projector: the plan's strong-language filter applies.
    assert answer(phone, "words", {"text": "total bullshit"})["error"] == (
        "Please rephrase without strong language."
    )
    # Also written with look-alikes: small capitals, a Cyrillic letter, a zero-width space.
    for text in ("\ua730\u1d1c\u1d04\u1d0b", "fu\u0441k", "f\u200buck"):
        assert answer(phone, "words", {"text": text})["error"] == (
            "Please rephrase without strong language."
        )
    assert count(room, Answer) == 0


# Statements ---------------------------------------------------------------------------------


def test_statements_are_voted_on_and_ranked_by_agreement(room):
    facilitator = room.facilitator()
    alice, bob, carol, dan = (room.phone() for _ in range(4))
    open_stage(facilitator, room, "statements")
    first = post(alice, "statements", "Data should stay local")
    second = post(bob, "statements", "Consent must be asked every time")
    third = post(carol, "statements", "Nobody reads privacy notices")

    # first: 1 agree, 1 pass -> 0.5; second: 2 agree, 1 disagree -> 0.667; third: none.
    assert react(bob, first, "agree")["ok"]
    assert react(carol, first, "pass")["ok"]
    assert react(alice, second, "agree")["ok"]
    assert react(carol, second, "agree")["ok"]
    assert react(dan, second, "disagree")["ok"]

    summary = results(room, "statements")
    ranked = [(s["id"], s["agree"], s["disagree"], s["passes"]) for s in summary["statements"]]
    assert ranked == [(second, 2, 1, 0), (first, 1, 0, 1), (third, 0, 0, 0)]
    assert [s["agreement"] for s in summary["statements"]] == [0.667, 0.5, None]
    assert summary["voters"] == 4 and summary["answered"] == 4

    # A pass is remembered as "pass" and shows on the wall; "none" takes it back.
    assert carol.emit("sync")["me"]["reactions"][str(first)] == "pass"
    wall = {c["id"]: c for c in facilitator.emit("sync")["comments"]["comments"]}
    assert wall[first]["passes"] == 1
    assert react(carol, first, "none")["ok"]
    assert str(first) not in carol.emit("sync")["me"]["reactions"]
    with room.db() as db:
        assert db.get(Comment, first).passes == 0
    # Changing a pass to an agreement moves the vote between counters.
    assert react(carol, first, "pass")["ok"] and react(carol, first, "agree")["ok"]
    with room.db() as db:
        comment = db.get(Comment, first)
        assert (comment.agree, comment.passes) == (2, 0)

    figure = stage_figure("statements", results(room, "statements"))
    assert [trace["name"] for trace in figure["data"]] == ["Agree", "Pass", "Disagree"]
    assert figure["data"][0]["y"][0].startswith("1. ")


def test_a_hidden_statement_leaves_the_ranking(room):
    facilitator, alice, bob = room.facilitator(), room.phone(), room.phone()
    open_stage(facilitator, room, "statements")
    statement = post(alice, "statements", "Keep it simple")
    react(bob, statement, "agree")
    assert facilitator.emit("hide_comment", {"comment_id": statement})["ok"]
    assert results(room, "statements")["statements"] == []
    assert stage_figure("statements", results(room, "statements")) is None


def test_pass_is_refused_outside_statements_and_on_own_statements(room):
    facilitator, alice, bob = room.facilitator(), room.phone(), room.phone()
    open_stage(facilitator, room, "talk")
    comment = post(alice, "talk", "A plain comment")
    refused = react(bob, comment, "pass")
    assert refused == {
        "ok": False,
        "error": "You can pass only on statements; agree or disagree instead.",
    }
    assert count(room, Reaction) == 0
    assert react(bob, comment, "agree")["ok"]

    open_stage(facilitator, room, "statements")
    own = post(alice, "statements", "My own view")
    assert not react(alice, own, "pass")["ok"]
    assert react(bob, own, "maybe")["error"] == "'reaction' must be agree, disagree, pass or none."


def test_the_broadcast_after_a_vote_carries_the_ranking(room):
    facilitator, screen, alice, bob = (
        room.facilitator(),
        room.screen(),
        room.phone(),
        room.phone(),
    )
    open_stage(facilitator, room, "statements")
    statement = post(alice, "statements", "Share less, explain more")
    facilitator.emit("reveal")
    screen.received()
    ack = react(bob, statement, "pass")
    pushed = [m for m in screen.received("results") if m.get("results")]
    assert pushed and pushed[-1]["seq"] >= ack["seq"]
    (ranked,) = pushed[-1]["results"]["statements"]
    assert ranked["passes"] == 1 and pushed[-1]["figure"] is not None


# Roles, closed input ---------------------------------------------------------------------


def test_only_participants_answer_and_vote(room):
    facilitator, screen, alice = room.facilitator(), room.screen(), room.phone()
    open_stage(facilitator, room, "statements")
    statement = post(alice, "statements", "Ask the public first")
    for client in (facilitator, screen):
        ack = react(client, statement, "pass")
        assert ack == {"ok": False, "error": "Only a participant can do that."}
    open_stage(facilitator, room, "priorities")
    for client in (facilitator, screen):
        assert not answer(client, "priorities", {"points": {"privacy": 1}})["ok"]
    facilitator.emit("close_input")
    assert answer(alice, "priorities", {"points": {"privacy": 1}})["error"] == (
        "Input is closed for this stage."
    )


# Withdrawal and replay ---------------------------------------------------------------------


def run_all_four(room) -> dict:
    """Three phones answer points, grid, word cloud and statements; returns the phones and
    the statement ids."""
    facilitator = room.facilitator()
    alice, bob, carol = room.phone(), room.phone("Housing"), room.phone()
    open_stage(facilitator, room, "priorities")
    answer(alice, "priorities", {"points": {"privacy": 6, "speed": 4}})
    answer(bob, "priorities", {"points": {"privacy": 1}})
    open_stage(facilitator, room, "placement")
    answer(alice, "placement", {"cells": {"scenario": [1, 5]}})
    answer(bob, "placement", {"cells": {"scenario": [3, 3]}})
    open_stage(facilitator, room, "words")
    answer(alice, "words", {"text": "secrecy worries"})
    answer(bob, "words", {"text": "trust"})
    open_stage(facilitator, room, "statements")
    mine = post(alice, "statements", "Tell people what is shared")
    theirs = post(bob, "statements", "Only share what is needed")
    react(bob, mine, "agree")
    react(carol, mine, "pass")
    react(alice, theirs, "pass")
    react(carol, theirs, "disagree")
    return {"alice": alice, "bob": bob, "carol": carol, "mine": mine, "theirs": theirs}


def test_withdrawal_takes_points_cells_words_and_passes_back(room):
    run = run_all_four(room)
    assert run["alice"].emit("withdraw")["ok"]

    points = {item["key"]: item for item in results(room, "priorities")["items"]}
    assert points["privacy"]["total"] == 1 and points["speed"]["total"] == 0
    (grid,) = results(room, "placement")["items"]
    assert grid["cells"] == [{"x": 3, "y": 3, "count": 1}] and grid["n"] == 1
    assert results(room, "words")["words"] == [{"word": "trust", "count": 1}]
    statements = results(room, "statements")["statements"]
    # Her statement is gone, and so is her pass on Bob's.
    assert [(s["id"], s["passes"], s["disagree"]) for s in statements] == [(run["theirs"], 0, 1)]
    assert run["carol"].emit("sync")["me"]["reactions"] == {str(run["theirs"]): "disagree"}


def test_replay_rebuilds_passes_points_cells_and_words(room):
    run_all_four(room)
    with room.db() as db:
        live = snapshot(db, room.session_id)
        passes = sorted(db.execute(select(Comment.id, Comment.passes)))
        assert sum(p for _, p in passes) == 2
        replay(db, db.get(WorkshopSession, room.session_id))
        db.commit()
        assert snapshot(db, room.session_id) == live
        assert sorted(db.execute(select(Comment.id, Comment.passes))) == passes
    assert results(room, "words")["voters"] == 2
