"""The sector is asked once, on the join form: at the plan's sector stage a phone (390x844)
finds its sector already chosen and saved, sees the room's spread when the results are
revealed (its own sector marked), and can change it there. Screenshot:
tests/artifacts/phone-sector-pre-answered.png."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_phone import assert_fits_the_screen, control, open_session, show, snap
from tests.support.live import FacilitatorSocket, join, login
from tests.support.pages import SAVED, saved


def test_the_sector_stage_is_pre_answered_with_the_join_forms_sector(
    live_server, phone_context, artifacts_dir
):
    code = open_session(live_server)
    page = phone_context().new_page()
    page.goto(f"{live_server.url}/j/{code}")
    page.get_by_label("Your sector").select_option("Housing")
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#connection")).to_have_text("Live")
    for sector in ("Health", "Health", "Housing"):
        join(live_server.url, code, sector)
    facilitator = FacilitatorSocket(
        live_server.url, login(live_server.url, live_server.email, live_server.password), code
    )
    try:
        # Shown with input closed and results revealed: nothing to do but see the room.
        show(facilitator, "sector", open_input=False)
        control(facilitator, "reveal")
        expect(page.get_by_role("heading", name="Your sector")).to_be_visible()
        expect(page.get_by_role("radio", name="Housing")).to_be_checked()
        expect(page.locator(".save-status")).to_have_text(SAVED)
        expect(page.get_by_text("Your answer is kept.")).to_be_visible()
        expect(page.get_by_text("Tap another sector to change it.")).to_be_hidden()
        results = page.locator(".results")
        expect(results.locator(".results-count")).to_have_text("4 people answered.")
        housing = results.locator(".bar-row", has_text="Housing")
        expect(housing.locator(".bar-count")).to_have_text("2 · 50%")
        expect(housing.locator(".yours")).to_be_visible()
        snap(page, artifacts_dir, "sector-pre-answered")
        assert_fits_the_screen(page)

        # Input open: the person may change it, and it is their sector from then on.
        control(facilitator, "open_input")
        expect(page.get_by_text("Tap another sector to change it.")).to_be_visible()
        page.get_by_role("radio", name="Welfare").check()
        saved(page)
        page.get_by_role("button", name="Menu").click()
        expect(page.locator("#who-sector")).to_have_text("Welfare")
        expect(results.locator(".bar-row", has_text="Welfare").locator(".yours")).to_be_visible()
    finally:
        facilitator.close()
