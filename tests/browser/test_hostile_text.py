"""Hostile text in real browsers: a phone joins with an XSS payload as its display name and
at a table whose name is one, posts every known payload as comments and word-cloud words,
in a session whose plan carries them in its title, prompts and sectors. The phone, the
projector and the facilitator's console show each as literal text, and none runs: every
payload sets ``window.__xss`` (or opens an alert) if it ever executes.

The CSP would block an injected inline script or handler even if escaping failed, so the
test also looks for the markup itself (an ``img`` with ``onerror``, a ``script`` in
``main``...): escaping is checked, not only the CSP.

Screenshots: tests/artifacts/hostile-*.png.
"""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeSerializer
from playwright.sync_api import Page, expect

from tests.security.hostile import XSS, hostile_plan
from tests.support.live import FacilitatorSocket, login
from tests.support.pages import SAVED, log_in
from tests.support.server import flask_cli, start_live_app

# What the page would hold if any payload had become markup instead of text.
INJECTED = "img[onerror], svg[onload], [onmouseover], main script, a[href^='javascript']"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    plans = tmp_path_factory.mktemp("plans")
    (plans / "hostile.yaml").write_text(hostile_plan())
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def watch(page: Page, dialogs: list[str], errors: list[str]) -> Page:
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def nothing_ran(page: Page, where: str) -> None:
    assert page.evaluate("() => window.__xss") is None, f"a payload ran on the {where}"
    assert page.locator(INJECTED).count() == 0, f"markup from a payload on the {where}"


def ok(ack: dict) -> dict:
    assert ack["ok"], ack
    return ack


def test_hostile_text_shows_as_text_and_never_runs(
    live_server, phone_context, projector_context, desktop_context, artifacts_dir
):
    url = live_server.url
    code = flask_cli(live_server.env, "session", "open", "hostile").strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    dialogs: list[str] = []
    errors: list[str] = []

    console = watch(desktop_context().new_page(), dialogs, errors)
    log_in(console, live_server)
    console.goto(f"{url}/facilitator/sessions/{code}")
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}

    key = URLSafeSerializer(live_server.env["SECRET_KEY"], salt="facilitation.screen").dumps(code)
    screen = watch(projector_context().new_page(), dialogs, errors)
    screen.goto(f"{url}/s/{code}/screen?key={key}")
    expect(screen.locator("#connection")).to_have_text("Live")

    # Join with a payload for a name, at a table whose name is a payload.
    phone = watch(phone_context().new_page(), dialogs, errors)
    phone.goto(f"{url}/j/{code}")
    expect(phone.locator("h1")).to_contain_text(XSS[0])  # the plan's title, as text
    phone.get_by_label("Display name").fill(XSS[1])
    phone.get_by_label("Your sector").select_option(XSS[5])
    phone.get_by_label("Your table").select_option(label="Table " + XSS[2])
    phone.screenshot(path=str(artifacts_dir / "hostile-1-join.png"), full_page=True)
    phone.get_by_label("I have read this and want to take part").check()
    nothing_ran(phone, "join page")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#connection")).to_have_text("Live")

    # Every payload as a comment, typed on the phone.
    ok(facilitator.emit("goto", {"index": stages["talk"]}))
    ok(facilitator.emit("open_input"))
    box = phone.get_by_label("Your answer")
    for n, payload in enumerate(XSS, start=1):
        box.fill(payload)
        phone.locator("button.post").click()
        expect(phone.locator(".comment.own")).to_have_count(n)
    for payload in XSS:
        expect(phone.locator(".comments")).to_contain_text(" ".join(payload.split()))
    phone.screenshot(path=str(artifacts_dir / "hostile-2-phone-comments.png"), full_page=True)

    ok(facilitator.emit("set_screen_mode", {"mode": "wall"}))
    for payload in XSS[:4]:  # the wall shows the most recent few
        expect(screen.locator("main")).to_contain_text(payload)
    screen.screenshot(path=str(artifacts_dir / "hostile-3-projector-wall.png"))
    for payload in XSS:
        expect(console.locator("main")).to_contain_text(" ".join(payload.split()))
    expect(console.locator("main")).to_contain_text(XSS[1])  # the display name
    console.screenshot(path=str(artifacts_dir / "hostile-4-console.png"), full_page=True)

    # Word-cloud words, typed on the phone, revealed on the projector.
    ok(facilitator.emit("set_screen_mode", {"mode": "auto"}))
    ok(facilitator.emit("goto", {"index": stages["words"]}))
    ok(facilitator.emit("open_input"))
    phone.locator("input[name='words']").fill("<svg onload=window.__xss=1>")
    phone.locator("input[name='words']").press("Enter")
    expect(phone.locator(".save-status")).to_have_text(SAVED)
    expect(phone.locator("main")).to_contain_text("<svg onload=window.__xss=1>")
    ok(facilitator.emit("reveal"))
    # The cloud counts words (letters only), so markup cannot reach it whole.
    expect(screen.locator("main")).to_contain_text("onload")
    screen.screenshot(path=str(artifacts_dir / "hostile-5-projector-words.png"))

    for page, where in ((phone, "phone"), (screen, "projector"), (console, "console")):
        nothing_ran(page, where)
    facilitator.close()
    assert not dialogs, dialogs
    assert not errors, errors
