"""Breakdowns of the newer activities in real browsers, and a phone that keeps up with the
facilitator without reconnecting:

- a word cloud by sector and by table: one smaller cloud per group on the projector
  (1920x1080) and in the console preview, each titled with its group and people;
- statements by sector: the ranking with each statement's badge and votes per sector
  (a lone sector's vote folded into "Other groups"); the console's comment panel counts
  passes on statements;
- a ranking by sector as large as the other breakdown charts;
- a phone moved to another table by the facilitator shows it in its menu at once, and
  while the workshop is paused shows only the paused notice.

Screenshots: tests/artifacts/views-*.png.
"""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeSerializer
from playwright.sync_api import Page, expect

from facilitation.plans import parse_plan
from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import box_of, log_in
from tests.support.server import flask_cli, start_live_app

PLAN = """\
title: Breakdown views
description: Word clouds, statements and rankings by sector and by table.
privacy_notice: We keep your sector, table and answers.
sectors: [Health, Housing, Welfare]
tables: [Table 1, Table 2]
# Two people per sector: every group shows on its own (only a lone vote is folded away).
min_group_size: 2
stages:
  - {key: welcome, title: Welcome, prompt: Welcome to the workshop, type: info, body: Hello.}
  - key: words
    title: In a few words
    prompt: What word comes to mind about sharing this data?
    type: word_cloud
    max_words: 3
  - key: statements
    title: Where do we stand?
    prompt: Write a statement, then vote on the others
    type: statements
  - key: feature
    title: Better outcomes for people
    prompt: Does the sharing lead to better services for the people it is about?
    type: rating
    items:
      - It helps staff give people a better service.
      - There is a clear way it improves the wellbeing of the people whose data is shared.
  - key: ranking
    title: What matters most here?
    prompt: For this scenario, rank the five features from most to least important.
    type: ranking
    comments: true
    items:
      - Better outcomes for the people served
      - Benefits for the wider public
      - Respect for the individual
      - Good use of public resources
      - Benefits people can see and value
  - key: pick
    title: Who should decide?
    prompt: Who should decide whether this data is shared?
    type: choice
    items: [The council, The GP practice, The people in the records, An independent panel]
  - key: priorities
    title: Spread your points
    prompt: Spread your 10 points over what matters most to you
    type: points
    points: 10
    items:
      - Privacy of the people in the records
      - Speed of getting help to them
      - Fairness between neighbourhoods
"""

