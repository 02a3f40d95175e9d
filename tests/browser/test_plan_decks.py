"""The plan editor's Slide decks panel in a real browser: a slides stage typed in the YAML
tab and not saved yet, a PDF uploaded beside it (rendered by the real store), the text
typed still there, the thumbnail drawn, the stage form offering the deck, a broken file
refused in plain words, the phone preview showing the stage's pages, and a deck removed:
the saved plan then says it is missing."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import Page, expect

from tests.support.pages import log_in

PLAN = """\
title: Framework talk
description: Slides and a question.
privacy_notice: We keep answers for a week.
sectors: [Health]
stages:
  - key: intro
    title: The framework
    prompt: Look at the screen
    type: slides
    deck: framework.pdf
    pages: 1-2
  - {key: clear, title: Clarity, prompt: How clear is it, type: rating, items: [Clarity]}
"""


def pdf(pages: int = 3) -> bytes:
    images = [Image.new("RGB", (800, 450), colour) for colour in ("navy", "teal", "maroon")]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:pages])
    return out.getvalue()


def choose(page: Page, name: str, data: bytes, mime: str = "application/pdf") -> None:
    page.locator("#deck-file").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.get_by_role("button", name="Upload", exact=True).click()


def test_upload_a_deck_beside_unsaved_text(live_server, desktop_context, artifacts_dir):
    page = desktop_context(viewport={"width": 1440, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)
    page.goto(f"{live_server.url}/facilitator/plans/")
    page.get_by_role("button", name="New plan").click()
    expect(page).to_have_url(re.compile(r"/facilitator/plans/new-workshop-plan(-\d+)?$"))

    # The slides stage is typed, not saved, when its deck is uploaded.
    expect(page.get_by_role("tab", name="Form")).to_have_attribute("aria-selected", "true")
    page.get_by_role("tab", name="YAML").click()
    expect(page.locator("#yaml-source")).to_be_visible()
    page.locator("#yaml-source").fill(PLAN)
    panel = page.locator("#slide-decks")
    expect(panel).to_contain_text("No slide decks yet.")
    choose(page, "framework.pdf", pdf())
    expect(page.locator("#deck-status")).to_have_text(
        "Uploaded framework.pdf: 3 pages. Choose it as the deck of a slides stage.",
        timeout=30_000,
    )
    assert page.locator("#yaml-source").input_value() == PLAN
    deck = panel.locator('li.deck[data-deck="framework.pdf"]')
    expect(deck).to_contain_text("3 pages")
    thumbnail = deck.locator("img.deck-thumbnail")
    expect(thumbnail).to_have_attribute("alt", "Page 1 of framework.pdf")
    drawn = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(drawn, arg=thumbnail.element_handle())

    # The form offers the deck for the stage; the plan saves with nothing missing.
    page.get_by_role("tab", name="Form").click()
    deck_select = page.locator('#form-panel [data-path="stages[1].deck"]')
    expect(deck_select).to_have_value("framework.pdf")
    options = deck_select.locator("option")
    expect(options).to_have_text(["Choose a deck", "framework.pdf (3 pages)"])
    expect(page.locator('#form-panel [data-path="stages[1].pages.first"]')).to_have_value("1")
    expect(page.locator('#form-panel [data-path="stages[1].pages.last"]')).to_have_value("2")
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator("#save-status")).to_have_text("Saved ✓")
    expect(panel).to_contain_text("shown by stage 1")
    # The phone preview of the stage shows its two pages of the deck.
    frame = page.frame_locator("#preview-frame")
    expect(frame.locator("img.slide-image")).to_have_count(2)
    expect(frame.locator(".slide-where").first).to_have_text("Page 1 of 2")
    panel.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "plan-decks-1-uploaded.png", full_page=False)

    # A file that is no PDF is refused in plain words; nothing changes.
    choose(page, "broken.pdf", b"%PDF-1.7 this is not really a PDF")
    expect(page.locator("#deck-status")).to_contain_text("Not done.", timeout=30_000)
    expect(panel.locator("li.deck")).to_have_count(1)

    # Removed, the saved plan's deck is missing: the panel and the stage form say so.
    panel.get_by_role("button", name="Remove framework.pdf").click()
    expect(page.locator("#deck-status")).to_have_text("Removed framework.pdf.")
    expect(panel).to_contain_text("Before a session can open this plan:")
    expect(panel).to_contain_text("upload framework.pdf below, under Slide decks")
    expect(deck_select).to_have_value("framework.pdf")
    expect(deck_select.locator("option:checked")).to_have_text("framework.pdf (not uploaded yet)")
    page.screenshot(path=artifacts_dir / "plan-decks-2-missing.png", full_page=False)
    assert errors == []


def test_a_new_slides_stage_shows_the_plans_only_deck(live_server, desktop_context):
    page = desktop_context(viewport={"width": 1366, "height": 768}).new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/facilitator/plans/")
    page.get_by_role("button", name="New plan").click()
    expect(page.get_by_role("tab", name="Form")).to_have_attribute("aria-selected", "true")
    choose(page, "talk.pdf", pdf())
    expect(page.locator("#deck-status")).to_contain_text("Uploaded talk.pdf", timeout=30_000)
    # With one deck uploaded, a stage made a slides stage shows it: one choice fewer.
    page.locator('#form-panel [data-path="stages[1].type"]').select_option("slides")
    deck = page.locator('#form-panel [data-path="stages[1].deck"]')
    expect(deck).to_have_value("talk.pdf")
    page.get_by_role("tab", name="YAML").click()
    expect(page.locator("#yaml-source")).to_have_value(re.compile(r"deck: talk\.pdf"))
