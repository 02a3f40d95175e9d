"""The projector in a real 1920x1080 browser: the join view with its code and QR code,
live answer counts, the revealed chart and the comment wall, all without a reload.

Phones join through the real join page (opened at the address the screen shows); their
answers and comments then go over Socket.IO with the cookie the join page gave them, and
the facilitator's controls over a facilitator socket, so this test depends on no other
page's buttons.
"""

from __future__ import annotations

import re

import requests
from itsdangerous import URLSafeSerializer
from playwright.sync_api import BrowserContext, Page, expect

from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.server import flask_cli

PLAN = "data-for-public-benefit"


def open_session(live_server) -> str:
    """A new session of the built-in plan, opened with the CLI; its code is the last line."""
    output = flask_cli(live_server.env, "session", "open", PLAN)
    code = output.strip().splitlines()[-1].strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), output
    return code


def screen_key(live_server, code: str) -> str:
    # As facilitation/workshop/identity.py signs it, with the server's own secret.
    return URLSafeSerializer(live_server.env["SECRET_KEY"], salt="facilitation.screen").dumps(code)


def join_on_phone(context: BrowserContext, join_url: str, sector: str, name: str = "") -> Page:
    page = context.new_page()
    page.goto(join_url)
    if name:
        page.get_by_label("Display name").fill(name)
    page.get_by_label("Your sector").select_option(sector)
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(r"/p/[A-Z0-9]{6}$"))
    return page


def phone_socket(live_server, context: BrowserContext, code: str) -> LiveSocket:
    """A participant connection holding the cookie the phone's join page set."""
    http = requests.Session()
    for cookie in context.cookies():
        http.cookies.set(cookie["name"], cookie["value"])
    return LiveSocket(live_server.url, http, code, role="participant")


def shot(page: Page, artifacts_dir, name: str) -> None:
    page.wait_for_timeout(300)  # let the last redraw settle before the picture
    page.screenshot(path=str(artifacts_dir / f"screen-{name}.png"))


def assert_nothing_scrolls(page: Page) -> None:
    overflow = page.evaluate(
        "() => [document.documentElement.scrollHeight - innerHeight,"
        " document.documentElement.scrollWidth - innerWidth]"
    )
    assert overflow[0] <= 0 and overflow[1] <= 0, f"the screen overflows by {overflow}"


