"""A WebSocket that ends closes its connection: the server does not read it as HTTP."""

from __future__ import annotations

import pytest

from tests.support.live import FacilitatorSocket, login
from tests.support.server import flask_cli, start_live_app


@pytest.fixture
def live_app(tmp_path):
    app = start_live_app(tmp_path)
    yield app
    app.stop()


def test_a_closed_websocket_is_not_read_as_a_next_request(live_app):
    http = login(live_app.url, live_app.email, live_app.password)
    code = flask_cli(live_app.env, "session", "open", "data-for-public-benefit").split()[-1]
    for _ in range(3):
        socket = FacilitatorSocket(live_app.url, http, code)
        assert socket.client.connected
        socket.close()
    # A second connection after the closes still works (nothing is left half-read).
    again = FacilitatorSocket(live_app.url, http, code)
    assert again.client.connected
    again.close()
    output = live_app.server.output()
    assert "Invalid HTTP method" not in output
    assert "Traceback" not in output
