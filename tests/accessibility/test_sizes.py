"""Sizes: the projector is readable from 10 m; phones reflow at 320 px wide and at 200% zoom.

At 1920x1080 the projector's smallest type is 28 CSS px (static/css/screen.css,
--screen-min-type). Every text a person can see on the projector, in every view, is at
least that (to a tenth of a pixel: the rem is computed from the viewport); comments and the
stage's prompt are larger. tests/accessibility/test_projector_type.py measures the charts'
SVG text and 4:3 as well. Screenshots go to
tests/artifacts/a11y-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.accessibility.measure import script, sideways_overflow, visible_text
from tests.accessibility.workshop import STAGES, Room, ok

SMALLEST_PX = 28 - 0.1
COMMENT_PX = 30
PROMPT_PX = 36


def sizes_of(page: Page, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all(
        "(nodes) => nodes.map((n) => parseFloat(getComputedStyle(n).fontSize))"
    )


def test_projector_text_is_readable_at_ten_metres(live_server, projector_context, artifacts_dir):
    room = Room.open(live_server)
    small: list[str] = []
    try:
        screen = projector_context().new_page()
        screen.goto(room.screen_url)
        expect(screen.locator("#connection")).to_have_text("Live")

        def measure(view: str) -> None:
            screen.wait_for_timeout(600)  # redraws are coalesced: let the last one land
            texts = visible_text(screen)
            assert texts, f"nothing visible on the projector ({view})"
            small.extend(
                f"{view}: {t['size']:.1f}px {t['text']!r} ({t['in']})"
                for t in texts
                if t["size"] < SMALLEST_PX
            )
            screen.screenshot(path=artifacts_dir / f"a11y-projector-{view}.png")

        measure("join")
        for key in ("pick", "rate", "light", "order", "dots", "place", "words", "say"):
            room.show(key)
            room.others_answer(key)
            if key in ("rate", "light", "say"):
                room.comment(key, f"A longer comment about {key}, as people write them.")
            measure(f"{key}-question")
            assert min(sizes_of(screen, ".stage-prompt")) >= PROMPT_PX
            if key in ("rate", "light", "say"):
                assert min(sizes_of(screen, ".comment-text")) >= COMMENT_PX
            room.reveal()
            measure(f"{key}-results")
        for mode in ("wall", "notes", "join"):
            ok(room.facilitator.emit("set_screen_mode", {"mode": mode}))
            measure(f"mode-{mode}")
    finally:
        room.close()
    assert not small, "text smaller than 28px on the projector:\n" + "\n".join(small)


# 320x568 (the narrowest phone WCAG 1.4.10 names), and a 390x844 phone zoomed to 200%:
# the page lays out in 195x422 CSS px, drawn with twice the pixels.
PHONES = {
    "320px": {"viewport": {"width": 320, "height": 568}, "device_scale_factor": 2},
    "zoom-200": {"viewport": {"width": 195, "height": 422}, "device_scale_factor": 4},
}

# What the phone shows on each stage after the first two, to know it is there.
STAGE_TEXT = {key: text for key, text in STAGES.items() if key not in ("welcome", "story")}

# Every control on the page lies within the width once scrolled to; a control drawn
# under another element (hidden inputs under their label) counts if the label is hit.
UNREACHABLE_JS = script("unreachable-controls.js")


def check_fits(page: Page, where: str, problems: list[str], artifacts_dir, name: str) -> None:
    # After a click the URL changes before the stylesheet has applied; measured then, an
    # unstyled page overflows by the browser's default 8 px body margin.
    page.wait_for_load_state("load")
    extra = sideways_overflow(page)
    if extra > 0:
        problems.append(f"{where}: scrolls sideways by {extra}px")
    for control in page.evaluate(UNREACHABLE_JS, page.viewport_size["width"]):
        problems.append(f"{where}: cannot reach {control}")
    page.screenshot(path=artifacts_dir / f"a11y-{name}.png", full_page=True)


@pytest.mark.parametrize("phone", PHONES, ids=list(PHONES))
def test_phone_pages_reflow_without_sideways_scrolling(
    live_server, phone_context, artifacts_dir, phone
):
    room = Room.open(live_server)
    problems: list[str] = []
    try:
        page = phone_context(**PHONES[phone]).new_page()
        page.goto(f"{room.url}/")
        check_fits(page, "home", problems, artifacts_dir, f"{phone}-home")
        page.get_by_label("Workshop code").fill(room.code)
        page.get_by_role("button", name="Join").click()
        expect(page).to_have_url(f"{room.url}/j/{room.code}")
        check_fits(page, "join (consent)", problems, artifacts_dir, f"{phone}-join")
        page.get_by_label("Display name").fill("A rather long display name indeed")
        page.get_by_label("Your sector").select_option("Health")
        page.get_by_label("I have read this and want to take part").check()
        page.get_by_role("button", name="Join").click()
        expect(page.locator("#connection")).to_have_text("Live")
        for key, text in STAGE_TEXT.items():
            room.show(key)
            expect(page.locator("#stage-view")).to_contain_text(text)
            check_fits(page, key, problems, artifacts_dir, f"{phone}-{key}")
        room.show("rate")
        room.others_answer("rate")
        room.reveal()
        expect(page.locator(".results")).to_be_visible()
        check_fits(page, "rating results", problems, artifacts_dir, f"{phone}-rate-results")
    finally:
        room.close()
    assert not problems, "\n".join(problems)
