"""Arbitrary Unicode through every text field of every event and form (hypothesis): every
plane, lone surrogates, controls, bidi overrides, zero-width and combining characters.

Each example joins through the join form (the display name), names a note-taker through
the label form, then sends every Socket.IO event the server has (read from its handlers,
as ``test_fuzz_events.py`` does) from every role, with hostile text in every text field.
Afterwards: every ack is a readable answer (never the "something went wrong" of an
unexpected exception), the server logged no error or traceback, every stored row passes
validation again unchanged, and every export format of the session downloads whole and
parses, holding no character a file cannot carry.
"""

from __future__ import annotations

import logging
import urllib.parse

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from facilitation.extensions import socketio
from facilitation.limits import DEFAULTS, Limits
from facilitation.models import Participant
from facilitation.workshop.identity import (
    notes_key,
    notetaker_cookie_name,
    participant_cookie_name,
)
from tests.exports.conftest import login
from tests.exports.parsed import download_all, unwritable_in
from tests.factories import Client, Workshop, client_id, session_of
from tests.live.test_points_grid_words_statements import PLAN, open_stage
from tests.security.test_fuzz_events import EVENTS, UNEXPECTED, stored_rows_are_valid
from tests.support.live import joined as joined_as_phone

# Characters a probe reaches for first, beside hypothesis's draw from all of Unicode.
HOSTILE = [
    "\ud800", "\udfff", "\ud83d", "\x00", "\x1b", "\x7f", "\x85", "\x9b", "\t", "\n", "\r",
    "\u202e", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
    "\ufe0f", "\u0301", "\u3164", "\ufffe", "\U0010ffff", "\U000e0067", "ŵ", "w", "\u0302", "👩",
    "=", "<", "&", '"', " ",
]  # fmt: skip
wild_text = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()) | st.sampled_from(HOSTILE),
    min_size=1,
    max_size=24,
)
# Events that move the session on (or end it, or take the phone out) go last, so the
# others meet a stage that takes answers, comments and notes.
LAST = ("close_input", "goto", "pause_session", "end_session", "withdraw")
ORDERED = sorted(EVENTS, key=lambda event: LAST.index(event) + 1 if event in LAST else 0)
STAGES = ("words", "statements", "talk")


def post_form(http, url: str, form: dict):
    """A form as a script sends it: a surrogate goes as its raw bytes."""
    body = urllib.parse.urlencode(form, encoding="utf-8", errors="surrogatepass")
    return http.post(url, data=body, content_type="application/x-www-form-urlencoded")


def joined_phone(app, room: Workshop, name: str) -> Client:
    """A phone joined through the join form with ``name``, or without one if refused."""
    http = app.test_client()
    form = {"display_name": name, "sector": "Health", "consent": "yes", "name_consent": "yes"}
    if post_form(http, f"/j/{room.code}", form).status_code != 200:
        plain = post_form(http, f"/j/{room.code}", {**form, "display_name": ""})
        assert joined_as_phone(plain, room.code)
    assert http.get_cookie(participant_cookie_name(room.code)) is not None
    return room._track(Client(app, socketio, {"code": room.code, "role": "participant"}, http))


def named_scribe(app, room: Workshop, label: str) -> Client:
    """A note-taker named through the label form, as "Scribe" if ``label`` is refused."""
    http = app.test_client()
    with app.test_request_context():
        key = notes_key(session_of(app, room.code))
    if post_form(http, f"/n/{room.code}?key={key}", {"label": label}).status_code != 302:
        assert post_form(http, f"/n/{room.code}?key={key}", {"label": "Scribe"}).status_code == 302
    assert http.get_cookie(notetaker_cookie_name(room.code)) is not None
    return room._track(Client(app, socketio, {"code": room.code, "role": "notetaker"}, http))


def hostile_payload(data, stage: str, pseudonym: str, index: int) -> dict:
    """Every field the handlers read, with hostile text in each text field (or, now and
    then, the right value, so the text beside it is the only thing wrong)."""
    text = data.draw(wild_text, label="text")
    table = data.draw(wild_text, label="table")
    return {
        "stage": data.draw(st.just(stage) | wild_text, label="stage"),
        "client_id": client_id(),
        "text": text,
        "value": {"text": text},
        "comment_id": 1,
        "note_id": 1,
        "reaction": data.draw(st.sampled_from(["agree", "pass"]) | wild_text),
        "index": index,
        "scenario": data.draw(st.just("arrears") | wild_text, label="scenario"),
        "tables": [table, data.draw(wild_text, label="second table")],
        "pseudonym": data.draw(st.just(pseudonym) | wild_text, label="pseudonym"),
        "table": table,
        "breakdown": "room",
        "seconds": 60,
        "auto_close": False,
        "mode": data.draw(st.just("wall") | wild_text, label="mode"),
    }


def test_arbitrary_unicode_everywhere_leaves_every_export_readable(app, tmp_path, caplog):
    # No rate limit here: every event of every example should reach its handler.
    unlimited = {name: 10**9 for name in DEFAULTS if not name.endswith("_window")}
    app.extensions["limits"] = Limits.from_config(unlimited)
    plan_path = tmp_path / "points-grid-words-statements.yaml"
    plan_path.write_text(PLAN)
    facilitator_http, _ = login(app)

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        # An example takes seconds: a failure is reported as found, not shrunk for minutes.
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        name=wild_text,
        label=wild_text,
        stage=st.sampled_from(STAGES),
        data=st.data(),
    )
    def example(name, label, stage, data):
        caplog.clear()
        room = Workshop(app, socketio, plan_path)
        try:
            facilitator = room.facilitator()
            open_stage(facilitator, room, stage)
            phone = joined_phone(app, room, name)
            clients = [phone, named_scribe(app, room, label), facilitator, room.screen()]
            with room.db() as db:
                pseudonym = db.scalar(select(Participant.pseudonym))
            for event in ORDERED:
                payload = hostile_payload(data, stage, pseudonym, room.stage_index(stage))
                for client in clients:
                    if not client.connected:  # a withdrawal, or a revoked link, ends it
                        continue
                    ack = client.emit(event, payload)
                    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
                    if not ack["ok"]:
                        assert isinstance(ack.get("error"), str) and ack["error"].strip()
                        assert ack["error"] != UNEXPECTED, (event, payload)
            stored_rows_are_valid(room, room.session_id, room.plan)
            parsed = download_all(facilitator_http, room.code)
            assert unwritable_in(parsed) == []
            logged = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
            assert not logged, logged[0].getMessage()
        finally:
            room.close()

    example()
