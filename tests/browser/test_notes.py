"""The note-taker in a real browser: the facilitator's console invites a note-taker, who
opens the link on a 1024x768 tablet, gives a name, and writes notes for two tables; the
console lists them, the facilitator shows one on the projector, and the projector shows
it beside the comment wall, then full screen when switched to notes.

Screenshots: tests/artifacts/notes-*.png.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import log_in, projector_url
from tests.support.server import flask_cli

PLAN = """\
title: Notes check
description: A short plan with two breakout tables.
privacy_notice: We keep what you write for a month, then delete it.
sectors: [Health, Housing]
tables: [Table A, Table B]
stages:
  - key: welcome
    title: Welcome
    prompt: Welcome to the workshop
    type: info
    body: Find your table and say hello.
  - key: purposeful
    title: "Test 1: Purposeful"
    prompt: How well does the scenario pass the Purposeful test?
    type: traffic_light
    comments: true
    items:
      - key: purpose
        label: The purpose is clear, specific and serves the public
  - key: close
    title: Thank you
    prompt: That is all for today
    type: info
    body: Thank you for coming.
"""

NOTE_A = "Table A: the purpose is clear, but nobody has asked tenants whether they agree."
NOTE_B = (
    "Table B split: housing officers think early help is worth it; the GP at the table "
    "worries that patients will stop being open about money if they know the surgery "
    "hears about arrears.\nThey want a named person to answer questions."
)


def open_session(live_server, tmp_path) -> str:
    (tmp_path / "notes-check.yaml").write_text(PLAN, encoding="utf-8")
    output = flask_cli(
        {**live_server.env, "PLANS_DIR": str(tmp_path)}, "session", "open", "notes-check"
    )
    code = output.strip().splitlines()[-1].strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), output
    return code


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


def test_a_note_taker_writes_notes_that_the_facilitator_puts_on_the_projector(
    live_server, desktop_context, projector_context, artifacts_dir, tmp_path
):
    code = open_session(live_server, tmp_path)
    errors: list[str] = []

    # The facilitator's console has the invitation link, ready to copy.
    console = desktop_context().new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    console.goto(f"{live_server.url}/facilitator/sessions/{code}")
    invite = console.get_by_label("Invite a note-taker")
    expect(invite).to_have_value(re.compile(rf"/n/{code}\?key="))
    invite_url = invite.input_value()
    expect(console.locator("#notes-list")).to_contain_text("No notes yet")
    console.locator("#stage-list").get_by_role("button", name=re.compile("Purposeful")).click()
    expect(console.locator("#stage-title")).to_have_text("Test 1: Purposeful")

    # A participant comments, so the projector has a wall for the notes to sit beside.
    http = login(live_server.url, live_server.email, live_server.password)
    controls = FacilitatorSocket(live_server.url, http, code)
    assert controls.emit("open_input")["ok"]
    phone = LiveSocket(
        live_server.url, join(live_server.url, code, "Health"), code, role="participant"
    )
    comment = {"stage": "purposeful", "client_id": client_id(), "text": "Who is told first?"}
    assert phone.emit("comment", comment)["ok"]

    # The note-taker opens the link on a tablet and says who they are.
    tablet = desktop_context(viewport={"width": 1024, "height": 768}).new_page()
    tablet.on("pageerror", lambda error: errors.append(f"note-taker: {error}"))
    tablet.goto(invite_url)
    tablet.get_by_role("button", name="Start taking notes").click()
    expect(tablet.locator("#label-error")).to_contain_text("Please give a short name")
    tablet.screenshot(path=artifacts_dir / "notes-1-name-error.png")
    tablet.get_by_label("Your name as a note-taker").fill("Table A scribe")
    tablet.get_by_role("button", name="Start taking notes").click()
    expect(tablet).to_have_url(f"{live_server.url}/n/{code}")
    expect(tablet.locator("#connection")).to_have_text("Live")
    expect(tablet.locator("#current-stage")).to_have_text("Test 1: Purposeful")
    expect(tablet.get_by_label("Stage")).to_have_value("purposeful")
    expect(tablet.locator("#writing-as")).to_have_text("Table A scribe")

    # Two notes for two tables: Ctrl+Enter saves the first, the button the second.
    tablet.get_by_label("Table").select_option("Table A")
    note_box = tablet.get_by_label("Note", exact=True)
    note_box.fill(NOTE_A)
    note_box.press("Control+Enter")
    expect(tablet.locator("#save-status")).to_have_text("Saved ✓")
    expect(note_box).to_have_value("")
    tablet.get_by_label("Table").select_option("Table B")
    note_box.fill(NOTE_B)
    tablet.get_by_role("button", name="Save note").click()
    expect(tablet.locator("#save-status")).to_have_text("Saved ✓")
    notes = tablet.locator("#note-list .note")
    expect(notes).to_have_count(2)
    expect(notes.nth(0).locator(".note-table")).to_have_text("Table B")  # newest first
    expect(notes.nth(1).locator(".note-table")).to_have_text("Table A")
    expect(notes.nth(0).locator(".note-stage")).to_have_text("Test 1: Purposeful")
    expect(notes.nth(0).locator(".note-text")).to_have_text(NOTE_B)
    # The table is remembered for the next note, also after a reload.
    tablet.reload()
    expect(tablet.locator("#connection")).to_have_text("Live")
    expect(tablet.get_by_label("Table")).to_have_value("Table B")
    no_horizontal_scroll(tablet)
    tablet.screenshot(path=artifacts_dir / "notes-2-note-taker.png")

    # The console lists both, with their tables and stage.
    console_notes = console.locator("#notes-list .console-note")
    expect(console_notes).to_have_count(2)
    expect(console_notes.nth(0)).to_contain_text("Table B")
    expect(console_notes.nth(0)).to_contain_text("Table B split")
    expect(console_notes.nth(1)).to_contain_text("Table A")
    expect(console.locator("#notes-count")).to_have_text("(2)")
    console.screenshot(path=artifacts_dir / "notes-3-console.png")

    # The projector follows the facilitator; the facilitator shows the Table B note.
    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(f"screen: {error}"))
    screen.goto(projector_url(console))
    expect(screen.locator(".stage-title")).to_have_text("Test 1: Purposeful")
    expect(screen.locator(".wall .comment")).to_have_count(1)
    expect(screen.locator(".note-card")).to_have_count(0)
    console_notes.nth(0).get_by_role("button", name=re.compile("Show on projector")).click()
    expect(console_notes.nth(0)).to_contain_text("On the projector")
    expect(
        console_notes.nth(0).get_by_role("button", name=re.compile("Remove from projector"))
    ).to_be_visible()
    card = screen.locator(".notes-side .note-card")
    expect(card).to_have_count(1)
    expect(card.locator(".note-card-table")).to_have_text("Table B")
    expect(card).to_contain_text("Table B split")
    expect(screen.locator(".notes-side")).not_to_contain_text("Table A scribe")
    expect(tablet.locator("#note-list .note").nth(0).locator(".shown-badge")).to_have_text(
        "On the projector"
    )
    screen.screenshot(path=artifacts_dir / "notes-4-projector-beside-wall.png")
    console.screenshot(path=artifacts_dir / "notes-5-console-shown.png")

    # Switched to notes, the projector shows the shown notes full screen.
    # The note shown last comes first, so it is surely on the screen whatever else fits.
    console_notes.nth(1).get_by_role("button", name=re.compile("Show on projector")).click()
    expect(console_notes.nth(1)).to_contain_text("On the projector")
    expect(screen.locator(".notes-side .note-card").first.locator(".note-card-table")).to_have_text(
        "Table A"
    )
    screen.screenshot(path=artifacts_dir / "notes-5b-projector-two-shown.png")
    assert controls.emit("set_screen_mode", {"mode": "notes"})["ok"]
    expect(screen.locator(".notes-view .note-card")).to_have_count(2)
    expect(screen.locator(".notes-view h1")).to_have_text("From the tables")
    screen.screenshot(path=artifacts_dir / "notes-6-projector-notes.png")

    # Taken off the projector, a note leaves the screen; the note-taker's list keeps it.
    console_notes.nth(0).get_by_role("button", name=re.compile("Remove from projector")).click()
    expect(screen.locator(".notes-view .note-card")).to_have_count(1)
    expect(screen.locator(".notes-view .note-card-table")).to_have_text("Table A")
    screen.screenshot(path=artifacts_dir / "notes-7-projector-notes-one.png")
    expect(tablet.locator("#note-list .note")).to_have_count(2)

    # A note begun on one stage keeps that stage when the facilitator moves on meanwhile.
    note_box.fill("Table B came back to consent: they want it asked, not assumed.")
    assert controls.emit("goto", {"index": 2})["ok"]
    expect(tablet.locator("#current-stage")).to_have_text("Thank you")
    expect(tablet.get_by_label("Stage")).to_have_value("purposeful")
    expect(tablet.locator("#note-stage-hint")).to_contain_text("The room is on “Thank you”")
    tablet.screenshot(path=artifacts_dir / "notes-8-room-moved-on.png")
    tablet.get_by_role("button", name="Save note").click()
    expect(tablet.locator("#save-status")).to_have_text("Saved ✓")
    expect(notes).to_have_count(3)
    expect(notes.nth(0).locator(".note-stage")).to_have_text("Test 1: Purposeful")
    expect(tablet.get_by_label("Stage")).to_have_value("close")  # following again

    # Held upright, the tablet puts the list under the text box, with nothing cut off.
    tablet.set_viewport_size({"width": 768, "height": 1024})
    no_horizontal_scroll(tablet)
    tablet.screenshot(path=artifacts_dir / "notes-9-portrait.png", full_page=True)

    controls.close()
    phone.close()
    assert errors == []
