"""One press per stage (issue 12, point 1): the built-in plan run end to end from the
console at 1366x768 with the clicker's key (Page Down) and the big button only, three phones
answering, the projector following; going back keeps a revealed chart; the keys' help."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from facilitation.plans import load_plan
from tests.conftest import BUILTIN_PLAN
from tests.support.live import LiveSocket, client_id, join
from tests.support.pages import log_in, projector_url

SECTORS = ("Health", "Housing", "Welfare")


def open_session(page: Page) -> str:
    card = page.locator(
        "article.plan-card", has=page.get_by_role("heading", name="Data for Public Benefit")
    )
    card.get_by_role("button", name="Open session").click()
    expect(page).to_have_url(re.compile(r"/facilitator/sessions/[A-Z0-9]{6}$"))
    return page.url.rsplit("/", 1)[1]


def answer(phone: LiveSocket, stage, sector: str) -> None:
    """What a phone sends on ``stage``: an answer, or a comment where comments are the input."""
    activity = stage.activity
    keys = [item.key for item in activity.items]
    values = {
        "traffic_light": lambda: {"lights": dict.fromkeys(keys, "met")},
        "rating": lambda: {"ratings": dict.fromkeys(keys, 4)},
        "ranking": lambda: {"order": keys},
        "sector": lambda: {"sector": sector},
    }
    if activity.type in values:
        payload = {"stage": stage.key, "client_id": client_id(), "value": values[activity.type]()}
        ack = phone.emit("answer", payload)
    else:
        text = f"A thought from {sector} on {stage.title}"
        ack = phone.emit("comment", {"stage": stage.key, "client_id": client_id(), "text": text})
    assert ack["ok"], (stage.key, ack)


def press(console: Page, how: str) -> None:
    """One press (the big button or a key), then wait for the console to say what's next:
    a label made from a newer state, and the press's ack in (the button on again)."""
    button = console.locator("#next-press")
    seq = button.get_attribute("data-seq")
    if how == "click":
        button.click()
    else:
        console.keyboard.press(how)
    expect(button).not_to_have_attribute("data-seq", seq)
    console.wait_for_function(
        """() => {
            const b = document.getElementById("next-press");
            return b.dataset.action === "end" || !(b.disabled || b.hasAttribute("aria-disabled"));
        }"""
    )


