"""One Playwright (sync API) per test run, shared by every folder's browser fixtures.

The sync API runs an event loop on the test thread: a second ``sync_playwright().start()``
while the first runs fails ("using Playwright Sync API inside the asyncio loop"). Each
conftest that needs Playwright (tests/browser/, tests/accessibility/) defines its own
session fixture, so both go through ``shared_playwright``: the first starts it, the last
to finish stops it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Playwright, sync_playwright

# How every browser test and bench/first_load.py start Chromium: headless as root, and
# nothing of Chromium's own on the network (the machine's network is closed).
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_instance: Playwright | None = None
_users = 0


@contextmanager
def shared_playwright() -> Iterator[Playwright]:
    global _instance, _users
    if _instance is None:
        _instance = sync_playwright().start()
    _users += 1
    try:
        yield _instance
    finally:
        _users -= 1
        if _users == 0:
            _instance.stop()
            _instance = None
