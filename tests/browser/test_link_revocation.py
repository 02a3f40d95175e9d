"""The facilitator revokes the projector link in the console: a projector open on the old
link shows full screen that its link was replaced, the console shows the new link, and a
projector opened with the facilitator's login carries on."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.accessibility.axe import Audit
from tests.browser.test_console import open_session_from_dashboard
from tests.support.pages import log_in

REPLACED = "This projector link has been replaced; ask the facilitator for the new one."


def test_revoking_the_projector_link_in_the_console(
    live_server, desktop_context, projector_context, artifacts_dir
):
    context = desktop_context()
    console = context.new_page()
    errors: list[str] = []
    console.on("pageerror", lambda error: errors.append(str(error)))
    log_in(console, live_server)
    code = open_session_from_dashboard(console, "Predicting who will need social care")
    expect(console.locator("#connection")).to_have_text("Live")

    console.get_by_text("Projector links").click()
    follows = console.locator("#projector-links a").first
    expect(follows).to_have_attribute("href", re.compile(rf"/s/{code}/screen\?key="))
    old_url = follows.get_attribute("href")

    # A projector's laptop, not logged in, on the link; and one opened from the console.
    projector = projector_context().new_page()
    projector.goto(old_url)
    expect(projector.locator("#connection")).to_have_text("Live")
    by_login = context.new_page()
    by_login.goto(old_url)
    expect(by_login.locator("#connection")).to_have_text("Live")

    # Keyboard: the control opens a confirmation that starts on the safe choice.
    revoke = console.locator("#revoke-screen-link")
    expect(revoke).to_have_text("Revoke and make a new link (projector link)")
    revoke.focus()
    console.keyboard.press("Enter")
    dialog = console.get_by_role("dialog", name="Revoke the projector links?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Keep it")).to_be_focused()
    console.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(revoke).to_be_focused()
    assert console.locator("#projector-links a").first.get_attribute("href") == old_url

    console.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    console.screenshot(path=str(artifacts_dir / "console-revoke-projector-link.png"))
    audit = Audit()
    audit.check(console, "console: revoke the projector link?")
    console.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Revoke and make a new link")).to_be_focused()
    console.keyboard.press("Enter")

    expect(console.locator(".revoke-status").first).to_have_text(
        "New projector links made ✓ The old ones no longer work."
    )
    expect(revoke).to_be_focused()
    new_url = console.locator("#projector-links a").first.get_attribute("href")
    assert new_url != old_url and f"/s/{code}/screen?key=" in new_url
    expect(console.get_by_role("link", name="Open projector")).to_have_attribute("href", new_url)
    console.screenshot(path=str(artifacts_dir / "console-revoked-projector-link.png"))

    # The projector on the old link says so, full screen, and stops trying.
    expect(projector.get_by_role("heading", name="This projector is not connected")).to_be_visible()
    expect(projector.locator("#screen").get_by_text(REPLACED)).to_be_visible()
    projector.screenshot(path=str(artifacts_dir / "screen-link-replaced.png"))
    audit.check(console, "console: projector link revoked")
    audit.check(projector, "projector: its link replaced")
    # The one opened with the login is let in again by it.
    expect(by_login.locator("#connection")).to_have_text("Live")
    expect(by_login.get_by_text(REPLACED)).to_have_count(0)

    # The old link's page is refused; the new one shows the session.
    response = projector.goto(old_url)
    assert response.status == 403
    expect(
        projector.get_by_role("heading", name="This projector link has been replaced")
    ).to_be_visible()
    projector.goto(new_url)
    expect(projector.locator("#connection")).to_have_text("Live")
    assert errors == []
    audit.assert_clean()
