"""A participant's phone in a real browser against the real server: join by typing the
code, answer each kind of stage as the facilitator moves on, comment and agree, see the
revealed results, reload without losing anything, and withdraw.

The facilitator is driven over Socket.IO (tests/support/live.py), not through the console.
Screenshots of every activity at 390x844 go to tests/artifacts/phone-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.pages import box_of, saved
from tests.support.server import flask_cli

PLAN = "data-for-public-benefit"


def open_session(live_server, *extra: str) -> str:
    output = flask_cli(live_server.env, "session", "open", PLAN, *extra)
    return output.strip().splitlines()[-1].strip()


def stage_index(facilitator: FacilitatorSocket, key: str) -> int:
    stages = facilitator.emit("sync")["stages"]
    return next(s["index"] for s in stages if s["key"] == key)


def show(facilitator: FacilitatorSocket, key: str, *, open_input: bool = True) -> None:
    assert facilitator.emit("goto", {"index": stage_index(facilitator, key)})["ok"]
    if open_input:
        assert facilitator.emit("open_input")["ok"]


def control(facilitator: FacilitatorSocket, *events: str) -> None:
    for event in events:
        ack = facilitator.emit(event)
        assert ack["ok"], (event, ack)


def watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The unknown-code and form-error pages answer 404 and 400 on purpose, and while a
    # test restarts the server the browser reports each refused reconnection attempt;
    # those are the network's words, not the page's. Any other console error is a fault.
    network = ("Failed to load resource", "WebSocket connection to")
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and not m.text.startswith(network) else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and "/static/" in r.url
            else None
        ),
    )
    return errors


def snap(page: Page, artifacts_dir, name: str) -> None:
    # From the top: a full-page shot of a scrolled page draws the sticky bar mid-page.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts_dir / f"phone-{name}.png", full_page=True)


def reload(page: Page) -> None:
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live")


def assert_fits_the_screen(page: Page) -> None:
    """Nothing wider than the phone, and no text under 16px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px wide)"
    small = page.evaluate(
        """() => [...document.querySelectorAll('main *, header *')]
            .filter(el => el.offsetParent !== null && el.childNodes.length
                    && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
                    && !el.closest('.visually-hidden')
                    && parseFloat(getComputedStyle(el).fontSize) < 16)
            .map(el => el.className + ': ' + el.textContent.trim().slice(0, 30))"""
    )
    assert not small, f"text smaller than 16px: {small}"


