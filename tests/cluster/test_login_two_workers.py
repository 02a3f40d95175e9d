"""A login's end reaches its sockets on every worker (facilitation/live/kick.py).

Two real workers on PostgreSQL and Redis: the console's socket is held by worker B, the
logout (or the CLI command that demotes the account, another process altogether) is
handled elsewhere, and the socket on worker B is disconnected all the same.
"""

from __future__ import annotations

import secrets
import threading

import pytest

from tests.support.live import FacilitatorSocket, csrf_token, login
from tests.support.server import create_facilitator, flask_cli

pytestmark = pytest.mark.services

WAIT = 15.0  # an upper bound for the message to cross Redis; never reached when it works


def open_session(cluster) -> str:
    output = flask_cli(cluster.env, "session", "open", "data-for-public-benefit")
    return output.strip().splitlines()[-1].strip()


def console_on(worker_url: str, http, code: str):
    """A console connected straight to one worker, and an Event set when it is dropped."""
    sock = FacilitatorSocket(worker_url, http, code)
    gone = threading.Event()
    sock.client.on("disconnect", lambda *_reason: gone.set())
    assert sock.emit("goto", {"index": 1})["ok"]
    return sock, gone


def test_a_logout_on_worker_a_disconnects_the_console_on_worker_b(workers_up):
    cluster = workers_up
    a, b = (worker.url for worker in cluster.workers)
    code = open_session(cluster)
    http = login(a, cluster.email, cluster.password)  # one browser: its cookie fits both
    sock, gone = console_on(b, http, code)
    try:
        token = csrf_token(http, f"{a}/facilitator/")
        http.post(f"{a}/logout", data={"csrf_token": token}, timeout=10)

        assert gone.wait(WAIT), "the console on worker B stayed connected after the logout"
        assert "/login" in http.get(f"{b}/facilitator/", timeout=10).url
    finally:
        sock.close()


def test_a_demotion_from_the_command_line_disconnects_consoles_on_both_workers(workers_up):
    cluster = workers_up
    email, password = f"lead-{secrets.token_hex(3)}@example.org", secrets.token_urlsafe(16)
    create_facilitator(cluster.env, email, password)
    code = open_session(cluster)
    consoles = [
        console_on(worker.url, login(worker.url, email, password), code)
        for worker in cluster.workers
    ]
    try:
        flask_cli(cluster.env, "facilitator", "set-role", email, "researcher")

        for number, (_sock, gone) in enumerate(consoles):
            assert gone.wait(WAIT), f"the console on worker {number} stayed connected"
    finally:
        for sock, _gone in consoles:
            sock.close()
