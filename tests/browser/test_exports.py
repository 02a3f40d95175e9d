"""Exports in a real browser: the join form's name-consent box, the console's Exports
section and the dashboard's download links; the zip downloads and holds every file."""

from __future__ import annotations

import re
import zipfile

from playwright.sync_api import expect

from tests.support.pages import box_of, log_in
from tests.support.server import flask_cli

BOX = "You may include the name above in research exports"


def test_consent_box_console_exports_and_dashboard_links(
    live_server, phone_context, desktop_context, artifacts_dir, tmp_path
):
    code = flask_cli(live_server.env, "session", "open", "data-for-public-benefit").split()[-1]

    phone = phone_context().new_page()
    phone.goto(f"{live_server.url}/j/{code}")
    phone.get_by_label("Display name").fill("Sam")
    box = phone.get_by_label(BOX)
    expect(box).not_to_be_checked()
    box.check()
    phone.get_by_label("Your sector").select_option("Health")
    phone.screenshot(path=artifacts_dir / "exports-1-join-name-consent.png", full_page=True)
    phone.get_by_label("I have read this and want to take part").check()
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("#connection")).to_have_text("Live")

    page = desktop_context().new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/facilitator/sessions/{code}")
    menu = page.locator("details.exports-section")
    menu.locator("summary").click()
    section = menu.locator("section")
    expect(section.get_by_role("heading", name="Exports for research")).to_be_visible()
    for label in ("Participants", "Responses", "Comments and statements", "Data Package"):
        link = section.get_by_role("link", name=label, exact=True)
        expect(link).to_have_attribute("href", re.compile(rf"/sessions/{code}/export/"))
    page.screenshot(path=artifacts_dir / "exports-2-console.png", full_page=True)

    with page.expect_download() as download_info:
        section.get_by_role("link", name="Everything (zip)").click()
    download = download_info.value
    assert download.suggested_filename == f"{code}-export.zip"
    target = tmp_path / "export.zip"
    download.save_as(target)
    names = zipfile.ZipFile(target).namelist()
    assert {"participants.csv", "responses.csv", "datapackage.json", "transcript.csv"} <= set(names)
    participants = zipfile.ZipFile(target).read("participants.csv").decode()
    assert "Sam" in participants  # the box was ticked

    page.goto(f"{live_server.url}/facilitator/")
    row = page.locator("tr", has=page.locator(".code", has_text=code))
    expect(row.get_by_role("link", name=re.compile("All \\(zip\\)"))).to_have_attribute(
        "href", f"/facilitator/sessions/{code}/export/export.zip"
    )
    row.locator("details.more-exports summary").click()
    expect(row.get_by_role("link", name=re.compile("^Responses"))).to_be_visible()
    page.screenshot(path=artifacts_dir / "exports-3-dashboard.png", full_page=True)


def test_everything_zip_comes_first_and_shows_in_the_console_menu_of_a_laptop(
    live_server, desktop_context, artifacts_dir
):
    # The plan with opinion groups: the longest list (opinion_groups.csv, ..._statements).
    code = flask_cli(live_server.env, "session", "open", "data-sharing-safeguards").split()[-1]
    context = desktop_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/facilitator/sessions/{code}")
    menu = page.locator("details.exports-section")
    menu.locator("summary").click()
    links = menu.locator(".export-list a")
    expect(links.first).to_have_text("Everything (zip)")
    assert links.count() >= 10
    expect(menu.get_by_role("link", name="Opinion groups", exact=True)).to_be_attached()
    page.screenshot(path=artifacts_dir / "exports-4-console-menu-1366x768.png")
    box = box_of(links.first)
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 768, box
