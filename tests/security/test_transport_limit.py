"""Above the app's own payload limit, engine.io's: a message over max_http_buffer_size
(64 KB, app.py) never reaches a handler: over the websocket the server closes the
connection (engine.io logs 'packet is too large' at INFO). Nothing is stored, the phone
reconnects and the next message is acked. The app's pages never send one: live.js refuses
a message over 60 KB with the same clear error as the server's ack (payloads.TOO_LARGE).

A real server process (``python -m facilitation`` on gevent), as in production.
"""

from __future__ import annotations

import threading

import pytest
import socketio

from tests.support.live import FacilitatorSocket, LiveSocket, client_id, join, login
from tests.support.server import flask_cli, start_live_app


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    app = start_live_app(tmp_path_factory.mktemp("transport"))
    yield app
    app.stop()


def test_a_message_over_64_kb_is_dropped_with_the_connection_and_nothing_stored(live_server):
    url = live_server.url
    code = flask_cli(live_server.env, "session", "open", "data-for-public-benefit")
    code = code.strip().splitlines()[-1]
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    stages = {stage["key"]: stage["index"] for stage in facilitator.emit("sync")["stages"]}
    assert facilitator.emit("goto", {"index": stages["purposeful"]})["ok"]
    assert facilitator.emit("open_input")["ok"]
    http = join(url, code, "Health")
    phone = LiveSocket(url, http, code, role="participant", timeout=5)
    dropped = threading.Event()
    phone.client.on("disconnect", lambda *_: dropped.set())

    comment = {"stage": "purposeful", "client_id": client_id(), "text": "x" * (70 * 1024)}
    # No ack ever comes: the socket is closed under the call.
    with pytest.raises(socketio.exceptions.SocketIOError):
        phone.emit("comment", comment)
    assert dropped.wait(10) and not phone.client.connected

    again = LiveSocket(url, http, code, role="participant")
    ack = again.emit("comment", {**comment, "text": "A normal comment"})
    assert ack["ok"], ack
    comments = facilitator.emit("sync")["comments"]["comments"]
    assert [c["text"] for c in comments] == ["A normal comment"]
    again.close()
    facilitator.close()
