"""A statements stage on a real phone (390x844) with opinion groups: the phone votes one
statement at a time on its card, skipping one and coming back to it (a statement written
meanwhile waits its turn), while ten more people vote over Socket.IO in two camps and two
more write the statements; once the ranking is revealed the phone says which group its
person is in and what that group mostly agrees and disagrees with, as the plan tells
participants their group, and a phone that had not voted by then says it soon after its
person votes. "All statements" stays oldest first, and in place, as votes change. A
self-paced run's phone votes on the card too. Screenshots: tests/artifacts/opinion-phone-*.png.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from facilitation import clock
from facilitation.db import database
from facilitation.plans import load_plan
from facilitation.workshop import run_operations
from facilitation.workshop.runs import RunSettings
from tests.conftest import app_for
from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import box_of
from tests.support.server import flask_cli, start_live_app

SLUG = "opinion-phone"
PLAN = """\
title: Where the room splits
description: Statements with opinion groups.
privacy_notice: We keep your answers for research.
sectors: [Health, Housing]
scenarios:
  - key: arrears
    title: Rent arrears and health
    summary: The council shares rent arrears with the GP.
stages:
  - key: welcome
    title: Welcome
    prompt: Welcome
    type: info
    body: Hello.
  - key: views
    title: Where do we stand?
    prompt: Vote on each statement, then write your own
    type: statements
    opinion_groups:
      tell_participants: true