def test_the_built_in_plan_in_one_press_per_stage(
    live_server, desktop_context, projector_context, artifacts_dir, sockets
):
    plan = load_plan(BUILTIN_PLAN)
    errors: list[str] = []
    console = desktop_context().new_page()
    console.on("pageerror", lambda error: errors.append(f"console: {error}"))
    log_in(console, live_server)
    code = open_session(console)
    expect(console.locator("#connection")).to_have_text("Live")
    projector = projector_context().new_page()
    projector.on("pageerror", lambda error: errors.append(f"projector: {error}"))
    projector.goto(projector_url(console))
    phones = []
    for sector in SECTORS:
        http = join(live_server.url, code, sector)
        phones.append(LiveSocket(live_server.url, http, code, role="participant"))
    sockets.extend(phones)

    button = console.locator("#next-press")
    expect(button).to_be_enabled()
    expect(button).to_contain_text("Go to Your sector")
    console.screenshot(path=artifacts_dir / "one-press-1-console.png")

    presses, answered, reveals = 0, set(), 0
    keys = ("PageDown", "ArrowRight", "click", " ")
    titles = {stage.title: stage for stage in plan.stages}
    while button.get_attribute("data-action") != "end":
        before = button.locator(".press-label").inner_text()
        press(console, keys[presses % len(keys)])
        presses += 1
        # The label said which stage the press would show; with the flow's defaults its
        # input is open now (the button's label comes from the same state as the server's).
        shown = before.removeprefix("Go to ")
        stage = titles.get(shown)
        if stage is not None and (stage.activity.answerable or stage.takes_comments):
            for phone, sector in zip(phones, SECTORS, strict=True):
                answer(phone, stage, sector)
            answered.add(stage.key)
        if button.get_attribute("data-action") in ("reveal", "close_reveal"):
            reveals += 1
        if stage is not None and stage.key == "proportionate":
            # Test 1's chart was revealed by the press before this one.
            console.screenshot(path=artifacts_dir / "one-press-2-console.png")
    expect(button).to_contain_text("End of plan")
    expect(button).to_be_disabled()
    assert presses <= len(plan.stages) + reveals, (presses, reveals)
    assert answered >= {"purposeful", "feature-outcomes", "ranking", "trust"}

    # Back (Page Up, as a clicker sends) to a revealed stage: its chart is still up.
    console.locator("#stage-list").get_by_role("button", name=re.compile("Proportionate")).click()
    expect(console.locator("#stage-title")).to_have_text("Test 2: Proportionate")
    expect(button).to_be_enabled()  # the console takes no command until the last one's ack
    console.keyboard.press("PageUp")
    expect(console.locator("#stage-title")).to_have_text("Test 1: Purposeful")
    expect(console.locator("#results-state")).to_have_text("Results shown to the room")
    expect(projector.locator(".chart .plot-container")).to_be_visible()
    expect(button).to_contain_text("Go to Test 2")

    # Back once more, a glance at the scenario already run: the next press goes on to
    # Test 1 again, not reopening the scenario's comment box on the phones.
    expect(button).to_be_enabled()
    console.keyboard.press("PageUp")
    expect(console.locator("#stage-title")).to_have_text("The scenario")
    expect(button).to_contain_text("Go to Test 1")
    expect(button).to_be_enabled()
    console.keyboard.press("PageDown")
    expect(console.locator("#stage-title")).to_have_text("Test 1: Purposeful")
    expect(console.locator("#input-state")).to_have_text("Input closed")
    expect(console.locator("#results-state")).to_have_text("Results shown to the room")

    # R hides and shows the results; O opens and closes input; typing is not a command.
    for key, place, words in [
        ("r", "#results-state", "Results hidden from the room"),
        ("R", "#results-state", "Results shown to the room"),
        ("o", "#input-state", "Input open"),
        ("O", "#input-state", "Input closed"),
    ]:
        expect(button).to_be_enabled()  # the last command's ack is in
        console.keyboard.press(key)
        expect(console.locator(place)).to_have_text(words)
    expect(button).to_be_enabled()
    console.get_by_text("Timer", exact=True).click()  # folded until used
    console.locator("#timer-minutes").focus()
    console.keyboard.press("ArrowRight")
    console.keyboard.press("PageDown")
    expect(console.locator("#stage-title")).to_have_text("Test 1: Purposeful")

    # B blacks the projector out, and brings back what it showed.
    console.evaluate("document.activeElement.blur()")
    console.keyboard.press("b")
    expect(projector.locator(".blackout")).to_be_visible()
    expect(button).to_be_enabled()
    console.keyboard.press("B")
    expect(projector.locator(".blackout")).to_have_count(0)
    expect(projector.locator(".chart .plot-container")).to_be_visible()

    # Information stages offer no Reveal.
    console.locator("#stage-list").get_by_role("button", name=re.compile("Welcome")).click()
    expect(console.locator("#stage-title")).to_have_text("Welcome")
    expect(console.locator("#toggle-results")).to_be_hidden()
    expect(console.locator("#results-state")).to_have_text("No results on this stage")

    # ? lists the keys.
    expect(button).to_be_enabled()
    console.keyboard.press("?")
    dialog = console.locator("#keys-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Page Down")
    # Each key and what it does, as text (the list once printed "[object HTMLElement]").
    expect(dialog.locator("dt")).to_have_count(7)
    expect(dialog.locator("dd").nth(3)).to_have_text("Reveal or hide the results")
    # A clicked button keeps the focus, and Space presses it: the list says so.
    expect(dialog.locator("dd").nth(1)).to_contain_text("on a focused button")
    expect(dialog).not_to_contain_text("[object")
    console.screenshot(path=artifacts_dir / "one-press-3-keys.png")
    console.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert errors == []
