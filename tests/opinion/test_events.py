"""The live side's events: a participant asks for their own opinion group
(``own_opinion_group``), the console's breakdown "opinion", and the priority statements
carry on the comment walls (and a run's phone offered what it has not voted on)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from facilitation import clock
from facilitation.extensions import socketio
from facilitation.live import paced
from facilitation.models import WorkshopSession
from facilitation.opinion import own
from facilitation.opinion.priority import priority
from facilitation.participant.phone_text import SERVER_MESSAGES
from tests.factories import Run, client_id
from tests.live.test_points_grid_words_statements import open_stage, post, react
from tests.opinion.live_room import (
    CAMPS,
    PLAN,
    STATEMENTS,
    WRITERS,
    latest_result,
    make_room,
    plant,
)


@pytest.fixture
def room(app, tmp_path):
    workshop = make_room(app, tmp_path)
    yield workshop
    workshop.close()


def ask(phone, stage: str = "views") -> dict:
    return phone.emit("own_opinion_group", {"stage": stage})


# own_opinion_group -------------------------------------------------------------------------


def test_a_participant_is_told_their_own_group_once_results_are_revealed(room):
    planted = plant(room)
    phone = planted.camps[1][0]
    refused = ask(phone)
    assert refused == {"ok": False, "error": own.NOT_SHOWN}
    assert planted.facilitator.emit("reveal")["ok"]
    ack = ask(phone)
    assert ack["ok"] is True
    group = ack["group"]
    result = latest_result(room)
    assert group["label"] == result.grouping.group_of(phone.participant.id)
    assert (group["size"], group["groups"]) == (6, 2)  # the camp and its author
    # Camp 2 agrees with the last two statements and disagrees with 3 and 4 more than
    # the rest of the room does.
    assert set(group["agrees"]) <= set(STATEMENTS[4:]) and group["agrees"]
    assert set(group["disagrees"]) <= set(STATEMENTS[2:4])
    # The other camp is told its own letter, not this one.
    other = ask(planted.camps[0][0])["group"]
    assert other["label"] != group["label"]


def test_someone_not_placed_is_told_why(room):
    planted = plant(room)
    planted.facilitator.emit("reveal")
    # One statement written and one voted on: two of the three needed.
    newcomer = room.phone("Health")
    post(newcomer, "views", "Ask the patients' forum first")
    assert react(newcomer, planted.statements[0], "agree")["ok"]
    assert ask(newcomer) == {"ok": True, "group": None, "why": own.NOT_PLACED}
    # Who wrote three and voted on none is placed: they agree with what they wrote.
    assert ask(planted.authors[0])["group"]["label"] == ask(planted.camps[0][0])["group"]["label"]


def test_once_input_closed_someone_not_placed_is_told_they_voted_too_little(room):
    planted = plant(room)
    facilitator = planted.facilitator
    facilitator.emit("reveal")
    newcomer = room.phone("Health")
    assert react(newcomer, planted.statements[0], "agree")["ok"]
    assert react(newcomer, planted.statements[1], "agree")["ok"]
    closed = {
        "ok": True,
        "group": None,
        "why": own.NOT_PLACED_CLOSED,
        "why_values": {"n": 3},  # the stage's min_votes
    }
    assert ask(newcomer) == {"ok": True, "group": None, "why": own.NOT_PLACED}
    # Input closed: they can no longer vote, so "vote on a few more" would mislead.
    assert facilitator.emit("close_input")["ok"]
    assert ask(newcomer) == closed
    assert facilitator.emit("open_input")["ok"]
    assert ask(newcomer)["why"] == own.NOT_PLACED
    # The facilitator moved on (the stage stays revealed): closed too.
    open_stage(facilitator, room, "talk")
    assert ask(newcomer) == closed
    # Someone placed is told their group whatever the input.
    assert ask(planted.camps[0][0])["group"]["label"] in ("A", "B")


def test_once_a_run_closed_someone_not_placed_is_told_they_voted_too_little(app, tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text(PLAN)
    run = Run(app, socketio, path, approve_comments=False)
    try:
        stage, index = "views", run.stage_index("views")
        authors = [run.phone(), run.phone()]
        camps = [[run.phone() for _ in range(5)] for _ in CAMPS]
        newcomer = run.phone()
        for phone in (*authors, *camps[0], *camps[1], newcomer):
            assert phone.emit("pace", {"index": index})["ok"]
        ids = []
        for writer, text in zip(WRITERS, STATEMENTS, strict=True):
            ack = authors[writer].emit(
                "comment", {"stage": stage, "text": text, "client_id": client_id()}
            )
            ids.append(ack["comment_id"])
        for camp, phones in zip(CAMPS, camps, strict=True):
            for phone in phones:
                for statement, reaction in zip(ids, camp, strict=True):
                    assert react(phone, statement, reaction)["ok"]
        # One statement written (so the stage shows them its results) and one vote.
        ack = newcomer.emit("comment", {"stage": stage, "text": "Mine", "client_id": client_id()})
        assert ack["ok"] and react(newcomer, ids[0], "agree")["ok"]
        # The groups formed (an author has written, so the stage shows them its results).
        assert ask(authors[0])["group"] is not None
        assert ask(newcomer) == {"ok": True, "group": None, "why": own.NOT_PLACED}
        with run.db() as db:
            db.get(WorkshopSession, run.session_id).closes_at = clock.now() - timedelta(hours=1)
            db.commit()
        assert ask(newcomer) == {
            "ok": True,
            "group": None,
            "why": own.NOT_PLACED_CLOSED,
            "why_values": {"n": 3},
        }
    finally:
        run.close()


def test_the_closed_input_sentence_has_the_stage_min_votes_for_the_phone():
    # The phone puts why_values into the translated sentence (phone-text.js t()).
    assert "{n}" in own.NOT_PLACED_CLOSED
    assert own.NOT_PLACED_CLOSED in SERVER_MESSAGES and own.NOT_PLACED in SERVER_MESSAGES


def test_before_the_groups_form_the_answer_says_so(room):
    planted = plant(room, votes=2)
    planted.facilitator.emit("reveal")
    assert ask(planted.voters[0]) == {"ok": True, "group": None, "why": own.NOT_FORMED}


def test_refused_unless_the_plan_tells_participants(room):
    planted = plant(room)
    planted.facilitator.emit("reveal")
    phone = planted.voters[0]
    for stage in ("quiet", "untold", "welcome"):  # off; on but not told; no statements
        assert ask(phone, stage) == {"ok": False, "error": own.NOT_TOLD}
    assert ask(phone, "nowhere") == {"ok": False, "error": own.NO_STAGE}
    assert ask(phone, "")["ok"] is False
    assert phone.emit("own_opinion_group", {})["ok"] is False


def test_the_phone_knows_from_the_stage_whether_to_ask(room):
    # phone.js asks for the person's group only where the stage says it will be told.
    facilitator, phone = room.facilitator(), room.phone("Health")
    told = {}
    for key in ("views", "quiet", "untold", "welcome"):
        assert facilitator.emit("goto", {"index": room.stage_index(key)})["ok"]
        told[key] = phone.emit("sync")["state"]["stage"].get("tell_participants")
    assert told == {"views": True, "quiet": False, "untold": False, "welcome": None}


def test_refused_to_a_withdrawn_participant_and_to_other_roles(room):
    planted = plant(room)
    planted.facilitator.emit("reveal")
    phone = planted.voters[0]
    assert phone.emit("withdraw")["ok"]
    assert ask(phone) == {"ok": False, "error": own.WITHDRAWN}
    for client in (planted.facilitator, room.screen()):
        assert ask(client) == {"ok": False, "error": "Only a participant can do that."}


# The breakdown "opinion" -------------------------------------------------------------------


def test_the_opinion_breakdown_is_accepted_with_opinion_groups(room):
    planted = plant(room)
    facilitator, screen = planted.facilitator, room.screen()
    ack = facilitator.emit("set_breakdown", {"breakdown": "opinion"})
    assert ack["ok"] is True
    assert screen.received("state")[-1]["breakdown"] == "opinion"
    react(planted.voters[0], planted.statements[0], "pass")
    assert facilitator.received("results")[-1]["breakdown"] == "opinion"
    # On a stage without opinion groups the projector shows the room as usual.
    open_stage(facilitator, room, "talk")
    assert "breakdown" not in facilitator.received("results")[-1]
    assert room.session().breakdown == "opinion"


def test_the_opinion_breakdown_is_refused_without_opinion_groups(app, tmp_path, workshop):
    facilitator = workshop.facilitator()  # the built-in plan has no statements stage
    ack = facilitator.emit("set_breakdown", {"breakdown": "opinion"})
    assert ack["ok"] is False and "opinion groups" in ack["error"]
    off = PLAN.replace("      tell_participants: true\n", "").replace(
        "    opinion_groups:\n", "    opinion_groups: false\n"
    )
    last = "    type: statements\n  - key: talk"
    off = off.replace(last, last.replace("\n", "\n    opinion_groups: false\n", 1))
    quiet = make_room(app, tmp_path, off)
    try:
        ack = quiet.facilitator().emit("set_breakdown", {"breakdown": "opinion"})
        assert ack["ok"] is False and "opinion groups" in ack["error"]
    finally:
        quiet.close()


# Priority on the comment walls ---------------------------------------------------------------


def test_statements_carry_their_priority_on_every_wall(room):
    planted = plant(room, votes=3)
    facilitator, phone = planted.facilitator, planted.voters[0]
    walls = {
        "facilitator": facilitator.received("comments")[-1]["comments"],
        "phone": phone.emit("sync")["comments"]["comments"],
    }
    separation = latest_result(room).analysis.separation
    assert separation[planted.statements[2]] > separation[planted.statements[0]]
    for wall in walls.values():
        assert {c["id"] for c in wall} == set(planted.statements)
        for c in wall:  # from the votes and the latest groups' separation
            expected = priority(c["agree"], c["disagree"], c["passes"], separation.get(c["id"], 0))
            assert c["priority"] == round(expected, 4)
        by_id = {c["id"]: c["priority"] for c in wall}
        # Equal votes: the statement that splits the groups is offered before the one they
        # all agree with.
        assert by_id[planted.statements[2]] > by_id[planted.statements[0]]
    # Open text is not voted on in turn: no priority.
    open_stage(facilitator, room, "talk")
    post(phone, "talk", "A thought")
    wall = facilitator.received("comments")[-1]["comments"]
    assert wall and all("priority" not in c for c in wall)


def test_a_runs_phone_is_offered_what_it_has_not_voted_on_by_priority(app, tmp_path, monkeypatch):
    monkeypatch.setattr(paced, "COMMENTS_SHOWN", 3)
    path = tmp_path / "run.yaml"
    path.write_text(PLAN)
    run = Run(app, socketio, path, approve_comments=False)
    try:
        stage = "views"
        index = run.stage_index(stage)
        author, reader = run.phone(), run.phone()
        busy = [run.phone() for _ in range(3)]
        for phone in (author, reader, *busy):
            assert phone.emit("pace", {"index": index})["ok"]
        ids = []
        for text in STATEMENTS:
            ack = author.emit("comment", {"stage": stage, "text": text, "client_id": client_id()})
            ids.append(ack["comment_id"])
        for phone in busy:  # the first three have votes; the others none
            for statement in ids[:3]:
                assert react(phone, statement, "agree")["ok"]
        mine = reader.emit("comment", {"stage": stage, "text": "Mine", "client_id": client_id()})
        assert react(reader, ids[0], "agree")["ok"] and react(reader, ids[3], "agree")["ok"]
        reply = reader.emit("pace", {"index": index})
        wall = reply["comments"]["comments"]
        offered = {c["id"] for c in wall}
        # The three not voted on with the highest priority (five people: no groups yet, so
        # from the votes alone), and their own; not what they voted on while others wait.
        votes = {cid: (3, 0, 0) if cid in ids[:3] else (0, 0, 0) for cid in ids}
        votes[ids[0]] = votes[ids[3]] = None
        waiting = sorted(
            (cid for cid in ids if votes[cid] is not None),
            key=lambda cid: (-priority(*votes[cid]), cid),
        )
        assert offered == {*waiting[:3], mine["comment_id"]}
        assert ids[0] not in offered and ids[3] not in offered
        assert all("priority" in c for c in wall)
    finally:
        run.close()


def test_in_a_run_a_person_is_told_on_the_stage_they_are_on_once_it_shows_results(app, tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text(PLAN)
    run = Run(app, socketio, path, approve_comments=False)
    try:
        phone = run.phone()
        assert phone.emit("pace", {"index": run.stage_index("views")})["ok"]
        # Not answered yet (a statement of their own): the stage shows no results to them.
        assert ask(phone) == {"ok": False, "error": own.NOT_SHOWN}
        ack = phone.emit("comment", {"stage": "views", "text": "Mine", "client_id": client_id()})
        assert ack["ok"]
        assert ask(phone) == {"ok": True, "group": None, "why": own.NOT_FORMED}
        assert phone.emit("pace", {"index": run.stage_index("views") - 1})["ok"]
        assert ask(phone) == {"ok": False, "error": own.NOT_SHOWN}  # not on it any more
    finally:
        run.close()
