"""Points, the benefit-risk grid, the word cloud and statements in real browsers: a phone
(390x844) answers each one through its controls, two more participants answer over
Socket.IO, and the projector (1920x1080) shows each revealed result. Screenshots go to
tests/artifacts/four-*.png.
"""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeSerializer
from playwright.sync_api import Page, expect

from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import SAVED, box_of, log_in
from tests.support.server import flask_cli, start_live_app

SLUG = "points-grid-words-statements"
PLAN = """\
title: Points, grid, word cloud and statements
description: Points, grid, word cloud and statements.
privacy_notice: We keep your answers for research.
sectors: [Health, Housing]
scenarios:
  - key: arrears
    title: Rent arrears and health
    summary: The council shares rent arrears with the GP.
stages:
  - key: welcome
    title: Welcome
    prompt: Welcome to the workshop
    type: info
    body: Hello.
  - key: priorities
    title: What matters most
    prompt: Spread your 10 points over what matters most to you
    type: points
    points: 10
    items:
      - Privacy of the people in the records
      - Speed of getting help to them
      - Fairness between neighbourhoods
  - key: placement
    title: Benefit and risk
    prompt: Where does this scenario sit for you?
    type: grid
    size: 5
    axes:
      x: {label: Benefit, low: Little, high: Great}
      y: {label: Risk, low: Safe, high: Dangerous}
  - key: words
    title: In a few words
    prompt: What word comes to mind about sharing this data?
    type: word_cloud
    max_words: 3
  - key: statements
    title: Where do we stand?
    prompt: Write a statement, then vote on the others
    type: statements
"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The real app with the plan above in its plans folder."""
    plans = tmp_path_factory.mktemp("plans")
    (plans / f"{SLUG}.yaml").write_text(PLAN)
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def screen_key(live_server, code: str) -> str:
    return URLSafeSerializer(live_server.env["SECRET_KEY"], salt="facilitation.screen").dumps(code)


def shot(page: Page, artifacts_dir, name: str, *, full_page: bool = False) -> None:
    page.wait_for_timeout(400)  # let the last redraw settle before the picture
    page.screenshot(path=str(artifacts_dir / f"four-{name}.png"), full_page=full_page)


def assert_nothing_scrolls(page: Page) -> None:
    overflow = page.evaluate(
        "() => [document.documentElement.scrollHeight - innerHeight,"
        " document.documentElement.scrollWidth - innerWidth]"
    )
    assert overflow[0] <= 0 and overflow[1] <= 0, f"the screen overflows by {overflow}"


def assert_no_sideways_scroll(page: Page) -> None:
    extra = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert extra <= 0, f"the phone scrolls sideways by {extra}px"


def ok(ack: dict) -> dict:
    assert ack["ok"], ack
    return ack


