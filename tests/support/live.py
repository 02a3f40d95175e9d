"""Talk to a running app as a person would: log in over HTTP, join as a phone, and hold
Socket.IO connections with the python-socketio client (the same protocol as the pages).

    http = login(server.url, server.email, server.password)
    facilitator = LiveSocket(server.url, http, code, role="facilitator")
    facilitator.emit("goto", {"index": 3})
"""

from __future__ import annotations

import re
import threading
import uuid

import requests
import socketio

from tests.support.server import flask_cli

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def is_phone_page(body: str, code: str) -> bool:
    """Whether BODY is session CODE's phone page: what a join form that made a participant
    is answered with (participant/views.py), and what /p/CODE serves."""
    return re.search(rf'data-page-url="[^"]*/p/{re.escape(code)}"', body) is not None


def joined(response, code: str) -> bool:
    """Whether RESPONSE (the Flask test client's or requests') to a join form made a
    participant: HTTP 200 with the phone page."""
    return response.status_code == 200 and is_phone_page(response.text, code)


def csrf_token(http: requests.Session, url: str) -> str:
    page = http.get(url, timeout=10)
    page.raise_for_status()
    match = CSRF_FIELD.search(page.text)
    if match is None:
        raise AssertionError(f"no csrf_token field on {url}")
    return match.group(1)


def login(url: str, email: str, password: str) -> requests.Session:
    """A requests session logged in as a facilitator through the real login form."""
    http = requests.Session()
    token = csrf_token(http, f"{url}/login")
    response = http.post(
        f"{url}/login",
        data={"csrf_token": token, "email": email, "password": password},
        timeout=10,
    )
    if "/login" in response.url:
        raise AssertionError(f"login as {email} failed: HTTP {response.status_code}")
    return http


def join(
    url: str, code: str, sector: str, display_name: str = "", table: str = ""
) -> requests.Session:
    """A requests session that has joined session CODE through the join form."""
    http = requests.Session()
    token = csrf_token(http, f"{url}/j/{code}")
    response = http.post(
        f"{url}/j/{code}",
        data={
            "csrf_token": token,
            "display_name": display_name,
            "sector": sector,
            "table": table,
            "consent": "yes",
        },
        timeout=10,
    )
    if response.status_code != 200 or not is_phone_page(response.text, code):
        raise AssertionError(f"joining {code} failed: HTTP {response.status_code}")
    return http


def client_id() -> str:
    return uuid.uuid4().hex


class LiveSocket:
    """A python-socketio connection as ROLE, keeping every message the server pushes."""

    def __init__(
        self,
        url: str,
        http: requests.Session | None,
        code: str,
        *,
        role: str = "facilitator",
        key: str | None = None,
        timeout: float = 10,
    ):
        self.timeout = timeout
        self.messages: list[tuple[str, dict]] = []
        self._arrived = threading.Condition()
        self.client = socketio.Client(http_session=http or requests.Session(), reconnection=False)
        for name in ("state", "results", "comments"):
            self.client.on(name, self._keeper(name))
        auth = {"code": code, "role": role}
        if key:
            auth["key"] = key
        self.client.connect(url, auth=auth, transports=["websocket"], wait_timeout=timeout)

    def _keeper(self, name: str):
        def keep(message):
            with self._arrived:
                self.messages.append((name, message))
                self._arrived.notify_all()

        return keep

    def emit(self, event: str, payload: dict | None = None) -> dict:
        """Send EVENT and return the server's ack."""
        return self.client.call(event, payload or {}, timeout=self.timeout)

    def wait_for(self, name: str, predicate, timeout: float | None = None) -> dict:
        """The first message NAME (already received or coming) for which PREDICATE holds."""
        seen = 0
        with self._arrived:
            while True:
                matches = [m for n, m in self.messages[seen:] if n == name and predicate(m)]
                if matches:
                    return matches[0]
                seen = len(self.messages)
                if not self._arrived.wait(timeout or self.timeout):
                    raise AssertionError(f"no {name!r} message matching within the timeout")

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


class FacilitatorSocket(LiveSocket):
    """A facilitator's connection (HTTP must be logged in)."""

    def __init__(self, url: str, http: requests.Session, code: str, **options):
        super().__init__(url, http, code, role="facilitator", **options)


def started_session(live_server, slug: str) -> tuple[str, FacilitatorSocket]:
    """A session of plan SLUG opened through the CLI and started, with its facilitator's
    socket (the caller closes it): (code, facilitator)."""
    url = live_server.url
    code = flask_cli(live_server.env, "session", "open", slug).strip().splitlines()[-1]
    facilitator = FacilitatorSocket(url, login(url, live_server.email, live_server.password), code)
    if facilitator.emit("sync")["state"]["status"] == "draft":
        assert facilitator.emit("start_session")["ok"]
    return code, facilitator
