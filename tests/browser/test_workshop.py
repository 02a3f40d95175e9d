"""A whole workshop, as the people in the room do it: a facilitator at the console, three
phones and a projector, all real Chromium pages on the real server. The room reads the
scenario, answers a test, a feature and the ranking, and the projector's chart shows the
phones' answers once the facilitator reveals them.

Screenshots: tests/artifacts/workshop-*.png.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from facilitation.plans import load_plan
from tests.conftest import BUILTIN_PLAN
from tests.support.pages import go_to, join_by_code, log_in, reveal, saved

SCENARIO = "Rent arrears shared with GPs"
PEOPLE = [("Housing", "Sam"), ("Health", ""), ("Welfare", "Jo")]


def results_table(screen: Page):
    return screen.locator("table.visually-hidden")


def test_a_room_runs_the_data_for_public_benefit_plan(
    live_server, desktop_context, phone_context, projector_context, artifacts_dir
):
    plan = load_plan(BUILTIN_PLAN)
    errors: list[str] = []

    # The facilitator opens a session of the built-in plan and puts the projector up.
    console = desktop_context().new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    card = console.locator("article.plan-card", has=console.get_by_role("heading", name=plan.title))
    card.locator("form.open-form").get_by_label("Scenario").select_option(label=SCENARIO)
    card.get_by_role("button", name="Open session").click()
    expect(console).to_have_url(re.compile(r"/facilitator/sessions/[A-Z0-9]{6}$"))
    code = console.locator("#join-code").inner_text()
    projector_link = console.get_by_role("link", name="Open projector")
    expect(projector_link).to_have_attribute("href", re.compile(rf"/s/{code}/screen\?key="))

    # The projector is another machine with no login: the console's link is all it needs.
    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(f"screen: {error}"))
    screen.goto(projector_link.get_attribute("href"))
    expect(screen.locator(".join-code")).to_have_text(code)
    expect(screen.locator(".join-qr img")).to_be_visible()
    assert screen.locator(".join-qr img").evaluate("img => img.naturalWidth") > 0

    # Three professionals join on their phones with the code on the screen.
    phones = []
    for sector, name in PEOPLE:
        phone = phone_context().new_page()
        phone.on("pageerror", lambda error: errors.append(f"phone: {error}"))
        join_by_code(phone, live_server.url, code, sector, name)
        phones.append(phone)
    expect(screen.locator(".joined")).to_have_text("3 joined")
    expect(console.locator("#counts")).to_have_text(re.compile("^3 connected · 3 joined"))
    screen.screenshot(path=artifacts_dir / "workshop-1-join-screen.png")

    # The scenario: every phone and the projector show the one chosen at the start.
    go_to(console, "The scenario", open_input=False)
    for phone in phones:
        expect(phone.get_by_role("heading", name=SCENARIO)).to_be_visible()
    expect(screen.locator(".scenario-title")).to_have_text(SCENARIO)
    phones[0].screenshot(path=artifacts_dir / "workshop-2-scenario-phone.png")

    # Test 1, Purposeful: two say met, one not met, and one comments.
    go_to(console, "Test 1: Purposeful")
    label = plan.stage("purposeful").activity.items[0].label
    for phone, light in zip(phones, ("Met", "Met", "Not met"), strict=True):
        phone.get_by_role("group", name=re.compile(label)).get_by_role(
            "radio", name=light, exact=True
        ).check()
        saved(phone)
    phones[1].get_by_label("Add a comment").fill("Would tenants be told before the GP hears?")
    phones[1].get_by_role("button", name="Post").click()
    expect(phones[1].locator(".post-status")).to_have_text("Posted ✓")
    expect(console.locator("#counts")).to_have_text("3 connected · 3 joined · 3 answered")
    expect(screen.locator(".count")).to_have_text("3 of 3 have answered")
    expect(screen.locator(".chart")).to_have_count(0)  # nothing shown before the reveal
    reveal(console)
    expect(screen.locator(".chart .plot-container")).to_be_visible()
    expect(results_table(screen).locator("tbody td")).to_have_text(["2", "0", "1"])
    expect(screen.locator(".wall .comment-text")).to_have_text(
        ["Would tenants be told before the GP hears?"]
    )
    expect(phones[0].locator(".results")).to_contain_text("Met: 2")
    screen.screenshot(path=artifacts_dir / "workshop-3-purposeful-screen.png")
    console.screenshot(path=artifacts_dir / "workshop-3-purposeful-console.png")

    # Feature 1: each rates the first statement.
    go_to(console, "Feature 1")
    for phone, rating in zip(phones, ("4", "4", "2"), strict=True):
        phone.locator(".item-block").first.get_by_role("radio", name=rating, exact=True).check()
        saved(phone)
    expect(screen.locator(".count")).to_have_text("3 of 3 have answered")
    reveal(console)
    expect(screen.locator(".chart .plot-container")).to_be_visible()
    first_row = results_table(screen).locator("tbody tr").first
    # Columns: 1, 2, 3, 4, 5, median.
    expect(first_row.locator("td")).to_have_text(["0", "1", "0", "2", "0", "4"])
    screen.screenshot(path=artifacts_dir / "workshop-4-feature-screen.png")

    # The ranking: two keep the plan's order, one moves the last feature to the top.
    go_to(console, "What matters most here?")
    items = plan.stage("ranking").activity.items
    last = phones[2].locator(".ranking-item .rank-label").nth(len(items) - 1).inner_text()
    for _ in range(len(items) - 1):
        phones[2].get_by_role("button", name=f"Move up: {last}").click()
    for phone in phones:
        phone.get_by_role("button", name="Submit ranking").click()
        saved(phone)
    reveal(console)
    expect(screen.locator(".chart .plot-container")).to_be_visible()
    top = results_table(screen).locator("tbody tr").first
    # Borda: the first feature gets 4 + 4 + 3 points, more than any other.
    expect(top.locator("th")).to_have_text(items[0].label)
    expect(top.locator("td").first).to_have_text("11")
    screen.screenshot(path=artifacts_dir / "workshop-5-ranking-screen.png")
    phones[2].screenshot(path=artifacts_dir / "workshop-5-ranking-phone.png", full_page=True)

    # The transcript records all of it, in order, under pseudonyms.
    http = console.context.request
    transcript = http.get(f"{live_server.url}/facilitator/sessions/{code}/transcript.json").json()
    types = [event["type"] for event in transcript["events"]]
    assert types.count("participant.joined") == 3
    # Three stages answered by three phones, and each one's sector from the join form (its
    # answer to the sector stage, given when joining).
    assert types.count("answer.submitted") == 9 + 3
    assert "Sam" not in {event["actor"] for event in transcript["events"]}
    assert errors == []
