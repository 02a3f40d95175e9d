"""A phone (390x844) on an open-text stage says what closed input means: before the
facilitator has opened it, that it will open; once it has been open and is closed, that it
has been closed (not that it will open), also after a reload. Screenshot:
tests/artifacts/phone-open-text-closed.png."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_phone import control, open_session, reload, show, snap
from tests.support.live import FacilitatorSocket, login

WILL_OPEN = "The facilitator will open it when it is time to answer."
CLOSED = "The facilitator has closed it for this stage."


def test_an_open_text_phone_says_input_is_closed_after_it_closes(
    live_server, phone_context, artifacts_dir
):
    code = open_session(live_server)
    page = phone_context().new_page()
    page.goto(f"{live_server.url}/j/{code}")
    page.get_by_label("Your sector").select_option("Health")
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    facilitator = FacilitatorSocket(
        live_server.url, login(live_server.url, live_server.email, live_server.password), code
    )
    note = page.locator(".closed-note")
    try:
        show(facilitator, "change", open_input=False)
        expect(page.get_by_role("heading", name="What would change your answer?")).to_be_visible()
        expect(note).to_contain_text("Input is closed")
        expect(note).to_contain_text(WILL_OPEN)

        control(facilitator, "open_input")
        expect(note).to_be_hidden()
        control(facilitator, "close_input")
        expect(note).to_contain_text("Input is closed")
        expect(note).to_contain_text(CLOSED)
        expect(note).not_to_contain_text(WILL_OPEN)
        snap(page, artifacts_dir, "open-text-closed")

        reload(page)
        expect(note).to_contain_text(CLOSED)
    finally:
        facilitator.close()
