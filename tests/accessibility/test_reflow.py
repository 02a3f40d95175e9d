"""Reflow (WCAG 2.2 1.4.10) and heading levels (1.3.1) on the facilitator's and
researcher's pages and in the downloaded HTML report.

Two sizes: a 320x800 window, and a 1280x800 laptop zoomed to 200 % (the page lays out in
640x400 CSS px, drawn with twice the pixels). At both, no page scrolls sideways; a data
table too wide for the screen scrolls inside its own box, which is a focusable, named
region; nothing is clipped or drawn past the window's edge; the header's parts never sit
on each other (tests/accessibility/js/reflow-problems.js lists what it checks).
Each page has one h1 and no heading level skipped. Screenshots of every page at 320x800
go to tests/artifacts/reflow-320px-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.accessibility.measure import script, sideways_overflow
from tests.accessibility.workshop import PLAN_SLUG, Room
from tests.support.pages import log_in
from tests.support.server import flask_cli

SIZES = {
    "320px": {"viewport": {"width": 320, "height": 800}},
    "zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}

RESEARCHER = "a.rather.long.researcher.address@university.example.org"
PASSWORD = "a long reader password"
SERIES = "Spring workshops across the region"

REFLOW_PROBLEMS_JS = script("reflow-problems.js")
HEADINGS_JS = script("headings.js")


def reflow_problems(page: Page, where: str) -> list[str]:
    page.wait_for_load_state("load")
    problems = [f"{where}: {problem}" for problem in page.evaluate(REFLOW_PROBLEMS_JS)]
    extra = sideways_overflow(page)
    if extra > 1:
        problems.append(f"{where}: the page scrolls sideways by {extra}px")
    return problems


def heading_problems(page: Page, where: str) -> list[str]:
    """One h1, and each heading at most one level below the one before it."""
    headings = page.evaluate(HEADINGS_JS)
    problems = []
    ones = [text for level, text in headings if level == 1]
    if len(ones) != 1:
        problems.append(f"{where}: {len(ones)} h1 headings {ones}")
    previous = 0
    for level, text in headings:
        if level > previous + 1:
            problems.append(f"{where}: h{level} {text!r} follows h{previous}")
        previous = level
    return problems


@pytest.fixture(scope="module")
def room_with_data(live_server, browser, tmp_path_factory):
    """A session with answers and comments on every kind of stage, in a series, granted
    to a researcher (who has an account with a long address); and its HTML report."""
    room = Room.open(live_server, per_group=2)  # enough answers for the series' charts
    for key in ("pick", "rate", "light", "order", "dots", "place", "words"):
        room.show(key)
        room.others_answer(key)
        if key in ("rate", "light"):
            room.comment(key, f"A longer comment about {key}, as people write them.")
        room.reveal()
    flask_cli(
        live_server.env,
        "facilitator", "create", RESEARCHER, "--role", "researcher", "--password", PASSWORD,
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        log_in(page, live_server)
        page.goto(f"{room.url}/facilitator/series/for-session/{room.code}")
        page.get_by_label("A new series").check()
        page.get_by_label("Title of the new series").fill(SERIES)
        page.get_by_label("Place").fill("Llanfairpwllgwyngyll community hall")
        page.get_by_label("Held on").fill("2026-03-12")
        page.get_by_role("button", name="Add to series").click()
        expect(page.get_by_role("heading", name=SERIES, level=1)).to_be_visible()
        series_url = page.url
        page.goto(f"{room.url}/facilitator/researchers/")
        card = page.locator("article", has=page.get_by_role("heading", name=RESEARCHER))
        for target in (f"session:{room.code}", f"series:{series_url.rstrip('/').split('/')[-1]}"):
            card.get_by_label("Grant a session or a series").select_option(target)
            card.get_by_role("button", name="Grant").click()
            expect(page.locator(".flash")).to_contain_text("may now read")
        exports = f"{room.url}/facilitator/sessions/{room.code}/export"
        response = page.request.get(f"{exports}/report.html")
        assert response.status == 200
        report = tmp_path_factory.mktemp("report") / "report.html"
        report.write_bytes(response.body())
    finally:
        context.close()
    yield room, series_url, report
    room.close()


def facilitator_pages(room: Room, series_url: str) -> dict[str, str]:
    url = room.url
    return {
        "dashboard": f"{url}/facilitator/",
        "researchers": f"{url}/facilitator/researchers/",
        "plans": f"{url}/facilitator/plans/",
        "plan-editor": f"{url}/facilitator/plans/{PLAN_SLUG}",
        "series-list": f"{url}/facilitator/series/",
        "series": series_url,
        "series-for-session": f"{url}/facilitator/series/for-session/{room.code}",
    }


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)


def new_context(browser, options: dict):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    return context


def research_page(browser, room: Room, options: dict) -> Page:
    """The researcher's Research page, in a context of its own (its own login)."""
    reader = new_context(browser, options).new_page()
    visit(reader, f"{room.url}/login")
    reader.get_by_label("Email").fill(RESEARCHER)
    reader.get_by_label("Password").fill(PASSWORD)
    reader.get_by_role("button", name="Log in").click()
    expect(reader.get_by_role("heading", name="Research", exact=True)).to_be_visible()
    return reader


