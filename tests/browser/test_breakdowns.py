"""Breakdowns on real pages: the facilitator sets two tables in the console, three phones join
(two sectors, two tables; one is placed at a table from the console), answer a traffic light
and a rating, comment and agree; the facilitator switches the projector between the whole
room, by sector and by table, and the comment wall shows where sectors agree and split.

Three people are fewer than the built-in plan's min_group_size (3) in every sector and
table, so every breakdown here shows them folded together as "Other groups" (3 people), the
console says why, and no comment gets a per-sector badge; groups that show on their own are
tested through the socket in tests/live/test_small_groups.py and test_tables_breakdowns.py.

Screenshots: tests/artifacts/breakdowns-*.png (projector at 1920x1080, console, phone).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from facilitation.plans import load_plan
from tests.conftest import BUILTIN_PLAN
from tests.support.pages import go_to, join_at_table, log_in, projector_url, reveal, saved
from tests.support.server import flask_cli

# (sector, display name, table chosen at join: "" = "I don't know yet")
PEOPLE = [("Health", "Ade", "Table 1"), ("Housing", "", "Table 1"), ("Housing", "Jo", "")]


def switch(console: Page, words: str) -> None:
    button = console.locator("#breakdown-switch").get_by_role("button", name=words)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def group_tables(screen: Page):
    return screen.locator(".breakdown-tables table")


def test_the_projector_breaks_results_down_by_sector_and_by_table(
    live_server, desktop_context, phone_context, projector_context, artifacts_dir
):
    plan = load_plan(BUILTIN_PLAN)
    errors: list[str] = []
    code = flask_cli(live_server.env, "session", "open", plan.slug).strip().splitlines()[-1]

    console = desktop_context(viewport={"width": 1440, "height": 900}).new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    console.goto(f"{live_server.url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    if console.get_by_role("button", name="Start session").count():
        console.get_by_role("button", name="Start session").click()  # a draft session

    # The plan has no tables; the facilitator writes two in the console.
    people = console.locator("#people-panel")
    expect(people).to_contain_text("This session has no tables")
    people.locator("summary", has_text="Edit the list of tables").click()
    people.get_by_label("Tables in this session").fill("Table 1\nTable 1")
    people.get_by_role("button", name="Save tables").click()
    expect(people.locator("#tables-error")).to_contain_text("Two tables are called 'Table 1'")
    people.get_by_label("Tables in this session").fill("Table 1\nTable 2")
    people.get_by_role("button", name="Save tables").click()
    expect(people.locator(".table-chip")).to_have_text(["Table 1 0", "Table 2 0"])

    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(f"screen: {error}"))
    screen.goto(projector_url(console))
    expect(screen.locator(".join-code")).to_have_text(code)

    phones = []
    for sector, name, table in PEOPLE:
        phone = phone_context().new_page()
        phone.on("pageerror", lambda error: errors.append(f"phone: {error}"))
        shot = artifacts_dir / "breakdowns-0-join-form.png" if not phones else None
        join_at_table(phone, live_server.url, code, sector, name, table, shot)
        phones.append(phone)

    # Jo did not know their table: the console shows it, and the facilitator places them.
    expect(people.locator(".table-chip")).to_have_text(["Table 1 2", "Table 2 0", "No table yet 1"])
    people.get_by_label("Table of Jo").select_option("Table 2")
    expect(people.locator(".table-chip")).to_have_text(["Table 1 2", "Table 2 1"])
    expect(people.locator("tbody tr")).to_have_count(3)
    expect(people).not_to_contain_text("Met")  # who sits where, never what they answered

    # Test 1: Purposeful. Table 1 (Health, Housing) says met; Table 2 (Housing) not met.
    go_to(console, "Test 1: Purposeful")
    label = plan.stage("purposeful").activity.items[0].label
    for phone, light in zip(phones, ("Met", "Met", "Not met"), strict=True):
        phone.get_by_role("group", name=re.compile(label)).get_by_role(
            "radio", name=light, exact=True
        ).check()
        saved(phone)
    # Jo writes a comment both others agree with (Health and Housing); the Housing
    # participant writes one that Health agrees with and Jo (Housing) disagrees with.
    posts = [
        (phones[2], "Tenants should be asked before anything is shared."),
        (phones[1], "GPs need to know early to help at all."),
    ]
    for phone, text in posts:
        phone.get_by_label("Add a comment").fill(text)
        phone.get_by_role("button", name="Post").click()
        expect(phone.locator(".post-status")).to_have_text("Posted ✓")
    votes = [
        (phones[0], 0, "Agree"),
        (phones[1], 0, "Agree"),
        (phones[0], 1, "Agree"),
        (phones[2], 1, "Disagree"),
    ]
    for phone, which, reaction in votes:
        item = phone.locator(".comment", has_text=posts[which][1])
        item.get_by_role("button", name=re.compile(f"^{reaction}")).click()
        expect(item.get_by_role("button", name=re.compile(f"^{reaction}"))).to_have_attribute(
            "aria-pressed", "true"
        )
    reveal(console)
    expect(screen.locator(".chart .plot-container")).to_be_visible()
    expect(screen.locator(".results-caption")).to_have_text("Results from 3 people")

    switch(console, "By sector")
    # Health (1) and Housing (2) are each fewer than 3: one "Other groups" of 3 people.
    expect(screen.locator(".results-caption")).to_have_text(
        "By sector · results from 3 people in Other groups"
    )
    expect(group_tables(screen).locator("caption")).to_have_text(["Other groups: 3 people"])
    # Columns: met, partly met, not met.
    expect(group_tables(screen).nth(0).locator("tbody td")).to_have_text(["2", "0", "1"])
    expect(screen.locator(".chart .gtitle, .chart .ytick").first).to_be_attached()
    expect(screen.locator(".chart")).to_contain_text("Other groups")
    expect(screen.locator(".chart")).not_to_contain_text("Housing")
    expect(console.locator(".fold-note")).to_have_text(
        "Groups with fewer than 3 people are folded into Other groups, so no one’s answer "
        "can be singled out (Health and Housing)."
    )
    # The wall: one or two voters per sector make no badge, and no sector's votes show.
    wall = screen.locator(".consensus-wall")
    expect(wall.locator(".comment-text")).to_have_count(2)
    expect(wall.locator(".consensus-badge")).to_have_count(0)
    expect(wall).not_to_contain_text("Health 1–0")
    expect(console.locator("#consensus .consensus-badge")).to_have_count(0)
    expect(console.locator("#consensus")).to_contain_text("count together as Other groups")
    screen.screenshot(path=artifacts_dir / "breakdowns-1-light-by-sector.png")
    console.screenshot(path=artifacts_dir / "breakdowns-2-console-by-sector.png")
    console.locator("#preview").screenshot(path=artifacts_dir / "breakdowns-2b-console-preview.png")
    console.locator("#people-panel").screenshot(
        path=artifacts_dir / "breakdowns-2c-console-people.png"
    )
    console.locator(".comments-pane").screenshot(
        path=artifacts_dir / "breakdowns-2d-console-consensus.png"
    )

    switch(console, "By table")
    expect(screen.locator(".results-caption")).to_have_text(
        "By table · results from 3 people in Other groups"
    )
    expect(group_tables(screen).locator("caption")).to_have_text(["Other groups: 3 people"])
    expect(group_tables(screen).nth(0).locator("tbody td")).to_have_text(["2", "0", "1"])
    expect(console.locator(".fold-note")).to_contain_text("(Table 1 and Table 2)")
    expect(screen.locator(".consensus-wall")).to_have_count(0)  # consensus is about sectors
    screen.screenshot(path=artifacts_dir / "breakdowns-3-light-by-table.png")

    # Feature 1: a rating of three items; the breakdown stays by table.
    go_to(console, "Feature 1")
    ratings = [("4", "5", "3"), ("2", "4", "3"), ("1", "2", "3")]
    for phone, values in zip(phones, ratings, strict=True):
        blocks = phone.locator(".item-block")
        for index, value in enumerate(values):
            blocks.nth(index).get_by_role("radio", name=value, exact=True).check()
            saved(phone)
    reveal(console)
    expect(screen.locator(".results-caption")).to_have_text(
        "By table · results from 3 people in Other groups"
    )
    other = group_tables(screen).nth(0)
    expect(other.locator("caption")).to_have_text("Other groups: 3 people")
    # First item: a 4, a 2 and a 1 (columns 1..5, then the median).
    expect(other.locator("tbody tr").first.locator("td")).to_have_text(
        ["1", "1", "0", "1", "0", "2"]
    )
    screen.screenshot(path=artifacts_dir / "breakdowns-4-rating-by-table.png")

    switch(console, "By sector")
    expect(group_tables(screen).locator("caption")).to_have_text(["Other groups: 3 people"])
    expect(group_tables(screen).nth(0).locator("tbody tr").first.locator("td")).to_have_text(
        ["1", "1", "0", "1", "0", "2"]
    )
    screen.screenshot(path=artifacts_dir / "breakdowns-5-rating-by-sector.png")
    console.screenshot(path=artifacts_dir / "breakdowns-6-console-rating.png")

    # The ranking: small multiples, one panel per sector, the room's order in every panel.
    go_to(console, "What matters most here?")
    for phone in phones:
        phone.get_by_role("button", name="Submit ranking").click()
        saved(phone)
    reveal(console)
    expect(screen.locator(".results-caption")).to_have_text(
        "By sector · results from 3 people in Other groups"
    )
    expect(group_tables(screen).locator("caption")).to_have_text(["Other groups: 3 people"])
    expect(screen.locator(".chart")).to_contain_text("Other groups")
    screen.screenshot(path=artifacts_dir / "breakdowns-7-ranking-by-sector.png")

    # Back to the whole room.
    switch(console, "Whole room")
    expect(screen.locator(".results-caption")).to_have_text("Results from 3 people")
    expect(screen.locator(".breakdown-tables")).to_have_count(0)
    assert errors == []
