"""Browser tests: Python Playwright (sync API) driving Debian's headless Chromium.

Playwright never downloads a browser here (no ``playwright install``): it launches
``/usr/bin/chromium``. Without it these tests skip, except in CI (``CI=true``) where
they fail. Screenshots go to ``tests/artifacts/`` (git-ignored).

Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` skips them).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright

from tests.support.live import LiveSocket
from tests.support.playwright_session import LAUNCH_ARGS, shared_playwright
from tests.support.server import LiveApp, start_live_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
HERE = Path(__file__).resolve().parent


# Milliseconds a Playwright action or expectation may wait before failing.
DEFAULT_TIMEOUT_MS = 10_000

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}

ContextFactory = Callable[..., BrowserContext]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{CHROMIUM} is missing in CI (.ci/run installs it: apt-get install chromium)"
            )
        pytest.skip("chromium not installed: apt-get install chromium")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def playwright(chromium_path: str) -> Iterator[Playwright]:
    with shared_playwright() as instance:  # one per run: tests/accessibility/ uses it too
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=chromium_path, headless=True, args=LAUNCH_ARGS
    )
    yield browser
    browser.close()


def _context_factory(browser: Browser, defaults: dict) -> Iterator[ContextFactory]:
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        """A new context (own cookies and storage); OPTIONS override the device defaults."""
        context = browser.new_context(**{**defaults, **options})
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def phone_context(browser: Browser) -> Iterator[ContextFactory]:
    """Factory: ``phone_context()`` is a new phone, 390x844 at 2x, touch."""
    yield from _context_factory(browser, PHONE)


@pytest.fixture
def desktop_context(browser: Browser) -> Iterator[ContextFactory]:
    """Factory: ``desktop_context()`` is a new laptop browser, 1366x768."""
    yield from _context_factory(browser, DESKTOP)


@pytest.fixture
def projector_context(browser: Browser) -> Iterator[ContextFactory]:
    """Factory: ``projector_context()`` is a new 1920x1080 screen."""
    yield from _context_factory(browser, PROJECTOR)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots go: tests/artifacts/ (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The real app (``python -m facilitation``, gevent) on a fresh SQLite database.

    ``.url``, ``.email`` and ``.password`` (a facilitator), ``.env`` (the server's
    environment, for ``flask`` commands on the same database) and ``.restart()``.
    One per test module; the server's logs are in its temp folder's ``logs/``.
    """
    app = start_live_app(tmp_path_factory.mktemp("live"))
    yield app
    app.stop()


@pytest.fixture
def sockets() -> Iterator[list[LiveSocket]]:
    """Python Socket.IO clients a test opens beside its browsers, closed after it."""
    opened: list[LiveSocket] = []
    yield opened
    for socket in opened:
        socket.close()
