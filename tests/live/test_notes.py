"""Note-takers' notes over Socket.IO: who may connect and write, validation, idempotent
retries, showing a note on the projector, and replay of the log."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from facilitation.exports.transcript import transcript_csv, transcript_json
from facilitation.extensions import socketio
from facilitation.models import Event, Note, WorkshopSession
from facilitation.workshop.identity import notes_key, notetaker_cookie_name, notetaker_token
from facilitation.workshop.projection import replay
from tests.factories import Client, Workshop, client_id

PLAN = """\
title: Notes workshop
description: A short plan with breakout tables, for testing notes.
privacy_notice: We keep what you write for a month.
sectors: [Health, Housing]
tables: [Table A, Table B]
moderation:
  word_limit: 12
stages:
  - key: welcome
    title: Welcome
    prompt: Welcome to the workshop
    type: info
    body: Hello.
  - key: purposeful
    title: "Test 1: Purposeful"
    prompt: Is the purpose clear?
    type: traffic_light
    comments: true
    items: [The purpose is clear]
  - key: close
    title: Thank you
    prompt: That is all
    type: info
"""


@pytest.fixture
def tables_workshop(app, tmp_path) -> Workshop:
    path = tmp_path / "notes-workshop.yaml"
    path.write_text(PLAN, encoding="utf-8")
    workshop = Workshop(app, socketio, path, scenario=None)
    workshop.plan_file = path
    yield workshop
    workshop.close()


def notetaker(workshop: Workshop, label: str = "Table A scribe", token: str | None = None):
    http = workshop.app.test_client()
    if token is None:
        with workshop.app.test_request_context():
            token = notetaker_token(workshop.session(), label)
    http.set_cookie(notetaker_cookie_name(workshop.code), token)
    auth = {"code": workshop.code, "role": "notetaker"}
    return workshop._track(Client(workshop.app, socketio, auth, http))


def note(text: str = "Table A worries about who sees the data", **fields) -> dict:
    return {"client_id": client_id(), "text": text, **fields}


def stored_notes(workshop) -> list[tuple]:
    with workshop.db() as db:
        return list(
            db.execute(
                select(Note.id, Note.stage_key, Note.table_key, Note.author, Note.text, Note.shown)
                .where(Note.session_id == workshop.session_id)
                .order_by(Note.id)
            )
        )


def last_notes(client) -> dict:
    received = client.received("notes")
    assert received, "no notes message arrived"
    return received[-1]


# Connecting ------------------------------------------------------------------------------


def test_a_note_taker_needs_the_signed_cookie_of_this_session(app, tables_workshop):
    assert notetaker(tables_workshop).connected
    # No cookie, a forged one, one for another session, or the projector key: all refused.
    bare = Client(app, socketio, {"code": tables_workshop.code, "role": "notetaker"})
    assert not bare.connected
    assert not notetaker(tables_workshop, token="forged.token").connected
    other = Workshop(app, socketio, tables_workshop.plan_file, scenario=None)
    with app.test_request_context():
        foreign = notetaker_token(other.session(), "Table A scribe")
    assert not notetaker(tables_workshop, token=foreign).connected
    with app.test_request_context():
        key = notes_key(tables_workshop.session())
    keyed = Client(app, socketio, {"code": tables_workshop.code, "role": "notetaker", "key": key})
    assert not keyed.connected  # the key is for the invitation page, not the socket


def test_a_forged_or_foreign_notes_key_does_not_check_out(app, tables_workshop):
    from facilitation.workshop.identity import check_notes_key, screen_key

    with app.test_request_context():
        session = tables_workshop.session()
        assert check_notes_key(session, notes_key(session))
        assert not check_notes_key(session, None)
        assert not check_notes_key(session, "forged")
        assert not check_notes_key(session, screen_key(session))  # another purpose, another salt
        assert not check_notes_key(WorkshopSession(code="ZZZZZZ"), notes_key(session))


def test_a_logged_in_facilitator_may_open_the_note_taker_role(tables_workshop):
    facilitator = tables_workshop.facilitator()
    http = facilitator.http
    auth = {"code": tables_workshop.code, "role": "notetaker"}
    as_notetaker = tables_workshop._track(Client(tables_workshop.app, socketio, auth, http))
    assert as_notetaker.connected
    ack = as_notetaker.emit("note", note("Said by the room"))
    assert ack["ok"], ack
    assert stored_notes(tables_workshop)[0][3] == "Facilitator"


def test_sync_gives_a_note_taker_stages_tables_label_and_no_hidden_results(tables_workshop):
    taker = notetaker(tables_workshop)
    reply = taker.emit("sync")
    assert reply["ok"]
    assert reply["label"] == "Table A scribe"
    assert reply["tables"] == ["Table A", "Table B"]
    assert [s["key"] for s in reply["stages"]] == ["welcome", "purposeful", "close"]
    assert reply["notes"] == {"seq": reply["seq"], "notes": []}
    assert "results" not in reply["results"] and "figure" not in reply["results"]
    assert reply["state"]["stage"]["key"] == "welcome"


# Writing notes ---------------------------------------------------------------------------


def test_a_note_is_stored_with_its_stage_table_and_author_and_pushed(tables_workshop):
    facilitator = tables_workshop.facilitator()
    screen = tables_workshop.screen()
    taker = notetaker(tables_workshop)
    assert facilitator.emit("goto", {"index": 1})["ok"]
    for client in (facilitator, screen, taker):
        client.received()

    ack = taker.emit("note", note("They want a clear purpose\nwritten down", table="Table A"))
    assert ack["ok"], ack
    assert isinstance(ack["note_id"], int) and ack["seq"] > 0
    ((note_id, stage, table, author, text, shown),) = stored_notes(tables_workshop)
    assert (note_id, stage, table, author, shown) == (
        ack["note_id"],
        "purposeful",
        "Table A",
        "Table A scribe",
        False,
    )
    assert text == "They want a clear purpose\nwritten down"  # line breaks kept

    for client in (facilitator, taker):
        message = last_notes(client)
        assert message["seq"] == ack["seq"]
        (pushed,) = message["notes"]
        assert pushed["id"] == note_id
        assert pushed["stage_title"] == "Test 1: Purposeful"
        assert pushed["table"] == "Table A"
        assert pushed["author"] == "Table A scribe"
        assert pushed["shown"] is False
    # The projector hears of notes, but only the ones the facilitator shows.
    assert last_notes(screen)["notes"] == []

    with tables_workshop.db() as db:
        event = db.scalar(select(Event).where(Event.type == "note.posted"))
        assert event.actor == "notetaker:Table A scribe"
        assert event.payload["note_id"] == note_id


def test_notes_are_listed_newest_first_and_may_name_another_stage(tables_workshop):
    taker = notetaker(tables_workshop)
    assert taker.emit("note", note("First", table="Table A"))["ok"]
    assert taker.emit("note", note("Second", table=None, stage="close"))["ok"]
    notes = last_notes(taker)["notes"]
    assert [n["text"] for n in notes] == ["Second", "First"]
    assert notes[0]["stage"] == "close" and notes[0]["table"] is None
    assert notes[1]["stage"] == "welcome"  # no stage given: the current one


def test_a_facilitator_may_write_a_note_from_the_console(tables_workshop):
    facilitator = tables_workshop.facilitator()
    ack = facilitator.emit("note", note("Noted at the front", table="Table B"))
    assert ack["ok"], ack
    assert stored_notes(tables_workshop)[0][2:4] == ("Table B", "Facilitator")
    with tables_workshop.db() as db:
        assert db.scalar(select(Event.actor).where(Event.type == "note.posted")) == "facilitator"


def test_participants_and_screens_cannot_write_notes_or_show_them(tables_workshop):
    taker = notetaker(tables_workshop)
    note_id = taker.emit("note", note())["note_id"]
    phone = tables_workshop.phone()
    screen = tables_workshop.screen()
    for client in (phone, screen):
        ack = client.emit("note", note())
        assert not ack["ok"] and "note-taker or facilitator" in ack["error"]
        for event in ("show_note", "hide_note"):
            ack = client.emit(event, {"note_id": note_id})
            assert not ack["ok"] and "facilitator" in ack["error"]
    # Nor may a note-taker put notes on the projector: that is the facilitator's call.
    assert not taker.emit("show_note", {"note_id": note_id})["ok"]
    assert len(stored_notes(tables_workshop)) == 1
    assert stored_notes(tables_workshop)[0][5] is False


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (["a note"], "expected an object"),
        ({"text": "x"}, "client_id"),
        ({"client_id": "short", "text": "x"}, "client_id"),
        ({"client_id": "c" * 16, "text": 12}, "'text' must be text"),
        ({"client_id": "c" * 16, "text": "   \n  "}, "cannot be empty"),
        ({"client_id": "c" * 16, "text": "x" * 2001}, "at most 2000 characters"),
        ({"client_id": "c" * 16, "text": "one " * 13}, "keep it to 12 words (you wrote 13)"),
        ({"client_id": "c" * 16, "text": "x", "stage": "nowhere"}, "not in the plan"),
        ({"client_id": "c" * 16, "text": "x", "stage": 3}, "'stage'"),
        ({"client_id": "c" * 16, "text": "x", "table": "Table Z"}, "session's tables"),
        ({"client_id": "c" * 16, "text": "x", "table": ["Table A"]}, "'table'"),
    ],
)
def test_bad_notes_are_refused_with_a_readable_message(tables_workshop, payload, message):
    taker = notetaker(tables_workshop)
    ack = taker.emit("note", payload)
    assert not ack["ok"]
    assert message in ack["error"], ack["error"]
    assert stored_notes(tables_workshop) == []


def test_show_and_hide_need_a_note_of_this_session(app, tables_workshop):
    facilitator = tables_workshop.facilitator()
    for payload in ({}, {"note_id": "1"}, {"note_id": 999}):
        assert not facilitator.emit("show_note", payload)["ok"]
    other = Workshop(app, socketio, tables_workshop.plan_file, scenario=None)
    foreign = notetaker(other).emit("note", note())["note_id"]
    ack = facilitator.emit("show_note", {"note_id": foreign})
    assert not ack["ok"] and ack["error"] == "That note does not exist."
    other.close()


def test_a_retried_note_is_stored_once(tables_workshop):
    taker = notetaker(tables_workshop)
    payload = note("Worth hearing twice, stored once", table="Table B")
    first = taker.emit("note", payload)
    again = taker.emit("note", payload)
    assert first["ok"] and again["ok"] and again["duplicate"]
    assert (again["seq"], again["note_id"]) == (first["seq"], first["note_id"])
    assert len(stored_notes(tables_workshop)) == 1


def test_notes_stop_when_the_session_ends(tables_workshop):
    facilitator = tables_workshop.facilitator()
    taker = notetaker(tables_workshop)
    note_id = taker.emit("note", note())["note_id"]
    assert facilitator.emit("end_session")["ok"]
    ack = taker.emit("note", note())
    assert not ack["ok"] and "ended" in ack["error"]
    # The facilitator can still take a note off the projector afterwards.
    assert facilitator.emit("hide_note", {"note_id": note_id})["ok"]


# On the projector ------------------------------------------------------------------------


def test_show_and_hide_put_a_note_on_the_projector_and_take_it_off(tables_workshop):
    facilitator = tables_workshop.facilitator()
    screen = tables_workshop.screen()
    taker = notetaker(tables_workshop, "Scribe B")
    first = taker.emit("note", note("Keep it local", table="Table B"))["note_id"]
    taker.emit("note", note("Not for the wall", table="Table A"))
    screen.received()

    ack = facilitator.emit("show_note", {"note_id": first})
    assert ack["ok"]
    shown = last_notes(screen)
    assert shown["seq"] == ack["seq"]
    (on_screen,) = shown["notes"]
    assert on_screen["id"] == first and on_screen["table"] == "Table B"
    assert on_screen["text"] == "Keep it local" and on_screen["shown"] is True
    assert "author" not in on_screen  # the room sees the table, not who wrote it
    facilitator_view = last_notes(facilitator)["notes"]
    assert [n["shown"] for n in facilitator_view] == [False, True]
    assert screen.emit("sync")["notes"]["notes"][0]["id"] == first

    assert facilitator.emit("hide_note", {"note_id": first})["ok"]
    assert last_notes(screen)["notes"] == []
    assert not any(n["shown"] for n in last_notes(taker)["notes"])


def test_screens_get_the_most_recently_shown_note_first(tables_workshop):
    facilitator = tables_workshop.facilitator()
    screen = tables_workshop.screen()
    taker = notetaker(tables_workshop)
    first, second = (taker.emit("note", note(text))["note_id"] for text in ("One", "Two"))
    for note_id in (first, second):
        facilitator.emit("show_note", {"note_id": note_id})
    assert [n["id"] for n in last_notes(screen)["notes"]] == [second, first]
    # Shown again after being taken off, the older note comes back on top.
    facilitator.emit("hide_note", {"note_id": first})
    facilitator.emit("show_note", {"note_id": first})
    assert [n["id"] for n in last_notes(screen)["notes"]] == [first, second]
    # Facilitators and note-takers keep the order they were written in, newest first.
    assert [n["id"] for n in last_notes(facilitator)["notes"]] == [second, first]


def test_the_facilitator_sync_carries_the_invitation_link(tables_workshop):
    reply = tables_workshop.facilitator().emit("sync")
    assert f"/n/{tables_workshop.code}?key=" in reply["notes_url"]
    assert reply["notes"]["notes"] == []
    phone_reply = tables_workshop.phone().emit("sync")
    assert "notes" not in phone_reply and "notes_url" not in phone_reply


# The log ---------------------------------------------------------------------------------


def test_replaying_the_log_rebuilds_the_notes(tables_workshop):
    facilitator = tables_workshop.facilitator()
    taker = notetaker(tables_workshop)
    ids = [
        taker.emit("note", note(f"Note {n}", table=table))["note_id"]
        for n, table in enumerate(["Table A", "Table B", None])
    ]
    facilitator.emit("show_note", {"note_id": ids[0]})
    facilitator.emit("show_note", {"note_id": ids[2]})
    facilitator.emit("hide_note", {"note_id": ids[2]})
    before = stored_notes(tables_workshop)
    with tables_workshop.db() as db:
        replay(db, db.get(WorkshopSession, tables_workshop.session_id))
        db.commit()
        assert db.scalar(select(func.count()).select_from(Note)) == 3
    assert stored_notes(tables_workshop) == before
    assert [shown for *_, shown in before] == [True, False, False]


def test_the_transcript_reads_note_events_with_stage_table_and_text(tables_workshop):
    facilitator = tables_workshop.facilitator()
    taker = notetaker(tables_workshop)
    assert facilitator.emit("goto", {"index": 1})["ok"]
    note_id = taker.emit("note", note("=They said: tell people first", table="Table A"))["note_id"]
    assert facilitator.emit("show_note", {"note_id": note_id})["ok"]

    with tables_workshop.db() as db:
        session = db.get(WorkshopSession, tables_workshop.session_id)
        rows = list(csv.DictReader(io.StringIO("".join(transcript_csv(db, session)))))
        data = json.loads("".join(transcript_json(db, session)))
    posted = next(r for r in rows if r["type"] == "note.posted")
    assert posted["actor"] == "notetaker:Table A scribe"
    assert (posted["stage"], posted["stage_title"]) == ("purposeful", "Test 1: Purposeful")
    content = json.loads(posted["content"])
    assert content == {
        "author": "Table A scribe",
        "note_id": note_id,
        "table": "Table A",
        "text": "=They said: tell people first",
    }
    shown = next(r for r in rows if r["type"] == "note.shown")
    assert shown["actor"] == "facilitator" and shown["stage_title"] == "Test 1: Purposeful"
    assert json.loads(shown["content"]) == {"note_id": note_id}
    events = {e["type"]: e for e in data["events"]}
    assert events["note.posted"]["content"]["text"] == "=They said: tell people first"
    assert events["note.posted"]["stage_title"] == "Test 1: Purposeful"
