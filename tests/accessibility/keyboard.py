"""Keyboard-only steps for browser tests: move focus with Tab / Shift+Tab, checking at every
stop that the focus is visible, with a ring that contrasts with what is around it."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from tests.accessibility.measure import script

# Where the focus ring is drawn and whether it can be seen. A native input that is hidden
# under its label (opacity 0, as the phone's rating and light buttons are) shows its ring
# on the label; WCAG 1.4.11 asks 3:1 between the ring and what is next to it: for a
# two-tone ring, between its two colours; for one colour, against the background behind.
FOCUS_INDICATOR_JS = script("focus-indicator.js")


def assert_focus_visible(page: Page) -> dict:
    seen = page.evaluate(FOCUS_INDICATOR_JS)
    assert seen["ok"], f"focus not visible: {seen}"
    return seen


def is_focused(target: Locator) -> bool:
    # evaluate_all finds and checks the element in one step in the page; evaluate() would
    # take a handle first, and a redraw in between (which gives the focus to the new node)
    # would leave it comparing the old node with the focus.
    return target.evaluate_all("(nodes) => nodes.includes(document.activeElement)")


def tab_to(page: Page, target: Locator, *, backwards: bool = False, limit: int = 60) -> int:
    """Press Tab (Shift+Tab if ``backwards``) until TARGET has the focus, checking the focus
    is visible at every stop; the number of presses."""
    if is_focused(target):  # already there (autofocus, or the last key left it there)
        assert_focus_visible(page)
        return 0
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        assert_focus_visible(page)
        if is_focused(target):
            return presses
    raise AssertionError(f"{key} x{limit} never reached {target}")
