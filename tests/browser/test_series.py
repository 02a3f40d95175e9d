"""A series in a real browser: two sessions of the built-in plan, run through the real
flow (CLI to open, python-socketio phones to answer), grouped into a series from the
dashboard and the series page, then compared side by side."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from facilitation.plans import load_plan
from tests.conftest import BUILTIN_PLAN
from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import log_in
from tests.support.server import flask_cli

PLAN = load_plan(BUILTIN_PLAN)
SCENARIO = PLAN.scenarios[0].key

# Per session: each phone's sector, purposeful light, ratings of feature 1, and comment.
# Three phones in each: a session where fewer answered than the plan's min_group_size (3)
# is withheld from the comparison (tests/series/), and this test compares them.
ROOMS = {
    "Leeds": [
        ("Housing", "met", 4, "Tenants must be told who sees their rent arrears data."),
        ("Health", "partly", 3, "Clear purpose, but who checks it stays that way?"),
        ("Welfare", "partly", 4, ""),
    ],
    "Bristol": [
        ("Social care", "not_met", 2, "People should be told who sees their arrears data."),
        ("Health", "partly", 3, "The benefit to the public is not spelt out."),
        ("Housing", "not_met", 2, ""),
    ],
}


def run_room(live_server, sockets, phones) -> str:
    """A session opened from the CLI, with PHONES answering two stages and commenting."""
    output = flask_cli(live_server.env, "session", "open", PLAN.slug, "--scenario", SCENARIO)
    code = output.strip().splitlines()[-1]
    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    sockets.append(facilitator)
    people = []
    for sector, *_ in phones:
        phone = LiveSocket(
            live_server.url, join(live_server.url, code, sector), code, role="participant"
        )
        sockets.append(phone)
        people.append(phone)

    def stage(key: str):
        assert facilitator.emit("goto", {"index": PLAN.stage_index(key)})["ok"]
        assert facilitator.emit("open_input")["ok"]

    stage("purposeful")
    comment_ids = []
    for phone, (_sector, light, _rating, comment) in zip(people, phones, strict=True):
        value = {"lights": {"purposeful": light}}
        ack = phone.emit(
            "answer", {"stage": "purposeful", "client_id": client_id(), "value": value}
        )
        assert ack["ok"], ack
        if comment:
            ack = phone.emit(
                "comment", {"stage": "purposeful", "client_id": client_id(), "text": comment}
            )
            assert ack["ok"], ack
            comment_ids.append(ack["comment_id"])
    # Everyone else agrees with the first comment.
    for phone in people[1:]:
        ack = phone.emit(
            "react",
            {"comment_id": comment_ids[0], "client_id": client_id(), "reaction": "agree"},
        )
        assert ack["ok"], ack

    stage("feature-outcomes")
    items = [item.key for item in PLAN.stage("feature-outcomes").activity.items]
    for phone, (_sector, _light, rating, _comment) in zip(people, phones, strict=True):
        value = {"ratings": {key: max(1, rating - n % 2) for n, key in enumerate(items)}}
        ack = phone.emit(
            "answer", {"stage": "feature-outcomes", "client_id": client_id(), "value": value}
        )
        assert ack["ok"], ack
    assert facilitator.emit("end_session")["ok"]
    return code


def test_group_sessions_into_a_series_and_compare_them(
    live_server, desktop_context, artifacts_dir, sockets
):
    leeds = run_room(live_server, sockets, ROOMS["Leeds"])
    bristol = run_room(live_server, sockets, ROOMS["Bristol"])

    page = desktop_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)

    # From the dashboard: put the Leeds session in a new series.
    row = page.locator("tr", has=page.locator(".code", has_text=leeds))
    row.get_by_role("link", name=re.compile("Add to a series")).click()
    expect(page.get_by_role("heading", name=f"Session {leeds} in a series")).to_be_visible()
    page.get_by_label("A new series").check()
    page.get_by_label("Title of the new series").fill("Data sharing workshops 2025")
    page.get_by_label("Place").fill("")
    page.get_by_role("button", name="Add to series").click()
    # A missing place is refused next to the field, and what was typed is kept.
    expect(page.locator("#place-error")).to_have_text(re.compile("Say where the session was held"))
    expect(page.get_by_label("Title of the new series")).to_have_value(
        "Data sharing workshops 2025"
    )
    page.screenshot(path=artifacts_dir / "series-0-for-session-error.png")
    page.get_by_label("Place").fill("Leeds")
    page.get_by_label("Held on").fill("2025-06-12")
    page.get_by_role("button", name="Add to series").click()
    expect(page.get_by_role("heading", name="Data sharing workshops 2025", level=1)).to_be_visible()
    series_url = page.url
    assert re.search(r"/facilitator/series/\d+$", series_url)

    # From the series page: add the Bristol session with its place and date.
    add = page.locator("#add-session")
    add.get_by_label("Session").select_option(value=bristol)
    add.get_by_label("Place").fill("Bristol")
    add.get_by_label("Held on").fill("2025-06-19")
    add.get_by_role("button", name="Add to series").click()
    expect(page.locator(".flash")).to_contain_text(f"Session {bristol} is in the series")

    sessions = page.locator("table.series-sessions tbody tr")
    expect(sessions).to_have_count(2)
    expect(sessions.nth(0)).to_contain_text("Leeds")
    expect(sessions.nth(0)).to_contain_text("3")
    expect(sessions.nth(1)).to_contain_text("Bristol")

    # The side-by-side charts render, one per stage, with every session in them.
    purposeful = page.locator("#stage-purposeful")
    # Charts draw as they near the screen; the sector stage (answered at join) comes first.
    purposeful.scroll_into_view_if_needed()
    expect(purposeful.locator(".stage-counts")).to_contain_text("6 answers")
    chart = purposeful.locator(".series-chart .main-svg").first
    expect(chart).to_be_visible()
    expect(purposeful.locator(".series-chart .xtick")).to_have_count(2)
    expect(purposeful.locator(".series-chart")).to_contain_text("Leeds")
    expect(purposeful.locator(".series-chart")).to_contain_text("Bristol")
    expect(purposeful.locator(".series-chart .legend")).to_contain_text("Partly met")
    table = purposeful.locator("table.stage-table")
    expect(table.locator("tbody tr").nth(0)).to_contain_text("Met 1 · Partly 2 · Not met 0")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("Met 0 · Partly 1 · Not met 2")

    # The comment about arrears data came up in both rooms: one recurring theme.
    theme = purposeful.locator(".theme")
    expect(theme).to_have_count(1)
    expect(theme.locator(".session-chip")).to_have_text(["Leeds", "Bristol"])
    expect(theme).to_contain_text("2 comments · 4 agreed")
    page.screenshot(path=artifacts_dir / "series-1-traffic-light.png")
    purposeful.screenshot(path=artifacts_dir / "series-2-purposeful-card.png")

    rating = page.locator("#stage-feature-outcomes")
    rating.scroll_into_view_if_needed()
    expect(rating.locator(".series-chart .main-svg").first).to_be_visible()
    expect(rating.locator(".series-chart .legend")).to_contain_text("Bristol")
    expect(rating.locator("table.stage-table")).to_contain_text("median 4")
    rating.screenshot(path=artifacts_dir / "series-3-rating-card.png")

    page.screenshot(path=artifacts_dir / "series-4-full.png", full_page=True)

    # The dashboard labels both sessions with their series.
    page.goto(f"{live_server.url}/facilitator/")
    for code, place in ((leeds, "Leeds"), (bristol, "Bristol")):
        row = page.locator("tr", has=page.locator(".code", has_text=code))
        expect(row.locator(".series-label")).to_contain_text("Series: Data sharing workshops 2025")
        expect(row.locator(".series-label")).to_contain_text(place)
    page.get_by_role("link", name="Series", exact=True).click()
    expect(page.get_by_role("link", name="Data sharing workshops 2025")).to_be_visible()
    expect(page.locator("table.series-table")).to_contain_text("Leeds, Bristol")
    page.screenshot(path=artifacts_dir / "series-5-list.png")
    assert errors == []
