"""A phone through a dropped Wi-Fi, in Chromium's offline mode: the service worker
(static/js/phone-sw.js) gives the page back on a reload without the network, the page
shows the last stage with the answer still waiting, and sends it when the network returns.
The worker handles no other page, and withdrawing clears what the phone kept.

Chromium runs service workers on 127.0.0.1 (a secure context), as on HTTPS; on plain HTTP
over the LAN it runs none (docs/deployment.md).
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import BrowserContext, Error, Page, expect

from tests.fault.steps import PURPOSEFUL, query, screen_url
from tests.support.live import FacilitatorSocket, login
from tests.support.pages import KEPT, join_by_code, log_in, wait_until
from tests.support.server import flask_cli

PROPORTIONATE = "Test 2: Proportionate"
NOT_SENT = "Not sent yet: will send when you're back online"
SAVED = re.compile(r"^(Saved|Changed) ✓")
# Socket.IO's reconnection backs off up to 5 s, and an attempt that stalls is given up
# after live.js's 10 s connection timeout (as in tests/fault/test_phone_offline.py).
RECONNECT_MS = 30_000
# phone.js by its hashed name (facilitation/static_assets.py).
PHONE_JS = re.compile(r"/static/js/phone\.[0-9a-f]{10}\.js$")
# A traffic light stage's input module, loaded only when such a stage is shown.
TRAFFIC_LIGHT_JS = re.compile(r"^/static/js/activities/inputs/traffic_light\.[0-9a-f]{10}\.js$")
# The config the phone's worker script starts with (facilitation/participant/offline.py).
WORKER_CONFIG = re.compile(r"self\.PHONE_OFFLINE = (\{.*?\});\n")

# Every entry of every cache the site has on this phone, as "cache name: path".
CACHED = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) {
      found.push(name + ": " + new URL(request.url).pathname);
    }
  }
  return found.sort();
}"""

def open_session(live_server) -> str:
    output = flask_cli(live_server.env, "session", "open", "data-for-public-benefit")
    return output.strip().splitlines()[-1].strip()


def show(facilitator: FacilitatorSocket, key: str) -> None:
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
    assert facilitator.emit("goto", {"index": stages[key]})["ok"]
    assert facilitator.emit("open_input")["ok"]


def joined_phone(context: BrowserContext, live_server, code: str) -> Page:
    """A phone joined to CODE whose page the service worker handles and keeps."""
    page = context.new_page()
    join_by_code(page, live_server.url, code, "Health")
    wait_until(page, KEPT)
    return page


def answer(page: Page, test: str) -> None:
    group = page.get_by_role("group", name=re.compile(test))
    group.get_by_role("radio", name="Met", exact=True).check()


def answers_to(live_server, code: str, stage: str) -> list[tuple]:
    return query(
        live_server,
        "SELECT a.value FROM answer a JOIN workshop_session s ON s.id = a.session_id"
        " WHERE s.code = ? AND a.stage_key = ?",
        code,
        stage,
    )


def test_a_phone_reloaded_offline_shows_its_stage_and_sends_the_answer_when_back(
    live_server, phone_context, artifacts_dir
):
    code = open_session(live_server)
    facilitator = FacilitatorSocket(
        live_server.url, login(live_server.url, live_server.email, live_server.password), code
    )
    try:
        show(facilitator, "purposeful")
        context = phone_context()
        page = joined_phone(context, live_server, code)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        status = page.locator(".save-status")
        expect(page.get_by_role("heading", name=PURPOSEFUL)).to_be_visible()
        answer(page, "purpose is clear")
        expect(status).to_have_text(SAVED)

        show(facilitator, "proportionate")
        expect(page.get_by_role("heading", name=PROPORTIONATE)).to_be_visible()
        context.set_offline(True)
        expect(page.locator("#connection")).to_have_text("Reconnecting…")
        answer(page, "in proportion")
        expect(status).to_have_text(NOT_SENT)

        # The reload without the network: the page from the worker, the last stage, and the
        # answer shown as waiting, on the stage and in the list of what is not sent yet.
        page.reload()
        expect(page.get_by_role("heading", name=PROPORTIONATE)).to_be_visible()
        group = page.get_by_role("group", name=re.compile("in proportion"))
        expect(group.get_by_role("radio", name="Met", exact=True)).to_be_checked()
        expect(status).to_have_text(NOT_SENT)
        expect(page.locator(".pending-note")).to_contain_text(
            f"Your answer to “{PROPORTIONATE}” is not sent yet"
        )
        expect(page.locator("#connection")).not_to_have_text("Live")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=artifacts_dir / "phone-offline-reloaded.png")
        # Everything the page loaded came from the worker's cache: none is missing from it.
        loaded = page.evaluate(
            """() => performance.getEntriesByType("resource")
                .map((entry) => new URL(entry.name).pathname)
                .filter((path) => path.startsWith("/static/"))"""
        )
        kept = {entry.split(": ", 1)[1] for entry in page.evaluate(CACHED)}
        assert loaded and set(loaded) <= kept, set(loaded) - kept
        # Among them the stage type's modules, which the worker did not keep at install but
        # as the page first loaded them.
        assert [path for path in loaded if TRAFFIC_LIGHT_JS.match(path)], loaded
        assert answers_to(live_server, code, "proportionate") == []

        context.set_offline(False)
        expect(status).to_have_text(SAVED, timeout=RECONNECT_MS)
        expect(page.locator("#connection")).to_have_text("Live")
        expect(page.locator(".pending-note")).to_be_hidden()
        page.screenshot(path=artifacts_dir / "phone-offline-sent.png")
        met = json.dumps({"lights": {"proportionate": "met"}}, separators=(",", ":"))
        assert answers_to(live_server, code, "proportionate") == [(met,)]
        stored = page.evaluate(f"localStorage.getItem('facilitation.pending.{code}')")
        assert stored is None
        assert not errors, errors
    finally:
        facilitator.close()


