"""A folded breakdown as the facilitator and the room see it (workshop/small_groups.py).

Nine people answer a traffic light of the built-in plan (min_group_size 3). By sector,
Health and Housing (3 each) show on their own and Welfare (2) and Social care (1) are
folded into "Other groups". By table, Table 3 (2) is folded for its size, and Table 2 (4)
by the crossing rule (fold_crossed): it is Housing's three and one of Welfare, so Table 2
beside the sectors would be that one person's answer. Every other sector x table cell is
0 or 3, so Table 1 (all of Health) shows.

The console (a 1366x768 laptop) says why under the results, with the results still on the
screen; the projector (1920x1080) names "Other groups" in type readable from the back.

Screenshots: tests/artifacts/small-groups-*.png.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from facilitation.plans import load_plan
from tests.conftest import BUILTIN_PLAN
from tests.support.live import LiveSocket, client_id, join, started_session
from tests.support.pages import box_of, log_in, projector_url

PLAN = load_plan(BUILTIN_PLAN)
TABLES = ["Table 1", "Table 2", "Table 3"]
# (sector, table, light on the purposeful test)
ROOM = [
    ("Health", "Table 1", "met"),
    ("Health", "Table 1", "met"),
    ("Health", "Table 1", "partly"),
    ("Housing", "Table 2", "not_met"),
    ("Housing", "Table 2", "not_met"),
    ("Housing", "Table 2", "not_met"),
    ("Welfare", "Table 2", "met"),
    ("Welfare", "Table 3", "partly"),
    ("Social care", "Table 3", "not_met"),
]

# Every piece of text a person can see on the page (not the visually hidden tables for
# screen readers, nor the connection badge, the operator's), with its font size in CSS
# pixels: [[text, px], ...].
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest(".visually-hidden, [hidden], #connection")) continue;
    const box = parent.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || box.bottom < 0 || box.top > innerHeight) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === "hidden" || style.opacity === "0") continue;
    out.push([text, parseFloat(style.fontSize)]);
  }
  return out;
}"""


AGREED = "Tell people before their records are shared."
SPLIT = "Arrears letters should go to the GP as well."
# {comment: {voter (index in ROOM): reaction}}; authors cannot vote on their own comment.
VOTES = {
    # Health 3, Housing 3, Welfare 1 and Social care 1 agree. Welfare and Social care
    # together are 2, fewer than 3: Housing is folded in with them (Other groups 5–0).
    AGREED: {
        0: "agree",
        1: "agree",
        2: "agree",
        3: "agree",
        4: "agree",
        5: "agree",
        7: "agree",
        8: "agree",
    },
    # Health 2 and Welfare 2 agree (Other groups 4–0), Housing 3 disagree.
    SPLIT: {
        1: "agree",
        2: "agree",
        3: "disagree",
        4: "disagree",
        5: "disagree",
        6: "agree",
        7: "agree",
    },
}


def inside(box: dict | None, frame: dict) -> bool:
    return (
        box is not None
        and box["y"] >= frame["y"] - 0.5
        and box["y"] + box["height"] <= frame["y"] + frame["height"] + 0.5
    )


