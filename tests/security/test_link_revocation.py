"""The console revokes the projector link and the note-taker link and makes new ones: the
old link stops working at once (its pages answer 403, its sockets are refused), whatever is
open on it is disconnected, and the log records it so a replay lands on the same links."""

from __future__ import annotations

import pytest
from flask_socketio import ConnectionRefusedError
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from facilitation.db import database
from facilitation.errors import Refused
from facilitation.extensions import socketio
from facilitation.live import events, kick
from facilitation.models import Event, WorkshopSession
from facilitation.workshop import operations
from facilitation.workshop.identity import (
    NOTES_LINK_REPLACED,
    SCREEN_LINK_REPLACED,
    notes_key,
    notetaker_cookie_name,
    screen_key,
)
from facilitation.workshop.projection import replay
from tests.factories import Client

REISSUE = ("reissue_screen_link", "reissue_notes_link")


@pytest.fixture
def refusals(monkeypatch) -> list[str]:
    """What each refused connection was told (the test client keeps no connect_error)."""
    said: list[str] = []

    class Recorded(ConnectionRefusedError):
        def __init__(self, *args):
            said.append(args[0] if args else "")
            super().__init__(*args)

    monkeypatch.setattr(events, "ConnectionRefusedError", Recorded)
    return said


def key_in(url: str) -> str:
    return url.split("key=", 1)[1].split("&", 1)[0]


def projector(workshop, key: str) -> Client:
    return workshop._track(
        Client(workshop.app, socketio, {"code": workshop.code, "role": "screen", "key": key})
    )


def invited(workshop, key: str, label: str = "Table A scribe") -> Client:
    """A note-taker who opened the invitation link, gave a label and connected."""
    http = workshop.app.test_client()
    named = http.post(f"/n/{workshop.code}", data={"key": key, "label": label})
    assert named.status_code == 302
    auth = {"code": workshop.code, "role": "notetaker"}
    return workshop._track(Client(workshop.app, socketio, auth, http))


def keys(workshop) -> tuple[str, str]:
    with workshop.app.test_request_context():
        session = workshop.session()
        return screen_key(session), notes_key(session)


def generations(workshop) -> tuple[int, int]:
    session = workshop.session()
    return session.screen_key_version, session.notes_key_version


def logged(workshop) -> list[dict]:
    with workshop.db() as db:
        return list(
            db.scalars(
                select(Event.payload)
                .where(Event.session_id == workshop.session_id, Event.type == "link.reissued")
                .order_by(Event.seq)
            )
        )


# The projector link -------------------------------------------------------------------------


def test_reissuing_the_projector_link_shuts_the_old_one_and_gives_a_new_one(
    app, workshop, refusals
):
    facilitator = workshop.facilitator()
    other_console = workshop.facilitator()
    old_key, notes_before = keys(workshop)
    assert key_in(facilitator.emit("sync")["screen_url"]) == old_key
    open_projector = projector(workshop, old_key)
    pinned = projector(workshop, old_key)
    assert pinned.emit("sync", {"stage": workshop.plan.stages[1].key})["ok"]
    assert open_projector.connected and pinned.connected
    other_console.received()

    ack = facilitator.emit("reissue_screen_link")

    assert ack["ok"], ack
    new_key = key_in(ack["screen_url"])
    assert new_key != old_key
    assert {key_in(link["url"]) for link in ack["screen_links"]} == {new_key}
    assert key_in(ack["notes_url"]) == notes_before  # the other link is untouched
    # Open projectors on the old link are gone at once, pinned or following.
    assert not open_projector.connected and not pinned.connected
    # The old link's page says what happened; its socket is refused with the same words.
    page = app.test_client().get(f"/s/{workshop.code}/screen?key={old_key}")
    assert page.status_code == 403
    assert "This projector link has been replaced" in page.get_data(as_text=True)
    assert not projector(workshop, old_key).connected
    assert refusals == [SCREEN_LINK_REPLACED]
    # The new link works, on the page and on the socket.
    assert app.test_client().get(f"/s/{workshop.code}/screen?key={new_key}").status_code == 200
    assert projector(workshop, new_key).emit("sync")["ok"]
    # Every console of the session is told the new links, not only the one that asked.
    pushed = other_console.received("links")
    assert pushed and key_in(pushed[-1]["screen_url"]) == new_key
    assert key_in(facilitator.emit("sync")["screen_url"]) == new_key
    # The log is the record: the transcript says which link, and when.
    assert logged(workshop) == [{"link": "screen", "generation": 1}]
    transcript = facilitator.http.get(f"/facilitator/sessions/{workshop.code}/transcript.csv")
    assert transcript.status_code == 200
    assert "link.reissued" in transcript.get_data(as_text=True)


