"""The downloaded report.html opened from disk (file://) in Chromium: every chart renders
with no network at all, and the page prints with one stage per page."""

from __future__ import annotations

from datetime import date

from facilitation.workshop.plan_cache import plan_of
from tests.exports.qualitative import tell

FILE_URL_PREFIXES = ("file:", "data:", "blob:", "about:")


def download(workshop, filename: str = "report.html") -> bytes:
    facilitator = workshop.facilitator()
    response = facilitator.http.get(f"/facilitator/sessions/{workshop.code}/export/{filename}")
    assert response.status_code == 200, response.status_code
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data()


def test_downloaded_report_draws_its_charts_offline(workshop, desktop_context, artifacts_dir):
    story = tell(workshop, place="Leeds", held_on=date(2026, 5, 3))
    path = artifacts_dir / "report-session.html"
    path.write_bytes(download(workshop))
    with workshop.db() as db:
        stages = len(plan_of(story.session(db)).stages)

    context = desktop_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def refuse(route):  # networking is irrelevant: anything not in the file is refused
        outside.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(FILE_URL_PREFIXES), refuse)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())

    charts = page.locator(".chart")
    expected = charts.count()
    assert expected >= 2  # the purposeful traffic light and the respect ratings
    for index in range(expected):
        charts.nth(index).locator(".main-svg").first.wait_for()
    assert page.locator("section.stage[data-stage]").count() == stages  # the profile's has none
    # the traffic light's bars are drawn with their words in them
    purposeful = page.locator('section[data-stage="purposeful"] .chart')
    assert purposeful.locator("text", has_text="Met: 1").count() >= 1
    # participant markup is text on the page, not elements
    assert page.locator("section.stage script:not([type])").count() == 0
    assert page.locator('.comment-text:has-text("<script>alert")').count() == 1
    assert outside == [] and errors == []
    page.screenshot(path=str(artifacts_dir / "report-session.png"), full_page=True)

    # Printing: one stage per page, charts redrawn to the page's width and never cut.
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart .main-svg')]"
        ".every(svg => svg.getBoundingClientRect().width <= 700)"
    )
    assert page.evaluate(
        "getComputedStyle(document.querySelector('section.stage')).breakBefore"
    ) in ("page", "always")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(artifacts_dir / "report-session-print.png"), full_page=True)


def test_series_report_sets_sessions_side_by_side(app, workshop, desktop_context, artifacts_dir):
    from facilitation.extensions import socketio
    from tests.conftest import BUILTIN_PLAN
    from tests.exports.qualitative import a_third_answer, in_series
    from tests.factories import Workshop

    first = tell(workshop, place="Leeds", held_on=date(2026, 5, 3))
    other = Workshop(app, socketio, BUILTIN_PLAN)
    try:
        second = tell(other, place="Bristol", held_on=date(2026, 6, 9))
        for story in (first, second):
            a_third_answer(story)
        with workshop.db() as db:
            series = in_series(db, "Six areas, 2026", [first, second])
        response = workshop.facilitator().http.get(
            f"/facilitator/series/{series.id}/export/report.html"
        )
    finally:
        other.close()
    assert response.status_code == 200
    path = artifacts_dir / "report-series.html"
    path.write_bytes(response.get_data())

    context = desktop_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    context.route(
        lambda url: not url.startswith(FILE_URL_PREFIXES),
        lambda route: (outside.append(route.request.url), route.abort()),
    )
    page = context.new_page()
    page.goto(path.as_uri())
    purposeful = page.locator('section[data-stage="purposeful"]')
    purposeful.locator(".chart .main-svg").first.wait_for()
    # one bar per session, each named by its place and date
    assert purposeful.locator(".chart text", has_text="Leeds").count() >= 1
    assert purposeful.locator(".chart text", has_text="Bristol").count() >= 1
    assert purposeful.locator("h3.session-label").count() == 2
    assert outside == []
    page.screenshot(path=str(artifacts_dir / "report-series.png"), full_page=True)
