"""The facilitator's console in a real browser: log in, open a session from the dashboard,
step to a stage, open input, watch a phone's answer arrive, reveal, moderate, end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.live import LiveSocket, client_id, join
from tests.support.pages import log_in

PLAN_TITLE = "Data for Public Benefit"


def open_session_from_dashboard(page: Page, scenario: str) -> str:
    card = page.locator("article.plan-card", has=page.get_by_role("heading", name=PLAN_TITLE))
    card.locator("form.open-form").get_by_label("Scenario").select_option(label=scenario)
    card.get_by_role("button", name="Open session").click()
    expect(page).to_have_url(re.compile(r"/facilitator/sessions/[A-Z0-9]{6}$"))
    return page.url.rsplit("/", 1)[1]


@pytest.fixture
def phone_socket():
    sockets: list[LiveSocket] = []

    def make(url: str, code: str, sector: str, name: str = "") -> LiveSocket:
        socket = LiveSocket(url, join(url, code, sector, name), code, role="participant")
        sockets.append(socket)
        return socket

    yield make
    for socket in sockets:
        socket.close()


def test_console_runs_a_stage_from_open_to_end(
    live_server, desktop_context, artifacts_dir, phone_socket
):
    page = desktop_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)

    code = open_session_from_dashboard(page, "Predicting who will need social care")
    expect(page.locator("#join-code")).to_have_text(code)
    expect(page.locator("#connection")).to_have_text("Live")
    expect(page.locator("#stage-title")).to_have_text("Welcome")
    projector = page.get_by_role("link", name="Open projector")
    expect(projector).to_have_attribute("href", re.compile(rf"/s/{code}/screen\?key="))
    expect(projector).to_have_attribute("target", "_blank")
    expect(page.get_by_role("link", name="CSV")).to_have_attribute(
        "href", f"/facilitator/sessions/{code}/transcript.csv"
    )

    # The scenario stage shows the scenario chosen on the dashboard.
    page.locator("#stage-list").get_by_role("button", name=re.compile("The scenario")).click()
    expect(page.locator("#stage-title")).to_have_text("The scenario")
    card = page.locator(".scenario-card")
    expect(card.locator("h3")).to_have_text("Predicting who will need social care")
    expect(card.locator("dl")).to_contain_text("Anonymisation")
    page.screenshot(path=artifacts_dir / "console-scenario.png")

    # Step to the Purposeful test with Next, then open input.
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#stage-title")).to_have_text("Test 1: Purposeful")
    stage_button = page.locator("#stage-list button[aria-current='step']")
    expect(stage_button).to_contain_text("Test 1: Purposeful")
    expect(page.locator("#input-state")).to_have_text("Input closed")
    page.get_by_role("button", name="Open input").click()
    expect(page.locator("#input-state")).to_have_text("Input open")
    expect(page.get_by_role("button", name="Close input")).to_be_enabled()
    expect(page.locator("#results-state")).to_have_text("Results hidden from the room")

    phone = phone_socket(live_server.url, code, "Housing", "Priya")
    expect(page.locator("#counts")).to_have_text("1 connected · 1 joined · 0 answered")
    page.screenshot(path=artifacts_dir / "console-before-answers.png")

    ack = phone.emit(
        "answer",
        {
            "stage": "purposeful",
            "client_id": client_id(),
            "value": {"lights": {"purposeful": "partly"}},
        },
    )
    assert ack["ok"], ack
    ack = phone.emit(
        "comment",
        {
            "stage": "purposeful",
            "client_id": client_id(),
            "text": "Who decides <b>what</b> counts?",
        },
    )
    assert ack["ok"], ack

    expect(page.locator("#counts")).to_have_text("1 connected · 1 joined · 1 answered")
    expect(page.locator("#preview-label")).to_have_text(
        "Preview: only you see this until you reveal"
    )
    expect(page.locator("#preview-body .chart .main-svg").first).to_be_visible()
    expect(page.locator("#preview-body table")).to_contain_text("Partly met")
    comment = page.locator("#comments li.comment")
    expect(comment).to_have_count(1)
    # Participant text is shown as text, never as markup.
    expect(comment.locator(".comment-text")).to_have_text("Who decides <b>what</b> counts?")
    expect(comment).to_contain_text("Priya")
    page.screenshot(path=artifacts_dir / "console-after-answers.png")

    page.get_by_role("button", name="Reveal results").click()
    expect(page.locator("#results-state")).to_have_text("Results shown to the room")
    expect(page.locator("#preview-label")).to_have_text("Shown on the projector and phones")
    phone.wait_for("state", lambda m: m["revealed"])

    comment.get_by_role("button", name=re.compile("^Hide")).click()
    expect(comment).to_have_class(re.compile("is-hidden"))
    expect(comment).to_contain_text("Hidden from the room")
    expect(comment.get_by_role("button", name=re.compile("^Restore"))).to_be_enabled()
    page.screenshot(path=artifacts_dir / "console-revealed-hidden-comment.png")

    page.get_by_role("button", name="End session").click()
    dialog = page.get_by_role("dialog", name="End this session?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="End session").click()
    expect(page.locator("#ended-banner")).to_be_visible()
    expect(page.locator("#ended-banner")).to_contain_text("This session has ended")
    expect(page.get_by_role("button", name="Previous")).to_be_disabled()
    expect(page.locator("#toggle-input")).to_be_disabled()
    expect(page.get_by_role("button", name="Session ended")).to_be_disabled()
    page.screenshot(path=artifacts_dir / "console-ended.png")

    # The dashboard lists the session as ended, with its participant.
    page.goto(f"{live_server.url}/facilitator/")
    row = page.locator("tr", has=page.locator(".code", has_text=code))
    expect(row).to_contain_text("Ended")
    expect(row.locator("td.number")).to_have_text("1")
    page.screenshot(path=artifacts_dir / "dashboard.png", full_page=True)
    assert errors == []


def test_two_consoles_stay_in_step_and_a_refusal_is_shown(live_server, desktop_context):
    page = desktop_context().new_page()
    log_in(page, live_server)
    code = open_session_from_dashboard(page, "Rent arrears shared with GPs")
    expect(page.locator("#connection")).to_have_text("Live")

    other = desktop_context().new_page()
    log_in(other, live_server)
    other.goto(f"{live_server.url}/facilitator/sessions/{code}")
    expect(other.locator("#connection")).to_have_text("Live")

    # Each tab follows the other's controls through the state broadcast.
    other.get_by_role("button", name="Next").click()
    expect(page.locator("#stage-title")).to_have_text("Your sector")
    page.get_by_role("button", name="Next").click()
    expect(other.locator("#stage-title")).to_have_text("The scenario")
    other.get_by_label("Scenario shown to the room").select_option(
        label="Predicting who will need social care"
    )
    expect(page.locator(".scenario-card h3")).to_have_text("Predicting who will need social care")
    expect(page.locator("#scenario-setting")).to_have_value("care-prediction")

    # A control the server refuses says why, and the page keeps showing what the room sees.
    page.evaluate(
        """() => {
            const select = document.getElementById("scenario-setting");
            select.append(new Option("Not in the plan", "made-up"));
            select.value = "made-up";
            select.dispatchEvent(new Event("change"));
        }"""
    )
    expect(page.get_by_role("alert")).to_have_text("That scenario is not in the plan.")
    expect(page.locator("#scenario-setting")).to_have_value("care-prediction")
    expect(page.locator(".scenario-card h3")).to_have_text("Predicting who will need social care")

    # The next control that works clears the message.
    page.get_by_role("button", name="Next").click()
    expect(other.locator("#stage-title")).to_have_text("Test 1: Purposeful")
    expect(page.get_by_role("alert")).to_have_text("")