def test_a_phone_takes_part_from_joining_to_withdrawing(live_server, phone_context, artifacts_dir):
    code = open_session(live_server)
    page = phone_context().new_page()
    errors = watch_errors(page)

    # Join: type the code the way people do (lower case, a space), read, consent.
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Join a workshop")).to_be_visible()
    snap(page, artifacts_dir, "01-home")
    page.get_by_label("Workshop code").fill("zzz zz2")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("No workshop has the code ZZZZZ2")).to_be_visible()
    expect(page.get_by_label("Workshop code")).to_have_value("zzz zz2")
    page.get_by_label("Workshop code").fill(f"{code[:3].lower()} {code[3:].lower()}")
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(f"{live_server.url}/j/{code}")
    expect(page.get_by_text("Before you join: what we collect, and why")).to_be_visible()
    snap(page, artifacts_dir, "02-join")

    page.get_by_label("Display name").fill("Sam <b>from</b> housing")
    page.get_by_role("button", name="Join").click()  # no sector, no consent
    expect(page.locator("#sector-error")).to_have_text("Please choose the sector you work in.")
    expect(page.locator("#consent-error")).to_be_visible()
    expect(page.get_by_label("Display name")).to_have_value("Sam <b>from</b> housing")
    snap(page, artifacts_dir, "03-join-errors")
    page.get_by_label("Your sector").select_option("Housing")
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(f"{live_server.url}/p/{code}")
    expect(page.locator("#connection")).to_have_text("Live")

    # Welcome (info): the card the facilitator shows first.
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    expect(page.get_by_text("Stage 1 of")).to_be_visible()
    snap(page, artifacts_dir, "04-info")
    assert_fits_the_screen(page)

    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    other_http = join(live_server.url, code, "Health", "Alex")
    other = LiveSocket(live_server.url, other_http, code, role="participant")
    try:
        # The menu says who you are, escaped, and shows the notice.
        page.get_by_role("button", name="Menu").click()
        expect(page.locator("#who-name")).to_have_text("Sam <b>from</b> housing")
        page.get_by_role("button", name="What we collect").click()
        expect(page.locator("#notice-dialog")).to_be_visible()
        snap(page, artifacts_dir, "05-notice")
        page.get_by_role("button", name="Close").click()
        expect(page.locator("#notice-dialog")).to_be_hidden()

        # Sector: the stage appears by itself; a tap saves at once.
        show(facilitator, "sector")
        expect(page.get_by_role("heading", name="Your sector")).to_be_visible()
        page.get_by_role("radio", name="Social care").check()
        saved(page)
        snap(page, artifacts_dir, "06-sector")
        assert_fits_the_screen(page)
        reload(page)
        expect(page.get_by_role("radio", name="Social care")).to_be_checked()

        # Scenario: the one the session opened with, then the facilitator picks another.
        show(facilitator, "scenario", open_input=False)
        scenarios = facilitator.emit("sync")["scenarios"]
        expect(page.get_by_role("heading", name=scenarios[0]["title"])).to_be_visible()
        assert facilitator.emit("choose_scenario", {"scenario": scenarios[1]["key"]})["ok"]
        expect(page.get_by_role("heading", name=scenarios[1]["title"])).to_be_visible()
        expect(page.get_by_text("Who shares with whom")).to_be_visible()
        expect(page.get_by_text("Input is closed")).to_be_visible()
        snap(page, artifacts_dir, "07-scenario")
        assert_fits_the_screen(page)

        # Purposeful (traffic light + comments).
        show(facilitator, "purposeful")
        group = page.get_by_role("group", name=re.compile("purpose is clear"))
        expect(group).to_be_visible()
        group.get_by_role("radio", name="Met", exact=True).check()
        saved(page)
        group.get_by_role("radio", name="Partly met").check()  # a change of mind
        saved(page)
        assert other.emit(
            "comment",
            {"stage": "purposeful", "client_id": client_id(), "text": "Who checks the GP list?"},
        )["ok"]
        page.get_by_label("Add a comment").fill("Tenants should be told   first.")
        expect(page.locator(".char-count")).to_have_text("31 / 280")
        page.get_by_role("button", name="Post").click()
        expect(page.locator(".post-status")).to_have_text("Posted ✓")
        own = page.locator(".comment.own")
        expect(own).to_contain_text("Tenants should be told first.")
        expect(own).to_contain_text("Your comment")
        expect(own.get_by_role("button")).to_have_count(0)
        others = page.locator(".comment:not(.own)")
        expect(others).to_contain_text("Who checks the GP list?")
        others.get_by_role("button", name=re.compile("^Agree")).click()
        expect(others.get_by_role("button", name=re.compile("^Agree"))).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(others.locator(".react-agree .react-count")).to_have_text("1")
        snap(page, artifacts_dir, "08-traffic-light")
        assert_fits_the_screen(page)

        reload(page)
        expect(group.get_by_role("radio", name="Partly met")).to_be_checked()
        expect(page.locator(".comment.own")).to_contain_text("Your comment")
        expect(others.get_by_role("button", name=re.compile("^Agree"))).to_have_attribute(
            "aria-pressed", "true"
        )

        control(facilitator, "close_input")
        expect(page.get_by_text("Input is closed")).to_be_visible()
        expect(group.get_by_role("radio", name="Partly met")).to_be_disabled()
        expect(group.get_by_role("radio", name="Partly met")).to_be_checked()
        control(facilitator, "reveal")
        results = page.locator(".results")
        expect(results).to_be_visible()
        expect(results).to_contain_text("1 person answered.")
        expect(results).to_contain_text("Partly met: 1")
        expect(results).to_contain_text("Not met: 0")
        snap(page, artifacts_dir, "09-traffic-light-results")
        assert_fits_the_screen(page)

        # A feature: rate three statements 1 to 5.
        show(facilitator, "feature-outcomes")
        expect(page.get_by_role("heading", name=re.compile("Feature 1"))).to_be_visible()
        blocks = page.locator(".item-block")
        expect(blocks).to_have_count(3)
        for index, rating in enumerate(("4", "2", "5")):
            blocks.nth(index).get_by_role("radio", name=rating, exact=True).check()
            saved(page)
        expect(page.get_by_text("1 = Not at all").first).to_be_visible()
        snap(page, artifacts_dir, "10-rating")
        assert_fits_the_screen(page)
        reload(page)
        expect(blocks.nth(0).get_by_role("radio", name="4", exact=True)).to_be_checked()
        expect(blocks.nth(2).get_by_role("radio", name="5", exact=True)).to_be_checked()
        control(facilitator, "reveal")
        expect(page.locator(".results")).to_contain_text("Median 4")
        expect(page.locator(".results .yours").first).to_have_text("You: 4")
        snap(page, artifacts_dir, "11-rating-results")
        assert_fits_the_screen(page)

        # Ranking: move items with buttons, then submit.
        show(facilitator, "ranking")
        items = page.locator(".ranking-item .rank-label")
        expect(items).to_have_count(5)
        first, last = items.nth(0).inner_text(), items.nth(4).inner_text()
        expect(page.get_by_role("button", name="Submit ranking")).to_be_enabled()
        for _ in range(4):
            page.get_by_role("button", name=f"Move up: {last}").click()
        page.get_by_role("button", name=f"Move down: {first}").click()
        expect(items.nth(0)).to_have_text(last)
        expect(page.locator(".draft-note")).to_contain_text("press Submit ranking")
        page.get_by_role("button", name="Submit ranking").click()
        saved(page)
        expect(page.get_by_role("button", name="Submit ranking")).to_be_disabled()
        order = items.all_inner_texts()
        snap(page, artifacts_dir, "12-ranking")
        assert_fits_the_screen(page)
        reload(page)
        expect(items).to_have_text(order)
        control(facilitator, "reveal")
        expect(page.locator(".results")).to_contain_text("Borda 4")
        expect(page.locator(".results .bar-label").first).to_have_text(f"1. {last}")
        snap(page, artifacts_dir, "13-ranking-results")
        assert_fits_the_screen(page)

        # Open text: comments only.
        show(facilitator, "change")
        expect(page.get_by_label("Your answer")).to_be_visible()
        expect(page.locator(".activity")).to_have_count(0)
        snap(page, artifacts_dir, "14-open-text")

        # Withdraw: confirm, then nothing of theirs is left.
        before = facilitator.emit("sync")["results"]["participants"]
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Withdraw from this workshop").click()
        dialog = page.locator("#withdraw-dialog")
        expect(dialog).to_contain_text("This cannot be undone.")
        snap(page, artifacts_dir, "15-withdraw-confirm")
        dialog.get_by_role("button", name="Withdraw").click()
        expect(page.get_by_role("heading", name="You have withdrawn. Thank you.")).to_be_visible()
        expect(page.locator("main button:visible")).to_have_count(0)
        snap(page, artifacts_dir, "16-withdrawn")
        assert facilitator.emit("sync")["results"]["participants"] == before - 1
        page.reload()
        expect(page.get_by_role("heading", name="You have withdrawn. Thank you.")).to_be_visible()
    finally:
        other.close()
        facilitator.close()
    assert not errors, errors


