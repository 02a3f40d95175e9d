"""What a person does on the app's pages, for browser tests (Playwright sync API)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect

# Whether the worker of this page's address is running and keeps the page for a reload
# offline. (The page the join form is answered with was made at the form's address, outside
# the worker's folder, so the worker does not handle that one: its reload it does.)
KEPT = """async () => {
  const registration = await navigator.serviceWorker.getRegistration(location.href);
  return Boolean(
    registration && registration.active
    && await caches.match(location.origin + location.pathname)
  );
}"""


def wait_until(page: Page, script: str, arg=None, timeout: float = 10) -> None:
    """Wait for the async SCRIPT to resolve truthy (wait_for_function takes a promise for a
    truthy answer, so it cannot wait on one)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {script}"
        page.wait_for_timeout(100)


def box_of(target: Locator) -> dict:
    """TARGET's box as the person sees it. A page reached by a click may still be fetching a
    stylesheet: Chromium lays it out without that sheet when asked (unlike when it paints), so
    a box measured then is not the one on the screen."""
    target.page.wait_for_load_state("load")
    return target.bounding_box()


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


def join_at_table(
    page: Page, url: str, code: str, sector: str, name: str, table: str, shot=None
) -> None:
    """Join through the QR code's address, choosing a table ("" = "I don't know yet");
    ``shot``: a path for a screenshot of the filled-in form."""
    page.goto(f"{url}/j/{code}")
    if name:
        page.get_by_label("Display name").fill(name)
    page.get_by_label("Your sector").select_option(sector)
    page.get_by_label("Your table").select_option(table or "")
    page.get_by_label("I have read this and want to take part").check()
    if shot:
        page.locator("form.join-form").screenshot(path=shot)
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#connection")).to_have_text("Live")


def go_to(console: Page, title: str, *, open_input: bool = True) -> None:
    """In the console, show the stage whose title matches ``title`` and open its input."""
    console.locator("#stage-list").get_by_role("button", name=re.compile(title)).click()
    expect(console.locator("#stage-title")).to_have_text(re.compile(title))
    if open_input:
        console.get_by_role("button", name="Open input").click()
        expect(console.locator("#input-state")).to_have_text("Input open")


def reveal(console: Page) -> None:
    """In the console, close the input and reveal the results."""
    console.get_by_role("button", name="Close input").click()
    expect(console.locator("#input-state")).to_have_text("Input closed")
    console.get_by_role("button", name="Reveal results").click()
    expect(console.locator("#results-state")).to_have_text("Results shown to the room")


# What the phone's status bar says once the server has an answer: "Saved ✓ 14:02:31", or
# "Changed ✓ 14:02:31" for a change to a saved answer; plain "Saved ✓" after a reload (the
# time of a save is known only on the page that made it). static/js/phone.js.
SAVED = re.compile(r"^(Saved ✓( \d\d:\d\d:\d\d)?|Changed ✓ \d\d:\d\d:\d\d)$")


def saved(phone: Page, **options) -> None:
    """Wait for the phone's status bar to say its answer is saved (``options``: for
    ``to_have_text``, such as a longer ``timeout``)."""
    expect(phone.locator("#answer-status .save-status")).to_have_text(SAVED, **options)


def projector_url(console: Page) -> str:
    """The console's "Open projector" address, once it has one: it arrives with the
    console's sync reply, which can land after the console already shows "Live"."""
    link = console.locator("#projector-link")
    expect(link).to_have_attribute("href", re.compile(r"/s/[A-Z0-9]{6}/screen\?key="))
    return link.get_attribute("href")
