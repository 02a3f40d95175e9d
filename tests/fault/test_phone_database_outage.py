"""A real server on PostgreSQL whose database goes away (through a TCP proxy the test cuts)
while a phone is in the room: the phone's answer is kept and shown as not sent yet with
the server's reason, the phone page answers 503 with a plain page, a phone that reconnects
is refused only for now and keeps trying by itself, and once the database is back the
answer is stored, once, without anyone touching the phone.
"""

from __future__ import annotations

import re
import time
from contextlib import closing

import psycopg
import pytest
from playwright.sync_api import expect

from facilitation.db import UNAVAILABLE
from tests.fault.proxy import TcpProxy
from tests.fault.steps import SocketBlocker, join_in_browser, open_session, schema_url
from tests.support.live import FacilitatorSocket, login
from tests.support.pages import SAVED
from tests.support.server import start_live_app

pytestmark = [pytest.mark.browser, pytest.mark.services]

# The phone sends again every 3 s (live.js RETRY_MS); a refused connection retries as often.
BACK_MS = 20_000


def wait_for_log(server, page, text: str, timeout: float = 20) -> None:
    """Until the server's log says TEXT (what it did, not how fast). Waits through PAGE,
    so that Playwright keeps serving the page's routed WebSocket meanwhile."""
    deadline = time.monotonic() + timeout
    while text not in server.server.stderr_path.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"the server never logged {text!r}"
        page.wait_for_timeout(100)


def answers_stored(postgres_url: str, schema: str, client_id: str) -> int:
    with closing(psycopg.connect(postgres_url, options=f"-csearch_path={schema}")) as db:
        return db.execute(
            "SELECT count(*) FROM event WHERE client_id = %s", (client_id,)
        ).fetchone()[0]


def test_phone_keeps_its_answer_while_the_database_is_away(
    tmp_path, postgres_url, pg_schema, phone_context, artifacts_dir
):
    with TcpProxy("127.0.0.1", 5432) as proxy:
        server = start_live_app(
            tmp_path / "instance", database_url=schema_url(postgres_url, pg_schema, proxy.port)
        )
        try:
            code = open_session(server)
            http = login(server.url, server.email, server.password)
            facilitator = FacilitatorSocket(server.url, http, code)
            stages = {s["key"]: s["index"] for s in facilitator.emit("sync")["stages"]}
            assert facilitator.emit("goto", {"index": stages["purposeful"]})["ok"]
            assert facilitator.emit("open_input")["ok"]
            facilitator.close()
            context = phone_context()
            blocker = SocketBlocker(context)
            page = join_in_browser(context, server, code)
            expect(page.get_by_role("heading", name="Test 1: Purposeful")).to_be_visible()

            proxy.cut()
            group = page.get_by_role("group", name=re.compile("purpose is clear"))
            group.get_by_role("radio", name="Met", exact=True).check()
            status = page.locator(".save-status")
            expect(status).to_have_text(f"Not sent yet: {UNAVAILABLE}")
            [entry] = page.evaluate(
                "code => JSON.parse(localStorage.getItem('facilitation.pending.' + code))", code
            )
            page.screenshot(path=str(artifacts_dir / "fault-5-database-away.png"))

            # Any page that needs the database says so plainly, with 503.
            other = context.new_page()
            response = other.goto(f"{server.url}/p/{code}")
            assert response.status == 503
            expect(other.get_by_role("heading")).to_have_text("The server can't save right now")
            other.close()

            # The phone's connection drops and comes back while the database is still away:
            # the server refuses it for now, and the phone keeps trying by itself.
            blocker.drop()
            wait_for_log(server, page, "connect: database unavailable")  # refused once at least
            expect(page.locator("#connection")).to_have_text("Reconnecting…")
            expect(status).not_to_have_text(SAVED)
            assert answers_stored(postgres_url, pg_schema, entry["client_id"]) == 0

            proxy.restore()
            expect(page.locator("#connection")).to_have_text("Live", timeout=BACK_MS)
            expect(status).to_have_text(SAVED, timeout=BACK_MS)
            page.screenshot(path=str(artifacts_dir / "fault-6-database-back.png"))
            assert answers_stored(postgres_url, pg_schema, entry["client_id"]) == 1
            assert (
                page.evaluate("code => localStorage.getItem('facilitation.pending.' + code)", code)
                is None
            )
        finally:
            server.stop()
