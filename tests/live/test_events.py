"""Socket.IO events through the Flask-SocketIO test client: roles, validation, acks,
idempotent retries, broadcasts with seq, reconnects and restarts."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from facilitation import create_app
from facilitation.extensions import socketio
from facilitation.models import Answer, Event
from facilitation.workshop.identity import screen_key
from tests.conftest import BUILTIN_PLAN
from tests.factories import Client, Workshop, client_id


def open_stage(facilitator, workshop, key: str) -> None:
    assert facilitator.emit("goto", {"index": workshop.stage_index(key)})["ok"]
    assert facilitator.emit("open_input")["ok"]


def stored_answers(workshop) -> int:
    """Answers stored but the sector stage's (each phone's sector from the join form)."""
    with workshop.db() as db:
        return db.scalar(
            select(func.count()).select_from(Answer).where(Answer.stage_key != "sector")
        )


def light(stage: str, value: str, cid: str | None = None) -> dict:
    return {"stage": stage, "client_id": cid or client_id(), "value": {"lights": {stage: value}}}


# Connecting ------------------------------------------------------------------------------


def test_connection_needs_a_role_a_session_and_an_identity(app, workshop):
    attempts = [
        {"code": workshop.code},  # no role
        {"code": "ZZZZZZ", "role": "screen"},  # no such session
        {"code": workshop.code, "role": "participant"},  # no join cookie
        {"code": workshop.code, "role": "facilitator"},  # not logged in
        {"code": workshop.code, "role": "screen", "key": "forged"},
    ]
    for auth in attempts:
        assert not Client(app, socketio, auth).connected, auth
    assert workshop.screen().connected
    assert workshop.phone().connected
    assert workshop.facilitator().connected


def test_a_cookie_for_another_session_does_not_let_a_phone_in(app, workshop):
    other = Workshop(app, socketio, BUILTIN_PLAN)
    phone = workshop.phone()
    token = phone.http.get_cookie(f"participant_{workshop.code}").value
    intruder = app.test_client()
    intruder.set_cookie(f"participant_{other.code}", token)
    auth = {"code": other.code, "role": "participant"}
    assert not Client(app, socketio, auth, intruder).connected


def test_the_first_sync_comes_with_the_connection_when_asked(app, workshop):
    """auth {sync: payload} (live.js): the sync reply arrives as ``synced`` before anything
    else on the connection, the same as the event's, for every role; without it, none."""
    facilitator = workshop.facilitator()
    open_stage(facilitator, workshop, "purposeful")
    phone = workshop.phone()
    phone.emit("answer", light("purposeful", "met"))
    asked = {"code": workshop.code, "role": "participant", "sync": {}}
    again = Client(app, socketio, asked, phone.http)
    workshop.clients.append(again)
    first = again.socket.get_received()[0]
    assert first["name"] == "synced"
    pushed = first["args"][0]
    assert pushed["ok"]
    assert pushed["me"]["answers"]["purposeful"] == {"lights": {"purposeful": "met"}}
    asked_after = again.emit("sync")
    for reply in (pushed, asked_after):
        del reply["state"]["server_time"]  # when each was made
    assert pushed == asked_after
    # A projector's sync payload ({stage}: pinned) is the event's, checked as the event's.
    with app.test_request_context():
        key = screen_key(workshop.session())
    auth = {"code": workshop.code, "role": "screen", "key": key}
    pinned = Client(app, socketio, {**auth, "sync": {"stage": "purposeful"}})
    unknown = Client(app, socketio, {**auth, "sync": {"stage": "no-such-stage"}})
    workshop.clients += [pinned, unknown]
    reply = pinned.received("synced")[0]
    assert reply["ok"] and reply["pinned"]["stage"]["key"] == "purposeful"
    refused = unknown.received("synced")[0]
    assert not refused["ok"] and "not in the plan" in refused["error"]
    # Not asked (an older page, the Python clients): nothing is pushed.
    plain = Client(app, socketio, {"code": workshop.code, "role": "participant"}, phone.http)
    workshop.clients.append(plain)
    assert plain.received("synced") == []
    # A sync that is not an object is not a request for one.
    odd = Client(app, socketio, {**asked, "sync": "yes"}, phone.http)
    workshop.clients.append(odd)
    assert odd.connected and odd.received("synced") == []


# Participants ----------------------------------------------------------------------------


