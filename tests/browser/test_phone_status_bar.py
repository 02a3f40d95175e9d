"""The phone's answer status in a bar fixed at the bottom of the screen, and focus never
hidden behind the phone's bars (WCAG 2.4.11), on a 390x844 touch phone.

- After rating the last of four statements the bar is on screen without scrolling, says
  "Saved ✓ HH:MM:SS", and is not covered; changing a rating says "Changed ✓ HH:MM:SS".
- The bar is a polite live region that a render changing nothing leaves alone.
- The page keeps room under its last control: scrolled to the end, nothing is under the bar.
- Tabbing through a long rating and a ranking, with the countdown showing and the bar
  saying "Saved", every focused control is clear of the top bar, the countdown and the
  bottom bar.

Screenshots: tests/artifacts/status-bar-*.png.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.live import FacilitatorSocket, login
from tests.support.pages import SAVED, box_of, join_by_code, saved
from tests.support.server import flask_cli

PLAN = "data-for-public-benefit"
SAVED_AT = re.compile(r"^Saved ✓ \d\d:\d\d:\d\d$")
CHANGED_AT = re.compile(r"^Changed ✓ \d\d:\d\d:\d\d$")

# The boxes of the bars that stay on screen, and of the focused element (page.evaluate).
BOXES = """async () => {
  // After the next frame: the page scrolls a control clear of the bars once focused.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const box = (el) => {
    if (!el || el.offsetParent === null && getComputedStyle(el).position !== 'fixed') return null;
    const r = el.getBoundingClientRect();
    return r.height ? {top: r.top, bottom: r.bottom} : null;
  };
  const focused = document.activeElement;
  return {
    header: box(document.querySelector('.phone-bar')),
    controls: box(document.getElementById('phone-controls')),
    bottom: box(document.querySelector('#answer-status .save-status')),
    focused: focused && focused !== document.body ? box(focused) : null,
    inBars: !!(focused && focused.closest('.phone-bar, #answer-status')),
    // The skip link is drawn over the top bar when focused: above it, not under it.
    skip: !!(focused && focused.matches('.skip-link')),
    name: focused ? (focused.getAttribute('aria-label') || focused.textContent || focused.value
                     || focused.tagName).trim().slice(0, 40) : null,
  };
}"""


def open_session(live_server) -> tuple[str, FacilitatorSocket]:
    output = flask_cli(live_server.env, "session", "open", PLAN)
    code = output.strip().splitlines()[-1].strip()
    http = login(live_server.url, live_server.email, live_server.password)
    return code, FacilitatorSocket(live_server.url, http, code)


def show(facilitator: FacilitatorSocket, key: str) -> None:
    stages = facilitator.emit("sync")["stages"]
    index = next(s["index"] for s in stages if s["key"] == key)
    assert facilitator.emit("goto", {"index": index})["ok"]
    ack = facilitator.emit("open_input")
    assert ack["ok"] or "already" in ack.get("error", ""), ack


def bar_on_screen(page: Page) -> None:
    """The status bar is inside the 390x844 viewport and nothing covers its middle."""
    bar = page.locator("#answer-status .save-status")
    box = box_of(bar)
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
    on_top = page.evaluate(
        """([x, y]) => !!document.elementFromPoint(x, y).closest('#answer-status')""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top, "something covers the status bar"


def test_the_status_bar_is_where_the_thumb_is(live_server, phone_context, artifacts_dir):
    code, facilitator = open_session(live_server)
    try:
        show(facilitator, "feature-respect")
        page = phone_context().new_page()
        join_by_code(page, live_server.url, code, "Housing")
        blocks = page.locator(".item-block")
        expect(blocks).to_have_count(4)
        region = page.locator("#answer-status")
        expect(region).to_have_attribute("role", "status")
        expect(region).to_have_attribute("aria-live", "polite")
        expect(region).to_be_empty()  # nothing answered yet: no bar, no room taken

        for index, rating in enumerate(("4", "2", "5", "3")):
            blocks.nth(index).get_by_role("radio", name=rating, exact=True).tap()
            expect(region.locator(".save-status")).to_have_text(SAVED_AT)
            bar_on_screen(page)
        saved(page)
        # The last statement was the furthest down: the bar came to it, not it to the bar.
        assert page.evaluate("window.scrollY") > 0
        page.screenshot(path=artifacts_dir / "status-bar-1-saved.png")

        # Re-rating the first statement changes a saved answer.
        blocks.nth(0).get_by_role("radio", name="1", exact=True).tap()
        expect(region.locator(".save-status")).to_have_text(CHANGED_AT)
        bar_on_screen(page)
        page.screenshot(path=artifacts_dir / "status-bar-2-changed.png")

        # A push that changes nothing about the answer does not touch the live region.
        page.evaluate(
            """() => {
              window.statusChanges = 0;
              new MutationObserver((records) => { window.statusChanges += records.length; })
                .observe(document.getElementById('answer-status'),
                         {childList: true, subtree: true, characterData: true});
            }"""
        )
        assert facilitator.emit("timer_start", {"seconds": 300})["ok"]
        expect(page.locator(".countdown")).to_be_visible()
        assert facilitator.emit("timer_pause")["ok"]
        expect(page.locator(".countdown-words")).to_have_text("Timer paused")
        assert page.evaluate("window.statusChanges") == 0

        # Scrolled to the end, the last control sits above the bar, not under it.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        post = page.get_by_role("button", name="Post")
        post_box = box_of(post)
        bar_box = box_of(region.locator(".save-status"))
        assert post_box["y"] + post_box["height"] <= bar_box["y"], (post_box, bar_box)
        page.screenshot(path=artifacts_dir / "status-bar-3-end-of-page.png")

        # The bar says nothing on a stage not yet answered.
        show(facilitator, "feature-resources")
        expect(page.get_by_role("heading", name=re.compile("Feature 4"))).to_be_visible()
        expect(region).to_be_empty()
        show(facilitator, "feature-respect")
        expect(region.locator(".save-status")).to_have_text(CHANGED_AT)

        # After a reload the phone knows the answer is saved, not when.
        page.reload()
        expect(page.locator("#connection")).to_have_text("Live")
        expect(region.locator(".save-status")).to_have_text("Saved ✓")
        expect(region.locator(".save-status")).to_have_text(SAVED)
    finally:
        facilitator.close()


