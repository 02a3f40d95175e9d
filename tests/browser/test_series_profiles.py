"""A series' framework profiles in a real browser: a workshop and a self-paced run of the
built-in plan, each answering every test and feature through the real Socket.IO flow, the
run's pace set as the lead's runs set it; the series page draws both pools side by side
and says what the difference is, at 1366x768 and on a 390x844 phone."""

from __future__ import annotations

import sqlite3

from playwright.sync_api import expect

from facilitation.plans import load_plan
from tests.conftest import BUILTIN_PLAN
from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import log_in
from tests.support.server import flask_cli

PLAN = load_plan(BUILTIN_PLAN)
SCENARIO = PLAN.scenarios[0].key
# Each person's sector, light on every test and rating of every feature's questions.
WORKSHOP = [("Health", "met", 5), ("Health", "met", 4), ("Health", "partly", 4)]
WORKSHOP += [("Housing", "met", 4), ("Housing", "partly", 3), ("Housing", "met", 5)]
RUN = [("Health", "not_met", 2), ("Health", "partly", 1), ("Health", "not_met", 2)]
RUN += [("Housing", "not_met", 1), ("Housing", "partly", 3), ("Housing", "not_met", 2)]


def run_room(live_server, sockets, people) -> str:
    """A session opened from the CLI whose phones answer the whole framework; ended."""
    output = flask_cli(live_server.env, "session", "open", PLAN.slug, "--scenario", SCENARIO)
    code = output.strip().splitlines()[-1]
    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    sockets.append(facilitator)
    phones = []
    for sector, *_ in people:
        phone = LiveSocket(
            live_server.url, join(live_server.url, code, sector), code, role="participant"
        )
        sockets.append(phone)
        phones.append(phone)
    framework = PLAN.framework
    stages = [(key, "test") for key in framework.tests]
    stages += [(feature.stage, feature.questions) for feature in framework.features]
    for key, questions in stages:
        assert facilitator.emit("goto", {"index": PLAN.stage_index(key)})["ok"]
        assert facilitator.emit("open_input")["ok"]
        for phone, (_sector, light, rating) in zip(phones, people, strict=True):
            if questions == "test":
                value = {"lights": {item.key: light for item in PLAN.stage(key).activity.items}}
            else:
                value = {"ratings": dict.fromkeys(questions, rating)}
            ack = phone.emit("answer", {"stage": key, "client_id": client_id(), "value": value})
            assert ack["ok"], ack
    assert facilitator.emit("end_session")["ok"]
    return code


def test_the_workshop_beside_the_public_online(
    live_server, desktop_context, phone_context, artifacts_dir, sockets
):
    workshop = run_room(live_server, sockets, WORKSHOP)
    run = run_room(live_server, sockets, RUN)
    # The run: a session whose people went at their own pace (the lead's runs are made so).
    database = live_server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE workshop_session SET pace = 'self' WHERE code = ?", (run,))

    page = desktop_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)
    page.goto(f"{live_server.url}/facilitator/series/")
    page.get_by_label("Title").fill("Rent arrears: room and public")
    page.get_by_role("button", name="Make series").click()
    for code, place, day in ((workshop, "Leeds", "2026-05-01"), (run, "Online", "2026-05-08")):
        add = page.locator("#add-session")
        add.get_by_label("Session").select_option(value=code)
        add.get_by_label("Place").fill(place)
        add.get_by_label("Held on").fill(day)
        add.get_by_role("button", name="Add to series").click()
        expect(page.locator(".flash")).to_contain_text(f"Session {code} is in the series")
    series_url = page.url

    profiles = page.locator("#profiles")
    profiles.scroll_into_view_if_needed()
    expect(profiles.get_by_role("heading", level=2)).to_have_text(
        "Professionals in workshops vs the public online"
    )
    expect(profiles.locator(".profile-pools")).to_contain_text("6 people, 1 session")
    expect(profiles.locator(".profile-pools")).to_contain_text("6 people, 1 self-paced run")
    chart = profiles.locator(".profile-chart")
    expect(chart.locator(".main-svg").first).to_be_visible()
    expect(chart.locator(".legend")).to_contain_text("Professionals in workshops")
    expect(chart.locator(".legend")).to_contain_text("The public online")
    # One bar per pool per row: 3 tests + 5 features + the acceptability score, each with
    # its interval drawn as an error bar.
    expect(chart.locator(".trace.bars .point")).to_have_count(18)
    expect(chart.locator(".errorbar")).to_have_count(18)
    purposeful = profiles.locator('tr[data-stage="purposeful"]')
    # Workshop: 4 met, 2 partly = 83; the run: 4 not met, 2 partly = 17; 17 - 83 = -67.
    expect(purposeful).to_contain_text("83")
    expect(purposeful).to_contain_text("-67")
    expect(purposeful).to_contain_text("The public scored it lower; the interval excludes 0")
    expect(profiles.locator('tr[data-stage="acceptability"]')).to_contain_text(
        "Acceptability score"
    )
    expect(profiles.locator(".sector-table .sector-name")).to_have_text(["Health", "Housing"])
    expect(profiles.locator(f'tr[data-session="{workshop}"]')).to_contain_text("Workshop")
    expect(profiles.locator(f'tr[data-session="{run}"]')).to_contain_text("Self-paced run")
    page.screenshot(path=artifacts_dir / "series-profiles-1366-top.png")
    profiles.locator(".profile-comparison").screenshot(
        path=artifacts_dir / "series-profiles-1366-comparison.png"
    )
    profiles.locator(".profile-sectors").screenshot(
        path=artifacts_dir / "series-profiles-1366-sectors.png"
    )
    profiles.locator(".profile-sessions").screenshot(
        path=artifacts_dir / "series-profiles-1366-sessions.png"
    )
    # The chart fits the card: nothing of it spills past the page's width.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width

    phone = phone_context().new_page()
    phone.on("pageerror", lambda error: errors.append(str(error)))
    log_in(phone, live_server)
    phone.goto(series_url)
    mobile = phone.locator("#profiles")
    mobile.locator(".profile-chart").scroll_into_view_if_needed()
    phone.screenshot(path=artifacts_dir / "series-profiles-390-chart.png")
    expect(mobile.locator(".profile-chart .main-svg").first).to_be_visible()
    mobile.locator(".profile-comparison").screenshot(
        path=artifacts_dir / "series-profiles-390-comparison.png"
    )
    # Wide tables scroll in their own box, not the page.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts_dir / "series-profiles-390.png", full_page=True)
    assert errors == []
