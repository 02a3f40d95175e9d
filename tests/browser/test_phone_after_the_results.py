"""What a phone (390x844) stops showing once a stage is over: the red "Time's up" goes once
input is closed and the results are revealed, as on the projector, and the hidden live
announcer forgets "Results are shown" when the person withdraws or the workshop ends.
Screenshot: tests/artifacts/phone-after-reveal-no-times-up.png."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.test_phone import control, open_session, show, watch_errors
from tests.support.live import FacilitatorSocket, login

# The shortest countdown allowed is 10 s.
TIMER_WAIT_MS = 20_000


def joined_phone(live_server, phone_context, code: str) -> Page:
    page = phone_context().new_page()
    page.goto(f"{live_server.url}/j/{code}")
    page.get_by_label("Your sector").select_option("Welfare")
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#connection")).to_have_text("Live")
    return page


def facilitator_for(live_server, code: str) -> FacilitatorSocket:
    http = login(live_server.url, live_server.email, live_server.password)
    return FacilitatorSocket(live_server.url, http, code)


def test_times_up_goes_once_the_results_are_revealed(live_server, phone_context, artifacts_dir):
    code = open_session(live_server)
    page = joined_phone(live_server, phone_context, code)
    errors = watch_errors(page)
    facilitator = facilitator_for(live_server, code)
    try:
        show(facilitator, "purposeful")
        assert facilitator.emit("timer_start", {"seconds": 10})["ok"]
        countdown = page.locator("#phone-controls .countdown")
        expect(countdown.locator(".countdown-words")).to_have_text(
            "Time's up", timeout=TIMER_WAIT_MS
        )
        control(facilitator, "close_input", "reveal")
        expect(page.locator(".results-slot")).to_be_visible()
        expect(countdown).to_be_hidden()
        page.screenshot(path=artifacts_dir / "phone-after-reveal-no-times-up.png")
        # Hiding the results again puts the question back, and with it the time's up.
        control(facilitator, "hide_results")
        expect(countdown.locator(".countdown-words")).to_have_text("Time's up")
    finally:
        facilitator.close()
    assert not errors, errors


def test_withdrawing_clears_the_announcer(live_server, phone_context):
    code = open_session(live_server)
    page = joined_phone(live_server, phone_context, code)
    announcer = page.locator("#announcer")
    facilitator = facilitator_for(live_server, code)
    try:
        show(facilitator, "purposeful")
        control(facilitator, "close_input", "reveal")
        expect(announcer).to_have_text("Results are shown")
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Withdraw from this workshop").click()
        page.locator("#withdraw-dialog").get_by_role("button", name="Withdraw").click()
        expect(page.get_by_role("heading", name="You have withdrawn. Thank you.")).to_be_visible()
        expect(announcer).to_have_text("")
    finally:
        facilitator.close()


def test_the_ended_screen_clears_the_announcer(live_server, phone_context):
    code = open_session(live_server)
    page = joined_phone(live_server, phone_context, code)
    announcer = page.locator("#announcer")
    facilitator = facilitator_for(live_server, code)
    try:
        show(facilitator, "purposeful")
        control(facilitator, "close_input", "reveal")
        expect(announcer).to_have_text("Results are shown")
        control(facilitator, "end_session")
        ended = page.get_by_role(
            "heading", name="The workshop has ended. Thank you for taking part."
        )
        expect(ended).to_be_visible()
        expect(announcer).to_have_text("")
    finally:
        facilitator.close()
