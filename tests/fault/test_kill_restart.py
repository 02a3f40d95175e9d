"""Kill the server (SIGKILL) in the middle of a burst of answers and start it again, with
real processes: every answer acknowledged before the kill is still stored, the phones
resend the rest with the same client_id and nothing is stored twice, the browser phones
and the projector reconnect by themselves, and the stage, input and reveal state are as
the facilitator left them.

The room: a facilitator (python-socketio) on a rating stage with input open and results
revealed; a projector and two phones in Chromium; and 30 python-socketio phones that,
like live.js, send an answer and, when no ack comes, send it again once reconnected.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest
import socketio
from playwright.sync_api import expect

from tests.fault.steps import join_in_browser, open_session, query, screen_url
from tests.support.live import FacilitatorSocket, client_id, join, login
from tests.support.pages import SAVED
from tests.support.server import start_live_app

pytestmark = pytest.mark.browser

PHONES = 30
STAGE = "feature-outcomes"
ITEMS = ("better-service", "wellbeing", "evidence")
SECTORS = ("Health", "Housing", "Welfare")
ACK_TIMEOUT = 3  # seconds a python phone waits for an ack before sending again
RECONNECT_MS = 30_000  # browser pages: Socket.IO backs off, see test_phone_offline.py


@dataclass
class ResendingPhone:
    """A python-socketio phone that sends one answer until the server acknowledges it,
    with the same client_id every time (what live.js does)."""

    url: str
    code: str
    sector: str
    client_id: str = field(default_factory=client_id)
    attempts: int = 0
    ack: dict | None = None
    acked_at: float | None = None

    def __post_init__(self):
        self.client = socketio.Client(
            http_session=join(self.url, self.code, self.sector),
            reconnection=True,
            reconnection_delay=0.3,
            reconnection_delay_max=1,
        )
        self.client.connect(
            self.url,
            auth={"code": self.code, "role": "participant"},
            transports=["websocket"],
            wait_timeout=10,
        )

    @property
    def payload(self) -> dict:
        score = 1 + int(self.client_id, 16) % 5  # a spread of ratings
        return {
            "stage": STAGE,
            "client_id": self.client_id,
            "value": {"ratings": dict.fromkeys(ITEMS, score)},
        }

    def answer(self, go: threading.Event, deadline: float) -> None:
        go.wait()
        while time.monotonic() < deadline:
            if not self.client.connected:
                time.sleep(0.05)  # reconnecting by itself
                continue
            self.attempts += 1
            try:
                ack = self.client.call("answer", self.payload, timeout=ACK_TIMEOUT)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                continue  # no ack (the server died): send it again once reconnected
            if ack.get("retry"):
                time.sleep(0.2)
                continue
            self.ack, self.acked_at = ack, time.monotonic()
            return

    def close(self) -> None:
        self.client.disconnect()


def facilitator_state(server, code: str) -> dict:
    facilitator = FacilitatorSocket(
        server.url, login(server.url, server.email, server.password), code
    )
    try:
        state = facilitator.emit("sync")["state"]
    finally:
        facilitator.close()
    return {
        "stage": state["stage"]["key"],
        "input_open": state["input_open"],
        "revealed": state["revealed"],
        "status": state["status"],
    }


def test_sigkill_mid_burst_loses_no_acknowledged_answer_and_stores_none_twice(
    tmp_path, phone_context, projector_context, artifacts_dir
):
    started = time.monotonic()
    server = start_live_app(tmp_path / "instance")
    phones: list[ResendingPhone] = []
    try:
        code = open_session(server)
        http = login(server.url, server.email, server.password)
        facilitator = FacilitatorSocket(server.url, http, code)
        stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
        for event, payload in (
            ("goto", {"index": stages[STAGE]}),
            ("open_input", None),
            ("reveal", None),
        ):
            assert facilitator.emit(event, payload)["ok"], event
        facilitator.close()
        before = facilitator_state(server, code)
        assert before == {"stage": STAGE, "input_open": True, "revealed": True, "status": "live"}

        projector = projector_context().new_page()
        projector.goto(screen_url(server, code))
        expect(projector.locator("#connection")).to_have_text("Live")
        browser_phones = [
            join_in_browser(phone_context(), server, code, sector) for sector in SECTORS[:2]
        ]
        for index, page in enumerate(browser_phones):
            page.locator(".item-block").first.get_by_role(
                "radio", name=str(index + 2), exact=True
            ).check()
            expect(page.locator(".save-status")).to_have_text(SAVED)
        expect(projector.locator(".results-caption")).to_have_text("Results from 2 people")

        phones = [ResendingPhone(server.url, code, SECTORS[i % 3]) for i in range(PHONES)]
        go = threading.Event()
        deadline = time.monotonic() + 45
        threads = [
            threading.Thread(target=phone.answer, args=(go, deadline), daemon=True)
            for phone in phones
        ]
        for thread in threads:
            thread.start()

        # The burst: everyone at once; the server dies as soon as the first ack is back.
        go.set()
        while not any(phone.ack for phone in phones):
            assert time.monotonic() < deadline, "no answer was acknowledged"
            time.sleep(0.001)
        server.server.process.kill()  # SIGKILL: no clean shutdown, nothing flushed late
        server.server.process.wait()
        acked_before_kill = [phone.client_id for phone in phones if phone.ack]
        in_flight = [phone for phone in phones if not phone.ack and phone.attempts]
        print(f"at the kill: {len(acked_before_kill)} acked, {len(in_flight)} sent unacked")
        assert 1 <= len(acked_before_kill) < PHONES, "the kill must land mid-burst"
        assert in_flight, "some answers must be unacknowledged when the server dies"
        expect(projector.locator("#connection")).not_to_have_text("Live")
        for page in browser_phones:
            expect(page.locator("#connection")).not_to_have_text("Live")

        server.server.start()  # same port, same database, same secret key
        for thread in threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))
        assert all(phone.ack and phone.ack["ok"] for phone in phones), [
            phone.ack for phone in phones if not (phone.ack and phone.ack["ok"])
        ]
        resent = sum(1 for phone in phones if phone.attempts > 1)
        print(f"after the restart: {resent} phones sent their answer again")

        # Every acknowledged answer survived; every phone's answer is stored exactly once.
        stored = dict(
            query(
                server,
                "SELECT e.client_id, count(*) FROM event e JOIN workshop_session s"
                " ON s.id = e.session_id WHERE s.code = ? AND e.type = 'answer.submitted'"
                " AND e.stage_key = ? GROUP BY e.client_id",
                code,
                STAGE,
            )
        )
        assert all(stored.get(cid) == 1 for cid in acked_before_kill)
        assert {phone.client_id: stored.get(phone.client_id) for phone in phones} == {
            phone.client_id: 1 for phone in phones
        }
        assert max(stored.values()) == 1
        answers = query(
            server,
            "SELECT count(*) FROM answer a JOIN workshop_session s ON s.id = a.session_id"
            " WHERE s.code = ? AND a.stage_key = ?",
            code,
            STAGE,
        )
        assert answers == [(PHONES + len(browser_phones),)]

        # The facilitator's room is as it was; the pages came back by themselves.
        assert facilitator_state(server, code) == before
        for page in browser_phones:
            expect(page.locator("#connection")).to_have_text("Live", timeout=RECONNECT_MS)
            expect(page.locator(".save-status")).to_have_text(SAVED)
        expect(projector.locator("#connection")).to_have_text("Live", timeout=RECONNECT_MS)
        expect(projector.locator(".results-caption")).to_have_text(
            f"Results from {PHONES + len(browser_phones)} people"
        )
        projector.screenshot(path=str(artifacts_dir / "fault-kill-projector.png"))
        browser_phones[0].screenshot(path=str(artifacts_dir / "fault-kill-phone.png"))
        print(f"kill and restart test took {time.monotonic() - started:.1f} s")
    finally:
        # In parallel: each python-socketio client takes seconds to close its WebSocket.
        closing = [threading.Thread(target=phone.close) for phone in phones]
        for thread in closing:
            thread.start()
        for thread in closing:
            thread.join(timeout=30)
        server.stop()
