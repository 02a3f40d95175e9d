"""The projector once comments arrive, at 16:9 (1920x1080) and 4:3 (1024x768).

The comment wall takes a side of the stage, but what the room is answering stays whole:
every statement of a four-statement rating and of a traffic light is inside the screen,
clear of the answered count and of the wall; the scenario's fact boxes (Data, Shared,
Anonymisation) are wholly visible. And the join view never breaks the join address (nor
the code) across lines. Screenshots: tests/artifacts/screen-comments-*.png.
"""

from __future__ import annotations

import pytest
import yaml
from itsdangerous import URLSafeSerializer
from playwright.sync_api import expect

from tests.conftest import BUILTIN_PLAN
from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import box_of
from tests.support.server import flask_cli, start_live_app

SIZES = [(1920, 1080), (1024, 768)]
PLAN = yaml.safe_load(BUILTIN_PLAN.read_text(encoding="utf-8"))
INDEX = {stage["key"]: index for index, stage in enumerate(PLAN["stages"])}
COMMENTS = [
    "We would want to know who sees the data, and why.",
    "Who checks that the data is only used for this purpose and nothing else later on?",
    "People should be told in plain words, before it starts.",
]

# Boxes as seen: each cut by every box around it that hides what overflows it.
BOXES = """(selectors) => {
  const seen = (el) => {
    const rect = el.getBoundingClientRect();
    let r = { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
    for (let e = el.parentElement; e; e = e.parentElement) {
      if (getComputedStyle(e).overflow === "visible") continue;
      const c = e.getBoundingClientRect();
      r = { left: Math.max(r.left, c.left), right: Math.min(r.right, c.right),
            top: Math.max(r.top, c.top), bottom: Math.min(r.bottom, c.bottom) };
    }
    return { whole: { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom },
             seen: r, text: el.textContent.trim().slice(0, 40) };
  };
  const out = {};
  for (const [name, selector] of Object.entries(selectors)) {
    out[name] = Array.from(document.querySelectorAll(selector)).map(seen);
  }
  out.viewport = { width: innerWidth, height: innerHeight };
  return out;
}"""


def wholly_visible(box: dict, viewport: dict) -> bool:
    whole, seen = box["whole"], box["seen"]
    inside = (
        whole["left"] >= -1
        and whole["top"] >= -1
        and whole["right"] <= viewport["width"] + 1
        and whole["bottom"] <= viewport["height"] + 1
    )
    uncut = all(abs(whole[side] - seen[side]) <= 1 for side in whole)
    return inside and uncut


def overlap(a: dict, b: dict) -> bool:
    x = min(a["right"], b["right"]) - max(a["left"], b["left"])
    y = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return x > 1 and y > 1


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    plans = tmp_path_factory.mktemp("plans")
    (plans / BUILTIN_PLAN.name).write_text(BUILTIN_PLAN.read_text(encoding="utf-8"))
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


@pytest.fixture
def room(live_server, sockets):
    """A session of the built-in plan: its facilitator, one participant and the projector's
    address."""
    code = flask_cli(live_server.env, "session", "open", BUILTIN_PLAN.stem).split()[-1]
    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    person = LiveSocket(
        live_server.url, join(live_server.url, code, "Health"), code, role="participant"
    )
    sockets.extend([facilitator, person])
    key = URLSafeSerializer(live_server.env["SECRET_KEY"], salt="facilitation.screen").dumps(code)
    return facilitator, person, f"{live_server.url}/s/{code}/screen?key={key}"


def show(facilitator, stage: str) -> None:
    assert facilitator.emit("goto", {"index": INDEX[stage]})["ok"]
    facilitator.emit("open_input")  # refused on a stage that takes no input: no matter


def comment(person, stage: str, text: str) -> None:
    ack = person.emit("comment", {"stage": stage, "client_id": client_id(), "text": text})
    assert ack.get("ok"), ack


@pytest.mark.parametrize("size", SIZES, ids=["16x9", "4x3"])
def test_statements_and_facts_stay_whole_beside_the_comments(
    room, projector_context, artifacts_dir, size
):
    facilitator, person, url = room
    width, height = size
    page = projector_context(viewport={"width": width, "height": height}).new_page()
    page.goto(url)
    expect(page.locator("#connection")).to_have_text("Live")
    assert facilitator.emit("choose_scenario", {"scenario": PLAN["scenarios"][0]["key"]})["ok"]
    problems = []
    for stage, selectors in (
        (
            "feature-respect",
            {
                "item": ".items ol > li, .items > div > p",
                "key": ".lights li",
                "count": ".count-panel",
                "wall": ".wall",
            },
        ),
        (
            "proportionate",
            {
                "item": ".items ol > li, .items > div > p",
                "key": ".lights li",
                "count": ".count-panel",
                "wall": ".wall",
            },
        ),
        ("scenario", {"item": ".fact", "wall": ".wall"}),
    ):
        show(facilitator, stage)
        items = len(next(s for s in PLAN["stages"] if s["key"] == stage).get("items", [])) or 3
        for number, text in enumerate(COMMENTS, start=1):
            comment(person, stage, text)
            expect(page.locator(".wall-heading")).to_contain_text(str(number))
            page.wait_for_timeout(700)  # the redraw and the fitting settle
            page.screenshot(
                path=str(artifacts_dir / f"screen-comments-{stage}-{number}-{width}x{height}.png")
            )
            found = page.evaluate(BOXES, selectors)
            viewport = found["viewport"]
            where = f"{stage} with {number} comment(s) at {width}x{height}"
            if len(found["item"]) != items:
                problems.append(f"{where}: {len(found['item'])} of {items} shown")
            if stage == "proportionate" and len(found["key"]) != 3:
                problems.append(f"{where}: the Met / Partly met / Not met key is missing")
            if len(found["wall"]) != 1:
                problems.append(f"{where}: no comment wall beside")
            for box in found["item"] + found.get("key", []):
                if not wholly_visible(box, viewport):
                    problems.append(f"{where}: cut: {box['text']!r} {box['whole']} {box['seen']}")
                for other in ("count", "wall"):
                    for them in found.get(other, []):
                        if overlap(box["whole"], them["whole"]):
                            problems.append(f"{where}: {box['text']!r} overlaps the {other}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=["16x9", "4x3"])
def test_the_join_address_and_code_are_each_on_one_line(
    room, projector_context, artifacts_dir, size
):
    _, _, url = room
    width, height = size
    page = projector_context(viewport={"width": width, "height": height}).new_page()
    page.goto(url)
    expect(page.locator(".join-address")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts_dir / f"screen-comments-join-{width}x{height}.png"))
    for selector in (".join-address", ".join-code"):
        lines = page.evaluate(
            """(selector) => {
              const range = document.createRange();
              range.selectNodeContents(document.querySelector(selector));
              return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
            }""",
            selector,
        )
        assert lines == 1, f"{selector} on {lines} lines at {width}x{height}"
        box = box_of(page.locator(selector))
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)
