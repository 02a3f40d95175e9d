"""Floods: every Socket.IO event of every role is limited per connection and per account
(facilitation/limits.py), reserved and malformed event names go nowhere
(live/event_guard.py), and joins are limited per address. Limits are asserted by counting
acks and refusals against a clock the test moves, never by timing."""

from __future__ import annotations

import logging
import threading
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from facilitation import config
from facilitation.extensions import socketio
from facilitation.limits import (
    DEFAULTS,
    TOO_FAST,
    TOO_FAST_EVENTS,
    TOO_FAST_NOTES,
    TOO_FAST_SYNC,
    Limits,
    SlidingWindow,
    limits_of,
)
from facilitation.live.event_guard import RESERVED
from facilitation.live.presence import presence
from facilitation.models import Answer, Note, Participant
from facilitation.workshop.identity import participant_cookie_name
from tests.factories import Client, client_id
from tests.live.test_points_grid_words_statements import count, open_stage
from tests.security.conftest import Clock
from tests.support.live import joined as joined_as_phone

SYNCS_PER_CONNECTION = DEFAULTS["syncs_per_connection_per_minute"]
SYNCS_PER_ACCOUNT = DEFAULTS["syncs_per_account_per_minute"]


def flood(client, event: str, times: int, payload=None) -> tuple[int, list[dict]]:
    """Send ``event`` ``times`` times: (how many were acked ok, the refusals)."""
    acks = [client.emit(event, payload() if callable(payload) else payload) for _ in range(times)]
    return sum(1 for ack in acks if ack["ok"]), [ack for ack in acks if not ack["ok"]]


def refused_with(refusals: list[dict], message: str) -> bool:
    expected = {"ok": False, "error": message, "retry": True}
    return bool(refusals) and all(ack == expected for ack in refusals)


def same_phone(room, phone) -> Client:
    """Another connection of the participant ``phone`` is (a second tab: one account)."""
    return room.phone(participant=phone.participant)


def notetaker(room, facilitator, label: str) -> Client:
    """A note-taker who opened the console's invitation link and gave a name (real HTTP)."""
    link = urlparse(facilitator.emit("sync")["notes_url"])
    http = room.app.test_client()
    key = parse_qs(link.query)["key"][0]
    assert http.post(link.path, data={"key": key, "label": label}).status_code == 302
    client = Client(room.app, socketio, {"code": room.code, "role": "notetaker"}, http)
    assert client.connected
    return room._track(client)


# Sync ----------------------------------------------------------------------------------------


def test_a_sync_flood_from_two_phones_is_refused_and_a_third_phone_answers(room, clock):
    facilitator = room.facilitator()
    open_stage(facilitator, room, "words")
    flooders = [room.phone(), room.phone()]
    for phone in flooders:
        served, refused = flood(phone, "sync", 3000)
        assert served == SYNCS_PER_CONNECTION, served
        assert len(refused) == 3000 - SYNCS_PER_CONNECTION
        assert refused_with(refused, TOO_FAST_SYNC)
        assert TOO_FAST_SYNC == "You're asking for updates too fast; wait a moment."
    third = room.phone()
    ack = third.emit(
        "answer", {"stage": "words", "client_id": client_id(), "value": {"text": "hi"}}
    )
    assert ack["ok"], ack
    assert count(room, Answer) == 1
    assert third.emit("sync")["ok"]
    # A minute later the flooders may sync again: a limit, not a ban.
    clock.advance(60)
    assert flooders[0].emit("sync")["seq"] > 0


def test_more_connections_of_one_phone_share_its_account_limit(room, clock):
    phone = room.phone()
    tabs = [phone] + [same_phone(room, phone) for _ in range(4)]
    served = sum(flood(tab, "sync", SYNCS_PER_CONNECTION)[0] for tab in tabs)
    assert 5 * SYNCS_PER_CONNECTION > SYNCS_PER_ACCOUNT
    assert served == SYNCS_PER_ACCOUNT
    assert refused_with(flood(same_phone(room, phone), "sync", 1)[1], TOO_FAST_SYNC)
    assert "seq" in room.phone().emit("sync")  # another participant is not held back


def test_a_projector_sync_flood_is_refused(room, clock):
    screens = [room.screen() for _ in range(5)]  # every projector of a session: one key
    served = 0
    for screen in screens:
        ok, refused = flood(screen, "sync", SYNCS_PER_CONNECTION + 5)
        served += ok
        assert refused_with(refused, TOO_FAST_SYNC)
    assert served == SYNCS_PER_ACCOUNT
    # Reconnecting projectors: each of ten re-syncing every 10 s stays well within it.
    clock.advance(60)
    for _ in range(6):
        for screen in screens[:2]:
            assert "seq" in screen.emit("sync")
        clock.advance(10)


# Facilitators and note-takers -------------------------------------------------------------


