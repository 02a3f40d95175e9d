"""WCAG 2.2 2.4.3 Focus order and 4.1.3 Status messages, on the phone and the console.

2.4.3: after each thing a person does by keyboard, the focus is on a control that makes
sense next, never dropped to the page (``document.body``, where the next Tab starts again
from the top): Post keeps it while the comment goes; Agree, Disagree and Pass keep it on the
pressed button through the redraws (on a statement's card, which moves on, it goes to the
next statement or to the words that none is left); a Submit with nothing new to send gives it to the
answer's status bar; a closed dialog gives it to the Menu button it was opened from; after
withdrawing it is on the page's heading.

4.1.3: what changes without the person doing anything is said in a polite live region: the
phone says "Results are shown" when they are revealed; the console says the counts (joined,
answered) as they change, at most once every ten seconds, and the results shown or hidden.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.accessibility.keyboard import assert_focus_visible, tab_to
from tests.accessibility.workshop import Room, ok
from tests.support.live import LiveSocket, client_id, join
from tests.support.pages import join_by_code, log_in

KEYBOARD_PHONE = {"viewport": {"width": 390, "height": 844}}  # a small screen, no touch

SAVED = re.compile(r"(Saved|Changed) ✓")

# Every text a live region (by id) takes, with the time (ms) it took it.
RECORD_JS = """(id) => {
  const region = document.getElementById(id);
  window.__said = [];
  new MutationObserver(() => window.__said.push([performance.now(), region.textContent]))
    .observe(region, {childList: true, characterData: true, subtree: true});
}"""

WHAT_HAS_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "the page (body)";
  const words = (el.textContent || "").trim().slice(0, 40);
  return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${words}"`;
}"""


def focus_is_on(page: Page, target: Locator) -> None:
    """TARGET has the focus (waiting for the ack and redraws to settle), not the page."""
    try:
        expect(target).to_be_focused()
    except AssertionError as error:
        raise AssertionError(f"the focus is on {page.evaluate(WHAT_HAS_FOCUS_JS)}") from error
    assert page.evaluate("() => document.activeElement !== document.body")


def focus_matches(page: Page, selector: str) -> None:
    """The focus is on an element that SELECTOR matches (one of several right places)."""
    try:
        page.wait_for_function(
            "(s) => document.activeElement && document.activeElement.matches(s)",
            arg=selector,
            timeout=5000,
        )
    except Exception as error:  # playwright's TimeoutError
        raise AssertionError(f"the focus is on {page.evaluate(WHAT_HAS_FOCUS_JS)}") from error


def settled(button: Locator) -> None:
    """A reaction button whose reaction the server has acked."""
    expect(button).not_to_have_attribute("aria-disabled", "true")