def draw_series_charts(page: Page) -> None:
    """The series page draws a chart as it nears the screen: bring each one into view."""
    charts = page.locator(".series-chart")
    assert charts.count() >= 3, "the series shows too few charts to test"
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        expect(charts.nth(index)).to_have_class(re.compile(r"\bis-drawn\b"))
    page.evaluate("window.scrollTo(0, 0)")


def show_form_tab(page: Page) -> None:
    page.get_by_role("tab", name="Form").click()
    expect(page.locator("#form-panel .editor-section").first).to_be_visible()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_desk_pages_reflow(live_server, browser, room_with_data, artifacts_dir, size):
    room, series_url, report = room_with_data
    problems: list[str] = []
    reader = None
    context_options = SIZES[size]
    context = new_context(browser, context_options)

    def check(page: Page, name: str) -> None:
        problems.extend(reflow_problems(page, name))
        if size == "320px":
            page.screenshot(path=artifacts_dir / f"reflow-{size}-{name}.png", full_page=True)

    try:
        page = context.new_page()
        log_in(page, live_server)
        for name, url in facilitator_pages(room, series_url).items():
            visit(page, url)
            if name == "series":
                draw_series_charts(page)
            check(page, name)
        visit(page, f"{room.url}/facilitator/plans/{PLAN_SLUG}")
        show_form_tab(page)
        check(page, "plan-editor-form")
        page.get_by_role("tab", name="YAML").click()
        expect(page.locator("#yaml-source")).to_be_visible()
        check(page, "plan-editor-yaml")
        visit(page, f"{room.url}/facilitator/plans/")
        page.get_by_role("button", name="New plan").click()
        expect(page.get_by_role("tab", name="Form")).to_have_attribute("aria-selected", "true")
        with page.expect_response(lambda r: r.url.endswith("/facilitator/plans/preview")):
            page.locator("#preview-button").click()
        page.frame(name="preview-frame").wait_for_load_state("load")
        check(page, "plan-editor-new-with-preview")
        visit(page, f"{page.url}/delete")
        check(page, "plan-delete")

        reader = research_page(browser, room, context_options)
        check(reader, "research")

        visit(page, Path(report).as_uri())
        page.locator(".chart .main-svg").first.wait_for()
        check(page, "report")
    finally:
        context.close()
        if reader is not None:
            reader.context.close()
    assert not problems, "\n".join(problems)


def test_heading_levels(live_server, browser, room_with_data):
    room, series_url, report = room_with_data
    problems: list[str] = []
    reader = None
    context_options = {"viewport": {"width": 1366, "height": 768}}
    context = new_context(browser, context_options)
    try:
        page = context.new_page()
        log_in(page, live_server)
        for name, url in facilitator_pages(room, series_url).items():
            visit(page, url)
            problems.extend(heading_problems(page, name))
        visit(page, f"{room.url}/facilitator/plans/{PLAN_SLUG}")
        show_form_tab(page)
        problems.extend(heading_problems(page, "plan editor, form"))
        page.get_by_role("tab", name="YAML").click()
        problems.extend(heading_problems(page, "plan editor, YAML"))

        reader = research_page(browser, room, context_options)
        problems.extend(heading_problems(reader, "research"))

        visit(page, Path(report).as_uri())
        problems.extend(heading_problems(page, "report"))
    finally:
        context.close()
        if reader is not None:
            reader.context.close()
    assert not problems, "\n".join(problems)
