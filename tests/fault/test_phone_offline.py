"""The phone keeps answers it could not send, across a dropped connection and a page
reload (localStorage), says in words whether each is saved, and sends it once when it can;
an answer for a stage that closed meanwhile is refused by the server, shown, and dropped.

The connection is cut with Playwright's WebSocket and request routing (SocketBlocker), so
pages still load while Socket.IO cannot get through, as on a phone with a dead signal.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.fault.steps import PURPOSEFUL, offline_phone, open_session, query
from tests.support.live import FacilitatorSocket, login
from tests.support.pages import SAVED

pytestmark = pytest.mark.browser

NOT_SENT = "Not sent yet: will send when you're back online"
# How long a phone may take to be back once the network is: Socket.IO's reconnection backs
# off up to 5 s (randomised), and an attempt that stalled before its handshake (as a
# blocked WebSocket does) is abandoned after live.js's 10 s connection timeout.
RECONNECT_MS = 30_000


@pytest.fixture
def facilitator(live_server):
    made = []

    def connect(code: str) -> FacilitatorSocket:
        http = login(live_server.url, live_server.email, live_server.password)
        socket = FacilitatorSocket(live_server.url, http, code)
        made.append(socket)
        return socket

    yield connect
    for socket in made:
        socket.close()


def show(facilitator: FacilitatorSocket, key: str) -> None:
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
    assert facilitator.emit("goto", {"index": stages[key]})["ok"]
    assert facilitator.emit("open_input")["ok"]


def pending_entries(page: Page, code: str) -> list[dict]:
    stored = page.evaluate("code => localStorage.getItem('facilitation.pending.' + code)", code)
    return json.loads(stored) if stored else []


def offline_on_purposeful(server, phone_context, facilitator):
    """A session shown at its purposeful stage, its facilitator's socket, and a phone on that
    stage whose connection has just been cut: (code, room, page, blocker)."""
    code = open_session(server)
    room = facilitator(code)
    show(room, "purposeful")
    page, blocker = offline_phone(server, phone_context, code)
    return code, room, page, blocker


def answer_met(page: Page):
    group = page.get_by_role("group", name=re.compile("purpose is clear"))
    group.get_by_role("radio", name="Met", exact=True).check()
    return group


def test_an_unsent_answer_survives_a_reload_and_is_stored_once(
    live_server, phone_context, facilitator, artifacts_dir
):
    code, room, page, blocker = offline_on_purposeful(live_server, phone_context, facilitator)
    answer_met(page)
    expect(page.locator(".save-status")).to_have_text(NOT_SENT)
    [entry] = pending_entries(page, code)
    assert (entry["event"], entry["stage"], entry["title"]) == ("answer", "purposeful", PURPOSEFUL)
    assert entry["payload"] == {
        "stage": "purposeful",
        "client_id": entry["client_id"],
        "value": {"lights": {"purposeful": "met"}},
    }
    page.screenshot(path=str(artifacts_dir / "fault-1-not-sent.png"))

    # Reloaded while still offline: the answer is listed as not sent, before any stage.
    page.reload()
    note = page.locator(".pending-note")
    expect(note).to_have_text(
        f"Your answer to “{PURPOSEFUL}” is not sent yet: it will be sent when you're back online"
    )
    expect(page.locator("#connection")).not_to_have_text("Live")
    page.screenshot(path=str(artifacts_dir / "fault-2-reloaded-offline.png"))
    assert query(
        live_server, "SELECT count(*) FROM event WHERE client_id = ?", entry["client_id"]
    ) == [(0,)]

    blocker.unblock()
    expect(page.locator(".save-status")).to_have_text(SAVED, timeout=RECONNECT_MS)
    expect(page.locator("#connection")).to_have_text("Live")
    expect(note).to_be_hidden()
    group = page.get_by_role("group", name=re.compile("purpose is clear"))
    expect(group.get_by_role("radio", name="Met", exact=True)).to_be_checked()
    assert pending_entries(page, code) == []
    page.screenshot(path=str(artifacts_dir / "fault-3-saved.png"))
    assert query(
        live_server, "SELECT count(*) FROM event WHERE client_id = ?", entry["client_id"]
    ) == [(1,)]
    assert query(
        live_server,
        "SELECT a.value FROM answer a JOIN workshop_session s ON s.id = a.session_id"
        " WHERE s.code = ? AND a.stage_key = 'purposeful'",
        code,
    ) == [(json.dumps({"lights": {"purposeful": "met"}}, sort_keys=True, separators=(",", ":")),)]


def test_an_answer_for_a_stage_closed_meanwhile_is_shown_refused_and_dropped(
    live_server, phone_context, facilitator, artifacts_dir
):
    code, room, page, blocker = offline_on_purposeful(live_server, phone_context, facilitator)
    answer_met(page)
    expect(page.locator(".save-status")).to_have_text(NOT_SENT)
    [entry] = pending_entries(page, code)
    show(room, "proportionate")  # the facilitator moves on while the phone is offline

    blocker.unblock()
    expect(page.get_by_role("heading", name="Test 2: Proportionate")).to_be_visible(
        timeout=RECONNECT_MS
    )
    note = page.locator(".pending-note")
    expect(note.locator(".pending-refused")).to_have_text(
        f"Not saved: your answer to “{PURPOSEFUL}”: "
        "The facilitator has moved on: this stage is no longer open."
    )
    page.screenshot(path=str(artifacts_dir / "fault-4-refused.png"))
    assert pending_entries(page, code) == []
    assert query(
        live_server, "SELECT count(*) FROM event WHERE client_id = ?", entry["client_id"]
    ) == [(0,)]
    note.get_by_role("button", name="OK").click()
    expect(note).to_be_hidden()
    page.reload()  # dropped for good: nothing is sent again
    expect(page.get_by_role("heading", name="Test 2: Proportionate")).to_be_visible()
    expect(note).to_be_hidden()


def events_of(server, client: str) -> int:
    return query(server, "SELECT count(*) FROM event WHERE client_id = ?", client)[0][0]


def answers_to(server, code: str, stage: str) -> list[tuple]:
    return query(
        server,
        "SELECT a.value FROM answer a JOIN workshop_session s ON s.id = a.session_id"
        " WHERE s.code = ? AND a.stage_key = ?",
        code,
        stage,
    )


def test_a_newer_answer_given_offline_supersedes_the_older_one(
    live_server, phone_context, facilitator, artifacts_dir
):
    code, room, page, blocker = offline_on_purposeful(live_server, phone_context, facilitator)
    group = answer_met(page)
    expect(page.locator(".save-status")).to_have_text(NOT_SENT)
    [older] = pending_entries(page, code)
    group.get_by_role("radio", name="Partly met").check()  # a change of mind, still offline
    expect(page.locator(".save-status")).to_have_text(NOT_SENT)
    [newer] = pending_entries(page, code)  # kept in place of the older one
    assert newer["client_id"] != older["client_id"]
    assert newer["payload"]["value"] == {"lights": {"purposeful": "partly"}}
    page.screenshot(path=str(artifacts_dir / "fault-7-superseded-offline.png"))

    blocker.unblock()
    status = page.locator(".save-status")
    expect(status).to_have_text(SAVED, timeout=RECONNECT_MS)
    expect(group.get_by_role("radio", name="Partly met")).to_be_checked()
    expect(page.locator(".pending-note")).to_be_hidden()
    assert pending_entries(page, code) == []
    page.screenshot(path=str(artifacts_dir / "fault-8-superseded-saved.png"))
    # The newer answer is the one that counts, stored once. The older one's send had begun
    # (waiting for the connection) when it was superseded: it may go once, never again.
    assert events_of(live_server, newer["client_id"]) == 1
    assert events_of(live_server, older["client_id"]) <= 1
    partly = json.dumps({"lights": {"purposeful": "partly"}}, sort_keys=True, separators=(",", ":"))
    assert answers_to(live_server, code, "purposeful") == [(partly,)]

    page.reload()  # the server's answer is the newer one, and nothing is left to send
    expect(group.get_by_role("radio", name="Partly met")).to_be_checked()
    expect(status).to_have_text(SAVED)
    expect(page.locator(".pending-note")).to_be_hidden()
