"""WCAG 2.2 1.4.12 Text spacing: with the criterion's spacing forced on every element (line
height 1.5, 2 em after paragraphs, letter spacing 0.12 em, word spacing 0.16 em, each
``!important``, as a reader's style sheet or bookmarklet sets them), no text on the phone
is cut or drawn over other text: the join page, every activity, comments and results.

The spacing goes in as a constructed style sheet from an init script, so the app's CSP
(which forbids inline styles) is left as served. The plan has the built-in plan's longest
kind of title, which is what the top bar cut. Screenshots: tests/artifacts/a11y-spacing-*.png.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.accessibility.measure import script
from tests.accessibility.workshop import PLAN_SLUG, STAGES, Room
from tests.support.scenario import PLAN
from tests.support.server import start_live_app

# A plan title as long as real ones get: it wraps in the phone's top bar.
LONG_TITLE = "Data for Public Benefit: what the people of Wales expect of shared records"

SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# Adds SPACING_CSS to every document the context opens, before the page's own scripts run.
SPACING_INIT = (
    "(() => { const sheet = new CSSStyleSheet(); sheet.replaceSync("
    + json.dumps(SPACING_CSS)
    + "); const add = () => {"
    " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; };"
    " if (document.documentElement) add(); else addEventListener('DOMContentLoaded', add); })()"
)

CLIPPED_TEXT_JS = script("clipped-text.js")

NO_INPUT = ("welcome", "story")  # an information card and the scenario
WITH_RESULTS = ("where", "pick", "rate", "light", "order", "dots", "place", "words", "say")

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The every-activity plan under a long title."""
    plans = tmp_path_factory.mktemp("plans")
    assert "title: Every activity\n" in PLAN
    (plans / f"{PLAN_SLUG}.yaml").write_text(
        PLAN.replace("title: Every activity\n", f'title: "{LONG_TITLE}"\n', 1)
    )
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def spacing_applied(page: Page) -> bool:
    return page.evaluate(
        "() => getComputedStyle(document.body).letterSpacing !== 'normal'"
        " && parseFloat(getComputedStyle(document.body).lineHeight)"
        " === 1.5 * parseFloat(getComputedStyle(document.body).fontSize)"
    )


def check(page: Page, where: str, problems: list[str], artifacts_dir) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let a redraw after the last push land
    assert spacing_applied(page), f"{where}: the text spacing is not applied"
    problems.extend(f"{where}: {problem}" for problem in page.evaluate(CLIPPED_TEXT_JS))
    page.screenshot(path=artifacts_dir / f"a11y-spacing-{where}.png", full_page=True)


def test_phone_text_is_never_cut_with_text_spacing(live_server, phone_context, artifacts_dir):
    room = Room.open(live_server)
    problems: list[str] = []
    try:
        context = phone_context(**PHONE)
        context.add_init_script(SPACING_INIT)
        page = context.new_page()
        page.goto(f"{room.url}/")
        check(page, "home", problems, artifacts_dir)
        page.goto(f"{room.url}/j/{room.code}")
        check(page, "join", problems, artifacts_dir)
        page.locator("summary", has_text="what we collect").click()
        check(page, "join-notice", problems, artifacts_dir)
        page.get_by_label("Display name").fill("Kim")
        page.get_by_label("Your sector").select_option("Health")
        page.get_by_label("I have read this and want to take part").check()
        page.get_by_role("button", name="Join").click()
        expect(page.locator("#connection")).to_have_text("Live")
        for key, text in STAGES.items():
            takes_input = key not in NO_INPUT
            room.show(key, open_input=takes_input)
            expect(page.locator("#stage-view")).to_contain_text(text)
            if key in ("rate", "talk", "say"):
                room.comment(key, f"A comment on {key} as long as people write them, or longer.")
                # A statements stage shows one statement on a card; the rest, its list.
                expect(page.locator(".comment-text, .next-text").first).to_be_visible()
            check(page, key, problems, artifacts_dir)
            if key == "say":
                page.get_by_role("button", name="All statements (1)").click()
                check(page, "say-all", problems, artifacts_dir)
                page.get_by_role("button", name="Back to the next statement").first.click()
            if key in WITH_RESULTS:
                room.others_answer(key)
                room.reveal()
                expect(page.locator(".results")).to_be_visible()
                check(page, f"{key}-results", problems, artifacts_dir)
        page.get_by_role("button", name="Menu").click()
        check(page, "menu", problems, artifacts_dir)
    finally:
        room.close()
    assert not problems, "text cut or overlapping with text spacing:\n" + "\n".join(problems)