def test_screen_follows_the_session_live(
    live_server, projector_context, phone_context, artifacts_dir, sockets
):
    code = open_session(live_server)
    screen = projector_context().new_page()
    errors: list[str] = []
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.goto(f"{live_server.url}/s/{code}/screen?key={screen_key(live_server, code)}")
    screen.evaluate("window.stillTheSamePage = true")

    # Join view: the code in large letters, the address, the QR code, the count.
    expect(screen.locator(".join-code")).to_have_text(code)
    expect(screen.locator(".join-address")).to_have_text(re.compile(r"^127\.0\.0\.1:\d+$"))
    expect(screen.locator("#connection")).to_have_text("Live")
    expect(screen.locator(".joined")).to_have_text("Nobody has joined yet")
    join_url = screen.locator("body").get_attribute("data-join-url")
    assert join_url == f"{live_server.url}/j/{code}"
    expect(screen.locator(".join-url")).to_have_text(join_url)
    qr = screen.locator(".join-qr img")
    expect(qr).to_have_attribute("src", f"/s/{code}/qr.svg")
    expect(qr).to_have_js_property("complete", True)
    assert screen.evaluate("img => img.naturalWidth", qr.element_handle()) > 0
    code_size = screen.locator(".join-code").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    # About 10-12vw, whatever the font's letter widths: readable from the back of the room.
    assert code_size >= 190, "the code must be readable from the back of the room"

    # Three phones join through the address on the screen; the count follows.
    phones = [
        join_on_phone(phone_context(), join_url, "Health", "Amira"),
        join_on_phone(phone_context(), join_url, "Housing"),
        join_on_phone(phone_context(), join_url, "Welfare", "Sam"),
    ]
    # Their connections (what the phone page opens) carry the answers below.
    participants = [phone_socket(live_server, page.context, code) for page in phones]
    sockets.extend(participants)
    expect(screen.locator(".joined")).to_have_text("3 joined")
    shot(screen, artifacts_dir, "1-join")
    assert_nothing_scrolls(screen)

    facilitator = FacilitatorSocket(
        live_server.url, login(live_server.url, live_server.email, live_server.password), code
    )
    sockets.append(facilitator)
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}

    # The scenario card, with the corner badge for latecomers.
    assert facilitator.emit("goto", {"index": stages["scenario"]})["ok"]
    expect(screen.locator(".stage-title")).to_have_text("The scenario")
    expect(screen.locator(".scenario-title")).to_be_visible()
    expect(screen.locator(".fact dt")).to_have_text(["Data", "Shared", "Anonymisation"])
    expect(screen.locator(".join-badge")).to_contain_text(code)
    shot(screen, artifacts_dir, "2-scenario")
    assert_nothing_scrolls(screen)
    # First reactions go on a wall beside the scenario, which still fits.
    assert facilitator.emit("open_input")["ok"]
    ack = participants[2].emit(
        "comment",
        {
            "stage": "scenario",
            "client_id": client_id(),
            "text": "Would tenants know this happens? Nobody reads the small print.",
        },
    )
    assert ack["ok"], ack
    expect(screen.locator(".with-wall .wall .comment-author")).to_have_text("— Sam")
    expect(screen.locator(".scenario-title")).to_be_visible()
    shot(screen, artifacts_dir, "2b-scenario-and-wall")
    assert_nothing_scrolls(screen)

    # Purposeful: counting while hidden, without a reload.
    assert facilitator.emit("goto", {"index": stages["purposeful"]})["ok"]
    expect(screen.locator(".stage-title")).to_have_text("Test 1: Purposeful")
    expect(screen.locator(".count")).to_have_text("0 of 3 have answered")
    expect(screen.locator(".input-state")).to_have_text("Answering opens soon")
    assert facilitator.emit("open_input")["ok"]
    expect(screen.locator(".input-state")).to_have_text("Answer on your phone now")

    def answer(phone: LiveSocket, light: str) -> None:
        value = {"lights": {"purposeful": light}}
        ack = phone.emit(
            "answer", {"stage": "purposeful", "client_id": client_id(), "value": value}
        )
        assert ack["ok"], ack

    answer(participants[0], "met")
    expect(screen.locator(".count")).to_have_text("1 of 3 has answered")
    answer(participants[1], "partly")
    expect(screen.locator(".count")).to_have_text("2 of 3 have answered")
    expect(
        screen.locator("text=Results will appear when the facilitator reveals them.")
    ).to_be_visible()
    expect(screen.locator(".chart")).to_have_count(0)
    shot(screen, artifacts_dir, "3-counting")
    assert_nothing_scrolls(screen)

    answer(participants[2], "partly")
    expect(screen.locator(".count")).to_have_text("3 of 3 have answered")

    # Reveal: the chart fills the screen, with the numbers in a table for screen readers.
    assert facilitator.emit("reveal")["ok"]
    expect(screen.locator(".chart .plot-container")).to_be_visible()
    expect(screen.locator(".chart svg .bars path").first).to_be_attached()
    expect(screen.locator(".results-caption")).to_have_text("Results from 3 people")
    table = screen.locator("table.visually-hidden")
    expect(table.locator("thead th")).to_have_text(["Statement", "Met", "Partly met", "Not met"])
    expect(table.locator("tbody td")).to_have_text(["1", "2", "0"])
    expect(screen.locator("#chart[data-moving]")).to_have_count(0)  # the bars have grown
    tick_size = screen.locator(".chart .ytick text").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert tick_size >= 26, "chart labels are enlarged for the projector"
    shot(screen, artifacts_dir, "4-revealed")
    assert_nothing_scrolls(screen)

    # A comment and an agreement reach the wall beside the chart.
    ack = participants[0].emit(
        "comment",
        {
            "stage": "purposeful",
            "client_id": client_id(),
            "text": "Clear purpose, but the tenants are never asked <b>first</b>.",
        },
    )
    assert ack["ok"], ack
    assert participants[1].emit(
        "react", {"comment_id": ack["comment_id"], "client_id": client_id(), "reaction": "agree"}
    )["ok"]
    card = screen.locator(".wall .comment").first
    expect(card.locator(".comment-text")).to_have_text(
        "Clear purpose, but the tenants are never asked <b>first</b>."
    )
    expect(card.locator(".comment-author")).to_have_text("— Amira")
    expect(card.locator(".vote.agree")).to_have_text("1 agree")
    expect(card.locator(".vote.disagree")).to_have_text("0 disagree")
    expect(screen.locator(".chart .plot-container")).to_be_visible()
    shot(screen, artifacts_dir, "5-chart-and-wall")
    # The chart made room for the wall: it was redrawn at its new width.
    widths = screen.locator(".chart").evaluate(
        "e => [e.clientWidth, e.querySelector('.svg-container').clientWidth]"
    )
    assert abs(widths[0] - widths[1]) <= 2, f"chart and its drawing differ: {widths}"
    assert_nothing_scrolls(screen)

    # An open-text stage: the wall is the whole screen, most agreed first.
    assert facilitator.emit("goto", {"index": stages["change"]})["ok"]
    expect(screen.locator(".stage-title")).to_have_text("What would change your answer?")
    expect(screen.locator(".wall-empty")).to_be_visible()
    assert facilitator.emit("open_input")["ok"]
    texts = [
        "Tell tenants before the list is sent, and let them say no.",
        "Only share with the GP if the tenant agrees at the housing office. A letter is not "
        "enough; most people never read them, and arrears letters already frighten people.",
        "A named person who answers for it.",
        "Publish how many people were helped, every year.",
        "Send the GP a flag, not the amount owed.",
        "Delete the list after three months.",
        "Ask a panel of tenants to review it.",
        "Make the debt advice the first offer, not the GP.",
        "Stop it if complaints rise.",
        "Tell people what the GP may write on their record, and let them see it.",
    ]
    ids = []
    for number, text in enumerate(texts):
        phone = participants[number % 3]
        ack = phone.emit("comment", {"stage": "change", "client_id": client_id(), "text": text})
        assert ack["ok"], ack
        ids.append(ack["comment_id"])
    # Comment 4 is the second phone's: the other two agree with it. Comment 6 is the first's.
    for phone in (participants[0], participants[2]):
        ack = phone.emit(
            "react", {"comment_id": ids[4], "client_id": client_id(), "reaction": "agree"}
        )
        assert ack["ok"], ack
    ack = participants[1].emit(
        "react", {"comment_id": ids[6], "client_id": client_id(), "reaction": "disagree"}
    )
    assert ack["ok"], ack
    first = screen.locator(".wall-main .comment").first
    expect(first.locator(".comment-text")).to_have_text(texts[4])
    expect(first.locator(".vote.agree")).to_have_text("2 agree")
    shown = screen.locator(".wall-main .comment").count()
    assert 1 <= shown <= 8
    expect(screen.locator(".wall-heading")).to_contain_text(f"of {len(texts)} comments")
    shot(screen, artifacts_dir, "6-comment-wall")
    assert_nothing_scrolls(screen)
    wall = screen.locator(".wall-main .wall-list").evaluate(
        "e => [e.scrollHeight, e.clientHeight, e.scrollWidth, e.clientWidth]"
    )
    assert wall[0] <= wall[1] + 1 and wall[2] <= wall[3] + 1, f"the comments overflow: {wall}"

    # The end of the session.
    assert facilitator.emit("end_session")["ok"]
    expect(
        screen.get_by_role("heading", name="Thank you — this workshop has ended.")
    ).to_be_visible()
    shot(screen, artifacts_dir, "7-ended")

    assert screen.evaluate("window.stillTheSamePage") is True, "the screen never reloads"
    assert errors == []


