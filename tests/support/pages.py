"""What a person does on the app's pages, for browser tests (Playwright sync API)."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def log_in(page: Page, live_server) -> None:
    """Log in through the login form as the live server's facilitator."""
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(live_server.email)
    page.get_by_label("Password").fill(live_server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def join_by_code(page: Page, url: str, code: str, sector: str, name: str = "") -> None:
    """Type the code on the home page, fill in the join form and wait for the live page."""
    page.goto(f"{url}/")
    page.get_by_label("Workshop code").fill(code.lower())
    page.get_by_role("button", name="Join").click()
    if name:
        page.get_by_label("Display name").fill(name)
    page.get_by_label("Your sector").select_option(sector)
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#connection")).to_have_text("Live")
