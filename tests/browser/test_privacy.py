"""Privacy pages in a real browser: the facilitator grants a researcher a session on the
Researchers page, shortens the session's retention in the console, the researcher logs in
to the Research page; after a purge, the console and the Research page say so."""

from __future__ import annotations

import re
import sqlite3

from playwright.sync_api import expect

from tests.support.live import join
from tests.support.pages import log_in
from tests.support.server import flask_cli

RESEARCHER, PASSWORD = "reader@example.org", "a-long-password"


def _database(live_server) -> str:
    return live_server.env["DATABASE_URL"].removeprefix("sqlite:///")


def test_researchers_retention_research_page_and_purge(
    live_server, desktop_context, phone_context, artifacts_dir
):
    flask_cli(
        live_server.env,
        "facilitator", "create", RESEARCHER, "--role", "researcher", "--password", PASSWORD,
    )  # fmt: skip
    code = flask_cli(live_server.env, "session", "open", "data-for-public-benefit").split()[-1]
    for sector in ("Health", "Housing", "Welfare"):
        join(live_server.url, code, sector)

    page = desktop_context().new_page()
    log_in(page, live_server)
    page.get_by_role("link", name="Researchers").click()
    expect(page.get_by_role("heading", name="Researchers", exact=True)).to_be_visible()
    card = page.locator("article", has=page.get_by_role("heading", name=RESEARCHER))
    expect(card).to_contain_text("Nothing granted yet")
    card.get_by_role("button", name="Grant").click()  # nothing chosen
    card = page.locator("article", has=page.get_by_role("heading", name=RESEARCHER))
    expect(card.locator(".error")).to_have_text("Choose a session or a series to grant.")
    page.screenshot(path=artifacts_dir / "privacy-1-researchers-error.png", full_page=True)
    card.get_by_label("Grant a session or a series").select_option(f"session:{code}")
    card.get_by_role("button", name="Grant").click()
    expect(page.locator(".flash")).to_contain_text(f"may now read session {code}")
    page.screenshot(path=artifacts_dir / "privacy-2-researchers-granted.png", full_page=True)

    # Shorten the retention from the console: too long first, then 14 days.
    page.goto(f"{live_server.url}/facilitator/sessions/{code}")
    field = page.get_by_label("Keep raw data for")
    field.fill("120")
    page.get_by_role("button", name="Shorten").click()
    expect(page.locator("#retention-days-error")).to_contain_text("can only be shortened")
    expect(page.locator("#retention-days")).to_have_value("120")
    page.locator("#settings").scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "privacy-3-console-retention-error.png")
    page.locator("#retention-days").fill("14")
    page.get_by_role("button", name="Shorten").click()
    expect(page.locator(".flash")).to_contain_text("deleted 14 days after the session ends")
    expect(page.locator("#retention-days-hint")).to_contain_text("14 days after the session ends")
    page.locator("#settings").scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "privacy-4-console-retention.png")

    # The researcher logs in and lands on the Research page.
    reader = desktop_context().new_page()
    reader.goto(f"{live_server.url}/login")
    reader.get_by_label("Email").fill(RESEARCHER)
    reader.get_by_label("Password").fill(PASSWORD)
    reader.get_by_role("button", name="Log in").click()
    expect(reader.get_by_role("heading", name="Research", exact=True)).to_be_visible()
    session_card = reader.locator("article", has_text=code)
    expect(session_card).to_contain_text("3 participants")
    expect(session_card.get_by_role("link", name="Everything (zip)")).to_have_attribute(
        "href", f"/facilitator/sessions/{code}/export/export.zip"
    )
    reader.screenshot(path=artifacts_dir / "privacy-5-research-page.png", full_page=True)
    assert reader.request.get(f"{live_server.url}/facilitator/sessions/{code}").status == 403
    export = reader.request.get(
        f"{live_server.url}/facilitator/sessions/{code}/export/transcript.csv"
    )
    assert export.status == 200 and export.text().startswith("session,")

    # End the session, move its end back past the retention, purge keeping the counts.
    page.goto(f"{live_server.url}/facilitator/sessions/{code}")
    page.get_by_role("button", name="End session").click()
    page.locator("#end-dialog").get_by_role("button", name="End session").click()
    expect(page.locator("#ended-banner")).to_be_visible()
    with sqlite3.connect(_database(live_server)) as connection:
        connection.execute(
            "update workshop_session set ended_at = datetime(ended_at, '-15 days') where code = ?",
            (code,),
        )
    output = flask_cli(live_server.env, "purge", "--keep-aggregates")
    assert f"{code}: ended" in output and "Purged 1 session." in output

    page.reload()
    expect(page.locator("#purged-banner")).to_contain_text("Raw data deleted on")
    page.screenshot(path=artifacts_dir / "privacy-6-console-purged.png")
    reader.reload()
    expect(reader.locator(".purged-note")).to_contain_text(
        re.compile(r"Raw data deleted on .* \(kept aggregate counts of \d+ stages\)")
    )
    reader.screenshot(path=artifacts_dir / "privacy-7-research-purged.png", full_page=True)

    small = phone_context()
    cookies = reader.context.cookies()
    small.add_cookies(cookies)
    narrow = small.new_page()
    narrow.goto(f"{live_server.url}/research/")
    expect(narrow.get_by_role("heading", name="Research", exact=True)).to_be_visible()
    narrow.screenshot(path=artifacts_dir / "privacy-8-research-phone.png", full_page=True)