def test_answer_is_acked_with_seq_stored_once_and_changeable(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")

    first = phone.emit("answer", light("purposeful", "met"))
    assert first["ok"] and first["seq"] > 0
    changed = phone.emit("answer", light("purposeful", "partly"))
    assert changed["ok"] and changed["seq"] > first["seq"]

    assert stored_answers(workshop) == 1
    me = phone.emit("sync")["me"]
    assert me["answers"]["purposeful"] == {"lights": {"purposeful": "partly"}}


def test_a_retried_submission_is_stored_once(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")
    payload = light("purposeful", "met", cid="retry-0001")

    first = phone.emit("answer", payload)
    again = phone.emit("answer", payload)
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    with workshop.db() as db:
        assert db.scalar(select(func.count()).where(Event.client_id == "retry-0001")) == 1


def test_participant_events_run_without_a_flask_request(app, workshop, monkeypatch):
    # A vote needs no request, cookie or login (the connection settled who sent it), so it
    # skips building one; facilitators' events still get theirs (their login is checked).
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")
    built = []
    real = type(app).request_context
    monkeypatch.setattr(
        type(app), "request_context", lambda self, environ: built.append(1) or real(self, environ)
    )

    assert phone.emit("answer", light("purposeful", "met"))["ok"]
    assert phone.emit("comment", {"stage": "purposeful", "client_id": client_id(), "text": "Hi"})[
        "ok"
    ]
    assert phone.emit("open_input") == {"ok": False, "error": "Only a facilitator can do that."}
    assert built == [1]  # the refused facilitator's event above, not the phone's own
    assert facilitator.emit("answer", light("purposeful", "met")) == {
        "ok": False,
        "error": "Only a participant can do that.",
    }
    assert facilitator.emit("close_input")["ok"]
    assert len(built) == 2
    assert stored_answers(workshop) == 1


def test_closed_and_other_stages_refuse_answers(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    facilitator.emit("goto", {"index": workshop.stage_index("purposeful")})

    closed = phone.emit("answer", light("purposeful", "met"))
    assert closed == {"ok": False, "error": "Input is closed for this stage."}
    facilitator.emit("open_input")
    elsewhere = phone.emit("answer", light("proportionate", "met"))
    assert not elsewhere["ok"] and "moved on" in elsewhere["error"]
    facilitator.emit("close_input")
    assert not phone.emit("answer", light("purposeful", "met"))["ok"]
    assert stored_answers(workshop) == 0


def test_bad_payloads_get_a_readable_error_and_store_nothing(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "feature-outcomes")
    item = workshop.plan.stage("feature-outcomes").activity.items[0].key
    bad = [
        None,
        "a string",
        {"stage": "feature-outcomes", "value": {"ratings": {item: 3}}},  # no client_id
        {"stage": "feature-outcomes", "client_id": "short", "value": {"ratings": {item: 3}}},
        {"stage": "feature-outcomes", "client_id": client_id(), "value": {"ratings": {item: 9}}},
        {"stage": "feature-outcomes", "client_id": client_id(), "value": {"ratings": {item: 2.5}}},
        {"stage": "feature-outcomes", "client_id": client_id(), "value": {"ratings": {item: True}}},
        {"stage": "feature-outcomes", "client_id": client_id(), "value": {"ratings": {"nope": 3}}},
        {"stage": "feature-outcomes", "client_id": client_id(), "value": {"lights": {item: "met"}}},
        {"stage": "feature-outcomes", "client_id": client_id(), "value": []},
        {"stage": ["feature-outcomes"], "client_id": client_id(), "value": {}},
    ]
    for payload in bad:
        ack = phone.emit("answer", payload) if payload is not None else phone.emit("answer")
        assert ack["ok"] is False and ack["error"], payload
    assert stored_answers(workshop) == 0
    ok = phone.emit(
        "answer",
        {"stage": "feature-outcomes", "client_id": client_id(), "value": {"ratings": {item: 5}}},
    )
    assert ok["ok"]


def test_each_activity_type_takes_its_answer(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    plan = workshop.plan
    ranking = plan.stage("ranking").activity
    order = [item.key for item in ranking.items][::-1]
    rating_item = plan.stage("feature-respect").activity.items[0].key
    cases = {
        "sector": {"sector": "Welfare"},
        "purposeful": {"lights": {plan.stage("purposeful").activity.items[0].key: "not_met"}},
        "feature-respect": {"ratings": {rating_item: 1}},
        "ranking": {"order": order},
    }
    for stage, value in cases.items():
        open_stage(facilitator, workshop, stage)
        ack = phone.emit("answer", {"stage": stage, "client_id": client_id(), "value": value})
        assert ack["ok"], (stage, ack)
    bad_ranking = phone.emit(
        "answer", {"stage": "ranking", "client_id": client_id(), "value": {"order": order[:-1]}}
    )
    assert not bad_ranking["ok"]
    me = phone.emit("sync")["me"]
    assert me["sector"] == "Welfare"  # the sector stage updates the participant's sector
    assert me["answers"]["ranking"] == {"order": order}


def test_participants_cannot_send_facilitator_events(workshop):
    phone = workshop.phone()
    before = workshop.session().last_seq
    for event, payload in [
        ("goto", {"index": 3}),
        ("open_input", {}),
        ("close_input", {}),
        ("reveal", {}),
        ("hide_results", {}),
        ("choose_scenario", {"scenario": workshop.plan.scenarios[1].key}),
        ("hide_comment", {"comment_id": 1}),
        ("restore_comment", {"comment_id": 1}),
        ("end_session", {}),
    ]:
        ack = phone.emit(event, payload)
        assert ack == {"ok": False, "error": "Only a facilitator can do that."}, event
    assert workshop.session().last_seq == before


def test_screens_and_facilitators_cannot_answer(workshop):
    facilitator, screen = workshop.facilitator(), workshop.screen()
    open_stage(facilitator, workshop, "purposeful")
    for client in (facilitator, screen):
        assert not client.emit("answer", light("purposeful", "met"))["ok"]
    assert not screen.emit("goto", {"index": 1})["ok"]


def test_comments_agreement_and_moderation(workshop):
    facilitator, screen = workshop.facilitator(), workshop.screen()
    alice, bob, carol = workshop.phone(), workshop.phone("Housing"), workshop.phone("Welfare")
    open_stage(facilitator, workshop, "purposeful")

    posted = alice.emit(
        "comment", {"stage": "purposeful", "client_id": client_id(), "text": "<b>Clear</b> aim"}
    )
    assert posted["ok"] and posted["comment_id"]
    cid = posted["comment_id"]
    assert bob.emit("react", {"comment_id": cid, "client_id": client_id(), "reaction": "agree"})[
        "ok"
    ]
    assert carol.emit(
        "react", {"comment_id": cid, "client_id": client_id(), "reaction": "disagree"}
    )["ok"]
    own = alice.emit("react", {"comment_id": cid, "client_id": client_id(), "reaction": "agree"})
    assert not own["ok"] and "own comment" in own["error"]
    assert not alice.emit(
        "comment", {"stage": "purposeful", "client_id": client_id(), "text": " "}
    )["ok"]
    too_long = "x" * 2001
    assert not alice.emit(
        "comment", {"stage": "purposeful", "client_id": client_id(), "text": too_long}
    )["ok"]

    screen.received()
    wall = facilitator.emit("sync")["comments"]["comments"]
    assert [(c["text"], c["agree"], c["disagree"]) for c in wall] == [("<b>Clear</b> aim", 1, 1)]

    assert facilitator.emit("hide_comment", {"comment_id": cid})["ok"]
    walls = screen.received("comments")
    assert walls and walls[-1]["comments"] == []
    assert facilitator.emit("sync")["comments"]["comments"][0]["hidden"] is True
    assert bob.emit("sync")["comments"]["comments"] == []
    assert facilitator.emit("restore_comment", {"comment_id": cid})["ok"]
    assert len(bob.emit("sync")["comments"]["comments"]) == 1


def test_projector_gets_counts_then_results_after_reveal_with_seq(workshop):
    facilitator, screen = workshop.facilitator(), workshop.screen()
    phones = [workshop.phone() for _ in range(3)]
    open_stage(facilitator, workshop, "purposeful")
    screen.received()
    acks = [
        p.emit("answer", light("purposeful", v))
        for p, v in zip(phones, ["met", "met", "not_met"], strict=True)
    ]
    updates = screen.received("results")
    assert updates[-1]["answered"] == 3 and updates[-1]["seq"] >= max(a["seq"] for a in acks)
    assert "results" not in updates[-1] and "figure" not in updates[-1]  # hidden by default
    for phone in phones:
        assert phone.received("results") == []  # phones get no per-vote traffic while hidden

    assert facilitator.emit("reveal")["ok"]
    states = screen.received("state")
    assert states[-1]["revealed"] is True
    results = screen.received("results") or [screen.emit("sync")["results"]]
    item = results[-1]["results"]["items"][0]
    assert (item["met"], item["partly"], item["not_met"]) == (2, 0, 1)
    assert results[-1]["figure"]["data"]
    assert phones[0].received("results")[-1]["results"]["items"][0]["met"] == 2


def test_facilitator_sees_results_before_reveal(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "feature-outcomes")
    item = workshop.plan.stage("feature-outcomes").activity.items[0].key
    phone.emit(
        "answer",
        {"stage": "feature-outcomes", "client_id": client_id(), "value": {"ratings": {item: 4}}},
    )
    results = facilitator.received("results")[-1]
    assert results["results"]["items"][0]["counts"]["4"] == 1
    assert results["revealed"] is False


def test_withdrawal_removes_answers_comments_and_agreements(workshop):
    facilitator, screen = workshop.facilitator(), workshop.screen()
    leaver, stayer = workshop.phone(), workshop.phone("Housing")
    open_stage(facilitator, workshop, "purposeful")
    leaver.emit("answer", light("purposeful", "met"))
    stayer.emit("answer", light("purposeful", "not_met"))
    mine = leaver.emit("comment", {"stage": "purposeful", "client_id": client_id(), "text": "mine"})
    theirs = stayer.emit("comment", {"stage": "purposeful", "client_id": client_id(), "text": "x"})
    stayer.emit(
        "react", {"comment_id": mine["comment_id"], "client_id": client_id(), "reaction": "agree"}
    )
    leaver.emit(
        "react", {"comment_id": theirs["comment_id"], "client_id": client_id(), "reaction": "agree"}
    )

    screen.received()
    assert leaver.emit("withdraw")["ok"]
    assert stored_answers(workshop) == 1
    update = screen.received("results")[-1]
    assert (update["answered"], update["participants"]) == (1, 1)
    wall = facilitator.emit("sync")["comments"]["comments"]
    assert [(c["text"], c["agree"]) for c in wall] == [("x", 0)]
    with workshop.db() as db:
        events = db.scalars(select(Event).where(Event.participant_id == leaver.participant.id))
        assert sorted(e.type for e in events) == ["participant.joined", "participant.withdrew"]
        joined = db.scalar(
            select(Event).where(
                Event.participant_id == leaver.participant.id, Event.type == "participant.joined"
            )
        )
        assert joined.payload == {"withdrawn": True}  # not even their sector is kept
        dumped = json.dumps([e.payload for e in db.scalars(select(Event))])
        assert '"mine"' not in dumped and '"met"' not in dumped
    assert not leaver.emit("answer", light("purposeful", "met"))["ok"]
    assert leaver.emit("sync")["me"]["withdrawn"] is True


def test_reconnect_restores_stage_and_own_answers(app, workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")
    phone.emit("answer", light("purposeful", "partly"))
    phone.disconnect()

    again = Client(app, socketio, {"code": workshop.code, "role": "participant"}, phone.http)
    assert again.connected
    sync = again.emit("sync")
    assert sync["state"]["stage"]["key"] == "purposeful" and sync["state"]["input_open"]
    assert sync["me"]["answers"]["purposeful"] == {"lights": {"purposeful": "partly"}}
    again.disconnect()


def test_restart_rebuilds_state_from_the_database(app, workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")
    phone.emit("answer", light("purposeful", "met"))
    facilitator.emit("reveal")
    before = facilitator.emit("sync")
    workshop.close()

    restarted = create_app(dict(app.config))
    workshop.app = restarted
    facilitator2 = workshop.facilitator()
    phone2 = Client(
        restarted, socketio, {"code": workshop.code, "role": "participant"}, restarted.test_client()
    )
    phone2.http.set_cookie(
        f"participant_{workshop.code}", phone.http.get_cookie(f"participant_{workshop.code}").value
    )
    phone2 = Client(
        restarted, socketio, {"code": workshop.code, "role": "participant"}, phone2.http
    )
    after = facilitator2.emit("sync")
    # server_time is the clock at the moment the state was sent; all else is rebuilt.
    assert after["state"].pop("server_time") >= before["state"].pop("server_time")
    assert after["state"] == before["state"]
    assert after["results"]["results"] == before["results"]["results"]
    assert phone2.emit("sync")["me"]["answers"]["purposeful"] == {"lights": {"purposeful": "met"}}
    phone2.disconnect()


def test_ended_session_refuses_everything_but_sync_and_withdraw(workshop):
    facilitator, phone = workshop.facilitator(), workshop.phone()
    open_stage(facilitator, workshop, "purposeful")
    assert facilitator.emit("end_session")["ok"]
    assert phone.received("state")[-1]["status"] == "ended"
    assert not phone.emit("answer", light("purposeful", "met"))["ok"]
    assert not facilitator.emit("goto", {"index": 0})["ok"]
    assert phone.emit("sync")["state"]["status"] == "ended"
    assert phone.emit("withdraw")["ok"]


def test_facilitator_controls_validate_their_payloads(workshop):
    facilitator = workshop.facilitator()
    for event, payload in [
        ("goto", {"index": 99}),
        ("goto", {"index": "2"}),
        ("goto", None),
        ("choose_scenario", {"scenario": "nope"}),
        ("hide_comment", {"comment_id": 12345}),
    ]:
        ack = facilitator.emit(event, payload) if payload is not None else facilitator.emit(event)
        assert ack["ok"] is False and ack["error"], (event, payload)
    scenario = workshop.plan.scenarios[1]
    assert facilitator.emit("choose_scenario", {"scenario": scenario.key})["ok"]
    assert facilitator.emit("sync")["state"]["scenario"]["title"] == scenario.title
    welcome = facilitator.emit("goto", {"index": 0})
    assert welcome["ok"]
    assert not facilitator.emit("open_input")["ok"]  # an info card takes no input