def test_the_worker_keeps_no_other_page_and_withdrawing_clears_what_the_phone_kept(
    live_server, phone_context
):
    code = open_session(live_server)
    context = phone_context()
    page = joined_phone(context, live_server, code)
    phone_path = f"/p/{code}"
    stage_key = f"facilitation.stage.{code}"
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    assert page.evaluate(f"sessionStorage.getItem('{stage_key}')") is not None

    # The facilitator's console and the projector in the same browser: not the worker's.
    console = context.new_page()
    log_in(console, live_server)
    console.goto(f"{live_server.url}/facilitator/sessions/{code}")
    expect(console.locator("#connection")).to_have_text("Live")
    projector = context.new_page()
    projector.goto(screen_url(live_server, code))
    for other in (console, projector):
        assert other.evaluate("navigator.serviceWorker.controller") is None
    cached = page.evaluate(CACHED)
    pages = [entry for entry in cached if not entry.startswith("phone-assets-")]
    assert pages == [f"phone-pages: {phone_path}"], cached
    assets = [entry.split(": ", 1)[1] for entry in cached if entry.startswith("phone-assets-")]
    assert assets and all(path.startswith("/static/") for path in assets), assets
    # On the welcome (an information stage) no activity type's modules were loaded, and
    # the worker's install downloaded none of them either.
    worker = page.request.get(f"{live_server.url}/phone-sw.js").text()
    lazy = json.loads(WORKER_CONFIG.match(worker).group(1))["lazyAssets"]
    assert lazy and not set(assets) & set(lazy), assets
    context.set_offline(True)
    with pytest.raises(Error, match="ERR_INTERNET_DISCONNECTED"):
        console.reload()  # no copy anywhere: the browser's own "no internet"
    context.set_offline(False)
    console.close()
    projector.close()

    # Each load through the worker keeps the page afresh (here after its copy was lost).
    page.evaluate("async () => (await caches.open('phone-pages')).delete(location.href)")
    assert not page.evaluate(KEPT)
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live")
    wait_until(page, KEPT)

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Withdraw from this workshop").click()
    page.locator("#withdraw-dialog").get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("heading", name="You have withdrawn. Thank you.")).to_be_visible()
    wait_until(page, f"async () => !(await caches.match(location.origin + '{phone_path}'))")
    assert page.evaluate(f"sessionStorage.getItem('{stage_key}')") is None

    # Loaded again, the page is not kept again (the server tells the worker so): without
    # the network it is gone.
    page.reload()
    expect(page.get_by_role("heading", name="You have withdrawn. Thank you.")).to_be_visible()
    assert not [entry for entry in page.evaluate(CACHED) if entry.endswith(phone_path)]
    context.set_offline(True)
    with pytest.raises(Error, match="ERR_FAILED"):  # the worker has no copy to give
        page.reload()


def test_old_files_are_deleted_and_a_page_expecting_newer_ones_gets_them_from_the_network(
    live_server, phone_context
):
    code = open_session(live_server)
    context = phone_context()
    page = joined_phone(context, live_server, code)
    [current] = [n for n in page.evaluate("caches.keys()") if n.startswith("phone-assets-")]
    # A worker's own requests to the network (Chromium reports them to the context).
    fetched: list[str] = []
    context.on(
        "request",
        lambda request: fetched.append(request.url) if request.service_worker else None,
    )
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live")
    assert not [url for url in fetched if "/static/" in url], fetched  # all from the cache

    # A deploy the worker has not caught up with: the page names files it does not have.
    def newer_page(route):
        response = route.fetch()
        headers = {**response.headers, "x-phone-assets": "feedfacefeedface"}
        route.fulfill(response=response, headers=headers)

    context.route(f"**/p/{code}", newer_page)
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live")
    page.reload()
    expect(page.locator("#connection")).to_have_text("Live")
    assert [url for url in fetched if PHONE_JS.search(url)], fetched
    context.unroute(f"**/p/{code}")

    # A new worker's install deletes every other version's files.
    page.evaluate(
        """async () => {
          const old = await caches.open("phone-assets-0123456789abcdef");
          await old.put("/static/js/phone.js", new Response("// an older phone.js"));
          await (await navigator.serviceWorker.getRegistration()).unregister();
        }"""
    )
    page.reload()  # not handled by a worker: it registers one afresh
    expect(page.locator("#connection")).to_have_text("Live")
    wait_until(page, KEPT)
    assert [n for n in page.evaluate("caches.keys()") if n.startswith("phone-assets-")] == [current]
