"""The phone keeps comments and reactions it could not send, as it keeps answers
(test_phone_offline.py): across a dropped connection and a page reload (localStorage), with
their status in words, sent once when it can; one the server refuses meanwhile (input
closed, the facilitator moved on) is dropped from storage and its reason shown.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.fault.steps import PURPOSEFUL, offline_phone, open_session, query
from tests.fault.test_phone_offline import (
    NOT_SENT,
    RECONNECT_MS,
    offline_on_purposeful,
    pending_entries,
    show,
)
from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login

pytestmark = pytest.mark.browser

# Markup-looking words: they must come back as the same text, never as markup.
WORDS = "Tell <b>tenants</b> first & ask them."
ELSEWHERE = "The facilitator has moved on: this stage is no longer open."


@pytest.fixture
def facilitator(live_server):
    """Factory: the facilitator's live connection to session CODE (as test_phone_offline's)."""
    made = []

    def connect(code: str) -> FacilitatorSocket:
        http = login(live_server.url, live_server.email, live_server.password)
        made.append(FacilitatorSocket(live_server.url, http, code))
        return made[-1]

    yield connect
    for socket in made:
        socket.close()


def stored(server, client: str) -> int:
    return query(server, "SELECT count(*) FROM event WHERE client_id = ?", client)[0][0]


def comments_of(server, code: str) -> list[tuple]:
    return query(
        server,
        "SELECT c.text, c.agree, c.disagree FROM comment c"
        " JOIN workshop_session s ON s.id = c.session_id WHERE s.code = ? ORDER BY c.id",
        code,
    )


def comment_offline(page: Page, code: str) -> dict:
    page.get_by_label("Add a comment").fill(WORDS)
    page.get_by_role("button", name="Post").click()
    expect(page.locator(".post-status")).to_have_text(NOT_SENT)
    [entry] = pending_entries(page, code)
    assert (entry["event"], entry["stage"], entry["title"]) == ("comment", "purposeful", PURPOSEFUL)
    payload = {"stage": "purposeful", "client_id": entry["client_id"], "text": WORDS}
    assert entry["payload"] == payload
    return entry


def snap(page: Page, artifacts_dir, name: str, showing: str | None = None) -> None:
    """A screenshot with SHOWING (a selector) scrolled into view."""
    if showing:
        # In one step: the wall is redrawn whenever a comments message arrives, which can
        # detach the element between Playwright's finding it and scrolling to it.
        page.locator(showing).first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(artifacts_dir / f"fault-{name}.png"))


def reload_offline(page: Page, waiting: str) -> None:
    """Reloaded with no connection: what is on its way is listed, before any stage."""
    page.reload()
    expect(page.locator(".pending-note")).to_have_text(waiting)
    expect(page.locator("#connection")).not_to_have_text("Live")


def test_an_unsent_comment_survives_a_reload_and_is_posted_once(
    live_server, phone_context, facilitator, artifacts_dir
):
    code, room, page, blocker = offline_on_purposeful(live_server, phone_context, facilitator)
    entry = comment_offline(page, code)
    snap(page, artifacts_dir, "comment-1-not-sent", ".post-status")

    reload_offline(
        page,
        f"Your comment on “{PURPOSEFUL}” is not sent yet: it will be sent when you're back online",
    )
    snap(page, artifacts_dir, "comment-2-reloaded-offline")
    assert stored(live_server, entry["client_id"]) == 0

    blocker.unblock()
    status = page.locator(".post-status")
    expect(status).to_have_text("Posted ✓", timeout=RECONNECT_MS)
    expect(page.locator("#connection")).to_have_text("Live")
    expect(page.locator(".pending-note")).to_be_hidden()
    own = page.locator(".comment.own")
    expect(own.locator(".comment-text")).to_have_text(WORDS)
    expect(own.locator("b")).to_have_count(0)
    expect(page.get_by_label("Add a comment")).to_have_value("")
    assert pending_entries(page, code) == []
    snap(page, artifacts_dir, "comment-3-posted", ".comment.own")
    assert stored(live_server, entry["client_id"]) == 1
    assert comments_of(live_server, code) == [(WORDS, 0, 0)]

    page.reload()  # nothing left to send: the comment is on the wall once
    expect(page.locator(".comment.own .comment-text")).to_have_text(WORDS)
    expect(page.locator(".pending-note")).to_be_hidden()
    assert comments_of(live_server, code) == [(WORDS, 0, 0)]


def test_an_unsent_agreement_survives_a_reload_and_is_counted_once(
    live_server, phone_context, facilitator, artifacts_dir
):
    code = open_session(live_server)
    show(facilitator(code), "purposeful")
    other = LiveSocket(
        live_server.url, join(live_server.url, code, "Housing", "Sam"), code, role="participant"
    )
    try:
        ack = other.emit(
            "comment", {"stage": "purposeful", "client_id": client_id(), "text": "Ask the GPs."}
        )
    finally:
        other.close()
    assert ack["ok"]
    page, blocker = offline_phone(live_server, phone_context, code)
    agree = page.locator(".comment", has_text="Ask the GPs.").get_by_role(
        "button", name=re.compile("^Agree")
    )
    agree.click()
    # On its way: shown as chosen, and not to be changed until the server has it.
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(agree).to_be_disabled()
    waiting = page.locator(".comment", has_text="Ask the GPs.").locator(".react-status")
    expect(waiting).to_have_text(NOT_SENT)  # and why it waits, in words
    [entry] = pending_entries(page, code)
    assert (entry["event"], entry["stage"]) == ("react", "purposeful")
    assert entry["payload"] == {
        "comment_id": ack["comment_id"],
        "client_id": entry["client_id"],
        "reaction": "agree",
    }
    snap(page, artifacts_dir, "react-1-not-sent", ".wall")

    reload_offline(
        page,
        f"Your vote on a comment in “{PURPOSEFUL}” is not sent yet: "
        "it will be sent when you're back online",
    )
    assert stored(live_server, entry["client_id"]) == 0

    blocker.unblock()
    expect(agree).to_be_enabled(timeout=RECONNECT_MS)
    expect(agree).to_have_attribute("aria-pressed", "true")
    expect(agree.locator(".react-count")).to_have_text("1")
    expect(waiting).to_have_count(0)
    expect(page.locator(".pending-note")).to_be_hidden()
    assert pending_entries(page, code) == []
    snap(page, artifacts_dir, "react-2-sent", ".wall")
    assert stored(live_server, entry["client_id"]) == 1
    assert comments_of(live_server, code) == [("Ask the GPs.", 1, 0)]


def test_a_comment_refused_when_input_closed_meanwhile_is_dropped_and_said(
    live_server, phone_context, facilitator, artifacts_dir
):
    code, room, page, blocker = offline_on_purposeful(live_server, phone_context, facilitator)
    entry = comment_offline(page, code)
    assert room.emit("close_input")["ok"]  # the facilitator closes input meanwhile

    page.reload()
    blocker.unblock()
    status = page.locator(".post-status")
    expect(status).to_have_text("Input is closed for this stage.", timeout=RECONNECT_MS)
    # The words are still there to copy; nothing is left to send.
    expect(page.get_by_label("Add a comment")).to_have_value(WORDS)
    assert pending_entries(page, code) == []
    snap(page, artifacts_dir, "comment-4-input-closed", ".post-status")
    assert stored(live_server, entry["client_id"]) == 0
    assert comments_of(live_server, code) == []


def test_a_comment_for_a_stage_gone_by_is_dropped_and_said_above_the_stage(
    live_server, phone_context, facilitator, artifacts_dir
):
    code, room, page, blocker = offline_on_purposeful(live_server, phone_context, facilitator)
    entry = comment_offline(page, code)
    show(room, "proportionate")  # the facilitator moves on while the phone is offline

    page.reload()
    blocker.unblock()
    expect(page.get_by_role("heading", name="Test 2: Proportionate")).to_be_visible(
        timeout=RECONNECT_MS
    )
    note = page.locator(".pending-note")
    expect(note.locator(".pending-refused")).to_have_text(
        f"Not saved: your comment on “{PURPOSEFUL}”: {ELSEWHERE}"
    )
    assert pending_entries(page, code) == []
    snap(page, artifacts_dir, "comment-5-moved-on")
    assert stored(live_server, entry["client_id"]) == 0
    note.get_by_role("button", name="OK").click()
    expect(note).to_be_hidden()
    page.reload()  # dropped for good: nothing is sent again
    expect(page.get_by_role("heading", name="Test 2: Proportionate")).to_be_visible()
    expect(note).to_be_hidden()
    assert comments_of(live_server, code) == []
