"""What the projector's top bar and the connection pills say (1920x1080, and a 390x844
phone): the stage line is whole, not "5 of 15 · Data for …"; the red "Time's up" goes once
the results are revealed; after the session ends no connection pill (phone, projector,
console) says "Live" beside "Session ended".
Screenshots: tests/artifacts/screen-status-*.png."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_screen import join_on_phone, open_session, screen_key, shot
from tests.support.live import FacilitatorSocket, login
from tests.support.pages import log_in

# Input closes by itself at zero (the shortest countdown allowed is 10 s).
TIMER_WAIT_MS = 20_000


def facilitator_for(live_server, code: str) -> FacilitatorSocket:
    http = login(live_server.url, live_server.email, live_server.password)
    return FacilitatorSocket(live_server.url, http, code)


def open_projector(live_server, projector_context, code: str) -> Page:
    screen = projector_context().new_page()
    screen.goto(f"{live_server.url}/s/{code}/screen?key={screen_key(live_server, code)}")
    expect(screen.locator("#connection")).to_have_text("Live")
    return screen


def cut_off(page: Page, selector: str) -> list[str]:
    """The elements matching SELECTOR whose text is clipped (wider or taller than shown)."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(el => el.scrollWidth > el.clientWidth + 1
                          || el.scrollHeight > el.clientHeight + 1)
            .map(el => el.textContent)""",
        selector,
    )


def test_the_stage_line_is_whole_and_times_up_goes_at_the_reveal(
    live_server, projector_context, artifacts_dir, sockets
):
    code = open_session(live_server)
    screen = open_projector(live_server, projector_context, code)
    facilitator = facilitator_for(live_server, code)
    sockets.append(facilitator)
    stages = facilitator.emit("sync")["stages"]
    fifth = stages[4]
    assert facilitator.emit("goto", {"index": 4})["ok"]
    assert facilitator.emit("open_input")["ok"]
    assert facilitator.emit("timer_start", {"seconds": 10, "auto_close": True})["ok"]
    expect(screen.locator(".stage-title")).to_have_text(fifth["title"])

    step = screen.locator(".topbar .stage-step")
    expect(step).to_contain_text(f"5 of {len(stages)}")
    expect(step).to_contain_text("Data for Public Benefit")
    expect(screen.locator(".screen-timer")).to_be_visible()
    shot(screen, artifacts_dir, "status-1-stage-line")
    assert not cut_off(screen, ".topbar .stage-step, .topbar .stage-step *")

    timer = screen.locator(".screen-timer")
    expect(timer).to_have_text("Time's up", timeout=TIMER_WAIT_MS)
    assert facilitator.emit("reveal")["ok"]
    expect(screen.locator(".screen-timer")).to_be_hidden()
    shot(screen, artifacts_dir, "status-2-revealed-without-times-up")
    # Going back to the question hides the results again: time's up shows again.
    assert facilitator.emit("hide_results")["ok"]
    expect(timer).to_have_text("Time's up")


def test_no_pill_says_live_once_the_session_has_ended(
    live_server, projector_context, phone_context, desktop_context, artifacts_dir, sockets
):
    code = open_session(live_server)
    screen = open_projector(live_server, projector_context, code)
    phone = join_on_phone(phone_context(), f"{live_server.url}/j/{code}", "Health")
    expect(phone.locator("#connection")).to_have_text("Live")
    console = desktop_context().new_page()
    log_in(console, live_server)
    console.goto(f"{live_server.url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    facilitator = facilitator_for(live_server, code)
    sockets.append(facilitator)

    assert facilitator.emit("end_session")["ok"]
    expect(phone.get_by_role("heading", name="The workshop has ended.")).to_be_visible()
    ended = screen.get_by_role("heading", name="Thank you — this workshop has ended.")
    expect(ended).to_be_visible()
    expect(console.locator("#session-state")).to_have_text("Session ended")
    for page in (phone, screen, console):
        expect(page.locator("#connection")).to_have_text("Connected")
    shot(screen, artifacts_dir, "status-3-ended")