def test_focus_stays_on_what_was_pressed_on_the_phone(live_server, desktop_context, artifacts_dir):
    room = Room.open(live_server)
    try:
        phone = desktop_context(**KEYBOARD_PHONE).new_page()
        join_by_code(phone, room.url, room.code, "Health", name="Kim")

        # Post: the comment goes, the box empties, the focus stays on Post.
        room.show("rate")
        other = room.comment("rate", "Outcomes matter more than process.")
        item = phone.locator(f'.comment[data-id="{other}"]')
        expect(item).to_be_visible()
        box = phone.get_by_label("Add a comment")
        tab_to(phone, box)
        phone.keyboard.type("Respect comes first.")
        post = phone.get_by_role("button", name="Post")
        tab_to(phone, post)
        phone.keyboard.press("Enter")
        expect(phone.locator(".post-status")).to_have_text("Posted ✓")
        expect(phone.locator(".comment.own")).to_contain_text("Respect comes first.")
        expect(box).to_have_value("")
        focus_is_on(phone, post)
        # The next Shift+Tab goes back to the box, not from the top of the page.
        phone.keyboard.press("Shift+Tab")
        focus_is_on(phone, box)

        # Agree, then Disagree, on someone else's comment: the pressed button keeps the focus.
        agree = item.get_by_role("button", name=re.compile("^Agree"))
        disagree = item.get_by_role("button", name=re.compile("^Disagree"))
        tab_to(phone, agree)
        phone.keyboard.press("Enter")
        expect(agree).to_have_attribute("aria-pressed", "true")
        settled(agree)
        focus_is_on(phone, agree)
        phone.keyboard.press("Tab")
        focus_is_on(phone, disagree)
        phone.keyboard.press("Space")
        expect(disagree).to_have_attribute("aria-pressed", "true")
        expect(agree).to_have_attribute("aria-pressed", "false")
        settled(disagree)
        focus_is_on(phone, disagree)
        wall = room.facilitator.emit("sync")["comments"]["comments"]
        counts = {c["id"]: (c["agree"], c["disagree"]) for c in wall}
        assert counts[other] == (0, 1)

        # Pass on a statement's card: the card moves on and the focus goes to what it shows
        # now (here, that every statement has a vote), where a screen reader reads on.
        room.show("say")
        statement = room.comment("say", "Data should stay in Wales.")
        card_pass = phone.locator(f'.next-statement[data-id="{statement}"]').get_by_role(
            "button", name="Pass"
        )
        expect(card_pass).to_be_enabled()
        tab_to(phone, card_pass)
        phone.keyboard.press("Enter")
        expect(phone.locator(".vote-status")).to_have_text("Saved ✓ You passed.")
        focus_is_on(phone, phone.locator(".next-none"))
        # All statements: the focus goes to the list's heading; Agree there (the statements
        # list votes as the comments do) keeps it on the pressed button.
        tab_to(phone, phone.get_by_role("button", name=re.compile("^All statements")))
        phone.keyboard.press("Enter")
        focus_is_on(phone, phone.locator(".statements-all .wall-heading"))
        item = phone.locator(f'.comment[data-id="{statement}"]')
        expect(item.get_by_role("button", name="Pass")).to_have_attribute("aria-pressed", "true")
        vote = item.get_by_role("button", name="Agree", exact=True)
        tab_to(phone, vote)
        phone.keyboard.press("Enter")
        expect(vote).to_have_attribute("aria-pressed", "true")
        settled(vote)
        focus_is_on(phone, vote)

        # Submit on a choice: nothing new to send, the button goes off and the status bar,
        # which says the answer is saved, has the focus.
        room.show("pick")
        tab_to(phone, phone.get_by_role("checkbox", name="Yes"))
        phone.keyboard.press("Space")
        tab_to(phone, phone.get_by_role("button", name="Submit"))
        phone.keyboard.press("Enter")
        expect(phone.locator(".save-status")).to_have_text(SAVED)
        focus_is_on(phone, phone.locator("#answer-status"))
        assert_focus_visible(phone)
        phone.screenshot(path=artifacts_dir / "a11y-focus-status-bar.png")

        # Submit ranking: the focus stays on the button or goes to the status bar.
        room.show("order")
        tab_to(phone, phone.get_by_role("button", name="Move up: Third thing"))
        phone.keyboard.press("Enter")
        submit = phone.get_by_role("button", name="Submit ranking")
        tab_to(phone, submit)
        phone.keyboard.press("Enter")
        expect(phone.locator(".save-status")).to_have_text(SAVED)
        focus_matches(phone, "#answer-status, .ranking button.submit")

        # The menu's dialogs give the focus back to the Menu button, however they close.
        menu = phone.get_by_role("button", name="Menu")

        def from_the_menu(item_name: str) -> None:
            tab_to(phone, menu, backwards=True)
            phone.keyboard.press("Enter")
            tab_to(phone, phone.get_by_role("button", name=item_name))
            phone.keyboard.press("Enter")

        from_the_menu("What we collect")
        expect(phone.locator("#notice-dialog")).to_be_visible()
        phone.keyboard.press("Escape")
        focus_is_on(phone, menu)
        from_the_menu("What we collect")
        tab_to(phone, phone.locator("#notice-dialog").get_by_role("button", name="Close"))
        phone.keyboard.press("Enter")
        expect(phone.locator("#notice-dialog")).to_be_hidden()
        focus_is_on(phone, menu)
        from_the_menu("Withdraw from this workshop")
        tab_to(phone, phone.get_by_role("button", name="Cancel"))
        phone.keyboard.press("Enter")
        expect(phone.locator("#withdraw-dialog")).to_be_hidden()
        focus_is_on(phone, menu)
        from_the_menu("Withdraw from this workshop")
        phone.keyboard.press("Escape")
        focus_is_on(phone, menu)

        # Withdrawing: the page says so, and its heading has the focus.
        from_the_menu("Withdraw from this workshop")
        confirm = phone.locator("#confirm-withdraw")
        tab_to(phone, confirm)
        phone.keyboard.press("Enter")
        heading = phone.get_by_role("heading", name="You have withdrawn. Thank you.")
        expect(heading).to_be_visible()
        focus_is_on(phone, heading)
    finally:
        room.close()


