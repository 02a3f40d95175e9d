"""Keyboard alone: a participant joins and answers a choice, a rating and a ranking and posts
a comment; a facilitator logs in, moves to the next stage, opens input and reveals the
results. Only Tab, Shift+Tab, Enter, Space, arrow keys and typing; at every Tab stop the
focus is visible (tests/accessibility/keyboard.py says how that is measured)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.accessibility.keyboard import assert_focus_visible, is_focused, tab_to
from tests.accessibility.workshop import Room
from tests.support.pages import saved

KEYBOARD_PHONE = {"viewport": {"width": 390, "height": 844}}  # a small screen, no touch


def results(room: Room) -> dict:
    """The current stage's results as the server holds them (only this phone answers)."""
    return room.facilitator.emit("sync")["results"]["results"]


def test_a_participant_and_a_facilitator_by_keyboard_alone(
    live_server, desktop_context, artifacts_dir
):
    room = Room.open(live_server)
    try:
        # The facilitator logs in and opens the console.
        console = desktop_context().new_page()
        console.goto(f"{room.url}/login")
        tab_to(console, console.get_by_label("Email"))
        console.keyboard.type(live_server.email)
        console.keyboard.press("Tab")
        assert is_focused(console.get_by_label("Password"))
        console.keyboard.type(live_server.password)
        console.keyboard.press("Enter")
        expect(console.get_by_role("heading", name="Dashboard")).to_be_visible()
        row = console.locator("tr", has=console.locator(".code", has_text=room.code))
        tab_to(console, row.get_by_role("link", name=re.compile("console")))
        console.keyboard.press("Enter")
        expect(console.locator("#connection")).to_have_text("Live")
        expect(console.locator("#stage-title")).to_contain_text("Welcome")

        # A participant joins: code, then the join form.
        phone = desktop_context(**KEYBOARD_PHONE).new_page()
        phone.goto(f"{room.url}/")
        code = phone.get_by_label("Workshop code")
        tab_to(phone, code)  # it has autofocus: no Tab needed
        phone.keyboard.type(room.code.lower())
        phone.keyboard.press("Enter")
        expect(phone).to_have_url(f"{room.url}/j/{room.code}")
        tab_to(phone, phone.get_by_label("Display name"))
        phone.keyboard.type("Kim")
        tab_to(phone, phone.get_by_label("Your sector"))
        phone.keyboard.press("ArrowDown")  # the first sector: Health
        expect(phone.get_by_label("Your sector")).to_have_value("Health")
        tab_to(phone, phone.get_by_label("I have read this and want to take part"))
        phone.keyboard.press("Space")
        expect(phone.get_by_label("I have read this and want to take part")).to_be_checked()
        tab_to(phone, phone.get_by_role("button", name="Join"))
        phone.screenshot(path=artifacts_dir / "a11y-keyboard-1-join.png")
        phone.keyboard.press("Enter")
        expect(phone.locator("#connection")).to_have_text("Live")

        # The facilitator: Next, Open input (Enter and Space on the buttons).
        tab_to(console, console.locator("#next-stage"))
        assert_focus_visible(console)
        console.screenshot(path=artifacts_dir / "a11y-keyboard-2-console-next.png")
        console.keyboard.press("Enter")
        expect(console.locator("#stage-title")).to_contain_text("Your sector")
        tab_to(console, console.locator("#toggle-input"))
        console.keyboard.press("Space")
        expect(console.locator("#input-state")).to_have_text("Input open")

        # The sector stage on the phone: a radio group, moved through with the arrows.
        expect(phone.locator("#stage-view")).to_contain_text("Where do you work?")
        tab_to(phone, phone.get_by_role("radio", name="Health"))
        phone.keyboard.press("Space")
        saved(phone)
        phone.keyboard.press("ArrowDown")
        expect(phone.get_by_role("radio", name="Housing")).to_be_checked()
        saved(phone)
        phone.screenshot(path=artifacts_dir / "a11y-keyboard-3-sector.png")

        # The facilitator closes input and reveals, by keyboard.
        console.keyboard.press("Enter")  # the focus is still on the input button
        expect(console.locator("#input-state")).to_have_text("Input closed")
        # The pressed button keeps the focus while its ack is awaited, and the next Tab
        # goes on from it once the controls are back.
        expect(console.locator("#toggle-input")).to_be_focused()
        expect(console.locator("#toggle-results")).to_be_enabled()
        tab_to(console, console.locator("#toggle-results"))
        console.keyboard.press("Enter")
        expect(console.locator("#results-state")).to_have_text("Results shown to the room")
        expect(phone.locator(".results")).to_contain_text("Housing")

        # A multiple choice: Space ticks, then Submit.
        room.show("pick")
        expect(phone.locator("#stage-view")).to_contain_text("Which ones?")
        tab_to(phone, phone.get_by_role("checkbox", name="Yes"))
        phone.keyboard.press("Space")
        tab_to(phone, phone.get_by_role("checkbox", name="Unsure"))
        phone.keyboard.press("Space")
        tab_to(phone, phone.get_by_role("button", name="Submit"))
        phone.keyboard.press("Enter")
        saved(phone)
        counts = {option["key"]: option["count"] for option in results(room)["options"]}
        assert counts == {"yes": 1, "no": 0, "unsure": 1}

        # A rating: arrows within each item's scale; then a comment, posted with Enter.
        room.show("rate")
        expect(phone.locator("#stage-view")).to_contain_text("How well?")
        blocks = phone.locator(".item-block")
        tab_to(phone, blocks.nth(0).get_by_role("radio", name="1", exact=True))
        phone.keyboard.press("Space")
        saved(phone)
        for _ in range(3):
            phone.keyboard.press("ArrowRight")
        expect(blocks.nth(0).get_by_role("radio", name="4", exact=True)).to_be_checked()
        saved(phone)
        tab_to(phone, blocks.nth(1).get_by_role("radio", name="1", exact=True))
        phone.keyboard.press("Space")
        phone.keyboard.press("ArrowRight")
        expect(blocks.nth(1).get_by_role("radio", name="2", exact=True)).to_be_checked()
        saved(phone)
        tab_to(phone, phone.get_by_label("Add a comment"))
        phone.keyboard.type("Outcomes first, by keyboard.")
        tab_to(phone, phone.get_by_role("button", name="Post"))
        phone.keyboard.press("Enter")
        expect(phone.locator(".post-status")).to_have_text("Posted ✓")
        expect(phone.locator(".comment.own")).to_contain_text("Outcomes first, by keyboard.")
        medians = [item["median"] for item in results(room)["items"]]
        assert medians == [4, 2]
        # Shift+Tab goes back up the page to the rating.
        tab_to(phone, blocks.nth(1).get_by_role("radio", name="2", exact=True), backwards=True)
        phone.screenshot(path=artifacts_dir / "a11y-keyboard-4-rating.png")

        # A ranking: move the last item to the top with its buttons, then submit.
        room.show("order")
        expect(phone.locator("#stage-view")).to_contain_text("Order these")
        up = phone.get_by_role("button", name="Move up: Third thing")
        tab_to(phone, up)
        phone.keyboard.press("Enter")
        phone.keyboard.press("Enter")  # the focus stays on the moved item's button
        expect(phone.locator(".ranking-item .rank-label").first).to_have_text("Third thing")
        tab_to(phone, phone.get_by_role("button", name="Submit ranking"))
        phone.keyboard.press("Enter")
        saved(phone)
        phone.screenshot(path=artifacts_dir / "a11y-keyboard-5-ranking.png")

        assert [item["key"] for item in results(room)["items"]] == ["third", "first", "second"]
    finally:
        room.close()