def test_an_ended_workshop_thanks_the_phone_and_still_allows_withdrawing(
    live_server, phone_context, artifacts_dir
):
    code = open_session(live_server)
    page = phone_context().new_page()
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/j/{code}")
    page.get_by_label("Your sector").select_option("Welfare")
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#connection")).to_have_text("Live")

    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    try:
        control(facilitator, "end_session")
        ended = page.get_by_role(
            "heading", name="The workshop has ended. Thank you for taking part."
        )
        expect(ended).to_be_visible()
        snap(page, artifacts_dir, "17-ended")
        assert_fits_the_screen(page)
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Withdraw from this workshop").click()
        page.locator("#withdraw-dialog").get_by_role("button", name="Withdraw").click()
        expect(page.get_by_role("heading", name="You have withdrawn. Thank you.")).to_be_visible()
    finally:
        facilitator.close()
    assert not errors, errors


def test_the_join_forms_answer_is_the_phone_page_under_its_own_address(
    live_server, phone_context
):
    """The form is answered with the phone page, not a redirect to it (a round trip fewer);
    the page takes its address, so a reload asks for it and sends no form again, and the
    service worker keeps the phone pages' folder."""
    code = open_session(live_server)
    page = phone_context().new_page()
    documents: list[tuple[str, str]] = []
    page.on(
        "request",
        lambda r: (
            documents.append((r.method, r.url.removeprefix(live_server.url)))
            if r.resource_type == "document"
            else None
        ),
    )
    page.goto(f"{live_server.url}/j/{code}?invite=NOTHING")
    page.get_by_label("Your sector").select_option("Health")
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(f"{live_server.url}/p/{code}")
    expect(page.locator("#connection")).to_have_text("Live")
    assert documents == [("GET", f"/j/{code}?invite=NOTHING"), ("POST", f"/j/{code}")]
    # The worker's scope is the phone pages' folder (test_phone_offline.py: what it keeps).
    scope = page.evaluate(
        """async () => {
            for (let tries = 0; tries < 100; tries += 1) {
                const found = await navigator.serviceWorker.getRegistration(location.href);
                if (found) return found.scope;
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            return "no worker in 10 s";
        }"""
    )
    assert scope == f"{live_server.url}/p/"

    documents.clear()
    reload(page)
    assert documents == [("GET", f"/p/{code}")]
    page.go_back()  # the join form's address: a joined phone is sent on to its page
    expect(page).to_have_url(f"{live_server.url}/p/{code}")
    assert ("POST", f"/j/{code}") not in documents and documents[-1] == ("GET", f"/p/{code}")
    expect(page.locator("#connection")).to_have_text("Live")


