"""A 20-second join: the projector's QR code opens the join page with the code filled in,
the whole form and its Join button fit the first screen of a phone (390x844 and 360x640),
and a person reaches the first answer in four taps (sector, consent, Join, the answer);
typing the code instead takes one field and one button.
Screenshots: tests/artifacts/join-flow-390x844.png and join-flow-360x640.png."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from tests.browser.test_phone import assert_fits_the_screen, open_session, show
from tests.support.live import FacilitatorSocket, login
from tests.support.pages import box_of, saved

SCREENS = {"390x844": (390, 844), "360x640": (360, 640)}


def qr_path(url: str, code: str) -> str:
    """The path the projector's QR code encodes (the SVG's title names its address)."""
    svg = requests.get(f"{url}/s/{code}/qr.svg", timeout=10).text
    encoded = re.search(r"<title>QR code for ([^<]+)</title>", svg).group(1)
    return urlsplit(encoded).path


def assert_on_first_screen(page: Page, control: Locator, name: str) -> None:
    """Inside the viewport as the page opens: no scrolling needed to see or tap it."""
    assert page.evaluate("window.scrollY") == 0
    box = box_of(control)
    size = page.viewport_size
    assert box is not None, f"{name} is not shown"
    inside = box["x"] >= 0 and box["y"] >= 0
    inside = inside and box["x"] + box["width"] <= size["width"]
    inside = inside and box["y"] + box["height"] <= size["height"]
    assert inside, f"{name} at {box} is outside the {size['width']}x{size['height']} screen"


class Taps:
    """Counts what a person does with a finger on the way to their first answer."""

    def __init__(self) -> None:
        self.count = 0

    def choose(self, select: Locator, value: str) -> None:
        select.select_option(value)
        self.count += 1

    def tick(self, box: Locator) -> None:
        box.check()
        self.count += 1

    def tap(self, control: Locator) -> None:
        control.click()
        self.count += 1


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_from_the_qr_code_to_the_first_answer_in_four_taps(
    live_server, phone_context, artifacts_dir, screen
):
    code = open_session(live_server)
    path = qr_path(live_server.url, code)
    assert path == f"/j/{code}"  # the join page itself, code filled: nothing to type
    width, height = SCREENS[screen]
    page = phone_context(viewport={"width": width, "height": height}).new_page()
    page.goto(live_server.url + path)

    # Everything a person needs is on the first screen; the full notice is one tap away.
    expect(page.get_by_role("heading", level=1)).to_have_text("Data for Public Benefit")
    join_button = page.get_by_role("button", name="Join")
    for name, control in [
        ("the sector", page.get_by_label("Your sector")),
        ("the consent box", page.get_by_label("I have read this and want to take part")),
        ("the Join button", join_button),
    ]:
        assert_on_first_screen(page, control, name)
    notice = page.locator("details.notice-details")
    expect(notice).not_to_have_attribute("open", "")
    page.screenshot(path=artifacts_dir / f"join-flow-{screen}.png")
    assert_fits_the_screen(page)

    # The disclosure opens from the keyboard and holds the plan's whole notice.
    notice.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(notice.get_by_text("Your answers feed today's discussion")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"join-flow-{screen}-notice.png", full_page=True)
    page.keyboard.press("Enter")
    expect(notice.get_by_text("Your answers feed today's discussion")).to_be_hidden()

    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    try:
        show(facilitator, "purposeful")  # the first stage with a question, input open
        taps = Taps()
        taps.choose(page.get_by_label("Your sector"), "Housing")
        taps.tick(page.get_by_label("I have read this and want to take part"))
        taps.tap(join_button)
        expect(page.locator("#connection")).to_have_text("Live")
        expect(page.get_by_role("heading", name="Test 1: Purposeful")).to_be_visible()
        taps.tap(page.get_by_role("radio", name="Met", exact=True))
        saved(page)
        assert taps.count == 4
    finally:
        facilitator.close()


def test_typing_the_code_takes_one_field_and_one_button(live_server, phone_context):
    code = open_session(live_server)
    page = phone_context().new_page()
    page.goto(f"{live_server.url}/")
    form = page.locator("form.code-form")
    expect(form.locator("input:not([type=hidden]), select, textarea")).to_have_count(1)
    expect(form.get_by_role("button")).to_have_count(1)
    assert_on_first_screen(page, form.get_by_role("button", name="Join"), "the Join button")
    page.get_by_label("Workshop code").fill(code.lower())
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(f"{live_server.url}/j/{code}")


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_with_tables_the_join_button_is_still_on_the_first_screen(
    live_server, phone_context, artifacts_dir, screen
):
    code = open_session(live_server)
    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    try:
        assert facilitator.emit("set_tables", {"tables": ["Table 1", "Table 2", "Window"]})["ok"]
    finally:
        facilitator.close()
    width, height = SCREENS[screen]
    page = phone_context(viewport={"width": width, "height": height}).new_page()
    page.goto(f"{live_server.url}/j/{code}")

    # Labelled, and not knowing is an answer a person can see without a hint.
    table = page.get_by_label("Your table")
    expect(table.locator("option:checked")).to_have_text("I don’t know yet")
    for name, control in [
        ("the sector", page.get_by_label("Your sector")),
        ("the table", table),
        ("the consent box", page.get_by_label("I have read this and want to take part")),
        ("the Join button", page.get_by_role("button", name="Join")),
    ]:
        assert_on_first_screen(page, control, name)
    page.screenshot(path=artifacts_dir / f"join-flow-tables-{screen}.png")
    assert_fits_the_screen(page)
