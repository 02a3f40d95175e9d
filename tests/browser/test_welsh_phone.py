"""A phone in Welsh, in a real browser against the real server: it joins through the Welsh
pages, answers a stage whose plan text is in Welsh, sees its status and the room's results
in Welsh, and its answer is stored under the plan's own keys.

Screenshots: tests/artifacts/welsh-*.png (looked at: every word on them is Welsh).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.i18n.catalogues import ensure_compiled
from tests.i18n.conftest import BILINGUAL_PLAN
from tests.support.live import FacilitatorSocket, login
from tests.support.server import LiveApp, flask_cli, start_live_app


@pytest.fixture(scope="module")
def welsh_server(tmp_path_factory) -> Iterator[LiveApp]:
    """The real app with the bilingual plan in its plans folder."""
    ensure_compiled()
    plans = tmp_path_factory.mktemp("plans")
    shutil.copy(BILINGUAL_PLAN, plans / "bilingual.yaml")
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def snap(page: Page, artifacts_dir, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts_dir / f"welsh-{name}.png", full_page=True)


def test_a_welsh_phone_joins_and_answers_in_welsh(welsh_server, phone_context, artifacts_dir):
    code = flask_cli(welsh_server.env, "session", "open", "bilingual").strip().splitlines()[-1]
    # The browser asks for Welsh (Accept-Language: cy-GB); no switch link needed.
    page = phone_context(locale="cy-GB").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(welsh_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", name="Ymuno â gweithdy")).to_be_visible()
    page.get_by_label("Cod y gweithdy").fill(code.lower())
    page.get_by_role("button", name="Ymuno").click()
    expect(page.get_by_role("heading", name="Rhannu data yn dda")).to_be_visible()
    page.get_by_label("Eich sector").select_option(label="Tai")
    page.get_by_label("Rydw i wedi darllen hwn ac rydw i am gymryd rhan").check()
    snap(page, artifacts_dir, "01-join")
    page.get_by_role("button", name="Ymuno").click()
    expect(page.locator("#connection")).to_have_text("Yn fyw")
    expect(page.get_by_role("heading", name="Croeso")).to_be_visible()
    expect(page.get_by_text("Cam 1 o 4")).to_be_visible()

    http = login(welsh_server.url, welsh_server.email, welsh_server.password)
    facilitator = FacilitatorSocket(welsh_server.url, http, code)
    try:
        assert facilitator.emit("goto", {"index": 1})["ok"]
        assert facilitator.emit("open_input")["ok"]
        expect(page.get_by_role("heading", name="Prawf 1: Pwrpasol")).to_be_visible()
        expect(
            page.get_by_text("Pa mor dda mae'r senario hwn yn pasio'r prawf Pwrpasol?")
        ).to_be_visible()
        expect(page.get_by_text("Ydy'r prawf hwn wedi'i fodloni? Tapiwch un.")).to_be_visible()
        block = page.get_by_role("group", name="Mae'r pwrpas yn glir")
        block.get_by_role("radio", name="Wedi'i fodloni", exact=True).check()
        # "Saved ✓" in Welsh, then the time of the save (phone.js)
        saved_in_welsh = re.compile(r"^Wedi'i gadw ✓ \d\d:\d\d:\d\d$")
        expect(page.locator(".save-status")).to_have_text(saved_in_welsh)
        snap(page, artifacts_dir, "02-answered")

        # Stored under the plan's own keys, whatever the phone's language.
        results = facilitator.wait_for(
            "results", lambda m: m.get("stage") == "purposeful" and m["results"]["answered"] == 1
        )
        item = results["results"]["items"][0]
        assert item["key"] == "purposeful" and item["met"] == 1

        assert facilitator.emit("close_input")["ok"]
        assert facilitator.emit("reveal")["ok"]
        expect(page.get_by_role("heading", name="Atebion yr ystafell")).to_be_visible()
        expect(page.get_by_text("Atebodd 1 person.")).to_be_visible()
        # The results carry the plan's English label; the phone shows its Welsh one.
        expect(page.locator(".results .result-label")).to_have_text("Mae'r pwrpas yn glir")
        expect(page.locator(".closed-note")).to_contain_text("Mae'r ymatebion ar gau")
        snap(page, artifacts_dir, "03-results")
        text = page.locator("body").inner_text()
        for english in ("Saved", "The room's answers", "Input is closed", "The purpose is clear"):
            assert english not in text

        # The menu offers English; choosing it reloads the phone in English, and stays so.
        page.get_by_role("button", name="Dewislen").click()
        snap(page, artifacts_dir, "04-menu")
        page.get_by_role("link", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#connection")).to_have_text("Live")
        expect(page.get_by_role("heading", name="Test 1: Purposeful")).to_be_visible()
        expect(page.locator(".save-status")).to_have_text("Saved ✓")
        page.goto(f"{welsh_server.url}/p/{code}")  # the cookie outranks the browser's cy-GB
        expect(page.get_by_role("heading", name="The room's answers")).to_be_visible()
    finally:
        facilitator.close()
    assert not errors