def test_screen_draws_rating_and_ranking_charts_large(
    live_server, projector_context, artifacts_dir, sockets
):
    code = open_session(live_server)
    screen = projector_context().new_page()
    screen.goto(f"{live_server.url}/s/{code}/screen?key={screen_key(live_server, code)}")
    expect(screen.locator("#connection")).to_have_text("Live")
    facilitator = FacilitatorSocket(
        live_server.url, login(live_server.url, live_server.email, live_server.password), code
    )
    sockets.append(facilitator)
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
    sectors = ["Health", "Housing", "Welfare", "Social care", "Criminal justice"]
    phones = [
        LiveSocket(live_server.url, join(live_server.url, code, sector), code, role="participant")
        for sector in sectors
    ]
    sockets.extend(phones)

    # The sector question: a count with nothing listed beside it. Everyone answered it
    # already: the sector chosen on the join form is the answer to this stage.
    assert facilitator.emit("goto", {"index": stages["sector"]})["ok"]
    expect(screen.locator(".stage-title")).to_have_text("Your sector")
    expect(screen.locator(".count")).to_have_text("5 of 5 have answered")
    expect(screen.locator(".items")).to_have_count(0)
    shot(screen, artifacts_dir, "12-sector-counting")
    assert_nothing_scrolls(screen)

    # A rating stage with four statements: a stacked 1-5 distribution per statement.
    assert facilitator.emit("goto", {"index": stages["feature-respect"]})["ok"]
    assert facilitator.emit("open_input")["ok"]
    expect(screen.locator(".items li")).to_have_count(4)
    expect(screen.locator(".scale-words")).to_have_text("1 = Not at all … 5 = Fully")
    shot(screen, artifacts_dir, "9-rating-counting")
    assert_nothing_scrolls(screen)
    keys = ["expected", "minimum", "dignity", "voice"]
    for number, phone in enumerate(phones):
        ratings = {key: (number + offset) % 5 + 1 for offset, key in enumerate(keys)}
        value = {"ratings": ratings}
        ack = phone.emit(
            "answer", {"stage": "feature-respect", "client_id": client_id(), "value": value}
        )
        assert ack["ok"], ack
    expect(screen.locator(".count")).to_have_text("5 of 5 have answered")
    assert facilitator.emit("reveal")["ok"]
    expect(screen.locator(".chart .plot-container")).to_be_visible()
    expect(screen.locator("table.visually-hidden tbody tr")).to_have_count(4)
    shot(screen, artifacts_dir, "10-rating-revealed")
    assert_nothing_scrolls(screen)

    # The ranking of the five features: Borda scores.
    assert facilitator.emit("goto", {"index": stages["ranking"]})["ok"]
    assert facilitator.emit("open_input")["ok"]
    order = ["outcomes", "wider-public", "respect", "resources", "tangible"]
    for number, phone in enumerate(phones):
        value = {"order": order[number % 2 :] + order[: number % 2]}
        ack = phone.emit("answer", {"stage": "ranking", "client_id": client_id(), "value": value})
        assert ack["ok"], ack
    assert facilitator.emit("reveal")["ok"]
    expect(screen.locator(".chart .plot-container")).to_be_visible()
    expect(screen.locator("table.visually-hidden thead th")).to_have_text(
        ["Item", "Borda score", "Mean rank"]
    )
    shot(screen, artifacts_dir, "11-ranking-revealed")
    assert_nothing_scrolls(screen)

    # The closing card: plain text, large.
    assert facilitator.emit("goto", {"index": stages["close"]})["ok"]
    expect(screen.locator(".stage-title")).to_have_text("Thank you")
    expect(screen.locator(".card-body p").first).to_have_text(
        "Thank you for your time and your views."
    )
    shot(screen, artifacts_dir, "13-closing-card")
    assert_nothing_scrolls(screen)