# (sector, table) of the six people who answer over Socket.IO. Whole sectors sit at one
# table, so every sector x table cell is 0 or 2: crossed with the other breakdown, no
# group gives fewer than min_group_size people away and every group shows
# (facilitation/workshop/small_groups.py, fold_crossed).
ROOM = [
    ("Health", "Table 1"),
    ("Health", "Table 1"),
    ("Housing", "Table 1"),
    ("Housing", "Table 1"),
    ("Welfare", "Table 2"),
    ("Welfare", "Table 2"),
]
WORDS = [
    "trust privacy",
    "trust speed",
    "rent arrears",
    "trust fairness",
    "consent dignity",
    "consent trust",
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The real app with the plan above in its plans folder."""
    plans = tmp_path_factory.mktemp("plans")
    (plans / "breakdown-views.yaml").write_text(PLAN)
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def ok(ack: dict) -> dict:
    assert ack["ok"], ack
    return ack


def screen_url(live_server, code: str) -> str:
    key = URLSafeSerializer(live_server.env["SECRET_KEY"], salt="facilitation.screen").dumps(code)
    return f"{live_server.url}/s/{code}/screen?key={key}"


def shot(page: Page, artifacts_dir, name: str) -> None:
    page.wait_for_timeout(400)  # let the last redraw settle before the picture
    page.screenshot(path=str(artifacts_dir / f"views-{name}.png"))


def assert_nothing_scrolls(page: Page) -> None:
    overflow = page.evaluate(
        "() => [document.documentElement.scrollHeight - innerHeight,"
        " document.documentElement.scrollWidth - innerWidth]"
    )
    assert overflow[0] <= 0 and overflow[1] <= 0, f"the screen overflows by {overflow}"


def font_px(locator) -> float:
    # A push redraws the projector; an element caught as it is replaced has no style yet.
    for _ in range(50):
        size = locator.evaluate(
            "e => e.isConnected ? parseFloat(getComputedStyle(e).fontSize) : NaN"
        )
        if size == size:
            return size
        locator.page.wait_for_timeout(100)
    return size


def svg_font_px(page: Page, selector: str) -> float:
    """The font size of the first SVG text matching SELECTOR in the chart (Plotly sets it
    inline)."""
    return page.locator(selector).first.evaluate("e => parseFloat(e.style.fontSize)")


def open_session(live_server) -> str:
    out = flask_cli(live_server.env, "session", "open", "breakdown-views")
    return out.strip().splitlines()[-1]


def test_word_clouds_statements_and_rankings_by_group(
    live_server, desktop_context, projector_context, artifacts_dir, sockets
):
    url = live_server.url
    code = open_session(live_server)
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    sockets.append(facilitator)
    if facilitator.emit("sync")["state"]["status"] == "draft":
        ok(facilitator.emit("start_session"))
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
    people = [
        LiveSocket(url, join(url, code, sector, "", table), code, role="participant")
        for sector, table in ROOM
    ]
    sockets.extend(people)
    errors: list[str] = []

    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(f"screen: {error}"))
    screen.goto(screen_url(live_server, code))
    expect(screen.locator("#connection")).to_have_text("Live")

    console = desktop_context(viewport={"width": 1440, "height": 900}).new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    console.goto(f"{url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    preview = console.locator("#preview-body")

    def open_stage(key: str) -> None:
        ok(facilitator.emit("goto", {"index": stages[key]}))
        ok(facilitator.emit("open_input"))

    def answer(person: LiveSocket, stage: str, value: dict) -> None:
        ok(person.emit("answer", {"stage": stage, "client_id": client_id(), "value": value}))

    # A word cloud, by sector: one cloud per sector, titled with its people.
    open_stage("words")
    for person, text in zip(people, WORDS, strict=True):
        answer(person, "words", {"text": text})
    ok(facilitator.emit("reveal"))
    expect(screen.locator(".word-cloud .cloud-word").first).to_contain_text("trust")
    ok(facilitator.emit("set_breakdown", {"breakdown": "sector"}))
    clouds = screen.locator(".group-cloud")
    expect(clouds).to_have_count(3)
    expect(screen.locator(".group-cloud-title")).to_have_text(
        ["Health · 2 people", "Housing · 2 people", "Welfare · 2 people"]
    )
    expect(screen.locator(".results-caption")).to_have_text(
        "By sector · results from 6 people in 3 sectors"
    )
    expect(clouds.nth(0).locator(".cloud-word").first).to_contain_text("trust")
    expect(clouds.nth(2).locator(".cloud-word").first).to_contain_text("consent")
    expect(clouds.nth(1).locator(".cloud-word")).to_have_count(4)  # rent arrears trust fairness
    expect(console.locator(".fold-note")).to_have_count(0)  # every sector shows: nothing to say
    # Side by side, each readable from the back of the room.
    boxes = [box_of(clouds.nth(i)) for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"], boxes
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"], boxes
    assert font_px(screen.locator(".group-cloud-title").first) >= 40
    smallest = min(font_px(word) for word in screen.locator(".group-cloud .cloud-word").all())
    assert smallest >= 30, smallest
    assert_nothing_scrolls(screen)
    # The numbers per group, for screen readers.
    expect(screen.locator(".breakdown-tables caption")).to_have_text(
        ["Health: 2 people", "Housing: 2 people", "Welfare: 2 people"]
    )
    shot(screen, artifacts_dir, "1-projector-words-by-sector")

    # The console preview shows the same, smaller.
    expect(preview.locator(".group-cloud")).to_have_count(3)
    expect(preview.locator(".group-cloud-title").first).to_have_text("Health · 2 people")
    expect(preview.locator(".group-clouds-caption")).to_have_text(
        "By sector · 6 people in 3 sectors"
    )
    console.wait_for_timeout(300)
    console.locator("#preview").screenshot(path=str(artifacts_dir / "views-2-console-words.png"))

    # By table: two clouds.
    ok(facilitator.emit("set_breakdown", {"breakdown": "table"}))
    expect(screen.locator(".group-cloud-title")).to_have_text(
        ["Table 1 · 4 people", "Table 2 · 2 people"]
    )
    expect(preview.locator(".group-cloud")).to_have_count(2)
    expect(console.locator(".fold-note")).to_have_count(0)
    assert_nothing_scrolls(screen)
    shot(screen, artifacts_dir, "3-projector-words-by-table")

    # Back to the room: one cloud again.
    ok(facilitator.emit("set_breakdown", {"breakdown": "room"}))
    expect(screen.locator(".group-cloud")).to_have_count(0)
    expect(screen.locator(".cloud-area .word-cloud")).to_have_count(1)

    # Statements by sector: badges and votes per sector on the ranked statements.
    open_stage("statements")
    texts = [
        "People should be told before their records are shared.",
        "Sharing arrears data will stop people asking for help.",
        "A GP visit is better than a debt letter.",
    ]
    ids = [
        ok(person.emit("comment", {"stage": "statements", "client_id": client_id(), "text": t}))[
            "comment_id"
        ]
        for person, t in zip(people[:3], texts, strict=True)
    ]
    # Two voters per sector (min_group_size 2), except the lone Health pass on the second
    # statement (its author is the other Health person): it is folded with Welfare.
    votes = [  # (voter index, statement index, reaction)
        (2, 0, "agree"),  # Housing
        (3, 0, "agree"),  # Housing
        (4, 0, "agree"),  # Welfare
        (5, 0, "agree"),  # Welfare
        (0, 1, "pass"),  # Health
        (2, 1, "agree"),  # Housing
        (3, 1, "agree"),  # Housing
        (4, 1, "disagree"),  # Welfare
        (5, 1, "disagree"),  # Welfare
        (1, 2, "pass"),  # Health
    ]
    for voter, statement, reaction in votes:
        ok(
            people[voter].emit(
                "react",
                {"comment_id": ids[statement], "client_id": client_id(), "reaction": reaction},
            )
        )
    # The console's comment panel counts passes on statements.
    first = console.locator(f'#comments .comment[data-comment-id="{ids[0]}"] .reactions')
    expect(first).to_have_text("4 agree · 0 pass · 0 disagree")
    expect(
        console.locator(f'#comments .comment[data-comment-id="{ids[2]}"] .reactions')
    ).to_have_text("0 agree · 1 pass · 0 disagree")
    console.locator(".comments-pane").screenshot(
        path=str(artifacts_dir / "views-4-console-statement-passes.png")
    )

    ok(facilitator.emit("set_breakdown", {"breakdown": "sector"}))
    ok(facilitator.emit("reveal"))
    ranked = screen.locator(".consensus-statements .ranked-statement")
    expect(ranked.first).to_be_visible()
    screen.wait_for_timeout(300)  # the fit has settled
    # As many as fit without cutting one off (two at this size), and the caption says so.
    shown = ranked.count()
    assert shown >= 2
    expect(ranked.locator(".statement-text")).to_have_text(texts[:shown])
    if shown < 3:
        expect(screen.locator(".consensus-statements .results-caption")).to_contain_text(
            f"{shown} of 3 shown"
        )
    expect(ranked.nth(0).locator(".consensus-badge")).to_have_text("Agreed across 2 sectors")
    expect(ranked.nth(0).locator(".consensus-sectors")).to_have_text("Housing 2–0 · Welfare 2–0")
    expect(ranked.nth(1).locator(".consensus-badge")).to_have_text("Splits sectors")
    # Health's one pass never shows as Health's: it counts with Welfare as Other groups.
    expect(ranked.nth(1).locator(".consensus-sectors")).to_have_text(
        "Housing 2–0 · Other groups 0–2, 1 pass"
    )
    assert font_px(ranked.nth(1).locator(".consensus-sectors")) >= 28  # read from the back
    expect(ranked.nth(2).locator(".consensus-badge")).to_have_count(0)
    expect(ranked.nth(1)).to_contain_text("2 agree · 1 pass · 2 disagree")
    expect(screen.locator(".results-caption")).to_contain_text(
        "Where sectors agree · 1 agreed across sectors · 1 splits them"
    )
    assert_nothing_scrolls(screen)
    shot(screen, artifacts_dir, "5-projector-statements-by-sector")
    # By table there is no consensus: the plain ranking, most agreed first.
    ok(facilitator.emit("set_breakdown", {"breakdown": "table"}))
    expect(screen.locator(".consensus-statements")).to_have_count(0)
    expect(screen.locator(".statement-ranking .ranked-statement").first).to_have_text(
        re.compile(re.escape(texts[0]))
    )

    # A rating by sector, then a ranking by sector: its type as large as the rating's.
    ok(facilitator.emit("set_breakdown", {"breakdown": "sector"}))
    open_stage("feature")
    plan = parse_plan(PLAN, "breakdown-views")
    rated = plan.stage("feature").activity.items[0].key
    for index, person in enumerate(people):
        answer(person, "feature", {"ratings": {rated: 1 + index % 5}})
    ok(facilitator.emit("reveal"))
    expect(screen.locator(".chart .ytick").first).to_be_attached()
    screen.wait_for_timeout(400)
    rating_px = svg_font_px(screen, ".chart .ytick text")
    shot(screen, artifacts_dir, "6-projector-rating-by-sector")

    open_stage("ranking")
    items = [item.key for item in plan.stage("ranking").activity.items]
    for index, person in enumerate(people):
        order = items[index % 2 :] + items[: index % 2]
        answer(person, "ranking", {"order": order})
    ok(facilitator.emit("reveal"))
    expect(screen.locator(".results-caption")).to_have_text(
        "By sector · results from 6 people in 3 sectors"
    )
    expect(screen.locator(".chart")).to_contain_text("Welfare")
    shot(screen, artifacts_dir, "7-projector-ranking-by-sector")
    ranking_px = svg_font_px(screen, ".chart .ytick text")
    assert ranking_px >= 0.9 * rating_px and ranking_px >= 30, (ranking_px, rating_px)
    # Every item's label is there, however it is wrapped.
    labels = " ".join(screen.locator(".chart .ytick text").all_text_contents())
    assert "Benefits people can see" in labels and "and value" in labels, labels
    assert_nothing_scrolls(screen)

    # The other small multiples keep large type too: a choice and points, by table.
    ok(facilitator.emit("set_breakdown", {"breakdown": "table"}))
    open_stage("pick")
    options = [item.key for item in plan.stage("pick").activity.items]
    for index, person in enumerate(people):
        answer(person, "pick", {"choices": [options[index % 3]]})
    ok(facilitator.emit("reveal"))
    expect(screen.locator(".results-caption")).to_have_text(
        "By table · results from 6 people in 2 tables"
    )
    expect(screen.locator(".chart")).to_contain_text("Table 2")
    shot(screen, artifacts_dir, "8-projector-choice-by-table")
    assert svg_font_px(screen, ".chart .ytick text") >= 32
    assert_nothing_scrolls(screen)

    open_stage("priorities")
    spread = [item.key for item in plan.stage("priorities").activity.items]
    for index, person in enumerate(people):
        answer(person, "priorities", {"points": {spread[index % 3]: 6, spread[(index + 1) % 3]: 4}})
    ok(facilitator.emit("reveal"))
    expect(screen.locator(".chart")).to_contain_text("Table 1")
    shot(screen, artifacts_dir, "9-projector-points-by-table")
    assert svg_font_px(screen, ".chart .ytick text") >= 30
    assert_nothing_scrolls(screen)
    assert errors == []


def test_a_phone_hears_its_new_table_and_shows_only_the_pause_notice(
    live_server, phone_context, artifacts_dir, sockets
):
    url = live_server.url
    code = open_session(live_server)
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    sockets.append(facilitator)
    if facilitator.emit("sync")["state"]["status"] == "draft":
        ok(facilitator.emit("start_session"))
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}

    amira = join(url, code, "Health", "Amira")  # "I don't know yet" at the join form
    context = phone_context()
    context.add_cookies([{"name": c.name, "value": c.value, "url": url} for c in amira.cookies])
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{url}/p/{code}")
    expect(phone.locator("#connection")).to_have_text("Live")
    expect(phone.locator("#who-sector")).to_have_text("Health")
    phone.evaluate("() => { window.sameVisit = true; }")  # gone if the page reloads

    pseudonym = facilitator.emit("sync")["people"]["people"][0]["pseudonym"]
    ok(facilitator.emit("move_participant", {"pseudonym": pseudonym, "table": "Table 2"}))
    phone.get_by_role("button", name="Menu").click()
    expect(phone.locator("#who-sector")).to_have_text("Health · Table 2")
    expect(phone.locator("#who-name")).to_have_text("Amira")
    shot(phone, artifacts_dir, "10-phone-moved")
    phone.get_by_role("button", name="Menu").click()

    # The facilitator renames the tables: Table 2 is gone, and so is it on the phone.
    ok(facilitator.emit("set_tables", {"tables": ["Table 1", "Window"]}))
    expect(phone.locator("#who-sector")).to_have_text("Health")
    ok(facilitator.emit("move_participant", {"pseudonym": pseudonym, "table": "Window"}))
    expect(phone.locator("#who-sector")).to_have_text("Health · Window")
    assert phone.evaluate("() => window.sameVisit === true"), "the phone reloaded"

    # Paused on a stage whose input is closed: only the paused notice.
    ok(facilitator.emit("goto", {"index": stages["words"]}))
    expect(phone.locator(".stage-title")).to_have_text("In a few words")
    expect(phone.locator(".closed-note")).to_contain_text("Input is closed")
    ok(facilitator.emit("pause_session"))
    expect(phone.locator(".paused-notice")).to_be_visible()
    expect(phone.locator(".closed-note")).to_be_hidden()
    shot(phone, artifacts_dir, "11-phone-paused")
    ok(facilitator.emit("resume_session"))
    expect(phone.locator(".paused-notice")).to_be_hidden()
    expect(phone.locator(".closed-note")).to_contain_text("Input is closed")
    assert not re.search(r"error", " ".join(errors), re.I), errors
