"""The plan editor in a real browser: build a small plan in the structured form, see an
invalid edit refused next to its field, save, preview a stage as a phone, read the YAML,
open a session of the plan from the dashboard, and run it: four phones in two tables and
two sectors answer, and the projector shows the room by sector and by table (two people in
each group, so the plan's smallest group shown is set to 2: every group shows)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS
from tests.support.pages import SAVED, log_in, projector_url


def field(page: Page, path: str):
    return page.locator(f'#form-panel [data-path="{path}"]')


def test_build_save_preview_open_and_run_a_plan(
    live_server, desktop_context, phone_context, projector_context, artifacts_dir
):
    page = desktop_context(viewport={"width": 1440, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)

    page.get_by_role("link", name="Write, import and edit plans").click()
    expect(page.get_by_role("heading", name="Plans", exact=True)).to_be_visible()
    expect(page.locator('tr[data-slug="data-for-public-benefit"] .plan-status')).to_have_text(
        "Built in"
    )
    page.get_by_role("button", name="New plan").click()
    expect(page).to_have_url(re.compile(r"/facilitator/plans/new-workshop-plan(-\d+)?$"))
    expect(page.get_by_role("tab", name="Form")).to_have_attribute("aria-selected", "true")

    # About, sectors and tables.
    field(page, "title").fill("Team check-in")
    expect(page.locator("#plan-title")).to_have_text("Team check-in")
    field(page, "sectors[1]").fill("Health")
    field(page, "sectors[2]").fill("Education")
    page.get_by_role("button", name="Add a table").click()
    field(page, "tables[1]").fill("Table A")
    page.get_by_role("button", name="Add a table").click()
    field(page, "tables[2]").fill("Table B")
    # Two people per sector and table in the run below: let groups of two show.
    page.get_by_label("Smallest group shown").fill("2")

    # Replace the starter's stages with a traffic light stage and a rating stage.
    page.get_by_role("button", name="Remove stage 1").click()
    page.get_by_role("button", name="Remove stage 1").click()
    expect(page.locator(".stage-card")).to_have_count(0)

    page.get_by_role("button", name="Add a stage").click()
    field(page, "stages[1].title").fill("Is it purposeful?")
    expect(field(page, "stages[1].key")).to_have_value("is-it-purposeful")
    field(page, "stages[1].prompt").fill("How far is the purpose met?")
    field(page, "stages[1].type").select_option("traffic_light")
    page.get_by_role("button", name="Add an item").click()
    field(page, "stages[1].items[1].label").fill("The purpose is clear and specific")
    field(page, "stages[1].comments").check()

    page.get_by_role("button", name="Add a stage").click()
    field(page, "stages[2].title").fill("How fair is it?")
    field(page, "stages[2].type").select_option("rating")
    field(page, "stages[2].scale.min_label").fill("Not at all")
    field(page, "stages[2].scale.max_label").fill("Completely")
    page.locator('.stage-card[data-stage="2"]').get_by_role("button", name="Add an item").click()
    field(page, "stages[2].items[1].label").fill("Fair to the people whose data it is")
    field(page, "stages[2].comments").check()
    field(page, "stages[2].timer").fill("120")

    # The second stage has no prompt yet: the save is refused next to that field.
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator("#save-status")).to_have_text("Not saved: 1 problem.")
    prompt_field = page.locator('#form-panel [data-field="stages[2].prompt"]')
    expect(prompt_field).to_have_class(re.compile("has-error"))
    expect(prompt_field.locator(".inline-error")).to_contain_text("stages[2].prompt: is required")
    expect(page.locator("#problems")).to_contain_text("is required")
    page.screenshot(path=artifacts_dir / "plan-editor-1-refused.png", full_page=False)

    field(page, "stages[2].prompt").fill("How fair is it to the people in the data?")
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator("#save-status")).to_have_text("Saved ✓")
    expect(page.locator("#problems")).to_be_hidden()

    # Preview the rating stage as a phone shows it.
    page.locator('.stage-card[data-stage="2"]').get_by_role("button", name="Preview").click()
    frame = page.frame_locator("#preview-frame")
    expect(frame.locator(".stage-title")).to_have_text("How fair is it?")
    expect(frame.locator(".stage-step")).to_have_text("Stage 2 of 2")
    expect(frame.get_by_text("Fair to the people whose data it is")).to_be_visible()
    expect(frame.get_by_role("heading", name="Comments", exact=True)).to_be_visible()
    page.locator(".stage-card").nth(1).scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "plan-editor-2-form.png", full_page=False)
    page.locator(".phone-frame").screenshot(path=artifacts_dir / "plan-editor-3-preview.png")
    page.screenshot(path=artifacts_dir / "plan-editor-4-full.png", full_page=True)

    # The YAML tab shows what was saved.
    page.get_by_role("tab", name="YAML").click()
    yaml_text = page.locator("#yaml-source").input_value()
    assert "title: Team check-in" in yaml_text
    assert "  - Table A" in yaml_text and "  - Table B" in yaml_text
    assert "type: traffic_light" in yaml_text and "type: rating" in yaml_text
    assert "timer: 120" in yaml_text
    assert "min_group_size: 2" in yaml_text
    page.screenshot(path=artifacts_dir / "plan-editor-5-yaml.png", full_page=False)
    page.get_by_role("tab", name="Form").click()
    expect(field(page, "stages[2].title")).to_have_value("How fair is it?")

    # The plan is listed as a draft; a session of it opens from the dashboard.
    page.get_by_role("link", name="← All plans").click()
    row = page.locator("tr", has=page.get_by_role("link", name="Team check-in"))
    expect(row.locator(".plan-status")).to_have_text("Draft")
    page.goto(f"{live_server.url}/facilitator/")
    card = page.locator("article.plan-card", has=page.get_by_role("heading", name="Team check-in"))
    expect(card).to_contain_text("2 stages")
    card.get_by_role("button", name="Open session").click()
    expect(page).to_have_url(re.compile(r"/facilitator/sessions/[A-Z0-9]{6}$"))
    console_url = page.url
    code = console_url.rsplit("/", 1)[1]

    # While the session runs the plan is locked.
    page.goto(f"{live_server.url}/facilitator/plans/")
    row = page.locator("tr", has=page.get_by_role("link", name="Team check-in"))
    expect(row.locator(".plan-status")).to_have_text("Locked")

    run_the_plan(page, console_url, code, live_server, phone_context, projector_context)
    page.screenshot(path=artifacts_dir / "plan-editor-6-run-console.png")
    assert errors == []


# Two sectors, two tables, two people in each. Each sector sits at one table (Health at
# Table B, so the tables come in another order than the sectors): a sector split over
# both tables would put one person in a sector x table cell, and crossed with the sectors
# the tables would give that person's answer away (small_groups.fold_crossed).
PEOPLE = [
    ("Health", "Table B", "Met"),
    ("Health", "Table B", "Not met"),
    ("Education", "Table A", "Met"),
    ("Education", "Table A", "Partly met"),
]


def run_the_plan(console: Page, console_url, code, live_server, phone_context, projector_context):
    console.goto(console_url)
    expect(console.locator("#connection")).to_have_text("Live")
    screen = projector_context().new_page()
    screen.goto(projector_url(console))
    expect(screen.locator(".join-code")).to_have_text(code)

    phones = []
    for sector, table, _light in PEOPLE:
        phone = phone_context().new_page()
        phone.goto(f"{live_server.url}/j/{code}")
        phone.get_by_label("Your sector").select_option(sector)
        phone.get_by_label("Your table").select_option(table)
        phone.get_by_label("I have read this and want to take part").check()
        phone.get_by_role("button", name="Join").click()
        expect(phone.locator("#connection")).to_have_text("Live")
        phones.append(phone)

    console.locator("#stage-list").get_by_role(
        "button", name=re.compile("Is it purposeful")
    ).click()
    console.get_by_role("button", name="Open input").click()
    expect(console.locator("#input-state")).to_have_text("Input open")
    for phone, (_sector, _table, light) in zip(phones, PEOPLE, strict=True):
        group = phone.get_by_role("group", name=re.compile("The purpose is clear"))
        group.get_by_role("radio", name=light, exact=True).check()
        expect(phone.locator(".save-status")).to_have_text(SAVED)
    console.get_by_role("button", name="Reveal results").click()
    expect(screen.locator(".results-caption")).to_have_text("Results from 4 people")

    groups = screen.locator(".breakdown-tables table")
    console.locator("#breakdown-switch").get_by_role("button", name="By sector").click()
    # Sectors in the plan's order. Columns: met, partly met, not met.
    expect(groups.locator("caption")).to_have_text(["Health: 2 people", "Education: 2 people"])
    expect(groups.nth(0).locator("tbody td")).to_have_text(["1", "0", "1"])
    expect(groups.nth(1).locator("tbody td")).to_have_text(["1", "1", "0"])
    screen.screenshot(path=ARTIFACTS / "plan-editor-7-run-by-sector.png")

    console.locator("#breakdown-switch").get_by_role("button", name="By table").click()
    expect(groups.locator("caption")).to_have_text(["Table A: 2 people", "Table B: 2 people"])
    expect(groups.nth(0).locator("tbody td")).to_have_text(["1", "1", "0"])
    expect(groups.nth(1).locator("tbody td")).to_have_text(["1", "0", "1"])
    screen.screenshot(path=ARTIFACTS / "plan-editor-8-run-by-table.png")