def test_a_link_from_before_generations_works_until_it_is_revoked(app, workshop):
    # Links handed out before this change signed the bare code: they are the first generation.
    bare = URLSafeSerializer("test-secret", salt="facilitation.screen").dumps(workshop.code)
    assert app.test_client().get(f"/s/{workshop.code}/screen?key={bare}").status_code == 200
    assert projector(workshop, bare).connected
    assert workshop.facilitator().emit("reissue_screen_link")["ok"]
    assert app.test_client().get(f"/s/{workshop.code}/screen?key={bare}").status_code == 403
    assert not projector(workshop, bare).connected


def test_a_projector_opened_with_the_login_keeps_working(app, workshop):
    facilitator = workshop.facilitator()
    old_key, _ = keys(workshop)
    # The console's own projector: the facilitator's browser, no key.
    auth = {"code": workshop.code, "role": "screen"}
    by_login = workshop._track(Client(app, socketio, auth, facilitator.http))
    assert facilitator.emit("reissue_screen_link")["ok"]
    assert by_login.connected and by_login.emit("sync")["ok"]
    # The old link opened in that logged-in browser still shows the session.
    assert facilitator.http.get(f"/s/{workshop.code}/screen?key={old_key}").status_code == 200
    keyed = {**auth, "key": old_key}
    assert workshop._track(Client(app, socketio, keyed, facilitator.http)).emit("sync")["ok"]


def test_an_open_projector_the_disconnect_missed_is_refused_on_its_next_sync(workshop, monkeypatch):
    facilitator = workshop.facilitator()
    old_key, _ = keys(workshop)
    stale = projector(workshop, old_key)
    # As if the disconnect never reached the worker holding it (a message queue down).
    monkeypatch.setattr(kick, "disconnect_room", lambda room: None)
    assert facilitator.emit("reissue_screen_link")["ok"]
    assert stale.connected
    assert stale.emit("sync") == {"ok": False, "error": SCREEN_LINK_REPLACED}


# The note-taker link ----------------------------------------------------------------------


def test_reissuing_the_note_taker_link_shuts_out_who_joined_through_it(app, workshop, refusals):
    facilitator = workshop.facilitator()
    screen_before, old_key = keys(workshop)
    scribe = invited(workshop, old_key)
    assert scribe.emit("note", {"client_id": "before-revoke-1", "text": "Table A"})["ok"]
    # The console's own notes page (logged in, no invitation) is not on the link.
    auth = {"code": workshop.code, "role": "notetaker"}
    by_login = workshop._track(Client(app, socketio, auth, facilitator.http))

    ack = facilitator.emit("reissue_notes_link")

    assert ack["ok"], ack
    new_key = key_in(ack["notes_url"])
    assert new_key != old_key
    assert key_in(ack["screen_url"]) == screen_before
    assert not scribe.connected
    assert by_login.connected and by_login.emit("sync")["ok"]
    # The note-taker who already joined: their cookie opens nothing now.
    assert scribe.http.get_cookie(notetaker_cookie_name(workshop.code)) is not None
    page = scribe.http.get(f"/n/{workshop.code}")
    assert page.status_code == 403
    assert "This note-taker link has been replaced" in page.get_data(as_text=True)
    again = workshop._track(Client(app, socketio, auth, scribe.http))
    assert not again.connected
    assert refusals == [NOTES_LINK_REPLACED]
    # Whoever still has the old invitation cannot join with it.
    fresh = app.test_client()
    assert fresh.get(f"/n/{workshop.code}?key={old_key}").status_code == 403
    refused = fresh.post(f"/n/{workshop.code}", data={"key": old_key, "label": "Late scribe"})
    assert refused.status_code == 403
    assert "has been replaced" in refused.get_data(as_text=True)
    assert fresh.get_cookie(notetaker_cookie_name(workshop.code)) is None
    # The new invitation works, even for the browser that held the old cookie.
    rejoined = invited(workshop, new_key, label="Table A scribe")
    assert rejoined.emit("note", {"client_id": "after-revoke-1", "text": "Table A again"})["ok"]
    assert logged(workshop) == [{"link": "notes", "generation": 1}]


