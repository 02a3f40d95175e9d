"""A phone for cluster tests: joins through the real form, keeps its cookies (the
participant's and nginx's ``route``), reconnects on its own like the browser client, and
sends with the retry loop of static/js/live.js ``send``."""

from __future__ import annotations

import threading
import time
import uuid

import requests
import socketio

from tests.support.live import join

# live.js waits 8 s for an ack; a shorter wait keeps the tests short, same logic.
ACK_TIMEOUT = 5.0
ATTEMPTS = 5  # live.js: five attempts, then "No answer from the server"
CONNECT_TIMEOUT = 15.0


class Phone:
    def __init__(self, url: str, code: str, sector: str):
        self.url, self.code, self.sector = url, code, sector
        self.http = requests.Session()
        self.connected = threading.Event()
        self.connects = 0  # every (re)connect; live.js syncs after each
        self.disconnects = 0
        self.synced_at = 0  # the connect our last sync followed
        self.attempts: dict[str, int] = {}  # client_id -> emits
        # Acks to lose on the way back (a flaky network): the answer is stored, the phone
        # never hears so, waits out the ack timeout and resends it.
        self.lose_acks = 0
        self.client = socketio.Client(
            http_session=self.http,
            reconnection=True,  # as socket.io-client's default
            reconnection_delay=0.5,
            reconnection_delay_max=2,
        )
        self.client.on("connect", self._on_connect)
        self.client.on("disconnect", self._on_disconnect)

    def _on_connect(self):
        self.connects += 1
        self.connected.set()

    def _on_disconnect(self, *_reason):
        self.disconnects += 1
        self.connected.clear()

    def connect(self) -> None:
        """Join through the form (GET and POST /j/CODE), then open the socket and sync."""
        self.http.cookies.update(join(self.url, self.code, self.sector).cookies)
        self.client.connect(
            self.url,
            auth={"code": self.code, "role": "participant"},
            transports=["websocket"],
            wait_timeout=CONNECT_TIMEOUT,
        )
        self.synced_at = self.connects  # the page syncs as soon as it is connected
        ack = self.client.call("sync", {}, timeout=ACK_TIMEOUT)
        if not ack.get("ok"):
            raise AssertionError(f"sync refused: {ack}")

    def send(self, event: str, payload: dict) -> dict:
        """live.js ``send``: wait until connected, emit, and on an ack timeout (a worker
        that died with the answer in flight) try again, same payload, so the same
        client_id, at most ATTEMPTS times. After each reconnect the phone syncs first."""
        client_id = payload.get("client_id")
        for attempt in range(1, ATTEMPTS + 1):
            if not self.connected.wait(CONNECT_TIMEOUT):
                continue
            try:
                if self.synced_at != self.connects:
                    self.synced_at = self.connects
                    self.client.call("sync", {}, timeout=ACK_TIMEOUT)
                if client_id:
                    self.attempts[client_id] = self.attempts.get(client_id, 0) + 1
                if self.lose_acks:
                    self.lose_acks -= 1
                    self.client.emit(event, payload)  # asks for no ack: none comes back
                    time.sleep(ACK_TIMEOUT)  # what waiting for the lost ack costs
                    raise socketio.exceptions.TimeoutError()
                return self.client.call(event, payload, timeout=ACK_TIMEOUT)
            except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
                # No ack (the worker is gone) or not connected any more: wait and resend.
                if attempt == ATTEMPTS:
                    break
        return {"ok": False, "error": "No answer from the server; please check your connection."}

    def answer(self, stage: str, value: dict) -> tuple[str, dict]:
        """Answer STAGE once, with a fresh client_id; returns (client_id, final ack)."""
        client_id = uuid.uuid4().hex
        payload = {"stage": stage, "client_id": client_id, "value": value}
        return client_id, self.send("answer", payload)

    def close(self) -> None:
        self.client.disconnect()
        self.http.close()
