"""Charts have a text alternative, and colour never carries meaning alone.

The console and the projector draw each result as a chart (a picture, hidden from screen
readers) and put the same numbers in a visually hidden table. These tests read that table
and check its numbers are the server's results, and that it follows new answers live.
Traffic lights, statuses and the connection are told in words as well as colours.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.accessibility.workshop import Room, ok
from tests.support.live import client_id
from tests.support.pages import SAVED, log_in

READ_TABLE_JS = """(table) => Array.from(table.querySelectorAll("tbody tr")).map(
  (row) => Array.from(row.children).map((cell) => cell.textContent.trim()))"""


def server_results(room: Room) -> tuple[str, dict]:
    """(the current stage's type, its results) as the server holds them."""
    sync = room.facilitator.emit("sync")
    stage = next(s for s in sync["stages"] if s["key"] == sync["results"]["stage"])
    return stage["type"], sync["results"]["results"]


def expected_rows(kind: str, results: dict) -> dict[str, list[float]]:
    """For each row of the table (by its label), the numbers the chart shows, in order."""
    if kind == "choice":
        return {o["label"]: [o["count"]] for o in results["options"]}
    if kind == "rating":
        return {
            i["label"]: [i["counts"].get(str(p), 0) for p in results["points"]]
            for i in results["items"]
        }
    if kind == "traffic_light":
        keys = [light["key"] for light in results["lights"]]
        return {i["label"]: [i[key] for key in keys] for i in results["items"]}
    if kind == "ranking":
        return {i["label"]: [i["borda"]] for i in results["items"]}
    if kind == "points":
        return {i["label"]: [i["total"]] for i in results["items"]}
    if kind == "word_cloud":
        return {w["word"]: [w["count"]] for w in results["words"]}
    raise AssertionError(f"no chart table expected for {kind}")


def table_rows(table: Locator, expected: dict[str, list[float]]) -> dict[str, list[float]]:
    """The table's rows, each cut to as many numbers as ``expected`` has for it."""
    rows = {}
    for label, *cells in table.evaluate(READ_TABLE_JS):
        width = len(expected.get(label, cells))
        rows[label] = [float(cell) for cell in cells[:width]]
    return rows


def assert_table_matches(page: Page, table: Locator, room: Room, where: str) -> None:
    """The table on PAGE holds the server's numbers (waiting for a live update to land)."""
    kind, results = server_results(room)
    expected = {label: [float(n) for n in ns] for label, ns in expected_rows(kind, results).items()}
    for _ in range(50):  # up to 5 s for the push to arrive
        if table.count() and table_rows(table.first, expected) == expected:
            return
        page.wait_for_timeout(100)
    found = table_rows(table.first, expected) if table.count() else None
    raise AssertionError(f"{where}, {kind}: table {found} != results {expected}")


def answer(room: Room, person: int, key: str, value: dict) -> None:
    ok(room.people[person].emit("answer", {"stage": key, "client_id": client_id(), "value": value}))


# Two rounds of answers per stage: the table must follow the second one live.
ROUNDS = {
    "pick": ({"choices": ["yes"]}, {"choices": ["yes", "no"]}),
    "rate": ({"ratings": {"outcomes": 4, "respect": 2}}, {"ratings": {"outcomes": 5}}),
    "light": ({"lights": {"clear": "met", "told": "not_met"}}, {"lights": {"clear": "partly"}}),
    "order": ({"order": ["third", "first", "second"]}, {"order": ["first", "second", "third"]}),
    "dots": ({"points": {"cats": 3, "dogs": 2}}, {"points": {"dogs": 5}}),
    "words": ({"text": "fair share"}, {"text": "trust fair"}),
}


def test_console_and_projector_tables_hold_the_results_live(
    live_server, desktop_context, projector_context
):
    room = Room.open(live_server)
    try:
        console = desktop_context().new_page()
        log_in(console, live_server)
        console.goto(f"{room.url}/facilitator/sessions/{room.code}")
        expect(console.locator("#connection")).to_have_text("Live")
        screen = projector_context().new_page()
        screen.goto(room.screen_url)
        expect(screen.locator("#connection")).to_have_text("Live")

        console_table = console.locator("#preview-body table")
        screen_table = screen.locator("#screen table")
        for key, (first, second) in ROUNDS.items():
            room.show(key)
            ok(room.facilitator.emit("reveal"))  # revealed with input open: results move
            answer(room, 0, key, first)
            assert_table_matches(console, console_table, room, f"console after one answer ({key})")
            assert_table_matches(screen, screen_table, room, f"projector after one answer ({key})")
            answer(room, 1, key, second)
            assert_table_matches(console, console_table, room, f"console after two ({key})")
            assert_table_matches(screen, screen_table, room, f"projector after two ({key})")
            # A screen reader announces what the table is.
            expect(console_table.first.locator("caption")).not_to_be_empty()
            expect(screen_table.first.locator("caption")).not_to_be_empty()
    finally:
        room.close()


def test_traffic_lights_and_statuses_carry_words_not_only_colours(
    live_server, phone_context, desktop_context, projector_context
):
    room = Room.open(live_server)
    try:
        phone = phone_context().new_page()
        phone.goto(f"{room.url}/j/{room.code}")
        phone.get_by_label("Your sector").select_option("Health")
        phone.get_by_label("I have read this and want to take part").check()
        phone.get_by_role("button", name="Join").click()
        # The connection pill says its state in words.
        expect(phone.locator("#connection")).to_have_text("Live")

        console = desktop_context().new_page()
        log_in(console, live_server)
        row = console.locator("tr", has=console.locator(".code", has_text=room.code))
        expect(row.locator(".status-badge")).to_have_text(re.compile(r"\w+"))
        console.goto(f"{room.url}/facilitator/sessions/{room.code}")
        screen = projector_context().new_page()
        screen.goto(room.screen_url)

        room.show("light")
        # The phone's lights: each button shows a symbol and says its word, on the colour.
        lights = phone.locator(".light")
        expect(lights).to_have_count(6)  # two statements, three lights each
        words = [text.strip().splitlines()[-1].strip() for text in lights.all_inner_texts()]
        assert words == ["Met", "Partly met", "Not met"] * 2, words
        phone.get_by_role("group", name=re.compile("purpose is clear")).get_by_role(
            "radio", name="Partly met"
        ).check()
        expect(phone.locator(".save-status")).to_have_text(SAVED)
        # The projector's question view names the lights.
        expect(screen.locator(".lights")).to_contain_text("Met")
        expect(screen.locator(".lights")).to_contain_text("Partly met")
        expect(screen.locator(".lights")).to_contain_text("Not met")
        # States of the console's controls are words.
        expect(console.locator("#input-state")).to_have_text("Input open")
        expect(console.locator("#results-state")).to_have_text("Results hidden from the room")

        room.others_answer("light")
        room.reveal()
        # The results: every bar carries its light's word and count.
        expect(phone.locator(".results")).to_contain_text("Partly met: 2")  # two of three
        expect(screen.locator(".chart-area svg text", has_text="Met: 1").first).to_be_visible()
        expect(screen.locator(".chart-area svg text", has_text="Partly met").first).to_be_visible()
        console_bars = console.locator("#preview-body svg text", has_text="Partly met")
        expect(console_bars.first).to_be_visible()
        expect(console.locator("#results-state")).to_have_text("Results shown to the room")
    finally:
        room.close()