def tab_through(page: Page, stops: int, key: str = "Tab") -> list[str]:
    """Press Tab from the top of the page (Shift+Tab: from the bottom) `stops` times; return
    every focused control that a bar covers (even in part)."""
    if key == "Tab":
        page.evaluate("window.scrollTo(0, 0)")
        page.locator(".stage-step").click()  # Tab goes on from here: the first control
    else:
        page.evaluate(
            """() => [...document.querySelectorAll('#stage-view button, #stage-view textarea')]
                .filter((el) => !el.disabled).pop().focus()"""
        )
    covered = []
    seen = 0
    for _ in range(stops):
        page.keyboard.press(key)
        boxes = page.evaluate(BOXES)
        focused = boxes["focused"]
        if not focused or boxes["inBars"] or boxes["skip"]:
            continue
        seen += 1
        top = max(b["bottom"] for b in (boxes["header"], boxes["controls"]) if b)
        bottom = boxes["bottom"]["top"] if boxes["bottom"] else 844
        if focused["top"] < top - 0.5 or focused["bottom"] > bottom + 0.5:
            covered.append(f"{boxes['name']}: {focused} under bars {top}..{bottom}")
    assert seen >= 8, f"only {seen} controls took the focus"
    return covered


def test_focus_is_never_hidden_behind_the_bars(live_server, phone_context, artifacts_dir):
    code, facilitator = open_session(live_server)
    try:
        show(facilitator, "feature-respect")
        assert facilitator.emit("timer_start", {"seconds": 600})["ok"]
        page = phone_context().new_page()
        join_by_code(page, live_server.url, code, "Health")
        expect(page.locator(".countdown")).to_be_visible()
        page.locator(".item-block").nth(3).get_by_role("radio", name="2", exact=True).tap()
        saved(page)

        covered = tab_through(page, 30)
        assert not covered, covered

        # Tabbing out of the open menu closes it, so it covers nothing focused.
        page.evaluate("window.scrollTo(0, 0)")
        page.get_by_role("button", name="Menu").click()
        menu = page.locator("#menu")
        expect(menu).to_be_visible()
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("!document.activeElement.closest('#menu, .phone-bar')"):
                break
        expect(menu).to_be_hidden()
        boxes = page.evaluate(BOXES)
        assert boxes["focused"]["top"] >= boxes["controls"]["bottom"] - 0.5, boxes

        show(facilitator, "ranking")
        expect(page.locator(".ranking-item")).to_have_count(5)
        page.get_by_role("button", name="Submit ranking").click()
        saved(page)
        covered = tab_through(page, 25)
        assert not covered, covered
        covered = tab_through(page, 25, "Shift+Tab")
        assert not covered, covered
        # Moving an item down the list by keyboard: it stays in view as it goes.
        page.evaluate("window.scrollTo(0, 0)")
        first = page.locator(".rank-label").first.inner_text()
        down = page.get_by_role("button", name=f"Move down: {first}")
        down.focus()
        for _ in range(4):
            page.keyboard.press("Enter")
            boxes = page.evaluate(BOXES)
            top = max(b["bottom"] for b in (boxes["header"], boxes["controls"]) if b)
            assert boxes["focused"]["top"] >= top - 0.5, boxes
            assert boxes["focused"]["bottom"] <= boxes["bottom"]["top"] + 0.5, boxes
        expect(page.locator(".rank-label").last).to_have_text(first)
        page.screenshot(path=artifacts_dir / "status-bar-4-ranking-focus.png")
    finally:
        facilitator.close()