def test_a_facilitator_event_flood_is_refused_per_connection_and_per_account(room, clock):
    facilitator = room.facilitator()
    per_connection = DEFAULTS["events_per_connection_per_minute"]
    served, refused = flood(facilitator, "goto", per_connection + 50, {"index": 1})
    assert served == per_connection
    assert refused_with(refused, TOO_FAST_EVENTS)
    assert TOO_FAST_EVENTS == "You're sending too fast; wait a moment."
    # Other consoles of the same account count on their own connections, and all of them
    # together against the account's limit.
    per_account = DEFAULTS["facilitator_events_per_minute"]
    served = per_connection
    for _ in range(per_account // per_connection + 1):
        console = Client(
            room.app, socketio, {"code": room.code, "role": "facilitator"}, facilitator.http
        )
        room._track(console)
        ok, refused = flood(console, "goto", per_connection, {"index": 1})
        served += ok
    assert served == per_account
    assert refused_with(refused, TOO_FAST_EVENTS)
    assert "seq" in room.facilitator().emit("goto", {"index": 2})  # another account acts


def test_a_console_clicking_fast_is_never_refused(room, clock):
    facilitator = room.facilitator()
    for _second in range(120):  # two minutes of four clicks a second
        for index in (1, 2, 3, 4):
            assert facilitator.emit("goto", {"index": index})["ok"]
        clock.advance(1)


def test_a_notes_flood_is_refused_after_the_limit(room, clock):
    facilitator = room.facilitator()
    scribe = notetaker(room, facilitator, "Table A")
    per_author = DEFAULTS["notes_per_minute"]
    note = lambda: {"client_id": client_id(), "text": "n" * 2000}  # noqa: E731
    served, refused = flood(scribe, "note", 300, note)
    assert served == per_author
    assert refused_with(refused, TOO_FAST_NOTES)
    assert TOO_FAST_NOTES == "You're sending notes too fast; wait a moment."
    assert count(room, Note) == per_author
    # The facilitator's own notes count apart from the note-taker's.
    assert facilitator.emit("note", note())["ok"]
    served, refused = flood(facilitator, "note", 100, note)
    assert served == per_author - 1 and refused_with(refused, TOO_FAST_NOTES)


def test_note_takers_of_one_link_share_its_limit_however_many_names_they_take(room, clock):
    facilitator = room.facilitator()
    note = lambda: {"client_id": client_id(), "text": "a note"}  # noqa: E731
    per_link = DEFAULTS["notes_per_link_per_minute"]
    served = 0
    for n in range(per_link // DEFAULTS["notes_per_minute"] + 2):
        served += flood(notetaker(room, facilitator, f"Scribe {n}"), "note", 40, note)[0]
    assert served == per_link
    assert facilitator.emit("note", note())["ok"]  # the console's notes are its own


# Participants' other events and the phone's resend loop --------------------------------------


def test_a_phone_refused_for_speed_is_told_to_send_again_later(room, clock):
    facilitator, phone = room.facilitator(), room.phone()
    open_stage(facilitator, room, "talk")
    comment = lambda: {"stage": "talk", "client_id": client_id(), "text": "t"}  # noqa: E731
    served, refused = flood(
        phone, "comment", DEFAULTS["participant_events_per_minute"] + 1, comment
    )
    # `retry`: phone-pending.js keeps the comment and sends it again, so none is lost.
    assert refused == [{"ok": False, "error": TOO_FAST, "retry": True}]


# Reserved and malformed event names --------------------------------------------------------


@pytest.fixture
def tracebacks(monkeypatch):
    """Exceptions that escaped into a thread (where python-socketio runs handlers)."""
    seen = []
    monkeypatch.setattr(threading, "excepthook", lambda hook_args: seen.append(hook_args))
    return seen


RAW_PACKETS = [  # Socket.IO EVENT packets ("2" + JSON) a script could send
    '2["connect",{"role":"participant"}]',
    '2["connect"]',
    '2["disconnect"]',
    '2["disconnect","client namespace disconnect"]',
    '2["connect_error",{}]',
    '2["message","hi"]',
    '2["json",{}]',
    '2["*","sync"]',
    "21[5,{}]",
    '22[["sync"],{}]',
    '23[{"a":1}]',
    "24[null]",
    "25[]",
    '26{"a":1}',
    '27"sync"',
    "28 5",
    '29["no_such_event",{}]',
]


def test_reserved_and_malformed_event_names_change_nothing_and_log_nothing(
    room, clock, caplog, tracebacks
):
    caplog.set_level(logging.DEBUG)
    phone = room.phone()
    sid = phone.socket.socketio.server.manager.sid_from_eio_sid(phone.socket.eio_sid, "/")
    before = presence.get(sid)
    assert before is not None
    caplog.clear()
    for _ in range(200):
        for packet in RAW_PACKETS:
            socketio.server._handle_eio_message(phone.socket.eio_sid, packet)
    assert not phone.socket.get_received()  # no ack, no message
    assert presence.get(sid) == before  # still present, as it was
    assert phone.connected and "seq" in phone.emit("sync")
    assert [r.getMessage() for r in caplog.records] == []
    assert tracebacks == []
    assert {"connect", "disconnect", "connect_error", "message", "json"} <= RESERVED


def test_a_client_event_named_connect_or_disconnect_is_ignored(room, clock, tracebacks):
    phone = room.phone()
    sid = phone.socket.socketio.server.manager.sid_from_eio_sid(phone.socket.eio_sid, "/")
    before = presence.get(sid)
    for name in ("connect", "disconnect"):
        # Before the guard: "connect" raised ConnectionRefusedError out of the handler,
        # "disconnect" dropped this phone from presence while it stayed connected.
        assert phone.socket.emit(name, {"role": "facilitator"}, callback=True) is None
    assert presence.get(sid) == before
    assert phone.connected and phone.emit("sync")["ok"]
    assert tracebacks == []


# Joins per address ------------------------------------------------------------------------

JOIN_FORM = {"display_name": "", "sector": "Health", "consent": "yes"}


def test_a_thousand_person_plenary_behind_one_address_joins_within_a_minute():
    clock = Clock()
    limits = Limits.from_config(None, clock)
    assert limits.joins.limit == DEFAULTS["joins_per_minute"] == 1500
    for _ in range(1000):  # one every 60 ms: the whole room in one minute
        assert limits.joins.take("203.0.113.9")
        clock.advance(0.06)
    # A script minting participants from one address is stopped within the minute.
    script = sum(limits.joins.take("198.51.100.7") for _ in range(5000))
    assert script == 1500


def test_joins_over_the_limit_from_one_address_are_refused_and_the_form_is_kept(app, room):
    app.extensions["limits"] = Limits.from_config({"joins_per_minute": 3}, Clock())

    def join(address: str):
        client = app.test_client()  # a new phone: no participant cookie yet
        answer = client.post(
            f"/j/{room.code}",
            data={**JOIN_FORM, "display_name": "Ann"},
            environ_base={"REMOTE_ADDR": address},
        )
        assert (client.get_cookie(participant_cookie_name(room.code)) is not None) == (
            joined_as_phone(answer, room.code)
        )
        return answer

    assert [joined_as_phone(join("203.0.113.9"), room.code) for _ in range(3)] == [True] * 3
    refused = join("203.0.113.9")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many attempts; try again in 1 minute." in page
    assert 'value="Ann"' in page  # what was typed is still there, to send again
    assert joined_as_phone(join("198.51.100.20"), room.code)  # another address joins
    with room.db() as db:
        joined = db.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.session_id == room.session_id)
        )
    assert joined == 4