def switch(console: Page, words: str) -> None:
    button = console.locator("#breakdown-switch").get_by_role("button", name=words)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def test_a_folded_breakdown_on_the_console_and_the_projector(
    live_server, desktop_context, projector_context, artifacts_dir, sockets
):
    url = live_server.url
    code, facilitator = started_session(live_server, PLAN.slug)
    sockets.append(facilitator)
    assert facilitator.emit("set_tables", {"tables": TABLES})["ok"]
    people = []
    for sector, table, _light in ROOM:
        people.append(LiveSocket(url, join(url, code, sector, "", table), code, role="participant"))
    sockets.extend(people)

    errors: list[str] = []
    console = desktop_context().new_page()  # 1366x768
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    console.goto(f"{url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    screen = projector_context().new_page()  # 1920x1080
    screen.on("pageerror", lambda error: errors.append(f"screen: {error}"))
    screen.goto(projector_url(console))
    expect(screen.locator("#connection")).to_have_text("Live")

    assert facilitator.emit("goto", {"index": PLAN.stage_index("purposeful")})["ok"]
    assert facilitator.emit("open_input")["ok"]
    for person, (_sector, _table, light) in zip(people, ROOM, strict=True):
        value = {"lights": {"purposeful": light}}
        ack = person.emit(
            "answer", {"stage": "purposeful", "client_id": client_id(), "value": value}
        )
        assert ack["ok"], ack
    # Comments, and votes on them from every sector: a sector's votes show only when at
    # least 3 of its people voted; the rest count together as Other groups.
    comments = {}
    for author, text in ((6, AGREED), (0, SPLIT)):
        ack = people[author].emit(
            "comment", {"stage": "purposeful", "client_id": client_id(), "text": text}
        )
        assert ack["ok"], ack
        comments[text] = ack["comment_id"]
    for text, votes in VOTES.items():
        for voter, reaction in votes.items():
            payload = {"comment_id": comments[text], "client_id": client_id(), "reaction": reaction}
            assert people[voter].emit("react", payload)["ok"]
    assert facilitator.emit("close_input")["ok"]
    assert facilitator.emit("reveal")["ok"]
    expect(screen.locator(".results-caption")).to_have_text("Results from 9 people")

    switch(console, "By sector")
    groups = screen.locator(".breakdown-tables table")
    expect(screen.locator(".results-caption")).to_have_text(
        "By sector · results from 9 people in 2 sectors and Other groups"
    )
    expect(groups.locator("caption")).to_have_text(
        ["Health: 3 people", "Housing: 3 people", "Other groups: 3 people"]
    )
    # Columns: met, partly met, not met. Welfare's met and partly, Social care's not met.
    expect(groups.nth(2).locator("tbody td")).to_have_text(["1", "1", "1"])
    chart = screen.locator(".chart")
    expect(chart).to_contain_text("Other groups")
    expect(chart).not_to_contain_text("Welfare")
    expect(chart).not_to_contain_text("Social care")
    note = console.locator(".fold-note")
    expect(note).to_have_text(
        "Groups with fewer than 3 people are folded into Other groups, so no one’s answer "
        "can be singled out (Social care and Welfare)."
    )
    # The wall by where sectors agree: a lone Social care vote is never its own.
    wall = screen.locator(".consensus-wall")
    expect(wall.locator(".comment-text")).to_have_text([AGREED, SPLIT])
    expect(wall.locator(".consensus-badge")).to_have_text(
        ["Agreed across 2 sectors", "Splits sectors"]
    )
    expect(wall.locator(".consensus-sectors")).to_have_text(
        ["Health 3–0 · Other groups 5–0", "Housing 0–3 · Other groups 4–0"]
    )
    look(console, screen, note, artifacts_dir, "by-sector")

    switch(console, "By table")
    expect(screen.locator(".results-caption")).to_have_text(
        "By table · results from 9 people in 1 table and Other groups"
    )
    expect(groups.locator("caption")).to_have_text(["Table 1: 3 people", "Other groups: 6 people"])
    # Housing's three not met, Welfare's met and partly, Social care's not met.
    expect(groups.nth(1).locator("tbody td")).to_have_text(["1", "1", "4"])
    expect(chart).not_to_contain_text("Table 2")
    expect(chart).not_to_contain_text("Table 3")
    expect(note).to_have_text(
        "Groups with fewer than 3 people are folded into Other groups, so no one’s answer "
        "can be singled out (Table 3). Table 2 is folded in too: shown beside the sectors, "
        "it would give away fewer than 3 people’s answers."
    )
    look(console, screen, note, artifacts_dir, "by-table")
    assert errors == []


def look(console: Page, screen: Page, note, artifacts, name: str) -> None:
    """On the laptop, the note readable and on the pane together with the switch and the
    whole chart once the results are scrolled to; on the projector, no text under 28px."""
    # Scroll the stage pane (only it scrolls) until the Results heading is at its top.
    console.locator("#preview").evaluate(
        """e => { const pane = e.closest('.pane');
        pane.scrollTop += e.getBoundingClientRect().top - pane.getBoundingClientRect().top; }"""
    )
    console.wait_for_timeout(400)  # let the chart settle before measuring and the picture
    pane = box_of(console.locator(".stage-pane"))
    screen_box = {"y": 0, "height": console.viewport_size["height"]}
    for part in (console.locator(".breakdown-buttons"), console.locator("#preview-body"), note):
        box = box_of(part)
        assert inside(box, pane) and inside(box, screen_box), (name, part, box, pane)
    assert note.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 14
    console.screenshot(path=str(artifacts / f"small-groups-console-{name}.png"))

    screen.wait_for_timeout(400)
    screen.screenshot(path=str(artifacts / f"small-groups-projector-{name}.png"))
    texts = screen.evaluate(VISIBLE_TEXT)
    assert any(text == "Other groups" and px >= 28 for text, px in texts), texts
    small = [(text, px) for text, px in texts if px < 28]
    assert not small, small
