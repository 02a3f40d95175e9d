"""Random and malformed payloads to every Socket.IO event, as every role (hypothesis).

The events are read from the server's handlers, so a new event is covered without editing
this file. For each: the server never raises, always acks a dict ``{ok: bool}`` with a
readable error when not ok (never the "something went wrong" of an unexpected exception,
and nothing logged as an error), and every Answer, Comment, Reaction and Note it stored
passes the validation in workshop/payloads.py again, unchanged.
"""

from __future__ import annotations

import contextlib
import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from facilitation.activities import activity_type
from facilitation.activities.grid import grid_items
from facilitation.auth import create_facilitator
from facilitation.errors import Refused
from facilitation.extensions import socketio
from facilitation.limits import DEFAULTS, Limits
from facilitation.live.events import EVENTS as EVENT_TABLE
from facilitation.models import Answer, Comment, Note, Reaction
from facilitation.plans import load_plan
from facilitation.workshop import operations
from facilitation.workshop.identity import (
    notetaker_cookie_name,
    notetaker_token,
    participant_cookie_name,
    participant_token,
    screen_key,
)
from facilitation.workshop.payloads import (
    CLIENT_ID,
    clean_comment_text,
    clean_note_text,
)
from tests.conftest import BUILTIN_PLAN
from tests.factories import Client, log_in, session_of
from tests.live.test_points_grid_words_statements import PLAN as FOUR_ACTIVITIES

EVENTS = sorted({name for name, *_ in EVENT_TABLE} - {"connect", "disconnect"})
ROLES = ("participant", "facilitator", "screen", "notetaker")
UNEXPECTED = "Something went wrong on the server; nothing was saved."
FIELDS = [
    "stage", "client_id", "value", "text", "comment_id", "reaction", "index", "scenario",
    "note_id", "tables", "pseudonym", "table", "breakdown", "seconds", "auto_close", "mode",
]  # fmt: skip


def test_every_event_is_fuzzed():
    assert {"answer", "comment", "react", "note", "goto", "set_tables", "sync"} <= set(EVENTS)


# Strategies --------------------------------------------------------------------------------

huge_text = st.builds(lambda c, n: c * n, st.characters(), st.integers(1000, 70_000))
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | huge_text
)
junk = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def answer_for(plan, activity):
    """An answer shaped for ``activity``, right or wrong in its values."""
    items = [item.key for item in activity.items] or ["none"]
    keys = st.sampled_from(items)
    by_type = {
        "sector": st.fixed_dictionaries({"sector": st.sampled_from([*plan.sectors, "Nowhere"])}),
        "choice": st.fixed_dictionaries({"choices": st.lists(keys, max_size=3)}),
        "rating": st.fixed_dictionaries(
            {"ratings": st.dictionaries(keys, st.integers(-1, 12) | st.booleans())}
        ),
        "traffic_light": st.fixed_dictionaries(
            {"lights": st.dictionaries(keys, st.sampled_from(["met", "partly", "not_met", "x"]))}
        ),
        "ranking": st.fixed_dictionaries({"order": st.permutations(items) | st.lists(keys)}),
        "points": st.fixed_dictionaries({"points": st.dictionaries(keys, st.integers(-1, 12))}),
        "grid": st.fixed_dictionaries(
            {
                "cells": st.dictionaries(
                    st.sampled_from([item.key for item in grid_items(activity)]),
                    st.lists(st.integers(0, 6), min_size=1, max_size=3),
                )
            }
        ),
        "word_cloud": st.fixed_dictionaries({"text": st.text(max_size=100)}),
    }
    return by_type.get(activity.type, st.fixed_dictionaries({"text": st.text(max_size=20)}))


def plausible(plans, plan, stage) -> dict:
    """Values of the right type for each field, often right for the current ``stage``
    (so some examples get past the checks and are stored), or junk."""
    stages = sorted({s.key for plan in plans for s in plan.stages})
    items = [i.key for i in stage.activity.items] or ["none"]
    keys = st.sampled_from(items)
    words = st.sampled_from(items + stages + ["Health", "Housing", "met", "partly", "agree"])
    answer = answer_for(plan, stage.activity) | st.dictionaries(
        st.sampled_from(
            ["choices", "ratings", "lights", "order", "points", "cells", "text", "sector"]
        ),
        st.lists(words, max_size=4)
        | st.dictionaries(keys, st.integers(-1, 12) | words | st.lists(st.integers(0, 6)))
        | st.text(max_size=100)
        | words,
        min_size=1,
        max_size=2,
    )
    return {
        "stage": st.just(stage.key) | st.just(stage.key) | st.sampled_from(stages),
        "client_id": st.from_regex(CLIENT_ID, fullmatch=True),
        "value": answer,
        "text": st.text(min_size=1, max_size=300) | st.text(max_size=2100) | huge_text,
        "comment_id": st.integers(-1, 40),
        "note_id": st.integers(-1, 40),
        "reaction": st.sampled_from(["agree", "disagree", "pass", "none", "maybe"]),
        "index": st.integers(-2, 30),
        "scenario": st.sampled_from([s.key for plan in plans for s in plan.scenarios]),
        "tables": st.none() | st.lists(st.text(max_size=90), max_size=60),
        "pseudonym": st.text(max_size=20),
        "table": st.none() | st.text(max_size=90),
        "breakdown": st.sampled_from(["room", "sector", "table", "city"]),
        "seconds": st.integers(-5, 4000),
        "auto_close": st.booleans(),
        "mode": st.sampled_from(["auto", "join", "question", "results", "wall", "notes", "x"]),
    }