def test_an_invalid_join_form_does_not_count(app, room):
    app.extensions["limits"] = Limits.from_config({"joins_per_minute": 1}, Clock())
    for _ in range(5):
        no_sector = app.test_client().post(f"/j/{room.code}", data={"consent": "yes"})
        assert no_sector.status_code == 400
    assert joined_as_phone(app.test_client().post(f"/j/{room.code}", data=JOIN_FORM), room.code)


# Settings ------------------------------------------------------------------------------


def test_every_rate_limit_can_be_set_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    assert set(config.RATE_LIMIT_NAMES) == set(DEFAULTS)  # none is missing
    for name in config.RATE_LIMIT_NAMES:
        monkeypatch.delenv(config.rate_limit_variable(name), raising=False)
    assert config.from_environment()["RATE_LIMITS"] == {}  # the defaults hold
    for n, name in enumerate(config.RATE_LIMIT_NAMES, start=7):
        monkeypatch.setenv(config.rate_limit_variable(name), str(n))
    settings = config.from_environment()["RATE_LIMITS"]
    assert settings == {name: n for n, name in enumerate(config.RATE_LIMIT_NAMES, start=7)}
    limits = Limits.from_config(settings)
    assert limits.joins.limit == settings["joins_per_minute"]
    assert limits.connection_syncs.limit == settings["syncs_per_connection_per_minute"]
    assert limits.note_links.limit == settings["notes_per_link_per_minute"]
    monkeypatch.setenv("RATE_LIMIT_JOINS_PER_MINUTE", "3000")
    assert config.from_environment()["RATE_LIMITS"]["joins_per_minute"] == 3000


@pytest.mark.parametrize("value", ["0", "-5", "lots", "1.5"])
def test_a_rate_limit_that_is_not_a_whole_number_is_refused_at_start(monkeypatch, tmp_path, value):
    monkeypatch.setenv("FACILITATION_INSTANCE", str(tmp_path))
    monkeypatch.setenv("RATE_LIMIT_NOTES_PER_MINUTE", value)
    with pytest.raises(ValueError, match="RATE_LIMIT_NOTES_PER_MINUTE must be a whole number"):
        config.from_environment()


def test_the_app_reads_its_limits_from_the_environment(monkeypatch, app):
    from tests.conftest import app_for

    monkeypatch.setenv("RATE_LIMIT_SYNCS_PER_CONNECTION_PER_MINUTE", "2")
    other = app_for(app.config["DATABASE_URL"])
    assert limits_of(other).connection_syncs.limit == 2
    assert isinstance(limits_of(other).connection_syncs, SlidingWindow)  # in memory, always