def test_the_phone_says_when_results_are_shown(live_server, phone_context):
    room = Room.open(live_server)
    try:
        phone = phone_context().new_page()
        join_by_code(phone, room.url, room.code, "Health")
        announcer = phone.locator("#announcer")
        expect(announcer).to_have_attribute("aria-live", "polite")

        room.show("pick")
        expect(announcer).to_have_text("New: Pick")
        room.others_answer("pick")
        room.reveal()
        expect(phone.locator(".results")).to_be_visible()
        expect(announcer).to_have_text("Results are shown")

        # Hidden, then shown again: said again.
        phone.evaluate(RECORD_JS, "announcer")
        ok(room.facilitator.emit("hide_results"))
        expect(phone.locator(".results")).to_be_hidden()
        ok(room.facilitator.emit("reveal"))
        expect(phone.locator(".results")).to_be_visible()
        phone.wait_for_function(
            "() => window.__said.some(([, words]) => words === 'Results are shown')"
        )

        # A new stage whose results are shown already: both are said, together.
        room.show("rate")
        expect(announcer).to_have_text("New: Features")
        room.reveal()
        expect(announcer).to_have_text("Results are shown")
        ok(room.facilitator.emit("goto", {"index": room.stage_index("pick")}))
        if room.facilitator.emit("sync")["state"]["revealed"]:
            expect(announcer).to_have_text("New: Pick Results are shown")
        else:
            expect(announcer).to_have_text("New: Pick")

        # What the page shows when it loads is not news: a reload says nothing.
        room.show("rate", open_input=False)
        ok(room.facilitator.emit("reveal"))
        phone.reload()
        expect(phone.locator(".results")).to_be_visible()
        phone.wait_for_timeout(300)
        expect(announcer).to_have_text("")
    finally:
        room.close()


def pick(person: LiveSocket, choice: str) -> None:
    """PERSON answers the choice stage."""
    payload = {"stage": "pick", "client_id": client_id(), "value": {"choices": [choice]}}
    ok(person.emit("answer", payload))


def test_the_console_says_counts_at_most_every_ten_seconds(live_server, desktop_context):
    room = Room.open(live_server)  # two people have joined
    extra: list[LiveSocket] = []
    try:
        console = desktop_context().new_page()
        log_in(console, live_server)
        console.goto(f"{room.url}/facilitator/sessions/{room.code}")
        expect(console.locator("#connection")).to_have_text("Live", timeout=15_000)
        region = console.locator("#console-announcer")
        expect(region).to_have_attribute("aria-live", "polite")
        room.show("pick")
        expect(console.locator("#stage-title")).to_contain_text("Pick")
        expect(console.locator("#counts")).to_contain_text("answered")
        console.wait_for_timeout(500)
        console.evaluate(RECORD_JS, "console-announcer")

        # The first change is said at once.
        pick(room.people[0], "yes")
        expect(region).to_have_text("2 joined, 1 answered")

        # More within ten seconds: held back, then said once as they stand.
        pick(room.people[1], "no")
        joined = join(room.url, room.code, "Welfare")
        extra.append(LiveSocket(room.url, joined, room.code, role="participant"))
        pick(extra[0], "unsure")
        expect(console.locator("#counts")).to_contain_text("3")
        console.wait_for_timeout(1000)
        expect(region).to_have_text("2 joined, 1 answered")
        expect(region).to_have_text("3 joined, 3 answered", timeout=20_000)

        said = console.evaluate("() => window.__said.filter(([, words]) => words)")
        counts = [words for _, words in said if "answered" in words]
        assert counts == ["2 joined, 1 answered", "3 joined, 3 answered"], said
        gap = said[-1][0] - said[0][0]
        assert 9_900 <= gap <= 20_000, said  # held back ten seconds, then said

        # The results shown to the room, said at once.
        room.reveal()
        expect(region).to_have_text("Results shown to the room")
        ok(room.facilitator.emit("hide_results"))
        expect(region).to_have_text("Results hidden from the room")
    finally:
        for socket in extra:
            socket.close()
        room.close()
