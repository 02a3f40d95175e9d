"""A participant reaches only their own session and their own answers: a cookie of session
A opens nothing of session B, events act on the sender's own session whatever ids they
name, and a phone never receives another participant's answers."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from facilitation.extensions import socketio
from facilitation.models import Answer, Comment, Note, Reaction
from facilitation.workshop.identity import participant_cookie_name
from tests.factories import Client, Workshop, client_id
from tests.security.test_event_limits import open_stage


def rows(room, model, session_id: int) -> int:
    with room.db() as db:
        query = select(func.count()).select_from(model)
        if hasattr(model, "session_id"):
            query = query.where(model.session_id == session_id)
        return db.scalar(query)


def words(stage: str, text: str) -> dict:
    return {"stage": stage, "client_id": client_id(), "value": {"text": text}}


def test_a_cookie_of_session_a_opens_nothing_of_session_b(app, room, clock):
    other = Workshop(app, socketio, room.plan_path)
    mine = room.phone()
    token = mine.http.get_cookie(participant_cookie_name(room.code)).value
    assert mine.http.get(f"/p/{room.code}").status_code == 200

    intruder = app.test_client()
    intruder.set_cookie(participant_cookie_name(other.code), token)  # A's token, B's name
    phone_page = intruder.get(f"/p/{other.code}")
    assert phone_page.status_code == 302 and f"/j/{other.code}" in phone_page.headers["Location"]
    join_page = intruder.get(f"/j/{other.code}")
    assert join_page.status_code == 200 and 'name="consent"' in join_page.get_data(as_text=True)
    as_phone_of_b = {"code": other.code, "role": "participant"}
    assert not Client(app, socketio, as_phone_of_b, intruder).connected
    # A's own cookie, as it is, does not reach B either.
    assert mine.http.get(f"/p/{other.code}").status_code == 302
    assert not Client(app, socketio, as_phone_of_b, mine.http).connected
    other.close()


def test_events_act_on_the_senders_session_whatever_ids_they_name(app, room, clock):
    other = Workshop(app, socketio, room.plan_path)
    boss_a, boss_b = room.facilitator(), other.facilitator()
    mine, theirs = room.phone(), other.phone()
    for boss, workshop in ((boss_a, room), (boss_b, other)):
        open_stage(boss, workshop, "statements")
    statement_b = theirs.emit(
        "comment", {"stage": "statements", "client_id": client_id(), "text": "B's statement"}
    )["comment_id"]
    note_b = boss_b.emit("note", {"client_id": client_id(), "text": "B's note"})["note_id"]

    # A phone of A cannot vote on B's statement; A's facilitator cannot touch B's.
    ack = mine.emit(
        "react", {"comment_id": statement_b, "client_id": client_id(), "reaction": "agree"}
    )
    assert not ack["ok"] and ack["error"] == "That comment is not available."
    for event in ("hide_comment", "highlight_comment", "restore_comment"):
        assert not boss_a.emit(event, {"comment_id": statement_b})["ok"], event
    for event in ("show_note", "hide_note"):
        assert not boss_a.emit(event, {"note_id": note_b})["ok"], event
    assert rows(room, Reaction, 0) == 0
    with other.db() as db:
        statement = db.get(Comment, statement_b)
        assert not statement.hidden and not statement.highlighted and statement.agree == 0
        assert not db.get(Note, note_b).shown

    # An answer naming a stage of B (the same plan, the same keys) lands in A, A's stage.
    assert mine.emit("comment", {"stage": "statements", "client_id": client_id(), "text": "mine"})[
        "ok"
    ]
    assert rows(room, Comment, room.session_id) == 1
    assert rows(other, Comment, other.session_id) == 1
    other.close()


def test_a_phone_never_receives_another_participants_answers(room, clock):
    boss = room.facilitator()
    open_stage(boss, room, "words")
    mine, theirs = room.phone(), room.phone()
    assert theirs.emit("answer", words("words", "zebracrossing"))["ok"]
    assert mine.emit("answer", words("words", "ownword"))["ok"]
    reply = mine.emit("sync")
    assert reply["me"]["answers"] == {"words": {"text": "ownword"}}
    everything_sent = json.dumps([reply, *mine.received()])
    assert "zebracrossing" not in everything_sent  # not before the reveal
    assert theirs.participant.pseudonym not in everything_sent
    assert rows(room, Answer, room.session_id) == 2
