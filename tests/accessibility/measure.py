"""Measurements taken in the page: the text a person can see, its size; sideways scrolling."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

SCRIPTS = Path(__file__).resolve().parent / "js"


def script(name: str) -> str:
    """A function, in JavaScript, from tests/accessibility/js/, for ``page.evaluate``."""
    return (SCRIPTS / name).read_text(encoding="utf-8")


# Every text node a person can see (on screen, not clipped to 1px as .visually-hidden is,
# not transparent), with its font size in CSS px, smallest first; SVG text (the charts'
# labels) included.
VISIBLE_TEXT_JS = script("visible-text.js")


def visible_text(page: Page) -> list[dict]:
    page.wait_for_load_state("load")  # as box_of: no layout before the stylesheets are in
    return page.evaluate(VISIBLE_TEXT_JS)


def sideways_overflow(page: Page) -> int:
    """How many CSS px the page is wider than the screen (0: it never scrolls sideways).

    Measured against the viewport the test asked for, not ``innerWidth``: a mobile browser
    widens its layout viewport to fit content that overflows, and then ``innerWidth`` grows
    with the page, hiding the very overflow this looks for."""
    page.wait_for_load_state("load")  # as box_of: no layout before the stylesheets are in
    width = page.viewport_size["width"]
    return page.evaluate(
        "(width) => Math.max(document.scrollingElement.scrollWidth, innerWidth) - width", width
    )
