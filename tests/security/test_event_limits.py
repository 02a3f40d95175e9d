"""Limits on what a phone sends: events per minute per participant, payload size, and a
length limit on every text field. Over a limit: a clear ack error and nothing stored."""

from __future__ import annotations

import pytest

from facilitation.limits import TOO_FAST, EventLimit
from facilitation.live.events import EVENTS
from facilitation.models import Answer, Comment, Note, Reaction
from facilitation.workshop.identity import notes_key
from facilitation.workshop.payloads import MAX_PAYLOAD_CHARS, TOO_LARGE
from tests.factories import client_id
from tests.live.test_points_grid_words_statements import count, open_stage
from tests.support.live import joined as joined_as_phone

PER_MINUTE = 60


def comment(text: str, stage: str = "talk") -> dict:
    return {"stage": stage, "client_id": client_id(), "text": text}


def participant_events(phone) -> list[str]:
    """Every event a participant may send, found by asking the server about each handler
    (a new one is covered without editing this test)."""
    events = []
    for name, _handler, _roles, limit in EVENTS:
        # Reads: a sync, and a run's Back and Next, which count as syncs (limits.py).
        if name in ("connect", "disconnect") or limit in (EventLimit.SYNC, EventLimit.PACE):
            continue
        ack = phone.emit(name, {})  # a throwaway phone: "withdraw" succeeds
        if ack["ok"] or not ack["error"].startswith("Only a"):
            events.append(name)
    return events


def test_sixty_events_a_minute_then_a_clear_error_and_nothing_stored(room, clock):
    facilitator, phone, other = room.facilitator(), room.phone(), room.phone()
    open_stage(facilitator, room, "talk")
    for n in range(PER_MINUTE):
        assert phone.emit("comment", comment(f"thought {n}"))["ok"], n
    refused = phone.emit("comment", comment("one too many"))
    # `retry`: the phone keeps it and sends it again later (phone-pending.js): none is lost.
    assert refused == {"ok": False, "error": TOO_FAST, "retry": True}
    assert refused["error"] == "You're sending answers too fast; wait a moment."
    assert count(room, Comment) == PER_MINUTE
    assert phone.emit("sync")["seq"] > 0  # reading is not limited
    assert other.emit("comment", comment("someone else"))["ok"]  # per participant
    clock.advance(60)
    assert phone.emit("comment", comment("a minute later"))["ok"]
    assert count(room, Comment) == PER_MINUTE + 2


def test_every_participant_event_counts_and_is_refused_over_the_limit(room, clock):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "statements")
    writes = participant_events(room.phone())
    assert {"answer", "comment", "react", "withdraw"} <= set(writes)
    statement = room.phone().emit("comment", comment("A statement", "statements"))["comment_id"]
    assert phone.emit("comment", comment("My own statement", "statements"))["ok"]
    sent = 1
    while sent < PER_MINUTE:  # comments and reactions share one count
        reaction = ("agree", "disagree", "pass")[sent % 3]
        ack = phone.emit(
            "react", {"comment_id": statement, "client_id": client_id(), "reaction": reaction}
        )
        assert ack["ok"], ack
        sent += 1
    before = (count(room, Answer), count(room, Comment), count(room, Reaction))
    for event in writes:
        assert phone.emit(event, {})["error"] == TOO_FAST, event
    assert (count(room, Answer), count(room, Comment), count(room, Reaction)) == before


def too_large(payload: dict) -> dict:
    return {**payload, "padding": "x" * MAX_PAYLOAD_CHARS}


def test_a_payload_over_the_size_limit_is_refused_before_any_work(room, clock):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "talk")
    assert phone.emit("comment", too_large(comment("big")))["error"] == TOO_LARGE
    assert TOO_LARGE == "That message is too large to send; please shorten it."
    assert facilitator.emit("set_tables", too_large({"tables": ["A"]}))["error"] == TOO_LARGE
    assert count(room, Comment) == 0
    # Just under the limit, the handler is reached (and says what is wrong).
    within = {"stage": "talk", "client_id": client_id(), "text": "y" * (MAX_PAYLOAD_CHARS - 100)}
    ack = phone.emit("comment", within)
    assert not ack["ok"] and "at most" in ack["error"]
    # Unicode counts by character: the longest comment of emoji fits.
    assert phone.emit("comment", comment("🙂" * 280))["ok"]


def test_a_payload_that_is_not_plain_json_data_is_refused(room, clock):
    phone = room.phone()
    ack = phone.emit("comment", {"stage": "talk", "client_id": client_id(), "text": b"\x00"})
    assert not ack["ok"] and ack["error"]
    assert count(room, Comment) == 0


@pytest.mark.parametrize(
    "what, limit, refused",
    [
        ("comment", 280, "A comment can be at most 280 characters"),
        ("word cloud", 80, "Keep it to 80 characters"),
        ("note", 2000, "A note can be at most 2000 characters"),
        ("table name", 80, "A table name can be at most 80 characters"),
    ],
)
def test_every_text_a_socket_carries_has_a_length_limit(room, clock, what, limit, refused):
    facilitator, phone = room.facilitator(), room.phone()
    stage = "words" if what == "word cloud" else "talk"
    open_stage(facilitator, room, stage)

    def send(text: str) -> dict:
        if what == "comment":
            return phone.emit("comment", comment(text))
        if what == "word cloud":
            return phone.emit(
                "answer", {"stage": stage, "client_id": client_id(), "value": {"text": text}}
            )
        if what == "note":
            return facilitator.emit("note", {"client_id": client_id(), "text": text})
        return facilitator.emit("set_tables", {"tables": [text]})

    longest = "w" * limit
    assert send(longest)["ok"], what
    over = send(longest + "w")
    assert not over["ok"] and over["error"].startswith(refused), over
    stored = {"comment": Comment, "word cloud": Answer, "note": Note}.get(what)
    if stored is not None:
        assert count(room, stored) == 1


def test_display_names_and_note_taker_labels_have_length_limits(app, room, clock):
    form = {"sector": "Health", "consent": "yes"}
    client = app.test_client()
    answer = client.post(f"/j/{room.code}", data={**form, "display_name": "n" * 61})
    assert answer.status_code == 400 and "at most 60 characters" in answer.get_data(as_text=True)
    answer = client.post(f"/j/{room.code}", data={**form, "display_name": "n" * 60})
    assert joined_as_phone(answer, room.code)
    with app.test_request_context():
        key = notes_key(room.session())
    answer = client.post(f"/n/{room.code}", data={"key": key, "label": "l" * 23})
    assert answer.status_code == 400 and "Please keep it to 22 characters" in answer.get_data(
        as_text=True
    )
    assert client.post(f"/n/{room.code}", data={"key": key, "label": "l" * 22}).status_code == 302
