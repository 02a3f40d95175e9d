"""A self-paced run on a phone, from the invitation sheet's QR code to the profile: the
code filled in from the link, Next and Back through the built-in plan answering the three
tests and five features, a stage's results after answering it, a comment waiting for
approval, the profile stage, the thank-you after Finish, and the personal resume link
opened in a second browser, which lands on the same stage with the answers shown.

The run is published straight into the live server's database (the facilitator's pages
for runs are tested on their own). Screenshots: tests/artifacts/run-*.png (390x844 and
360x640)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from facilitation import clock
from facilitation.db import database
from facilitation.models import WorkshopSession
from facilitation.plans import load_plan
from facilitation.workshop import run_operations
from facilitation.workshop.runs import RunSettings
from tests.accessibility.axe import Audit
from tests.browser.test_phone import assert_fits_the_screen, watch_errors
from tests.conftest import BUILTIN_PLAN, app_for
from tests.support.pages import box_of, saved
from tests.support.server import start_live_app

TESTS = ("purposeful", "proportionate", "responsible")
FEATURES = 5


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The live server, with room for a person who goes through all 16 stages in half a
    minute (some 80 answers, moves and refreshes): a person reading takes far longer
    than the default limit of 60 a minute allows for."""
    app = start_live_app(
        tmp_path_factory.mktemp("run"), RATE_LIMIT_PARTICIPANT_EVENTS_PER_MINUTE="600"
    )
    yield app
    app.stop()


@pytest.fixture
def invited_run(live_server):
    """An invitation-only run of the built-in plan, open now: (code, invitation codes)."""
    app = app_for(live_server.env["DATABASE_URL"])
    plan = load_plan(BUILTIN_PLAN)
    try:
        with database(app).sessionmaker() as db:
            session = run_operations.publish_run(
                db,
                plan,
                None,
                opens_at=clock.now() - timedelta(minutes=5),
                closes_at=clock.now() + timedelta(days=7),
                settings=RunSettings.from_plan(plan, invitation_only=True),
                scenario_key=plan.scenarios[0].key,
            )
            codes = run_operations.create_invitations(db, session.id, 2)
            return session.code, codes, [stage.key for stage in plan.stages]
    finally:
        database(app).engine.dispose()


def close_run(live_server, code: str) -> None:
    """Close the run early, as its facilitator's "Close now" does."""
    app = app_for(live_server.env["DATABASE_URL"])
    try:
        with database(app).sessionmaker() as db:
            session = db.scalar(select(WorkshopSession).where(WorkshopSession.code == code))
            run_operations.close_run(db, session.id)
    finally:
        database(app).engine.dispose()


def snap(page: Page, artifacts_dir, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"run-{name}.png"))


def heading(page: Page):
    return page.locator("#stage-view h1").first


def progress(page: Page, number: int, count: int) -> None:
    expect(page.locator(".pace-progress")).to_have_text(f"{number} of {count}")


def next_button(page: Page):
    return page.locator("#pace-bar .pace-next")


def at(page: Page) -> int:
    """The number of the stage on screen, from the bar's "3 of 16"."""
    return int(page.locator(".pace-progress").inner_text().split()[0])


def go_next(page: Page, label: str = "Next") -> None:
    button = next_button(page)
    expect(button).to_have_text(label)
    step(page, button, +1)


def go_back(page: Page) -> None:
    step(page, page.locator("#pace-bar .pace-back"), -1)


def step(page: Page, button, by: int) -> None:
    number = at(page)
    button.click()
    expect(page.locator(".pace-progress")).to_have_text(re.compile(rf"^{number + by} of "))
    expect(heading(page)).to_be_focused()  # the new stage's title, for a screen reader