"""

# Statement -> each camp's vote: two the room agrees on, four that split it.
CAMPS = {
    "Councils should explain what they share.": ("agree", "agree"),
    "People should be asked before their records are shared.": ("agree", "agree"),
    "Sharing saves lives.": ("agree", "disagree"),
    "Speed matters more than consent.": ("agree", "disagree"),
    "Data should never leave the council.": ("disagree", "agree"),
    "Health data is too sensitive to share.": ("disagree", "agree"),
}
NEW = "Ask the people in the records."
WORDS = {"agree": "Agree", "disagree": "Disagree", "pass": "Pass"}
SAVED = {
    "agree": "Saved ✓ You agreed.",
    "disagree": "Saved ✓ You disagreed.",
    "pass": "Saved ✓ You passed.",
}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    plans = tmp_path_factory.mktemp("plans")
    (plans / f"{SLUG}.yaml").write_text(PLAN)
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def ok(ack: dict) -> dict:
    assert ack["ok"], ack
    return ack


def shot(page: Page, artifacts_dir, name: str) -> None:
    page.wait_for_timeout(400)  # the card's buttons come back after a vote
    page.screenshot(path=str(artifacts_dir / f"opinion-phone-{name}.png"))


def list_order(page: Page) -> list[str]:
    """The ids of the "All statements" list, top to bottom."""
    return page.locator(".statements-list > li.statement").evaluate_all(
        "items => items.map((item) => item.dataset.id)"
    )


def top_of(page: Page, comment_id) -> float:
    """Where a statement of the list is on the screen (its top, in CSS pixels)."""
    return page.locator(f'.statement[data-id="{comment_id}"]').evaluate(
        "item => item.getBoundingClientRect().top"
    )


def formed(facilitator: FacilitatorSocket, placed: int, groups: int | None = None) -> None:
    """Wait until the groups, computed off the event loop, hold ``placed`` people (in
    ``groups`` groups: a map computed before the last votes landed may hold as many people
    in other groups)."""
    deadline = time.monotonic() + 25
    opinion = None
    while time.monotonic() < deadline:
        results = facilitator.emit("sync").get("results") or {}
        opinion = results.get("opinion") or {}
        k = (opinion.get("method") or {}).get("k")
        if (
            opinion.get("status") == "formed"
            and opinion.get("placed") == placed
            and groups in (None, k)
        ):
            return
        time.sleep(1)  # syncs are rate-limited: 30 a minute
    raise AssertionError(f"the groups did not form: {opinion}")


def test_a_phone_votes_card_by_card_and_is_told_its_group(
    live_server, phone_context, artifacts_dir, sockets
):
    url = live_server.url
    code = flask_cli(live_server.env, "session", "open", SLUG).strip().splitlines()[-1]
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    sockets.append(facilitator)
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
    ok(facilitator.emit("goto", {"index": stages["views"]}))
    ok(facilitator.emit("open_input"))

    amira = join(url, code, "Health", "Amira")
    context = phone_context()
    context.add_cookies([{"name": c.name, "value": c.value, "url": url} for c in amira.cookies])
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{url}/p/{code}")
    expect(phone.locator(".stage-title")).to_have_text("Where do we stand?")
    expect(phone.locator(".next-none")).to_have_text("No statements yet. Be the first.")

    def person(sector: str) -> LiveSocket:
        socket = LiveSocket(url, join(url, code, sector), code, role="participant")
        sockets.append(socket)
        return socket

    # An author counts as agreeing with what they wrote: each of two writes what one camp
    # holds (and one consensus statement), so each sits with that camp on the map.
    authors = [person("Housing"), person("Housing")]
    author = authors[0]
    writer = {text: authors[0 if ways[0] == "agree" else 1] for text, ways in CAMPS.items()}
    writer[list(CAMPS)[1]] = authors[1]
    ids = {
        text: ok(
            writer[text].emit("comment", {"stage": "views", "client_id": client_id(), "text": text})
        )["comment_id"]
        for text in CAMPS
    }
    camps = [[person("Health") for _ in range(5)], [person("Housing") for _ in range(5)]]
    for camp, people in enumerate(camps):
        for socket in people:
            for text, ways in CAMPS.items():
                ok(
                    socket.emit(
                        "react",
                        {"comment_id": ids[text], "client_id": client_id(), "reaction": ways[camp]},
                    )
                )

    # The card: one statement, the progress above it, all six behind "All statements".
    card = phone.locator(".next-statement")
    progress = phone.locator(".statements-next .statements-progress")
    expect(progress).to_have_text("You have voted on 0 of 6 statements by others.")
    expect(phone.get_by_role("button", name="All statements (6)")).to_be_visible()
    shot(phone, artifacts_dir, "1-card")
    # Each of the three buttons is a thumb's size.
    for name in ("Agree", "Disagree", "Pass"):
        box = box_of(card.get_by_role("button", name=name, exact=True))
        assert box["height"] >= 56 and box["width"] >= 90, (name, box)

    # Skip the first card for now: the next one takes its place, the skipped one comes last.
    skipped = card.locator(".next-text").inner_text()
    card.get_by_role("button", name="Skip for now").click()
    expect(card.locator(".next-text")).not_to_have_text(skipped)
    expect(progress).to_have_text("You have voted on 0 of 6 statements by others.")

    # A new statement (no votes yet: the highest priority) waits its turn: the card the
    # person is reading stays.
    reading = card.locator(".next-text").inner_text()
    new_id = ok(author.emit("comment", {"stage": "views", "client_id": client_id(), "text": NEW}))[
        "comment_id"
    ]
    expect(phone.get_by_role("button", name="All statements (7)")).to_be_visible()
    expect(progress).to_have_text("You have voted on 0 of 7 statements by others.")
    expect(card.locator(".next-text")).to_have_text(reading)

    # Vote as the first camp on each card in turn (Pass on the new one); each vote is
    # saved and the card moves on.
    for voted in range(1, 7):
        text = card.locator(".next-text").inner_text()
        assert text != skipped
        vote = CAMPS[text][0] if text in CAMPS else "pass"
        card.get_by_role("button", name=WORDS[vote], exact=True).click()
        expect(phone.locator(".vote-status")).to_have_text(SAVED[vote])
        expect(progress).to_have_text(f"You have voted on {voted} of 7 statements by others.")
        if voted < 6:
            expect(card.locator(".next-text")).not_to_have_text(text)
    expect(card).to_be_hidden()
    expect(phone.locator(".next-none")).to_have_text("You skipped 1 statement.")
    phone.get_by_role("button", name="Show the statements you skipped").click()
    expect(card.locator(".next-text")).to_have_text(skipped)
    card.get_by_role("button", name=WORDS[CAMPS[skipped][0]], exact=True).click()
    expect(phone.locator(".next-none")).to_have_text(
        "You have voted on every statement. New ones appear here as people write them."
    )
    expect(progress).to_have_text("You have voted on 7 of 7 statements by others.")
    shot(phone, artifacts_dir, "2-done")

    # All statements: every vote given on the card, pressed, to change it there.
    phone.get_by_role("button", name="All statements (7)").click()
    for text, ways in CAMPS.items():
        item = phone.locator(f'.statement[data-id="{ids[text]}"]')
        expect(item.get_by_role("button", name=WORDS[ways[0]], exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
    shot(phone, artifacts_dir, "3-all-statements")

    # The list is oldest first, not by agreement (the server's order): before the reveal it
    # must not give the ranking away, and a vote must not move a statement under the thumb.
    by_age = [str(ids[text]) for text in CAMPS] + [str(new_id)]
    assert list_order(phone) == by_age
    # Scrolled to a statement that splits the room, the person changes their vote on it
    # (the room's agreement would move it up); then two others change theirs on another.
    changed, other = list(CAMPS)[4], list(CAMPS)[5]
    item = phone.locator(f'.statement[data-id="{ids[changed]}"]')
    item.evaluate("item => { item.scrollIntoView(); window.scrollBy(0, -160); }")
    top = top_of(phone, ids[changed])
    item.get_by_role("button", name="Agree", exact=True).click()
    expect(item.get_by_role("button", name="Agree", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    for socket in camps[0][:2]:
        reaction = {"comment_id": ids[other], "client_id": client_id(), "reaction": "agree"}
        ok(socket.emit("react", reaction))
    phone.wait_for_timeout(2500)  # the new counts reach phones (at most once a second)
    assert list_order(phone) == by_age
    assert abs(top_of(phone, ids[changed]) - top) <= 1, (top, top_of(phone, ids[changed]))
    shot(phone, artifacts_dir, "3b-vote-changed")
    # Back as they were: the groups below are the two camps'.
    item.get_by_role("button", name="Disagree", exact=True).click()
    expect(item.get_by_role("button", name="Disagree", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    for socket in camps[0][:2]:
        reaction = {"comment_id": ids[other], "client_id": client_id(), "reaction": "disagree"}
        ok(socket.emit("react", reaction))
    assert list_order(phone) == by_age
    phone.get_by_role("button", name="Back to the next statement").first.click()
    expect(phone.locator(".next-none")).to_be_visible()

    # Revealed: the phone says its group (the first camp, its author and the phone: 7).
    formed(facilitator, placed=13, groups=2)
    ok(facilitator.emit("reveal"))
    group = phone.locator(".results .own-group")
    expect(group.locator("h3")).to_have_text(
        re.compile(r"^You are in group [A-E] \(7 people\) of 2 groups$")
    )
    label = re.search(r"group ([A-E])", group.locator("h3").inner_text()).group(1)
    expect(group).to_contain_text(f"Group {label} mostly agrees with:")
    agrees = group.locator(".own-group-list").first.locator("li")
    expect(agrees.first).to_be_visible()
    assert agrees.count() <= 3
    camp_agrees = {text for text, ways in CAMPS.items() if ways == ("agree", "disagree")}
    assert set(agrees.all_inner_texts()) <= camp_agrees, agrees.all_inner_texts()
    group.scroll_into_view_if_needed()
    shot(phone, artifacts_dir, "4-group")
    assert phone.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    assert errors == []

    # Another phone, whose person had not voted when the results were revealed (input is
    # still open): not in a group yet; four votes on the card place them, and the phone
    # says so soon after, without a reload (it asks again once their votes are saved).
    bea = join(url, code, "Health", "Bea")
    other_context = phone_context()
    other_context.add_cookies([{"name": c.name, "value": c.value, "url": url} for c in bea.cookies])
    second = other_context.new_page()
    second.on("pageerror", lambda error: errors.append(str(error)))
    second.goto(f"{url}/p/{code}")
    expect(second.locator(".results .own-group-why")).to_have_text(
        "You are not in a group yet: vote on a few more statements."
    )
    second_card = second.locator(".next-statement")
    for _ in range(4):
        text = second_card.locator(".next-text").inner_text()
        vote = CAMPS[text][0] if text in CAMPS else "pass"
        second_card.get_by_role("button", name=WORDS[vote], exact=True).click()
        expect(second.locator(".vote-status")).to_have_text(SAVED[vote])
        expect(second_card.locator(".next-text")).not_to_have_text(text)
    # Well before the 15 s after which a results push would ask again.
    expect(second.locator(".results .own-group h3")).to_have_text(
        re.compile(r"^You are in group [A-E] \(\d+ people\) of \d groups$"), timeout=8000
    )
    expect(second.locator(".results .own-group-why")).to_have_count(0)
    second.locator(".results .own-group").scroll_into_view_if_needed()
    shot(second, artifacts_dir, "4b-placed-after-reveal")
    assert errors == []


def test_a_run_phone_votes_card_by_card(
    live_server, tmp_path, phone_context, artifacts_dir, sockets
):
    """A self-paced run: the phone's wall comes in the `pace` reply (with each statement's
    priority), and the card works as in a workshop."""
    plan_path = tmp_path / f"{SLUG}.yaml"
    plan_path.write_text(PLAN)
    plan = load_plan(plan_path)
    app = app_for(live_server.env["DATABASE_URL"])
    try:
        with database(app).sessionmaker() as db:
            code = run_operations.publish_run(
                db,
                plan,
                None,
                opens_at=clock.now() - timedelta(minutes=5),
                closes_at=clock.now() + timedelta(days=7),
                settings=RunSettings.from_plan(plan, approve_comments=False),
                scenario_key=plan.scenarios[0].key,
            ).code
    finally:
        database(app).engine.dispose()
    url = live_server.url
    texts = list(CAMPS)[:3]
    for text in texts:
        socket = LiveSocket(url, join(url, code, "Housing"), code, role="participant")
        sockets.append(socket)
        ok(socket.emit("pace", {"index": 1}))
        ok(socket.emit("comment", {"stage": "views", "client_id": client_id(), "text": text}))

    kim = join(url, code, "Health", "Kim")
    context = phone_context()
    context.add_cookies([{"name": c.name, "value": c.value, "url": url} for c in kim.cookies])
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto(f"{url}/p/{code}")
    phone.get_by_role("button", name="Next").click()
    expect(phone.locator(".stage-title")).to_have_text("Where do we stand?")

    # A run shows others' statements once the person has written one.
    expect(phone.locator(".next-none")).to_have_text("No statements to vote on yet.")
    phone.get_by_label("Your statement").fill("Ask people first.")
    phone.get_by_role("button", name="Submit").click()
    card = phone.locator(".next-statement")
    progress = phone.locator(".statements-next .statements-progress")
    expect(progress).to_have_text("You have voted on 0 of 3 statements by others.")
    # Equal priorities, no votes yet: the oldest first.
    expect(card.locator(".next-text")).to_have_text(texts[0])
    for voted, word in enumerate(("Agree", "Disagree", "Pass"), start=1):
        expect(card.locator(".next-text")).to_have_text(texts[voted - 1])
        card.get_by_role("button", name=word, exact=True).click()
        expect(progress).to_have_text(f"You have voted on {voted} of 3 statements by others.")
    expect(phone.locator(".vote-status")).to_have_text("Saved ✓ You passed.")
    expect(phone.locator(".next-none")).to_have_text(
        "You have voted on every statement. New ones appear here as people write them."
    )
    shot(phone, artifacts_dir, "5-run-done")
    # All statements: the votes given on the card, pressed.
    phone.get_by_role("button", name="All statements (4)").click()
    for text, word in zip(texts, ("Agree", "Disagree", "Pass"), strict=True):
        item = phone.locator(".statement", has_text=text)
        expect(item.get_by_role("button", name=word, exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
    # Oldest first, the person's own with the rest; a changed vote moves nothing.
    listed = phone.locator(".statements-list > li.statement .comment-text")
    expect(listed).to_have_text([*texts, "Ask people first."])
    item = phone.locator(".statement", has_text=texts[1])
    item.get_by_role("button", name="Agree", exact=True).click()
    expect(item.get_by_role("button", name="Agree", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(phone.locator(".statement .waiting")).to_have_count(0)
    expect(listed).to_have_text([*texts, "Ask people first."])
    shot(phone, artifacts_dir, "6-run-list")
    phone.get_by_role("button", name="Back to the next statement").first.click()
    expect(phone.locator(".next-none")).to_have_text(
        "You have voted on every statement. New ones appear here as people write them."
    )
    assert errors == []