def test_a_note_taker_the_disconnect_missed_cannot_add_a_note(workshop, monkeypatch):
    facilitator = workshop.facilitator()
    _, old_key = keys(workshop)
    scribe = invited(workshop, old_key)
    monkeypatch.setattr(kick, "disconnect_room", lambda room: None)
    assert facilitator.emit("reissue_notes_link")["ok"]
    assert scribe.connected
    ack = scribe.emit("note", {"client_id": "after-revoke-2", "text": "Still here?"})
    assert ack == {"ok": False, "error": NOTES_LINK_REPLACED}
    assert scribe.emit("sync") == {"ok": False, "error": NOTES_LINK_REPLACED}


# Who may revoke, and the log ----------------------------------------------------------------


def test_only_a_facilitator_can_revoke_a_link(workshop):
    _, notes = keys(workshop)
    senders = {
        "participant": workshop.phone(),
        "screen": workshop.screen(),
        "notetaker": invited(workshop, notes),
    }
    for role, client in senders.items():
        for event in REISSUE:
            ack = client.emit(event)
            assert ack == {"ok": False, "error": "Only a facilitator can do that."}, (role, ack)
            assert client.connected, (role, event)
    assert generations(workshop) == (0, 0)
    assert logged(workshop) == []


def test_a_replay_of_the_log_gives_the_same_links(app, workshop):
    facilitator = workshop.facilitator()
    for event in ("reissue_screen_link", "reissue_notes_link", "reissue_screen_link"):
        assert facilitator.emit(event)["ok"]
    before = keys(workshop)
    assert generations(workshop) == (2, 1)
    with workshop.db() as db:
        session = db.get(WorkshopSession, workshop.session_id)
        session.screen_key_version = session.notes_key_version = 7  # state gone astray
        replay(db, session)
        db.commit()
    assert generations(workshop) == (2, 1)
    assert keys(workshop) == before


def test_an_unknown_link_is_refused(workshop):
    with workshop.db() as db, pytest.raises(Refused, match="screen or notes"):
        operations.reissue_link(db, workshop.session_id, "participants")


def test_a_duplicate_starts_with_links_of_its_own(app, workshop):
    facilitator = workshop.facilitator()
    assert facilitator.emit("reissue_screen_link")["ok"]
    source_key, _ = keys(workshop)
    with database(app).sessionmaker() as db:
        copy = operations.duplicate_session(db, workshop.session_id, None)
        code, copy_generations = copy.code, (copy.screen_key_version, copy.notes_key_version)
        with app.test_request_context():
            copy_key = screen_key(copy)
    assert copy_generations == (0, 0)
    assert app.test_client().get(f"/s/{code}/screen?key={copy_key}").status_code == 200
    # A key of the session it was copied from opens nothing of the copy.
    assert app.test_client().get(f"/s/{code}/screen?key={source_key}").status_code == 403
