"""Facilitator controls in real browsers: a 10-second countdown that closes input by
itself, seen on a phone and the projector; a highlighted comment pinned on the projector;
the projector switched to the comment wall; pausing and resuming the workshop; and a
second projector pinned to one stage."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from facilitation.plans import load_plan
from tests.conftest import BUILTIN_PLAN
from tests.support.live import LiveSocket, client_id, join
from tests.support.pages import join_by_code, log_in, projector_url

AUTO_CLOSE_WAIT_MS = 30_000  # the countdown is 10 s; generous for a slow machine


def open_session(page: Page) -> str:
    card = page.locator(
        "article.plan-card", has=page.get_by_role("heading", name="Data for Public Benefit")
    )
    card.get_by_role("button", name="Open session").click()
    expect(page).to_have_url(re.compile(r"/facilitator/sessions/[A-Z0-9]{6}$"))
    return page.url.rsplit("/", 1)[1]


def test_timer_highlight_screen_mode_and_pause(
    live_server, desktop_context, phone_context, projector_context, artifacts_dir, sockets
):
    errors: list[str] = []
    console = desktop_context().new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    code = open_session(console)
    expect(console.locator("#connection")).to_have_text("Live")
    screen_url = projector_url(console)

    projector = projector_context().new_page()
    projector.on("pageerror", lambda error: errors.append(f"projector: {error}"))
    projector.goto(screen_url)
    expect(projector.locator("#connection")).to_have_text("Live")

    phone = phone_context().new_page()
    phone.on("pageerror", lambda error: errors.append(f"phone: {error}"))
    join_by_code(phone, live_server.url, code, "Health", "Sam")

    # The Purposeful test, open for input; two people comment.
    console.locator("#stage-list").get_by_role("button", name=re.compile("Purposeful")).click()
    expect(console.locator("#stage-title")).to_have_text("Test 1: Purposeful")
    console.get_by_role("button", name="Open input").click()
    expect(console.locator("#input-state")).to_have_text("Input open")
    for sector, name, text in [
        ("Housing", "Priya", "Tenants should be asked before their data is used."),
        ("Welfare", "Tom", "Publish the purpose in plain words on the council website."),
    ]:
        other = LiveSocket(
            live_server.url, join(live_server.url, code, sector, name), code, role="participant"
        )
        sockets.append(other)
        ack = other.emit("comment", {"stage": "purposeful", "client_id": client_id(), "text": text})
        assert ack["ok"], ack

    # Highlight the second comment: pinned first on the projector, marked.
    comment = console.locator("#comments li", has_text="Publish the purpose")
    comment.get_by_role("button", name=re.compile("^Highlight")).click()
    expect(comment.get_by_role("button", name=re.compile("^Unhighlight"))).to_be_visible()
    first_on_wall = projector.locator(".wall-list > .comment").first
    expect(first_on_wall).to_contain_text("Publish the purpose")
    expect(first_on_wall.locator(".highlight-mark")).to_have_text("★ Highlighted")
    expect(phone.locator(".comment.highlighted .highlight-mark")).to_be_visible()

    # A 10-second countdown that closes input at zero (the timer is folded until used).
    console.get_by_text("Timer", exact=True).click()
    console.locator("#timer-minutes").fill("0")
    console.locator("#timer-seconds").fill("10")
    console.get_by_label("Close input at zero").check()
    console.get_by_role("button", name="Start timer").click()
    expect(console.locator("#timer-display")).to_have_text(re.compile(r"^0:(0\d|10)$"))
    expect(console.locator("#timer-state")).to_have_text("Running · input closes at zero")
    expect(phone.locator(".countdown-time")).to_have_text(re.compile(r"^0:(0\d|10)$"))
    expect(projector.locator(".screen-timer-time")).to_have_text(re.compile(r"^0:(0\d|10)$"))
    console.screenshot(path=artifacts_dir / "controls-1-console-timer.png")
    phone.screenshot(path=artifacts_dir / "controls-2-phone-countdown.png")
    projector.screenshot(path=artifacts_dir / "controls-3-projector-countdown-highlight.png")

    # At zero the server closes input by itself; everyone sees that time is up.
    expect(console.locator("#input-state")).to_have_text("Input closed", timeout=AUTO_CLOSE_WAIT_MS)
    expect(console.locator("#timer-state")).to_have_text("Time's up")
    expect(phone.locator(".countdown-words")).to_have_text("Time's up")
    expect(projector.locator(".screen-timer-time")).to_have_text("Time's up")
    expect(phone.locator(".closed-note")).to_contain_text("Input is closed")
    phone.screenshot(path=artifacts_dir / "controls-4-phone-times-up.png")
    projector.screenshot(path=artifacts_dir / "controls-5-projector-times-up.png")

    # The projector switches to the comment wall.
    console.locator(".mode-switch").get_by_role("button", name="Wall").click()
    expect(console.locator(".mode-switch button[data-mode='wall']")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(projector.locator(".wall.wall-main")).to_be_visible()
    expect(projector.locator(".wall-main .comment").first).to_contain_text("Publish the purpose")
    projector.screenshot(path=artifacts_dir / "controls-6-projector-wall.png")

    # A second projector pinned to the Purposeful stage keeps it while the room moves on.
    links = console.locator("#projector-links a")
    pinned_url = console.locator("#projector-links a[data-stage='purposeful']").get_attribute(
        "href"
    )
    # One link per stage of the built-in plan, and the one that follows the console.
    assert links.count() == len(load_plan(BUILTIN_PLAN).stages) + 1
    assert "stage=purposeful" in pinned_url
    pinned = projector_context().new_page()
    pinned.on("pageerror", lambda error: errors.append(f"pinned: {error}"))
    pinned.goto(pinned_url)
    expect(pinned.locator(".stage-title")).to_have_text("Test 1: Purposeful")
    console.get_by_role("button", name="Next").click()
    expect(console.locator("#stage-title")).to_have_text("Test 2: Proportionate")
    expect(projector.locator(".stage-title")).to_have_text("Test 2: Proportionate")
    expect(pinned.locator(".stage-title")).to_have_text("Test 1: Purposeful")
    expect(pinned.locator(".wall-list > .comment").first).to_contain_text("Publish the purpose")
    pinned.screenshot(path=artifacts_dir / "controls-7-pinned-projector.png")

    # Pause: phones and projectors say so; input is refused; resume carries on.
    console.locator("#lifecycle-button").click()
    expect(console.locator("#session-state")).to_have_text("Paused")
    expect(phone.locator(".paused-notice")).to_be_visible()
    expect(phone.locator(".paused-notice")).to_contain_text("paused the workshop")
    expect(projector.locator(".paused-banner")).to_contain_text("Paused")
    console.screenshot(path=artifacts_dir / "controls-8-console-paused.png")
    phone.screenshot(path=artifacts_dir / "controls-9-phone-paused.png")
    projector.screenshot(path=artifacts_dir / "controls-10-projector-paused.png")
    refused = sockets[0].emit(
        "comment", {"stage": "proportionate", "client_id": client_id(), "text": "Still here"}
    )
    assert refused == {"ok": False, "error": "The facilitator has paused the workshop."}

    console.get_by_role("button", name="Resume").click()
    expect(console.locator("#session-state")).to_have_text("Session open")
    expect(phone.locator(".paused-notice")).to_be_hidden()
    expect(projector.locator(".paused-banner")).to_have_count(0)
    assert errors == []


def test_a_draft_session_starts_from_the_console(
    live_server, desktop_context, phone_context, artifacts_dir
):
    console = desktop_context().new_page()
    log_in(console, live_server)
    card = console.locator(
        "article.plan-card", has=console.get_by_role("heading", name="Data for Public Benefit")
    )
    card.get_by_role("button", name="Prepare as draft").click()
    expect(console).to_have_url(re.compile(r"/facilitator/sessions/[A-Z0-9]{6}$"))
    code = console.url.rsplit("/", 1)[1]
    expect(console.locator("#session-state")).to_have_text("Draft: not started")
    expect(console.locator("#lifecycle")).to_contain_text("Phones cannot join yet.")
    console.screenshot(path=artifacts_dir / "controls-11-console-draft.png")

    phone = phone_context().new_page()
    phone.goto(f"{live_server.url}/j/{code}")
    expect(phone.get_by_role("heading", name="This workshop has not started yet")).to_be_visible()
    phone.screenshot(path=artifacts_dir / "controls-12-phone-not-started.png")

    console.get_by_role("button", name="Start session").click()
    expect(console.locator("#session-state")).to_have_text("Session open")
    phone.get_by_role("link", name="Check again").click()
    expect(phone.get_by_label("Your sector")).to_be_visible()
