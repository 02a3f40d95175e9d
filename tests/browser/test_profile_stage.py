"""The profile stage of the built-in plan in real browsers: a few phones answer the tests and
features, the facilitator goes to "The room's verdict" and reveals it; the projector at
1920x1080 shows the chart of the three tests and five features and the acceptability score
in large type; a phone at 390x844 shows the room's profile with its own scores marked; the
console at 1366x768 shows the score over its chart. Screenshots:
tests/artifacts/profile-*.png."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from facilitation.plans import load_plan
from tests.browser.test_breakdown_views import screen_url
from tests.browser.test_phone import control, open_session, stage_index, watch_errors
from tests.browser.test_phone_after_the_results import facilitator_for, joined_phone
from tests.conftest import BUILTIN_PLAN
from tests.support.live import LiveSocket, client_id, join
from tests.support.pages import log_in, saved

PLAN = load_plan(BUILTIN_PLAN)
FRAMEWORK = PLAN.framework
# The phone under test lights every test met and rates every feature 4 (75 out of 100);
# the two others partly met and 2 (25), and not met and 3 (50).
OTHERS = (("partly", 2), ("not_met", 3))


def value(key: str, light: str, rating: int) -> dict:
    activity = PLAN.stage(key).activity
    if key in FRAMEWORK.tests:
        return {"lights": {item.key: light for item in activity.items}}
    return {"ratings": {item.key: rating for item in activity.items}}


def shot(page: Page, artifacts_dir, name: str) -> None:
    page.wait_for_timeout(500)  # the last redraw and the bars' growth settle
    page.screenshot(path=artifacts_dir / f"profile-{name}.png")


def test_the_rooms_verdict_on_the_projector_the_console_and_a_phone(
    live_server, phone_context, projector_context, desktop_context, artifacts_dir, sockets
):
    code = open_session(live_server)
    phone = joined_phone(live_server, phone_context, code)
    errors = watch_errors(phone)
    others = [
        LiveSocket(live_server.url, join(live_server.url, code, sector), code, role="participant")
        for sector in ("Health", "Housing")
    ]
    sockets.extend(others)
    facilitator = facilitator_for(live_server, code)
    sockets.append(facilitator)
    projector = projector_context().new_page()
    screen_errors = watch_errors(projector)
    projector.goto(screen_url(live_server, code))
    expect(projector.locator("#connection")).to_have_text("Live")
    console = desktop_context().new_page()
    log_in(console, live_server)
    console.goto(f"{live_server.url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")

    for key in FRAMEWORK.stage_keys:
        assert facilitator.emit("goto", {"index": stage_index(facilitator, key)})["ok"]
        control(facilitator, "open_input")
        for socket, (light, rating) in zip(others, OTHERS, strict=True):
            payload = {"stage": key, "client_id": client_id(), "value": value(key, light, rating)}
            assert socket.emit("answer", payload)["ok"]
        # The phone under test answers in its browser: Met for a test, 4 for each rating.
        expect(phone.locator("h1.stage-title")).to_have_text(PLAN.stage(key).title)
        name = "Met" if key in FRAMEWORK.tests else "4"
        for radio in phone.get_by_role("radio", name=name, exact=True).all():
            radio.check()
            saved(phone)

    assert facilitator.emit("goto", {"index": stage_index(facilitator, "verdict")})["ok"]
    # Before the reveal: the stage's card on the projector and the phone.
    expect(projector.locator(".stage-title")).to_have_text("The room's verdict")
    expect(projector.locator(".card-body")).to_contain_text("acceptability score")
    state = facilitator.emit("sync")["state"]
    assert state["flow"]["next"] == "reveal"
    control(facilitator, "reveal")

    # The projector: the chart and the score in large type.
    chart = projector.locator("#chart")
    expect(chart.locator(".main-svg").first).to_be_visible()
    score = projector.locator(".acceptability")
    expect(score).to_contain_text("Acceptability")
    # Features: 75, 25 and 50 in every one: the acceptability score is 50.
    expect(score.locator(".acceptability-score")).to_have_text("50 / 100")
    expect(score).to_contain_text("n = 3")
    expect(score).to_contain_text("95% CI")
    big = score.locator(".acceptability-score strong").evaluate(
        "(e) => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert big >= 120, big  # read from the back of the room
    texts = "(nodes) => nodes.map((n) => n.textContent)"  # SVG text has no innerText
    ticks = chart.locator(".ytick text").evaluate_all(texts)
    for key in FRAMEWORK.stage_keys:
        title = PLAN.stage(key).title
        assert any(title.split(":")[0] in tick for tick in ticks), (title, ticks)
    assert chart.locator(".errorbar").count() >= 8  # a whisker per test and feature
    legend = chart.locator(".legendtext").evaluate_all(texts)
    assert legend == ["Tests", "Features"], legend
    shot(projector, artifacts_dir, "projector-1920x1080")

    # The phone: the room's scores as bars, its own marked in words and on each bar.
    results = phone.locator(".results-slot")
    expect(results).to_be_visible()
    expect(results.locator(".profile-acceptability")).to_contain_text("50 / 100")
    expect(results.locator(".profile-row")).to_have_count(8)
    own = results.locator(".profile-row .yours")
    expect(own).to_have_count(8)
    expect(own.first).to_have_text("You: 100")  # met
    expect(own.nth(3)).to_have_text("You: 75")  # 4 on 1 to 5
    expect(results.locator(".profile-you")).to_have_count(8)
    expect(results.locator(".profile-acceptability .yours")).to_have_text("You: 75")
    first = results.locator(".profile-row").first
    expect(first.locator(".bar-label")).to_have_text(PLAN.stage(FRAMEWORK.tests[0]).title)
    expect(first.locator(".bar-count")).to_have_text("50 / 100")  # (100 + 50 + 0) / 3
    results.scroll_into_view_if_needed()
    shot(phone, artifacts_dir, "phone-390x844")
    results.screenshot(path=artifacts_dir / "profile-phone-results.png")
    # No scrolling sideways on the phone.
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")

    # The console: the score over its chart.
    preview = console.locator("#preview")
    expect(preview.locator(".acceptability")).to_contain_text("50")
    expect(preview.locator(".chart .main-svg").first).to_be_visible()
    preview.screenshot(path=artifacts_dir / "profile-console-preview.png")

    # By sector: one panel per group, small ones folded (one person each here): said.
    assert facilitator.emit("set_breakdown", {"breakdown": "sector"})["ok"]
    expect(projector.locator(".results-caption")).to_contain_text("By sector")
    shot(projector, artifacts_dir, "projector-by-sector")
    assert facilitator.emit("set_breakdown", {"breakdown": "room"})["ok"]

    # After a reconnect the phone asks for its own profile again.
    phone.reload()
    expect(phone.locator(".results-slot .profile-row .yours").first).to_have_text("You: 100")
    assert not errors, errors
    assert not screen_errors, screen_errors
