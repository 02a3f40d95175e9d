"""axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA) on every page of the app, in the states
people see them in: no serious or critical violation anywhere.

Phones are 390x844, the console a 1366x768 laptop, the projector 1920x1080. One live server
for the module; each test opens its own session of the every-activity plan.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import requests
from playwright.sync_api import Page, expect

from tests.accessibility.axe import Audit
from tests.accessibility.workshop import PLAN_SLUG, STAGES, Room, ok
from tests.support.live import csrf_token, login
from tests.support.pages import log_in
from tests.support.server import flask_cli, start_live_app

RESEARCHER = "reader@example.org"
PASSWORD = "a long reader password"

# Each stage of the plan, with a text the phone shows once the stage is on it.
ANSWERABLE = ("where", "pick", "rate", "light", "order", "dots", "place", "words")


def on_stage(page: Page, key: str) -> None:
    expect(page.locator("#stage-view")).to_contain_text(STAGES[key])


def test_join_pages_and_every_activity_on_a_phone(live_server, phone_context):
    room = Room.open(live_server)
    audit = Audit()
    try:
        page = phone_context().new_page()
        page.goto(f"{room.url}/")
        audit.check(page, "home (code form)")
        page.get_by_label("Workshop code").fill("zzzzz2")
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_text("No workshop has the code")).to_be_visible()
        audit.check(page, "home with an unknown code")
        page.goto(f"{room.url}/j/{room.code}")
        audit.check(page, "join (consent)")
        page.get_by_role("button", name="Join").click()  # nothing filled in: errors
        expect(page.locator("#consent-error")).to_be_visible()
        audit.check(page, "join with errors")
        page.get_by_label("Your sector").select_option("Health")
        page.get_by_label("Your table").select_option("Table A")
        page.get_by_label("I have read this and want to take part").check()
        page.get_by_role("button", name="Join").click()
        expect(page.locator("#connection")).to_have_text("Live")
        on_stage(page, "welcome")
        audit.check(page, "phone: info stage")
        page.get_by_role("button", name="Menu").click()
        audit.check(page, "phone: menu open")
        page.get_by_role("button", name="What we collect").click()
        audit.check(page, "phone: notice dialog")
        page.get_by_role("button", name="Close").click()

        for key in STAGES:
            if key == "welcome":
                continue
            room.show(key, open_input=key != "story")
            on_stage(page, key)
            audit.check(page, f"phone: {key} stage, input open")
            if key in ANSWERABLE:
                room.others_answer(key)
                room.reveal()
                expect(page.locator(".results")).to_be_visible()
                audit.check(page, f"phone: {key} stage, results revealed")
        room.comment("say", "Councils should ask first.")
        expect(page.locator("#stage-view")).to_contain_text("Councils should ask first.")
        audit.check(page, "phone: statements with one to vote on")
        room.show("talk")
        room.comment("talk", "Who is told first?")
        expect(page.locator("#stage-view")).to_contain_text("Who is told first?")
        audit.check(page, "phone: comments with one from someone else")

        ok(room.facilitator.emit("end_session"))
        expect(page.locator("#stage-view")).to_contain_text(re.compile("ended", re.I))
        audit.check(page, "phone: session ended")
        fresh = phone_context().new_page()
        fresh.goto(f"{room.url}/j/{room.code}")
        audit.check(fresh, "join page of an ended session")
        fresh.goto(f"{room.url}/j/ZZZZZ2")
        expect(fresh.get_by_text("ZZZZZ2")).to_be_visible()
        audit.check(fresh, "join page of an unknown code")
    finally:
        room.close()
    audit.assert_clean()


def test_facilitator_pages(live_server, desktop_context):
    room = Room.open(live_server)
    audit = Audit()
    try:
        page = desktop_context().new_page()
        page.goto(f"{room.url}/login")
        audit.check(page, "login")
        page.get_by_label("Email").fill(live_server.email)
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Log in").click()
        audit.check(page, "login with an error")
        log_in(page, live_server)
        audit.check(page, "dashboard")

        room.show("rate")
        room.others_answer("rate")
        room.comment("rate", "Outcomes matter most.")
        page.goto(f"{room.url}/facilitator/sessions/{room.code}")
        expect(page.locator("#connection")).to_have_text("Live")
        audit.check(page, "console: rating stage, input open")
        room.reveal()
        expect(page.locator("#results-state")).to_have_text("Results shown to the room")
        audit.check(page, "console: rating results revealed")
        for key in ("light", "order", "dots", "place", "words", "say"):
            room.show(key)
            room.others_answer(key)
            room.reveal()
            expect(page.locator("#results-state")).to_have_text("Results shown to the room")
            audit.check(page, f"console: {key} results")
        page.locator("details.exports-section summary").click()
        audit.check(page, "console: exports open")

        page.goto(f"{room.url}/facilitator/plans/")
        audit.check(page, "plan list")
        page.get_by_role("button", name="New plan").click()
        expect(page.get_by_role("tab", name="Form")).to_have_attribute("aria-selected", "true")
        audit.check(page, "plan editor: form")
        page.get_by_role("tab", name="YAML").click()
        audit.check(page, "plan editor: YAML")
        with page.expect_response(lambda r: r.url.endswith("/facilitator/plans/preview")):
            page.locator("#preview-button").click()
        preview = page.frame(name="preview-frame")
        preview.wait_for_load_state("load")
        expect(preview.locator("main")).to_be_visible()
        audit.check(preview, "plan editor: the phone preview (its frame)")
        page.goto(f"{page.url}/delete")
        expect(page.get_by_role("button", name="Delete the plan")).to_be_visible()
        audit.check(page, "delete a plan (confirmation)")
        page.goto(f"{room.url}/facilitator/plans/{PLAN_SLUG}")
        audit.check(page, "plan editor: a built-in plan, read only")

        page.goto(f"{room.url}/facilitator/series/")
        audit.check(page, "series list")
        page.goto(f"{room.url}/facilitator/series/for-session/{room.code}")
        audit.check(page, "put a session in a series")
        page.get_by_label("A new series").check()
        page.get_by_label("Title of the new series").fill("Spring workshops")
        page.get_by_label("Place").fill("Leeds")
        page.get_by_label("Held on").fill("2026-03-12")
        page.get_by_role("button", name="Add to series").click()
        expect(page.get_by_role("heading", name="Spring workshops", level=1)).to_be_visible()
        audit.check(page, "series page")
        flask_cli(
            live_server.env,
            "facilitator", "create", RESEARCHER, "--role", "researcher", "--password", PASSWORD,
        )  # fmt: skip
        page.goto(f"{room.url}/facilitator/researchers/")
        audit.check(page, "researchers")
        card = page.locator("article", has=page.get_by_role("heading", name=RESEARCHER))
        card.get_by_label("Grant a session or a series").select_option(f"session:{room.code}")
        card.get_by_role("button", name="Grant").click()
        expect(page.locator(".flash")).to_contain_text(f"may now read session {room.code}")
        audit.check(page, "researchers, after a grant")

        reader = desktop_context().new_page()
        reader.goto(f"{room.url}/login")
        reader.get_by_label("Email").fill(RESEARCHER)
        reader.get_by_label("Password").fill(PASSWORD)
        reader.get_by_role("button", name="Log in").click()
        expect(reader.get_by_role("heading", name="Research", exact=True)).to_be_visible()
        expect(reader.locator("article", has_text=room.code)).to_be_visible()
        audit.check(reader, "research page (a researcher's exports)")
    finally:
        room.close()
    audit.assert_clean()


def test_projector_in_each_mode_and_the_note_taker(live_server, projector_context, desktop_context):
    room = Room.open(live_server)
    audit = Audit()
    try:
        screen = projector_context().new_page()
        screen.goto(room.screen_url)
        expect(screen.locator("#connection")).to_have_text("Live")
        audit.check(screen, "projector: join (QR) view")
        for key in ("rate", "light", "words", "say"):
            room.show(key)
            room.others_answer(key)
            if key != "words":  # a word cloud takes no comments
                room.comment(key, f"A comment on {key}.")
            audit.check(screen, f"projector: {key}, input open")
            room.reveal()
            expect(screen.locator("#screen")).not_to_contain_text("Join on your phone")
            screen.wait_for_timeout(300)  # let the chart draw
            audit.check(screen, f"projector: {key} results")
        for mode in ("join", "question", "results", "wall", "notes"):
            ok(room.facilitator.emit("set_screen_mode", {"mode": mode}))
            screen.wait_for_timeout(300)
            audit.check(screen, f"projector: {mode} mode")

        notes = desktop_context(viewport={"width": 1024, "height": 768}).new_page()
        notes.goto(room.notes_url)
        audit.check(notes, "note-taker: name form")
        notes.get_by_label("Your name as a note-taker").fill("Table A scribe")
        notes.get_by_role("button", name="Start taking notes").click()
        expect(notes.locator("#connection")).to_have_text("Live")
        audit.check(notes, "note-taker: notes page")
    finally:
        room.close()
    audit.assert_clean()


def test_the_html_report(live_server, desktop_context, tmp_path):
    room = Room.open(live_server)
    audit = Audit()
    try:
        for key in ("pick", "rate", "light", "order", "dots", "place", "words"):
            room.show(key)
            room.others_answer(key)
            if key == "light":
                room.comment("light", "<b>Who</b> checks?")
            room.reveal()
        page = desktop_context().new_page()
        log_in(page, live_server)
        response = page.request.get(
            f"{room.url}/facilitator/sessions/{room.code}/export/report.html"
        )
        assert response.status == 200
        report = tmp_path / "report.html"
        report.write_bytes(response.body())
        page.goto(report.as_uri())
        page.locator(".chart .main-svg").first.wait_for()
        audit.check(page, "HTML report")
    finally:
        room.close()
    audit.assert_clean()


def test_projector_breakdowns_by_sector_and_by_table(live_server, projector_context):
    room = Room.open(live_server, tables=("Table A", "Table B"), per_group=3)
    audit = Audit()
    try:
        screen = projector_context().new_page()
        screen.goto(room.screen_url)
        expect(screen.locator("#connection")).to_have_text("Live")
        for key in ("light", "rate", "order"):
            room.show(key)
            room.others_answer(key)
            room.reveal()
            for breakdown in ("sector", "table"):
                ok(room.facilitator.emit("set_breakdown", {"breakdown": breakdown}))
                expect(screen.locator(".results-caption")).to_contain_text(f"By {breakdown}")
                expect(screen.locator(".breakdown-tables table")).to_have_count(2)
                screen.wait_for_timeout(300)  # let the chart draw
                audit.check(screen, f"projector: {key} results by {breakdown}")
    finally:
        room.close()
    audit.assert_clean()


@contextmanager
def write_lock_held(database: Path):
    """Another connection in the middle of a write transaction (as tests/fault/ does)."""
    other = sqlite3.connect(database, isolation_level=None, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_pages_that_turn_a_phone_away(live_server, phone_context, tmp_path):
    """Not started (a draft session), too many attempts (429) and the database down (503),
    each as the real server answers it."""
    audit = Audit()
    http = login(live_server.url, live_server.email, live_server.password)
    opened = http.post(
        f"{live_server.url}/facilitator/sessions",
        data={
            "csrf_token": csrf_token(http, f"{live_server.url}/facilitator/"),
            "plan": PLAN_SLUG,
            "scenario": "arrears",
            "draft": "1",
        },
        timeout=10,
    )
    draft = opened.url.rsplit("/", 1)[1]
    page = phone_context().new_page()
    page.goto(f"{live_server.url}/j/{draft}")
    expect(page.get_by_role("heading", name="This workshop has not started yet")).to_be_visible()
    audit.check(page, "join page of a draft session (not started)")

    # A server of its own: the failures below would lock this address out of the module's
    # server, and a lock should turn into a 503 after one second, not the default 30.
    fresh = start_live_app(
        tmp_path / "fresh", PLANS_DIR=live_server.env["PLANS_DIR"], DATABASE_BUSY_TIMEOUT="1"
    )
    try:
        code = flask_cli(fresh.env, "session", "open", PLAN_SLUG).split()[-1]
        page.goto(f"{fresh.url}/j/{code}")
        page.get_by_label("Your sector").select_option("Health")
        page.get_by_label("I have read this and want to take part").check()
        with write_lock_held(Path(fresh.env["FACILITATION_INSTANCE"]) / "app.db"):
            with page.expect_response(lambda r: r.request.method == "POST") as joined:
                page.get_by_role("button", name="Join").click()
            assert joined.value.status == 503
            heading = page.get_by_role("heading", name="The server can't save right now")
            expect(heading).to_be_visible()
            audit.check(page, "database unavailable (503)")

        misses = requests.Session()
        for guess in ("QQQQ" + a + b for a in "2345" for b in "23456789AB"):
            if misses.get(f"{fresh.url}/j/{guess}", timeout=10).status_code == 429:
                break
        else:
            raise AssertionError("40 unknown codes and still no 429")
        response = page.goto(f"{fresh.url}/j/ZZZZZ2")
        assert response.status == 429
        expect(page.get_by_role("heading", name="Too many attempts")).to_be_visible()
        audit.check(page, "too many attempts (429)")
    finally:
        fresh.stop()
    audit.assert_clean()