@pytest.mark.parametrize("path", ["/", "/j/{code}"])
def test_join_pages_fit_a_phone(live_server, phone_context, path):
    code = open_session(live_server)
    page = phone_context().new_page()
    page.goto(live_server.url + path.format(code=code))
    assert_fits_the_screen(page)


CHOICES_PLAN = """\
title: Phone check with a rather long plan title that needs two lines
description: Choices and a long scale.
privacy_notice: |
  We collect your answers under a pseudonym.

  You can withdraw at any time.
retention_days: 30
sectors: [Health, Housing]
stages:
  - key: pick-one
    title: One option
    prompt: Which matters most to you?
    type: choice
    items:
      - key: speed
        label: Speed
        description: Help arrives sooner.
      - Privacy
      - Cost
  - key: pick-several
    title: Several options
    prompt: Which of these would you want to be told about?
    type: choice
    multiple: true
    items: [Who sees the data, How long it is kept, How to object]
  - key: scale
    title: A long scale
    prompt: How much do you trust this, from 0 to 10?
    type: rating
    scale: {min: 0, max: 10, min_label: No trust, max_label: Complete trust}
    items: [Trust]
"""


def test_choices_a_long_scale_and_a_server_restart(
    live_server, phone_context, artifacts_dir, tmp_path
):
    (tmp_path / "phone-check.yaml").write_text(CHOICES_PLAN)
    output = flask_cli(
        {**live_server.env, "PLANS_DIR": str(tmp_path)}, "session", "open", "phone-check"
    )
    code = output.strip().splitlines()[-1].strip()
    page = phone_context().new_page()
    errors = watch_errors(page)
    page.goto(f"{live_server.url}/?code={code}")
    expect(page.get_by_text("deleted 30 days after the workshop")).to_be_visible()
    page.get_by_label("Your sector").select_option("Health")
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#connection")).to_have_text("Live")

    http = login(live_server.url, live_server.email, live_server.password)
    facilitator = FacilitatorSocket(live_server.url, http, code)
    try:
        # One option: a tap saves.
        show(facilitator, "pick-one")
        page.get_by_role("radio", name=re.compile("^Speed")).check()
        saved(page)
        page.get_by_role("radio", name="Privacy").check()
        saved(page)
        snap(page, artifacts_dir, "20-choice")
        assert_fits_the_screen(page)
        control(facilitator, "reveal")
        expect(page.locator(".results")).to_contain_text("Privacy")
        expect(page.locator(".results .yours")).to_have_text("Your answer")

        # Several options: tick, then Submit.
        show(facilitator, "pick-several")
        submit = page.get_by_role("button", name="Submit", exact=True)
        expect(submit).to_be_disabled()
        page.get_by_role("checkbox", name="Who sees the data").check()
        page.get_by_role("checkbox", name="How to object").check()
        expect(page.locator(".draft-note")).to_contain_text("Not submitted yet")
        submit.click()
        saved(page)
        expect(submit).to_be_disabled()
        snap(page, artifacts_dir, "21-multiple-choice")
        assert_fits_the_screen(page)

        # The server restarts: the phone reconnects by itself and keeps its answers.
        facilitator.close()
        live_server.restart()
        expect(page.locator("#connection")).to_have_text("Live", timeout=20_000)
        expect(page.get_by_role("checkbox", name="How to object")).to_be_checked()
        facilitator = FacilitatorSocket(live_server.url, http, code)

        # Eleven points wrap into two rows of big buttons.
        show(facilitator, "scale")
        page.get_by_role("radio", name="10", exact=True).check()
        saved(page)
        snap(page, artifacts_dir, "22-long-scale")
        assert_fits_the_screen(page)
        box = box_of(page.locator(".scale-point").first)
        assert box["width"] >= 44 and box["height"] >= 44
    finally:
        facilitator.close()
    assert not errors, errors
