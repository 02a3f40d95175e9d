"""The plan editor's "How stages run" and "Projector look" sections in a real browser: set
the flow and the theme in the form, see an accent that fails contrast told at once and
refused by the server next to its field, save, read the YAML, and reload to find the form
as saved."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import BUILTIN_PLAN
from tests.support.images import WEBP, png
from tests.support.pages import log_in
from tests.support.server import start_live_app


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    plans = tmp_path_factory.mktemp("plans")
    shutil.copy(BUILTIN_PLAN, plans / BUILTIN_PLAN.name)
    (plans / "logo.png").write_bytes(png())
    (plans / "brand.webp").write_bytes(WEBP)
    (plans / "notes.txt").write_text("not an image")
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()


def field(page: Page, path: str):
    return page.locator(f'#form-panel [data-path="{path}"]')


def test_set_the_flow_and_the_theme_in_the_form(
    live_server, desktop_context, projector_context, artifacts_dir
):
    page = desktop_context().new_page()  # 1366x768
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server)
    page.goto(f"{live_server.url}/facilitator/plans/")
    page.get_by_role("button", name="New plan").click()
    expect(page).to_have_url(re.compile(r"/facilitator/plans/new-workshop-plan(-\d+)?$"))
    edit_url = page.url

    # How stages run: the defaults are checked; choose the by-hand ones.
    flow = page.locator("section[data-field=flow]")
    expect(flow.get_by_label("When the stage is shown")).to_be_checked()
    expect(flow.get_by_label("On the next press")).to_be_checked()
    flow.get_by_label("When I open it").check()
    flow.get_by_label("When answering closes").check()

    # Projector look: the images of the plans folder are offered, nothing else.
    look = page.locator("section[data-field=theme]")
    logos = field(page, "theme.logo").locator("option")
    expect(logos).to_have_text(["No logo", "brand.webp", "logo.png"])
    accent = field(page, "theme.accent")
    accent.fill("#ffd700")  # yellow on white: 1.40:1
    check = look.locator(".accent-check")
    expect(check).to_contain_text("contrasts 1.40:1 with the light page")
    expect(check).to_have_class(re.compile("error"))

    # The server refuses it too, next to the field.
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator("#save-status")).to_have_text("Not saved: 1 problem.")
    accent_field = page.locator('#form-panel [data-field="theme.accent"]')
    expect(accent_field).to_have_class(re.compile("has-error"))
    expect(accent_field.locator(".inline-error")).to_contain_text(
        "theme.accent: #ffd700 contrasts 1.40:1 with the light page (#ffffff)"
    )

    # Dark: the dark green fails on the dark page; a light green passes.
    field(page, "theme.mode").select_option("dark")
    accent.fill("#0b6e4f")
    expect(check).to_contain_text("contrasts 2.95:1 with the dark page")
    accent.fill("#7fd1ae")
    expect(check).to_have_text("Contrast with the dark page: 10.2:1 (at least 3:1 needed).")
    expect(check).not_to_have_class(re.compile("error"))
    expect(look.get_by_label("Pick the accent colour")).to_have_value("#7fd1ae")
    field(page, "theme.logo").select_option("logo.png")
    page.get_by_role("button", name="Save plan").click()
    expect(page.locator("#save-status")).to_have_text("Saved ✓")
    flow.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "plan-editor-flow.png")
    look.scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / "plan-editor-theme.png")

    # The YAML the form wrote.
    page.get_by_role("tab", name="YAML").click()
    text = page.locator("#yaml-source").input_value()
    assert "flow:\n  input: manual\n  reveal: on_close\n" in text
    assert 'theme:\n  accent: "#7fd1ae"\n  mode: dark\n  logo: logo.png\n' in text

    # Back from the saved plan, the form shows what was saved.
    page.goto(edit_url)
    page.get_by_role("tab", name="Form").click()
    expect(flow.get_by_label("When I open it")).to_be_checked()
    expect(flow.get_by_label("When answering closes")).to_be_checked()
    expect(field(page, "theme.accent")).to_have_value("#7fd1ae")
    expect(field(page, "theme.mode")).to_have_value("dark")
    expect(field(page, "theme.logo")).to_have_value("logo.png")

    # Back to the defaults: the form writes neither field.
    flow.get_by_label("When the stage is shown").check()
    flow.get_by_label("On the next press").check()
    field(page, "theme.accent").fill("")
    field(page, "theme.mode").select_option("light")
    field(page, "theme.logo").select_option("")
    page.get_by_role("tab", name="YAML").click()
    text = page.locator("#yaml-source").input_value()
    assert "flow:" not in text and "theme:" not in text
    assert errors == []
