"""Accessibility tests: axe-core, keyboard, text alternatives, sizes and reflow, in Debian's
headless Chromium through Playwright. They reuse the browser fixtures of tests/browser/ and
share one live server per module; every test here is marked ``browser``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.accessibility.workshop import PLAN_SLUG
from tests.browser.conftest import (  # noqa: F401  (fixtures, shared with tests/browser)
    artifacts_dir,
    browser,
    chromium_path,
    desktop_context,
    phone_context,
    projector_context,
)
from tests.support.playwright_session import shared_playwright
from tests.support.scenario import PLAN
from tests.support.server import start_live_app

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def playwright(request: pytest.FixtureRequest):
    """The run's one Playwright: tests/browser/'s fixture of the same name shares it."""
    request.getfixturevalue("chromium_path")  # skips (fails in CI) without Chromium
    with shared_playwright() as instance:
        yield instance


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The real app with a plan holding every kind of activity in its plans folder."""
    plans = tmp_path_factory.mktemp("plans")
    (plans / f"{PLAN_SLUG}.yaml").write_text(PLAN)
    app = start_live_app(tmp_path_factory.mktemp("live"), PLANS_DIR=str(plans))
    yield app
    app.stop()
