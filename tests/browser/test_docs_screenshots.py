"""The manual's pictures: a phone (390x844), the console (1366x768) and the projector
(1920x1080) for a rating, a traffic light and a by-sector breakdown of the built-in plan
(where the phone shows the room's results).

Nine people answer over Socket.IO (three each from Health, Housing and Welfare, so a
breakdown shows each sector with the plan's min_group_size of 3) and a tenth answers on the
phone, by tapping. Each picture is checked for what it should show before it is taken, so
a picture of a broken screen fails here rather than reaching the manual.

The opinion groups' pictures (docs/opinion-groups.md) come from the second built-in plan,
"Data sharing safeguards": eighteen people vote over Socket.IO in three camps
(test_opinion_groups_projector.py's room) while a phone votes card by card; the projector
(1920x1080) and the console (1366x768) show the groups, "By opinion group".

The pictures go to tests/artifacts/docs/; `make screenshots` runs this test and copies them
to docs/images/ (docs/development.md, "Screenshots").
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from facilitation.plans import load_plan
from tests.browser.test_opinion_groups_projector import (
    CAMP_SECTORS,
    CONSENSUS,
    PEOPLE,
    PER_CAMP,
    Room,
    camp_of_label,
)
from tests.conftest import BUILTIN_PLAN
from tests.support.live import LiveSocket, client_id, join, started_session
from tests.support.pages import join_by_code, log_in, projector_url, saved

PLAN = load_plan(BUILTIN_PLAN)
SECTORS = ("Health", "Housing", "Welfare")
# Each sector leans its own way, so the by-sector picture shows a split room.
LEANS = {
    "Health": ("met", "met", "partly"),
    "Housing": ("not_met", "partly", "not_met"),
    "Welfare": ("met", "partly", "met"),
}
RATINGS = {"better-service": 4, "wellbeing": 3, "evidence": 2}


def shoot(page: Page, artifacts, name: str) -> None:
    page.wait_for_timeout(700)  # charts grow into place: take the picture once they have
    folder = artifacts / "docs"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), scale="css")


def rating_for(person: int) -> dict:
    return {"ratings": {key: 1 + (value + person) % 5 for key, value in RATINGS.items()}}


def test_the_manuals_pictures(
    live_server, phone_context, desktop_context, projector_context, artifacts_dir, sockets
):
    url = live_server.url
    code, facilitator = started_session(live_server, PLAN.slug)
    sockets.append(facilitator)
    people = []
    for sector in SECTORS:
        for _ in range(3):
            people.append(LiveSocket(url, join(url, code, sector), code, role="participant"))
    sockets.extend(people)

    errors: list[str] = []
    console = desktop_context().new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    console.goto(f"{url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(f"projector: {error}"))
    screen.goto(projector_url(console))
    expect(screen.locator("#connection")).to_have_text("Live")
    phone = phone_context().new_page()
    phone.on("pageerror", lambda error: errors.append(f"phone: {error}"))
    join_by_code(phone, url, code, "Health")

    def show(key: str) -> None:
        assert facilitator.emit("goto", {"index": PLAN.stage_index(key)})["ok"]
        if facilitator.emit("sync")["state"]["input_open"] is not True:
            assert facilitator.emit("open_input")["ok"]

    def everyone_answers(key: str, value_of) -> None:
        for index, person in enumerate(people):
            ack = person.emit(
                "answer", {"stage": key, "client_id": client_id(), "value": value_of(index)}
            )
            assert ack["ok"], ack

    def reveal() -> None:
        assert facilitator.emit("close_input")["ok"]
        assert facilitator.emit("reveal")["ok"]
        expect(screen.locator(".results-caption")).to_contain_text("Results from 10 people")

    # A rating: the phone rates three statements, the room's medians on the wall.
    show("feature-outcomes")
    blocks = phone.locator(".item-block")
    expect(blocks).to_have_count(3)
    for block, rating in zip(blocks.all(), ("4", "3", "5"), strict=True):
        block.get_by_role("radio", name=rating, exact=True).check()
        saved(phone)
    shoot(phone, artifacts_dir, "phone-rating")
    everyone_answers("feature-outcomes", rating_for)
    reveal()
    expect(console.locator("#preview-body")).to_contain_text("Median")
    shoot(console, artifacts_dir, "console-rating")
    shoot(screen, artifacts_dir, "projector-rating")

    # A traffic light: the purposeful test, with a comment and votes on it.
    show("purposeful")
    group = phone.get_by_role("group", name=re.compile("purpose is clear"))
    group.get_by_role("radio", name="Partly met").check()
    saved(phone)
    lights = [light for sector in SECTORS for light in LEANS[sector]]
    everyone_answers("purposeful", lambda index: {"lights": {"purposeful": lights[index]}})
    ack = people[3].emit(
        "comment",
        {
            "stage": "purposeful",
            "client_id": client_id(),
            "text": "Tell people before their records are shared.",
        },
    )
    assert ack["ok"], ack
    for voter in (0, 1, 2, 6, 7, 8):  # Health and Welfare agree: "Agreed across 2 sectors"
        payload = {"comment_id": ack["comment_id"], "client_id": client_id(), "reaction": "agree"}
        assert people[voter].emit("react", payload)["ok"]
    expect(phone.locator(".comment-text")).to_contain_text(["Tell people before"])
    shoot(phone, artifacts_dir, "phone-traffic-light")
    reveal()
    expect(console.locator("#preview-body")).to_contain_text("Partly met")
    shoot(console, artifacts_dir, "console-traffic-light")
    shoot(screen, artifacts_dir, "projector-traffic-light")

    # The same test by sector: the facilitator switches the view on the console.
    button = console.locator("#breakdown-switch").get_by_role("button", name="By sector")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(screen.locator(".results-caption")).to_have_text(
        "By sector · results from 10 people in 3 sectors"
    )
    for sector in SECTORS:
        expect(screen.locator(".chart")).to_contain_text(sector)
    # Phones show the whole room's answers, whichever view the projector has.
    results = phone.locator(".results")
    expect(results).to_contain_text("10 people answered")
    results.scroll_into_view_if_needed()
    shoot(phone, artifacts_dir, "phone-results")
    shoot(console, artifacts_dir, "console-by-sector")
    shoot(screen, artifacts_dir, "projector-by-sector")
    assert errors == []


def test_the_opinion_groups_pictures(
    live_server, phone_context, desktop_context, projector_context, artifacts_dir, sockets
):
    room = Room(live_server, sockets)
    url, code = live_server.url, room.code
    errors: list[str] = []
    phone = phone_context().new_page()
    phone.on("pageerror", lambda error: errors.append(f"phone: {error}"))
    join_by_code(phone, url, code, "Health")
    console = desktop_context().new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    console.goto(f"{url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    screen = projector_context().new_page()
    screen.on("pageerror", lambda error: errors.append(f"projector: {error}"))
    screen.goto(projector_url(console))
    expect(screen.locator("#connection")).to_have_text("Live")

    # The phone: the next statement to vote on, on a card, after two votes.
    card = phone.locator(".next-statement")
    progress = phone.locator(".statements-next .statements-progress")
    expect(progress).to_have_text("You have voted on 0 of 9 statements by others.")
    for voted, word in enumerate(("Agree", "Disagree"), start=1):
        card.get_by_role("button", name=word, exact=True).click()
        expect(progress).to_have_text(f"You have voted on {voted} of 9 statements by others.")
    expect(card.locator(".next-text")).to_be_visible()
    expect(phone.get_by_role("button", name="All statements (9)")).to_be_visible()
    # From "Next statement" down (the stage's text is above it, under the phone's bar).
    phone.locator(".statements-next").evaluate("e => e.scrollIntoView({block: 'start'})")
    shoot(phone, artifacts_dir, "phone-next-statement")

    # The room votes: three groups form. The console shows them "By opinion group".
    for camp in range(len(CAMP_SECTORS)):
        for member in range(PER_CAMP):
            room.vote(camp, member, stray=True)
    opinion = room.wait_for("formed", PEOPLE)
    camp_of_label(opinion)  # the three camps, found
    console.locator("#breakdown-switch").get_by_role("button", name="By opinion group").click()
    assert room.facilitator.emit("reveal")["ok"]
    expect(console.locator("#preview-body .opinion-summary-status")).to_contain_text(
        f"3 groups formed from {PEOPLE} people"
    )
    expect(screen.locator(".group-card")).to_have_count(3)
    expect(screen.locator(".opinion-map .scatterlayer .point")).to_have_count(PEOPLE)
    expect(screen.locator(".opinion-consensus .opinion-text").first).to_have_text(
        re.compile("|".join(re.escape(text) for text in CONSENSUS))
    )
    shoot(console, artifacts_dir, "console-opinion-groups")
    shoot(screen, artifacts_dir, "projector-opinion-groups")
    assert errors == []