def payloads(plans, plan, stage):
    fields = plausible(plans, plan, stage)
    # Every field of the right type (handlers ignore the ones they do not read); or a few
    # fields, some missing or junk; or junk; or None, sent with no payload at all.
    complete = st.fixed_dictionaries({f: fields[f] for f in FIELDS})
    # What a phone would send at this stage: an answer, comment or reaction that may stand.
    likely = st.fixed_dictionaries(
        {
            "stage": st.just(stage.key),
            "client_id": fields["client_id"],
            "value": answer_for(plan, stage.activity),
            "text": st.text(min_size=1, max_size=300),
            "comment_id": st.integers(1, 5),
            "reaction": st.sampled_from(["agree", "disagree", "pass", "none"]),
        }
    )
    some = st.fixed_dictionaries({}, optional={f: fields[f] | junk for f in FIELDS})
    return likely | complete | some | junk | st.none()


# The room ----------------------------------------------------------------------------------


class Room:
    """A fresh live session per example, with one connection of the role under test."""

    def __init__(self, app, tmp_path):
        self.app = app
        path = tmp_path / "points-grid-words-statements.yaml"
        path.write_text(FOUR_ACTIVITIES)
        self.plans = [load_plan(BUILTIN_PLAN), load_plan(path)]
        with self.db() as db:
            self.facilitator_id = create_facilitator(db, "fuzz@example.org", "a-long-password").id

    def db(self):
        from facilitation.db import database

        return database(self.app).sessionmaker()

    def open(self, plan_index: int, stage: int, role: str):
        plan = self.plans[plan_index]
        # Stages that take input first: hypothesis draws small numbers most.
        order = sorted(
            range(len(plan.stages)),
            key=lambda i: not (plan.stages[i].activity.answerable or plan.stages[i].takes_comments),
        )
        stage = order[stage % len(order)]
        with self.db() as db, self.app.test_request_context():
            session = operations.create_session(db, plan, None, plan.scenarios[0].key)
            code, session_id = session.code, session.id
            participant = operations.join(db, session_id, plan.sectors[0], "Fuzz")
            phone_token = participant_token(db.merge(participant), code)
            operations.go_to_stage(db, session_id, stage)
            with contextlib.suppress(Refused):  # an info stage takes no input
                operations.open_input(db, session_id)
        http = self.app.test_client()
        auth = {"code": code, "role": role}
        with self.app.test_request_context():
            if role == "facilitator":
                log_in(self.app, http, self.facilitator_id)
            elif role == "participant":
                http.set_cookie(participant_cookie_name(code), phone_token)
            elif role == "notetaker":
                scribe = notetaker_token(session_of(self.app, code), "Scribe")
                http.set_cookie(notetaker_cookie_name(code), scribe)
            else:
                auth["key"] = screen_key(session_of(self.app, code))
        client = Client(self.app, socketio, auth, http)
        assert client.connected, role
        return session_id, plan, plan.stages[stage], client


def stored_rows_are_valid(room: Room, session_id: int, plan) -> None:
    with room.db() as db:
        for answer in db.scalars(select(Answer).where(Answer.session_id == session_id)):
            value = json.loads(answer.value)
            activity = plan.stage(answer.stage_key).activity
            assert activity_type(activity.type).clean(activity, plan, value) == value, answer.value
        for comment in db.scalars(select(Comment).where(Comment.session_id == session_id)):
            activity = plan.stage(comment.stage_key).activity
            assert clean_comment_text(comment.text, activity.max_length) == comment.text
        for note in db.scalars(select(Note).where(Note.session_id == session_id)):
            assert clean_note_text(note.text) == note.text
        for reaction in db.scalars(select(Reaction)):
            assert reaction.value in (-1, 0, 1)


def allowed_roles(room: Room, event: str) -> list[str]:
    """The roles the server lets send ``event`` (asked, not listed here)."""
    allowed = []
    for role in ROLES:
        _, _, _, client = room.open(0, 0, role)
        ack = client.emit(event, {})
        client.disconnect()
        if ack["ok"] or not ack["error"].startswith("Only a"):
            allowed.append(role)
    assert allowed, event
    return allowed


@pytest.mark.parametrize("event", EVENTS)
def test_malformed_payloads_get_an_error_ack_and_store_nothing_invalid(
    app, tmp_path, caplog, event
):
    # No rate limit here: every example should reach the handler's own checks. Every event
    # limit is lifted, not only the participants': the facilitator's account is the same in
    # every example, and refusals for speed (tests/security/test_floods.py) are not what
    # this test looks for.
    unlimited = {name: 10**9 for name in DEFAULTS if not name.endswith("_window")}
    app.extensions["limits"] = Limits.from_config(unlimited)
    room = Room(app, tmp_path)
    allowed = allowed_roles(room, event)

    # Events from phones and note-takers store rows: more examples to find an invalid one.
    stores = bool({"participant", "notetaker"} & set(allowed))

    @settings(
        max_examples=40 if stores else 10,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        # Mostly a role that may send it, so the handler's own checks are reached.
        role=st.sampled_from(allowed) | st.sampled_from(allowed) | st.sampled_from(ROLES),
        plan_index=st.integers(0, 1),
        stage=st.integers(0, 20),
        extra=st.booleans(),
        data=st.data(),
    )
    def example(role, plan_index, stage, extra, data):
        caplog.clear()
        session_id, plan, current, client = room.open(plan_index, stage, role)
        payload = data.draw(payloads(room.plans, plan, current))
        try:
            args = () if payload is None else (payload, "extra") if extra else (payload,)
            ack = client.socket.emit(event, *args, callback=True)
            assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
            if not ack["ok"]:
                assert isinstance(ack.get("error"), str) and ack["error"].strip(), ack
                assert ack["error"] != UNEXPECTED, (event, role, payload)
            errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
            assert not errors, errors[0].getMessage()
            stored_rows_are_valid(room, session_id, plan)
        finally:
            client.disconnect()

    example()