def test_screen_link_without_a_key_shows_why(live_server, projector_context, artifacts_dir):
    code = open_session(live_server)
    page = projector_context().new_page()
    response = page.goto(f"{live_server.url}/s/{code}/screen?key=not-the-key")
    assert response.status == 403
    expect(page.get_by_role("heading", name="This projector link is not valid")).to_be_visible()
    expect(page.get_by_text("Open it from the facilitator's console")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "screen-8-refused.png"))


def test_screen_recovers_after_a_server_restart(live_server, projector_context, sockets):
    code = open_session(live_server)
    screen = projector_context().new_page()
    screen.goto(f"{live_server.url}/s/{code}/screen?key={screen_key(live_server, code)}")
    expect(screen.locator("#connection")).to_have_text("Live")
    screen.evaluate("window.stillTheSamePage = true")

    live_server.restart()
    # Socket.IO reconnects by itself; the facilitator moves on meanwhile.
    facilitator = FacilitatorSocket(
        live_server.url, login(live_server.url, live_server.email, live_server.password), code
    )
    sockets.append(facilitator)
    assert facilitator.emit("goto", {"index": 1})["ok"]
    expect(screen.locator("#connection")).to_have_text("Live", timeout=30_000)
    expect(screen.locator(".stage-title")).to_have_text("Your sector", timeout=15_000)
    assert screen.evaluate("window.stillTheSamePage") is True