def test_a_phone_goes_through_a_run_and_resumes_on_another_device(
    live_server, phone_context, invited_run, artifacts_dir
):
    code, invitations, stages = invited_run
    count = len(stages)
    page = phone_context().new_page()
    errors = watch_errors(page)
    audit = Audit()  # axe-core, WCAG 2.2 AA, on each screen of a run

    # The invitation sheet's QR code: the join page with the code filled in.
    page.goto(f"{live_server.url}/j/{code}?invite={invitations[0]}")
    expect(page.get_by_label("Invitation code")).to_have_value(invitations[0])
    expect(page.get_by_text(re.compile("^Open until .*Go at your own pace"))).to_be_visible()
    snap(page, artifacts_dir, "join-390x844")
    audit.check(page, "run join page")
    assert_fits_the_screen(page)
    page.get_by_label("Your sector").select_option("Housing")
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()

    # Said once after joining: the personal link, and who can use it.
    expect(page.locator("#connection")).to_have_text("Live")
    note = page.locator(".pace-joined")
    expect(note).to_contain_text("anyone with it can see and change your answers")
    expect(heading(page)).to_have_text("Welcome")
    progress(page, 1, count)
    expect(page.locator("#pace-bar .pace-back")).to_be_disabled()
    snap(page, artifacts_dir, "welcome-390x844")
    audit.check(page, "a run's first stage, with the note after joining")
    note.get_by_role("button", name="OK").click()
    assert "joined=" not in page.url  # a reload does not say it again

    go_next(page)  # the sector stage: answered when joining
    progress(page, 2, count)
    go_next(page)  # the scenario
    go_next(page)

    for index, key in enumerate(TESTS):
        assert stages.index(key) == 3 + index
        progress(page, 4 + index, count)
        expect(next_button(page)).to_have_text("Skip")  # not answered yet
        page.locator(".stage").get_by_role("radio", name="Met", exact=True).check()
        saved(page)
        # Answered: the stage's results, with the person's own answer marked.
        expect(page.locator(".results-slot")).to_be_visible()
        expect(page.locator(".results-slot")).not_to_contain_text("on their way")
        expect(next_button(page)).to_have_text("Next")
        if key == "purposeful":
            snap(page, artifacts_dir, "results-390x844")
            audit.check(page, "a run's stage with its results")
            # A run speaks of those taking part, not of the room and its screen.
            comments = page.locator(".stage .comments")
            expect(comments).to_contain_text("Once approved, others taking part can agree")
            expect(comments).not_to_contain_text("screen at the front")
            expect(comments.locator(".wall-heading")).to_have_text(
                "Comments from people taking part"
            )
            page.get_by_label("Add a comment").fill("Who checks the list?")
            page.get_by_role("button", name="Post").click()
            expect(page.locator(".comment.own")).to_contain_text("Waiting for approval")
            snap(page, artifacts_dir, "awaiting-390x844")
        go_next(page)

    for feature in range(FEATURES):
        expect(heading(page)).to_contain_text(f"Feature {feature + 1}")
        blocks = page.locator(".item-block")
        for block in range(blocks.count()):
            blocks.nth(block).get_by_role("radio", name="4", exact=True).check()
            saved(page)
        expect(page.locator(".results-slot")).to_be_visible()
        go_next(page)

    # The ranking and the two open questions: skipped.
    for _ in range(3):
        go_next(page, "Skip")

    # The profile stage: the room's profile with the person's own marked.
    assert stages[-2] == "verdict"
    progress(page, count - 1, count)
    expect(page.locator(".results-slot")).to_be_visible()
    snap(page, artifacts_dir, "profile-390x844")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    go_next(page)
    progress(page, count, count)
    next_button(page).click()  # "Finish"
    expect(page.get_by_role("heading", name="Thank you: your answers are saved.")).to_be_focused()
    snap(page, artifacts_dir, "thanks-390x844")
    audit.check(page, "a run's thank-you")
    page.locator("#pace-bar .pace-back").click()  # back to the last stage
    progress(page, count, count)
    expect(heading(page)).to_be_focused()

    # Back to the last feature: where the second device should land.
    for _ in range(5):
        go_back(page)
    expect(heading(page)).to_contain_text("Feature 5")

    # The personal link, from the menu.
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#start-withdraw")).to_have_text("Withdraw from this consultation")
    page.get_by_role("button", name="Continue on another device").click()
    dialog = page.locator("#resume-dialog")
    expect(dialog).to_contain_text("anyone with this link can see and change your answers")
    expect(dialog.locator("svg")).to_be_visible()
    resume = page.locator("#resume-url").input_value()
    assert re.search(rf"/r/{code}/\S+$", resume)
    snap(page, artifacts_dir, "resume-390x844")
    audit.check(page, "the resume link's dialog")
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("button", name="Menu")).to_be_focused()

    # A second device (a smaller phone): the same person, on the same stage, answers shown.
    other = phone_context(viewport={"width": 360, "height": 640}).new_page()
    other_errors = watch_errors(other)
    other.goto(resume)
    expect(other).to_have_url(f"{live_server.url}/p/{code}")
    expect(heading(other)).to_contain_text("Feature 5")
    for block in range(other.locator(".item-block").count()):
        item = other.locator(".item-block").nth(block)
        expect(item.get_by_role("radio", name="4", exact=True)).to_be_checked()
    expect(other.locator(".results-slot")).to_be_visible()
    expect(other.locator(".pace-joined")).to_have_count(0)  # said once, on joining
    snap(other, artifacts_dir, "resumed-360x640")
    go_back(other)
    expect(heading(other)).to_contain_text("Feature 4")
    snap(other, artifacts_dir, "feature-360x640")

    # The Back / Next bar never hides the last control of the page.
    bar_top = box_of(other.locator("#pace-bar"))["y"]
    other.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last = other.locator(".item-block").last.get_by_role("radio", name="5", exact=True)
    last_box = box_of(last)
    assert last_box["y"] + last_box["height"] <= bar_top

    # A second invitation on this same device opens the same person, not a new one.
    other.goto(f"{live_server.url}/j/{code}?invite={invitations[1]}")
    expect(other).to_have_url(f"{live_server.url}/p/{code}")

    # Closed early: the phone says why, with no questions and no Back / Next.
    close_run(live_server, code)
    other.reload()
    expect(
        other.get_by_role("heading", name=re.compile("This consultation has closed"))
    ).to_be_visible()
    expect(other.locator("#pace-bar")).to_be_hidden()
    expect(other.locator("input[type=radio]")).to_have_count(0)
    snap(other, artifacts_dir, "closed-360x640")
    audit.check(other, "a closed run's phone page")
    assert errors == [] and other_errors == []
    audit.assert_clean()
