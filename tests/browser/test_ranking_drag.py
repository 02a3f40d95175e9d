"""Ranking on a 390x844 touch phone: drag a row with a mouse and with a finger, tap the
items in order, and the Up/Down buttons and keyboard as before; each order is saved, and
after Submit ranking the focus stays on the button while the status bar says "Saved".

The finger is Chromium's own touch input (CDP Input.dispatchTouchEvent), which goes through
touch-action and pointer events exactly as a phone's touch does.
Screenshots: tests/artifacts/ranking-*.png.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.live import FacilitatorSocket, login
from tests.support.pages import box_of, join_by_code, saved
from tests.support.server import flask_cli

PLAN = "data-for-public-benefit"
SAVED_AT = re.compile(r"^Saved ✓ \d\d:\d\d:\d\d$")
CHANGED_AT = re.compile(r"^Changed ✓ \d\d:\d\d:\d\d$")


def open_ranking(live_server, phone_context) -> tuple[FacilitatorSocket, Page, list[str]]:
    output = flask_cli(live_server.env, "session", "open", PLAN)
    code = output.strip().splitlines()[-1].strip()
    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    stages = facilitator.emit("sync")["stages"]
    index = next(s["index"] for s in stages if s["key"] == "ranking")
    assert facilitator.emit("goto", {"index": index})["ok"]
    assert facilitator.emit("open_input")["ok"]
    page = phone_context().new_page()
    join_by_code(page, live_server.url, code, "Housing")
    labels = page.locator(".ranking-item .rank-label")
    expect(labels).to_have_count(5)
    return facilitator, page, labels.all_inner_texts()


def shown_order(page: Page) -> list[str]:
    return page.locator(".ranking-item .rank-label").all_inner_texts()


def centre(page: Page, selector: str, index: int) -> tuple[float, float]:
    box = box_of(page.locator(selector).nth(index))
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


# Resolves once the page has not scrolled for five frames (a touch flick scrolls on after
# the finger is up, in the compositor's own time).
SCROLL_STILL = """() => new Promise((resolve) => {
  let last = window.scrollY, still = 0;
  const tick = () => {
    still = window.scrollY === last ? still + 1 : 0;
    last = window.scrollY;
    if (still >= 5) resolve(true); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def settle_scroll(page: Page) -> None:
    page.wait_for_function(SCROLL_STILL)


def submit_and_check(page: Page, facilitator: FacilitatorSocket, order: list[str], status) -> None:
    """Submit the order shown; the bar says so, the focus stays put and the server has it."""
    submit = page.get_by_role("button", name="Submit ranking")
    submit.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#answer-status .save-status")).to_have_text(status)
    expect(submit).to_be_focused()  # not dropped to the page
    expect(submit).to_be_disabled()  # aria-disabled until the order changes again
    assert shown_order(page) == order
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live")
    expect(page.locator(".ranking-item .rank-label")).to_have_text(order)
    saved(page)


def test_drag_with_a_mouse_and_with_a_finger(live_server, phone_context, artifacts_dir):
    facilitator, page, plan_order = open_ranking(live_server, phone_context)
    try:
        a, b, c, d, e = plan_order
        page.screenshot(path=artifacts_dir / "ranking-1-start.png")

        # A mouse drags the first row by its handle to below the third.
        x, y = centre(page, ".rank-handle", 0)
        _, below_third = centre(page, ".ranking-item", 2)
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x, y + 20, steps=4)
        expect(page.locator(".ranking-item.dragging")).to_have_count(1)
        page.mouse.move(x, below_third + 10, steps=12)
        page.screenshot(path=artifacts_dir / "ranking-2-dragging.png")
        page.mouse.up()
        expect(page.locator(".ranking-item.dragging")).to_have_count(0)
        expect(page.locator(".ranking-item .rank-label")).to_have_text([b, c, a, d, e])
        expect(page.locator(".draft-note")).to_contain_text("Submit ranking")
        submit_and_check(page, facilitator, [b, c, a, d, e], SAVED_AT)

        # A finger drags the last row by its handle to the top.
        cdp = page.context.new_cdp_session(page)
        page.locator(".ranking-list").evaluate("(list) => list.scrollIntoView({block: 'center'})")
        x, y = centre(page, ".rank-handle", 4)
        _, top = centre(page, ".ranking-item", 0)

        def touch(kind: str, at_y: float) -> None:
            points = [] if kind == "touchEnd" else [{"x": x, "y": at_y, "id": 1}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", y)
        steps = 15
        for step in range(1, steps + 1):
            touch("touchMove", y + (top - 10 - y) * step / steps)
        touch("touchEnd", top - 10)
        expect(page.locator(".ranking-item .rank-label")).to_have_text([e, b, c, a, d])
        submit_and_check(page, facilitator, [e, b, c, a, d], CHANGED_AT)

        # A finger on a row's words (not its handle) scrolls the page, not the row.
        before = page.evaluate("window.scrollY")
        x, y = centre(page, ".rank-label", 2)
        touch("touchStart", y)
        for step in range(1, 8):
            touch("touchMove", y - 30 * step)
        touch("touchEnd", y - 210)
        expect(page.locator(".ranking-item .rank-label")).to_have_text([e, b, c, a, d])
        expect(page.locator(".ranking-item.dragging")).to_have_count(0)
        # The compositor scrolls in its own time: on a busy machine, a frame or two later.
        page.wait_for_function("(before) => window.scrollY > before", arg=before)

        # A mouse may take a row by its words too, once the flick's scroll has run out.
        settle_scroll(page)
        page.evaluate("window.scrollTo(0, 0)")
        settle_scroll(page)
        x, y = centre(page, ".rank-label", 0)
        _, second = centre(page, ".ranking-item", 1)
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x, second + 12, steps=10)
        page.mouse.up()
        expect(page.locator(".ranking-item .rank-label")).to_have_text([b, e, c, a, d])
    finally:
        facilitator.close()


def test_tap_in_order_and_up_down(live_server, phone_context, artifacts_dir):
    facilitator, page, plan_order = open_ranking(live_server, phone_context)
    try:
        a, b, c, d, e = plan_order
        mode = page.get_by_role("button", name="Tap in order")
        mode.tap()
        expect(mode).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_text("Tap the items from most to least important.")).to_be_visible()
        expect(page.get_by_role("button", name="Submit ranking")).to_be_disabled()
        picks = page.locator(".rank-pick")
        expect(picks).to_have_count(5)
        page.get_by_role("button", name=d).tap()
        page.get_by_role("button", name=b).tap()
        expect(picks).to_have_count(3)
        expect(page.locator(".ranking-item.placed .rank-label")).to_have_text([d, b])
        page.screenshot(path=artifacts_dir / "ranking-3-tapping.png")

        # Start again, then tap all but the last: it falls into place by itself.
        page.get_by_role("button", name="Start again").tap()
        expect(picks).to_have_count(5)
        for label in (e, c, a, d):
            page.get_by_role("button", name=label).tap()
        expect(mode).to_have_attribute("aria-pressed", "false")
        assert shown_order(page) == [e, c, a, d, b]
        submit = page.get_by_role("button", name="Submit ranking")
        expect(submit).to_be_focused()
        expect(submit).to_be_enabled()
        submit.tap()
        expect(page.locator("#answer-status .save-status")).to_have_text(SAVED_AT)
        expect(submit).to_be_focused()
        page.screenshot(path=artifacts_dir / "ranking-4-tapped-and-saved.png")

        # Up and Down, by keyboard: the focus follows the item, the move is announced.
        up = page.get_by_role("button", name=f"Move up: {b}")
        up.focus()
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name=f"Move up: {b}")).to_be_focused()
        assert shown_order(page) == [e, c, b, a, d]
        expect(page.locator(".ranking [aria-live='assertive']")).to_have_text(f"{b}: now 3rd of 5.")
        page.get_by_role("button", name=f"Move down: {e}").click()
        assert shown_order(page) == [c, e, b, a, d]
        submit_and_check(page, facilitator, [c, e, b, a, d], CHANGED_AT)

        # Input closed: no dragging, tapping or moving.
        assert facilitator.emit("close_input")["ok"]
        expect(mode).to_be_disabled()
        expect(page.get_by_role("button", name=f"Move up: {b}")).to_be_disabled()
        x, y = centre(page, ".rank-handle", 0)
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x, y + 200, steps=10)
        page.mouse.up()
        assert shown_order(page) == [c, e, b, a, d]
    finally:
        facilitator.close()