def test_a_phone_answers_points_grid_words_statements_and_the_projector_shows_them(
    live_server, phone_context, projector_context, artifacts_dir, sockets
):
    url = live_server.url
    code = flask_cli(live_server.env, "session", "open", SLUG).strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    sockets.append(facilitator)
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}

    # One phone in a browser; two more people over Socket.IO.
    amira = join(url, code, "Health", "Amira")
    context = phone_context()
    context.add_cookies([{"name": c.name, "value": c.value, "url": url} for c in amira.cookies])
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{url}/p/{code}")
    others = [
        LiveSocket(url, join(url, code, sector), code, role="participant")
        for sector in ("Housing", "Health")
    ]
    sockets.extend(others)

    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.goto(f"{url}/s/{code}/screen?key={screen_key(live_server, code)}")
    expect(screen.locator("#connection")).to_have_text("Live")

    def open_stage(key: str) -> None:
        ok(facilitator.emit("goto", {"index": stages[key]}))
        ok(facilitator.emit("open_input"))

    def answer(socket: LiveSocket, stage: str, value: dict) -> None:
        ok(socket.emit("answer", {"stage": stage, "client_id": client_id(), "value": value}))

    saved = phone.locator(".save-status")

    # Points: + and - with points left, Submit; nobody can spend more than 10.
    open_stage("priorities")
    expect(phone.locator(".stage-title")).to_have_text("What matters most")
    expect(phone.locator(".points-left")).to_have_text("10 points left of 10")
    more = phone.get_by_role(
        "button", name="One point more for Privacy of the people in the records"
    )
    for _ in range(6):
        more.click()
    phone.get_by_role("button", name="One point more for Fairness between neighbourhoods").click()
    phone.get_by_role("button", name="One point more for Fairness between neighbourhoods").click()
    expect(phone.locator(".points-left")).to_have_text("2 points left of 10")
    expect(phone.locator(".draft-note")).to_contain_text("Not submitted yet")
    phone.get_by_role("button", name="One point fewer for Fairness between neighbourhoods").click()
    phone.get_by_role("button", name="One point more for Speed of getting help to them").click()
    phone.get_by_role("button", name="One point more for Speed of getting help to them").click()
    phone.get_by_role("button", name="One point more for Speed of getting help to them").click()
    expect(phone.locator(".points-left")).to_have_text("0 points left of 10")
    expect(more).to_be_disabled()  # the budget is spent
    phone.get_by_role("button", name="Submit points").click()
    expect(saved).to_have_text(SAVED)
    expect(phone.get_by_role("button", name="Submit points")).to_be_disabled()
    shot(phone, artifacts_dir, "1-phone-points")
    assert_no_sideways_scroll(phone)
    answer(others[0], "priorities", {"points": {"privacy-of-the-people-in-the-records": 2}})
    answer(others[1], "priorities", {"points": {"fairness-between-neighbourhoods": 5}})

    ok(facilitator.emit("reveal"))
    expect(screen.locator(".chart svg .bars path").first).to_be_attached()
    expect(screen.locator(".results-caption")).to_have_text("Results from 3 people")
    expect(screen.locator("table.visually-hidden tbody tr").first).to_contain_text("8")
    shot(screen, artifacts_dir, "2-projector-points")
    assert_nothing_scrolls(screen)
    expect(phone.locator(".results")).to_contain_text("You: 6")
    phone.locator(".results").scroll_into_view_if_needed()
    shot(phone, artifacts_dir, "3-phone-points-results")

    # The grid: tap a square; the phone shows where; the projector the dots.
    open_stage("placement")
    expect(phone.locator(".stage-title")).to_have_text("Benefit and risk")
    expect(phone.locator(".grid-y-axis .axis-name")).to_have_text("Risk →")
    expect(phone.locator(".grid-x-axis .axis-end")).to_have_text(["Little", "Great"])
    cell = phone.get_by_role("button", name="Benefit 4 of 5, Risk 2 of 5")
    box = box_of(cell)
    assert box["width"] >= 44 and box["height"] >= 44, "grid squares are thumb-sized"
    cell.click()
    expect(cell).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(".grid-place")).to_have_text("Your place: Benefit 4, Risk 2 (of 5).")
    expect(saved).to_have_text(SAVED)
    shot(phone, artifacts_dir, "4-phone-grid")
    assert_no_sideways_scroll(phone)
    answer(others[0], "placement", {"cells": {"scenario": [4, 2]}})
    answer(others[1], "placement", {"cells": {"scenario": [2, 5]}})

    ok(facilitator.emit("reveal"))
    expect(screen.locator(".chart .scatterlayer .point")).to_have_count(3)  # 2 cells + average
    expect(screen.locator(".chart .xtitle")).to_have_text("Benefit →")
    shot(screen, artifacts_dir, "5-projector-grid")
    assert_nothing_scrolls(screen)
    expect(phone.locator(".result-cell.yours-cell")).to_have_text("2")
    phone.locator(".results").scroll_into_view_if_needed()
    shot(phone, artifacts_dir, "6-phone-grid-results")

    # The word cloud: a word count that stops a fourth word, then Send.
    open_stage("words")
    words = phone.get_by_label("Your words")
    words.fill("trust openness fairness delay")
    expect(phone.locator(".word-count")).to_have_text("4 words: use at most 3")
    expect(phone.get_by_role("button", name="Send")).to_be_disabled()
    words.fill("Trust, openness")
    expect(phone.locator(".word-count")).to_have_text("2 of 3 words")
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator(".words-sent")).to_have_text("You sent: Trust, openness")
    expect(saved).to_have_text(SAVED)
    shot(phone, artifacts_dir, "7-phone-words")
    answer(others[0], "words", {"text": "trust the data"})
    answer(others[1], "words", {"text": "TRUST and privacy"})

    ok(facilitator.emit("reveal"))
    cloud = screen.locator(".word-cloud .cloud-word")
    expect(cloud.first).to_contain_text("trust")  # the most used, read first
    expect(cloud).to_have_count(4)
    big, small = (
        cloud.nth(i).evaluate("e => parseFloat(getComputedStyle(e).fontSize)") for i in (0, 3)
    )
    assert big > 2 * small and small >= 24, (big, small)
    shot(screen, artifacts_dir, "8-projector-words")
    assert_nothing_scrolls(screen)
    expect(phone.locator(".phone-cloud .cloud-word.mine")).to_have_count(2)
    phone.locator(".results").scroll_into_view_if_needed()
    shot(phone, artifacts_dir, "9-phone-words-results")

    # Statements: write one, vote agree / pass on others'; the screen ranks them.
    open_stage("statements")
    ids = [
        ok(socket.emit("comment", {"stage": "statements", "client_id": client_id(), "text": text}))[
            "comment_id"
        ]
        for socket, text in (
            (others[0], "People should be told before their records are shared."),
            (others[1], "Sharing arrears data will stop people asking for help."),
        )
    ]
    # One statement at a time: the card offers the oldest of those with the fewest votes.
    card = phone.locator(".next-statement")
    expect(card).to_have_attribute("data-id", str(ids[0]))
    expect(card).to_contain_text("People should be told before their records are shared.")
    shot(phone, artifacts_dir, "10-phone-statements-card")
    assert_no_sideways_scroll(phone)
    phone.get_by_label("Your statement").fill("A GP visit is better than a debt letter.")
    phone.get_by_role("button", name="Submit").click()
    expect(phone.locator(".post-status")).to_contain_text("Submitted ✓")
    # The person's own statement is never offered; a vote moves the card on at once.
    card.get_by_role("button", name="Agree", exact=True).click()
    expect(card).to_have_attribute("data-id", str(ids[1]))
    expect(phone.locator(".vote-status")).to_have_text("Saved ✓ You agreed.")
    card.get_by_role("button", name="Pass").click()
    expect(phone.locator(".vote-status")).to_have_text("Saved ✓ You passed.")
    expect(card).to_be_hidden()
    expect(phone.locator(".next-none")).to_have_text(
        "You have voted on every statement. New ones appear here as people write them."
    )
    expect(phone.locator(".statements-next .statements-progress")).to_have_text(
        "You have voted on 2 of 2 statements by others."
    )
    shot(phone, artifacts_dir, "10-phone-statements-done")
    # All statements: the whole list, with the votes given on the card, to change them.
    phone.get_by_role("button", name="All statements (3)").click()
    mine = phone.locator(".statement.own")
    expect(mine).to_contain_text("Your statement")
    first = phone.locator(f'.statement[data-id="{ids[0]}"]')
    second = phone.locator(f'.statement[data-id="{ids[1]}"]')
    expect(first.get_by_role("button", name="Agree", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(second.get_by_role("button", name="Pass")).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(".statements-all .statements-progress")).to_have_text(
        "You have voted on 2 of 2 statements by others."
    )
    shot(phone, artifacts_dir, "10-phone-statements")
    assert_no_sideways_scroll(phone)
    own_id = int(mine.get_attribute("data-id"))
    for socket, target, reaction in (
        (others[0], own_id, "agree"),
        (others[1], own_id, "agree"),
        (others[1], ids[0], "disagree"),
        (others[0], ids[1], "pass"),
    ):
        ok(
            socket.emit(
                "react", {"comment_id": target, "client_id": client_id(), "reaction": reaction}
            )
        )
    # Before the reveal the projector shows the statements as they come.
    expect(screen.locator(".wall .comment")).to_have_count(3)
    shot(screen, artifacts_dir, "11-projector-statements-live")

    ok(facilitator.emit("reveal"))
    ranked = screen.locator(".statement-ranking .ranked-statement")
    expect(ranked).to_have_count(3)
    expect(ranked.nth(0)).to_contain_text("A GP visit is better than a debt letter.")
    expect(ranked.nth(0)).to_contain_text("100% agree")
    expect(ranked.nth(1)).to_contain_text("50% agree")
    expect(ranked.nth(2)).to_contain_text("0% agree · 0 agree · 2 pass · 0 disagree")
    shot(screen, artifacts_dir, "12-projector-statements-ranked")
    assert_nothing_scrolls(screen)
    results = phone.locator(".results")
    expect(results.locator(".ranked-statement").first).to_contain_text("Your statement")
    expect(results).to_contain_text("You passed")
    results.scroll_into_view_if_needed()
    shot(phone, artifacts_dir, "13-phone-statements-results")
    # The plan does not tell participants their opinion group: the phone asked (the shot
    # above waited for the answer) and says nothing of it.
    expect(results.locator(".own-group, .own-group-why")).to_have_count(0)

    assert errors == []


def test_the_console_previews_points_grid_words_statements(
    live_server, desktop_context, artifacts_dir, sockets
):
    url = live_server.url
    code = flask_cli(live_server.env, "session", "open", SLUG).strip().splitlines()[-1]
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    sockets.append(facilitator)
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
    people = [
        LiveSocket(url, join(url, code, sector), code, role="participant")
        for sector in ("Health", "Housing", "Health")
    ]
    sockets.extend(people)

    page = desktop_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)
    page.goto(f"{url}/facilitator/sessions/{code}")
    expect(page.locator("#connection")).to_have_text("Live")
    preview = page.locator("#preview-body")

    def run(key: str, answers: list[dict]) -> None:
        ok(facilitator.emit("goto", {"index": stages[key]}))
        ok(facilitator.emit("open_input"))
        for person, value in zip(people, answers, strict=False):
            ok(person.emit("answer", {"stage": key, "client_id": client_id(), "value": value}))

    run(
        "placement",
        [{"cells": {"scenario": cell}} for cell in ([4, 2], [4, 2], [1, 5])],
    )
    expect(page.locator("#stage-title")).to_have_text("Benefit and risk")
    expect(preview.locator(".scatterlayer .point")).to_have_count(3)
    page.wait_for_timeout(300)
    preview.screenshot(path=str(artifacts_dir / "four-14-console-grid.png"))

    run("words", [{"text": "trust"}, {"text": "Trust, data"}, {"text": "speed"}])
    expect(preview.locator(".cloud-word").first).to_have_text("trust (2)")
    preview.screenshot(path=str(artifacts_dir / "four-15-console-words.png"))

    run("statements", [])
    statement = ok(
        people[0].emit(
            "comment",
            {"stage": "statements", "client_id": client_id(), "text": "Ask people first."},
        )
    )["comment_id"]
    for person, reaction in zip(people[1:], ("agree", "pass"), strict=True):
        ok(
            person.emit(
                "react", {"comment_id": statement, "client_id": client_id(), "reaction": reaction}
            )
        )
    ranked = preview.locator(".ranked-statement")
    expect(ranked).to_contain_text("50% agree · 1 agree · 1 pass · 0 disagree")
    expect(page.locator("#stage-pane, body").first).to_contain_text("took part")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts_dir / "four-16-console-statements.png"))
    assert errors == []
