"""Pages load every static file by its hashed name, in Chromium: the import map sends each
module's plain relative imports to the hashed files the page preloads, the CSP lets the
import map run, and nothing asks for a plain /static/ name (facilitation/static_assets.py;
the HTTP side is tests/static/)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from facilitation.static_assets import HASHED
from tests.fault.steps import screen_url
from tests.support.live import FacilitatorSocket, login
from tests.support.pages import KEPT, join_by_code, log_in, wait_until
from tests.support.server import LiveApp, flask_cli, start_live_app


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The live app with its access log: what reached the server, not the browser's cache."""
    app = start_live_app(tmp_path_factory.mktemp("live"), ACCESS_LOG="1")
    yield app
    app.stop()


def served(live_server, path: str) -> int:
    """How many GET requests for PATH the server answered."""
    server = live_server.server
    logs = "".join(p.read_text() for p in (server.stdout_path, server.stderr_path))
    return len(re.findall(rf'"GET {re.escape(path)} HTTP', logs))


def open_session(live_server) -> str:
    output = flask_cli(live_server.env, "session", "open", "data-for-public-benefit")
    return output.strip().splitlines()[-1].strip()


class Watch:
    """The /static/ paths a context's pages (not its service worker) ask for, and every
    console error and uncaught exception of its pages."""

    def __init__(self, context: BrowserContext):
        self.requested: Counter[str] = Counter()
        self.errors: list[str] = []
        context.on("request", self._request)
        context.on("page", self.page)

    def _request(self, request) -> None:
        path = urlsplit(request.url).path
        if path.startswith("/static/") and not request.service_worker:
            self.requested[path] += 1

    def page(self, page: Page) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def check(self) -> None:
        assert self.requested, "no static file was asked for"
        plain = [path for path in self.requested if not HASHED.match(path)]
        assert not plain, plain
        assert not self.errors, self.errors


def test_the_phone_loads_every_module_by_its_hashed_name_at_once(live_server, phone_context):
    code = open_session(live_server)
    context = phone_context()
    watch = Watch(context)
    page = context.new_page()
    join_by_code(page, live_server.url, code, "Health")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    preloaded = page.eval_on_selector_all(
        'link[rel="modulepreload"]', "links => links.map((link) => link.href)"
    )
    imports = page.eval_on_selector('script[type="importmap"]', "s => JSON.parse(s.textContent)")
    modules = {urlsplit(url).path for url in preloaded}
    # The map names every module the page may import; each activity type's modules are
    # imported when a stage of the type comes, so they are mapped but not preloaded.
    lazy = set(imports["imports"].values()) - modules
    assert modules < set(imports["imports"].values())
    assert {"/static/js/phone.js", "/static/js/live.js"} <= set(imports["imports"])
    rating = imports["imports"]["/static/js/activities/inputs/rating.js"]
    assert rating in lazy
    # Each module once: the preloaded file is the one its importer's import map names.
    for module in modules:
        assert watch.requested[module] == 1, (module, watch.requested)
    # The browser ran them all: the page is live, and a module from deep in the graph ran.
    assert page.evaluate("typeof io") == "function"
    assert re.search(r"/static/js/activities/inputs/[a-z-]+\.[0-9a-f]{10}\.js", " ".join(modules))
    watch.check()

    # The service worker keeps the same files (test_phone_offline.py), taken from the
    # browser's cache: none reached the server twice, none is asked for again on a reload.
    wait_until(page, KEPT)
    for module in modules:
        assert served(live_server, module) == 1, module
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live")
    for module in modules:
        assert served(live_server, module) == 1, module
    # On the welcome (an information stage) no type's module was needed: none was fetched.
    assert not [module for module in lazy if served(live_server, module)], lazy

    # A rating stage: its modules are imported then, by their hashed names, once.
    facilitator = FacilitatorSocket(
        live_server.url, login(live_server.url, live_server.email, live_server.password), code
    )
    try:
        stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
        assert facilitator.emit("goto", {"index": stages["feature-outcomes"]})["ok"]
        assert facilitator.emit("open_input")["ok"]
        expect(page.locator("#stage-view .stage-rating input").first).to_be_enabled()
    finally:
        facilitator.close()
    assert watch.requested[rating] == 1, watch.requested
    watch.check()


def test_the_console_and_the_projector_load_only_hashed_names(
    live_server, desktop_context, projector_context
):
    code = open_session(live_server)
    console_context = desktop_context()
    console_watch = Watch(console_context)
    console = console_context.new_page()
    log_in(console, live_server)
    console.goto(f"{live_server.url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    console_watch.check()

    screen_context = projector_context()
    screen_watch = Watch(screen_context)
    screen = screen_context.new_page()
    screen.goto(screen_url(live_server, code))
    expect(screen.locator("#connection")).to_have_text("Live")
    screen_watch.check()
