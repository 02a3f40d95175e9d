"""The console fits a 1366x768 laptop (issue 12, point 5) and reflows (WCAG 2.2 1.4.10, 1.3.1).

A session of the built-in plan at a four-statement rating stage, three phones answered and
six comments. At 1366x768, and at 1366x657 (what a browser leaves of a 768-pixel screen):
the stage, its controls, the projector switch beside them, the results preview and three
comments with their buttons are inside the window, which does not scroll; the timer and the
notes are folded until used; the Exports menu opens inside the window; the join link keeps
its code whole. At 320x800 and at 1280x800 zoomed to 200 % (640x400 at twice the pixels):
no sideways scrolling, nothing cut off, the header's parts apart. Headings: one h1, no level
skipped. Screenshots at 1366x768, 1366x657, 1920x1080 and 390x844 go to tests/artifacts/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.accessibility.measure import script, sideways_overflow
from tests.support.live import LiveSocket, client_id, join
from tests.support.pages import box_of, log_in

STAGE = "feature-respect"
RATINGS = {"expected": 4, "minimum": 3, "dignity": 5, "voice": 2}
COMMENT = "Comment {n}: who checks that this respects people, and who do they answer to?"

REFLOW_PROBLEMS_JS = script("reflow-problems.js")
HEADINGS_JS = script("headings.js")

# Each box's rectangle in the window, or null when it is not rendered.
BOXES_JS = """(selectors) => Object.fromEntries(selectors.map((selector) => {
  const el = document.querySelector(selector);
  if (!el || !el.getClientRects().length) return [selector, null];
  const r = el.getBoundingClientRect();
  return [selector, [r.left, r.top, r.right, r.bottom]];
}))"""

RECT_JS = "e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom] }"

MUST_SHOW = [
    "#stage-title",
    "#stage-prompt",
    "#next-press",
    "#toggle-input",
    "#toggle-results",
    "#counts",
    "#previous-stage",
    "#next-stage",
    ".mode-switch",
    "#timer-panel > summary",
    "#preview",
    "#preview-body .chart",
    "#comments li.comment:nth-child(3) .comment-buttons",
    "#notes-details > summary",
]


@pytest.fixture(scope="module")
def room(live_server, browser):
    """A session of the built-in plan shown at the rating stage, with answers and comments."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in(page, live_server)
    card = page.locator(
        "article.plan-card", has=page.get_by_role("heading", name="Data for Public Benefit")
    )
    card.get_by_role("button", name="Open session").click()
    expect(page).to_have_url(re.compile(r"/facilitator/sessions/[A-Z0-9]{6}$"))
    code = page.url.rsplit("/", 1)[1]
    expect(page.locator("#connection")).to_have_text("Live")
    page.locator("#stage-list").get_by_role("button", name=re.compile("Respect")).click()
    expect(page.locator("#stage-title")).to_have_text(re.compile("Respect for the individual"))
    if page.locator("#toggle-input").inner_text().strip() == "Open input":
        page.locator("#toggle-input").click()
    expect(page.locator("#input-state")).to_have_text("Input open")
    phones = []
    for index, sector in enumerate(("Health", "Housing", "Welfare")):
        http = join(live_server.url, code, sector, f"Person {index + 1}")
        phones.append(LiveSocket(live_server.url, http, code, role="participant"))
    for phone in phones:
        payload = {"stage": STAGE, "client_id": client_id(), "value": {"ratings": RATINGS}}
        assert phone.emit("answer", payload)["ok"]
    for n in range(6):
        payload = {"stage": STAGE, "client_id": client_id(), "text": COMMENT.format(n=n + 1)}
        assert phones[n % 3].emit("comment", payload)["ok"]
    context.close()
    yield code
    for phone in phones:
        phone.close()


def open_console(browser, live_server, code: str, **options) -> Page:
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/facilitator/sessions/{code}")
    expect(page.locator("#connection")).to_have_text("Live")
    expect(page.locator("#comments li.comment")).to_have_count(6)
    expect(page.locator("#counts")).to_contain_text("3 answered")
    page.locator("#preview-body .chart .main-svg").first.wait_for()
    page.wait_for_timeout(300)  # the chart's last redraw
    return page


def next_frame(page: Page) -> None:
    """Wait for a frame: a <details>'s toggle event (which places a menu) runs after the click."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")


def outside(page: Page, boxes: dict) -> list[str]:
    width, height = page.evaluate("[innerWidth, innerHeight]")
    problems = []
    for selector, box in boxes.items():
        if box is None:
            problems.append(f"{selector} is not shown")
            continue
        left, top, right, bottom = box
        if left < -1 or top < -1 or right > width + 1 or bottom > height + 1:
            rounded = [round(n) for n in box]
            problems.append(f"{selector} at {rounded} is outside the {width}x{height} window")
    return problems


@pytest.mark.parametrize("height", [768, 657])
def test_the_console_fits_a_laptop(live_server, browser, room, artifacts_dir, height):
    page = open_console(browser, live_server, room, viewport={"width": 1366, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.screenshot(path=artifacts_dir / f"console-fits-1366x{height}.png")
        problems = outside(page, page.evaluate(BOXES_JS, MUST_SHOW))
        scroll = page.evaluate("document.scrollingElement.scrollHeight - innerHeight")
        if scroll > 1:
            problems.append(f"the window scrolls down by {scroll}px")
        assert not problems, "\n".join(problems)

        # The timer and the notes are folded; the projector switch is beside the controls.
        expect(page.locator("#timer-panel")).not_to_have_attribute("open", "")
        expect(page.locator("#notes-details")).not_to_have_attribute("open", "")
        expect(page.locator("#timer-minutes")).to_be_hidden()
        switch = box_of(page.locator(".mode-switch"))
        controls = box_of(page.locator("#control-bar"))
        assert controls["x"] <= switch["x"] <= controls["x"] + controls["width"], switch
        assert 0 <= switch["y"] - (controls["y"] + controls["height"]) <= 20, (switch, controls)

        # The join link breaks, if at all, before the code, never inside it.
        code_box = page.locator(".join-link-code")
        expect(code_box).to_have_text(room)
        assert len(code_box.evaluate("el => [...el.getClientRects()]")) == 1

        # Every menu opens inside the window.
        for menu in page.locator("details[data-menu]").all():
            menu.locator("summary").click()
            expect(menu).to_have_attribute("open", "")
            next_frame(page)
            panel = menu.locator(".menu-panel")
            problems = outside(page, {"menu": panel.evaluate(RECT_JS)})
            last = menu.locator(".menu-panel li").last
            last.scroll_into_view_if_needed()
            expect(last).to_be_in_viewport()
            assert not problems, problems
            page.screenshot(path=artifacts_dir / f"console-fits-1366x{height}-menu.png")
            page.keyboard.press("Escape")
            expect(menu).not_to_have_attribute("open", "")

        # Unfolded and used, the timer folds away again; the window still does not scroll.
        page.locator("#timer-panel > summary").click()
        page.locator("#timer-minutes").fill("5")
        page.get_by_role("button", name="Start timer").click()
        expect(page.locator("#timer-state")).to_have_text(re.compile("^Running"))
        page.locator("#timer-stop").click()
        expect(page.locator("#timer-state")).to_have_text("No timer on this stage")
        page.locator("#timer-panel > summary").click()
        expect(page.locator("#timer-panel")).not_to_have_attribute("open", "")
        assert page.evaluate("document.scrollingElement.scrollHeight - innerHeight") <= 1
        assert errors == []
    finally:
        page.context.close()


def test_a_timer_started_elsewhere_unfolds_the_panel(live_server, browser, room):
    page = open_console(browser, live_server, room, viewport={"width": 1366, "height": 768})
    other = open_console(browser, live_server, room, viewport={"width": 1366, "height": 768})
    try:
        expect(page.locator("#timer-panel")).not_to_have_attribute("open", "")
        other.locator("#timer-panel > summary").click()
        other.get_by_role("button", name="Start timer").click()
        expect(page.locator("#timer-panel")).to_have_attribute("open", "")
        expect(page.locator("#timer-minutes")).to_be_visible()
        other.locator("#timer-stop").click()
        expect(page.locator("#timer-state")).to_have_text("No timer on this stage")
    finally:
        page.context.close()
        other.context.close()


@pytest.mark.parametrize(
    "size",
    [(1920, 1080, 1), (390, 844, 2)],
    ids=["1920x1080", "390x844"],
)
def test_console_screenshots(live_server, browser, room, artifacts_dir, size):
    width, height, scale = size
    page = open_console(
        browser,
        live_server,
        room,
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
    )
    try:
        page.screenshot(path=artifacts_dir / f"console-fits-{width}x{height}.png")
        if width >= 1366:
            assert not outside(page, page.evaluate(BOXES_JS, MUST_SHOW))
            assert page.evaluate("document.scrollingElement.scrollHeight - innerHeight") <= 1
        else:
            page.screenshot(
                path=artifacts_dir / f"console-fits-{width}x{height}-page.png", full_page=True
            )
            assert sideways_overflow(page) <= 1
    finally:
        page.context.close()


REFLOW_SIZES = {
    "320px": {"viewport": {"width": 320, "height": 800}},
    "zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}


@pytest.mark.parametrize("size", REFLOW_SIZES, ids=list(REFLOW_SIZES))
def test_the_console_reflows(live_server, browser, room, artifacts_dir, size):
    page = open_console(browser, live_server, room, **REFLOW_SIZES[size])
    try:
        page.screenshot(path=artifacts_dir / f"console-reflow-{size}.png", full_page=True)
        problems = list(page.evaluate(REFLOW_PROBLEMS_JS))
        extra = sideways_overflow(page)
        if extra > 1:
            problems.append(f"the page scrolls sideways by {extra}px")
        # Opened, the menu, the folded panels and the numbers per sector reflow too.
        page.locator("#breakdown-switch").get_by_role("button", name="By sector").click()
        page.locator(".group-numbers > summary").click()
        expect(page.locator(".group-numbers table").first).to_be_visible()
        page.locator("#timer-panel > summary").click()
        page.locator("#notes-details > summary").click()
        menu = page.locator("details[data-menu]").first
        menu.locator("summary").click()
        next_frame(page)
        problems += [f"opened: {p}" for p in page.evaluate(REFLOW_PROBLEMS_JS)]
        box = box_of(menu.locator(".menu-panel"))
        if box["x"] < 0 or box["x"] + box["width"] > REFLOW_SIZES[size]["viewport"]["width"]:
            problems.append(f"the Exports menu is drawn at {box}")
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()


def test_console_heading_levels(live_server, browser, room):
    page = open_console(browser, live_server, room, viewport={"width": 1366, "height": 768})
    try:
        page.locator("#notes-details > summary").click()
        headings = page.evaluate(HEADINGS_JS)
        assert [text for level, text in headings if level == 1] == [
            f"Console: Data for Public Benefit ({room})"
        ], headings
        assert headings[0][0] == 1, headings
        previous = 0
        for level, text in headings:
            assert level <= previous + 1, f"h{level} {text!r} follows h{previous}: {headings}"
            previous = level
    finally:
        page.context.close()
