"""Steps the fault-tolerance tests share: open a session on a running server, join phones
(in Chromium or over HTTP), read the server's SQLite database, and cut a page's live
connection without stopping the server (Playwright's WebSocket and request routing)."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

from itsdangerous import URLSafeSerializer
from playwright.sync_api import BrowserContext, Page, WebSocketRoute, expect

from tests.support.server import flask_cli

PURPOSEFUL = "Test 1: Purposeful"  # the stage the offline tests answer

PLAN = "data-for-public-benefit"


def open_session(server) -> str:
    """A new live session of the built-in plan, opened with the CLI; its join code."""
    output = flask_cli(server.env, "session", "open", PLAN)
    code = output.strip().splitlines()[-1].strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), output
    return code


def screen_url(server, code: str) -> str:
    # The projector's link, signed as facilitation/workshop/identity.py signs it.
    key = URLSafeSerializer(server.env["SECRET_KEY"], salt="facilitation.screen").dumps(code)
    return f"{server.url}/s/{code}/screen?key={key}"


def join_in_browser(context: BrowserContext, server, code: str, sector: str = "Health") -> Page:
    page = context.new_page()
    page.goto(f"{server.url}/j/{code}")
    page.get_by_label("Your sector").select_option(sector)
    page.get_by_label("I have read this and want to take part").check()
    page.get_by_role("button", name="Join").click()
    expect(page).to_have_url(re.compile(rf"/p/{code}$"))
    expect(page.locator("#connection")).to_have_text("Live")
    return page


def database_path(server) -> str:
    url = server.env["DATABASE_URL"]
    assert url.startswith("sqlite:///"), url
    return url.removeprefix("sqlite:///")


def query(server, sql: str, *args) -> list[tuple]:
    """Rows from the server's own database file (read-only, like a second process)."""
    with closing(sqlite3.connect(f"file:{database_path(server)}?mode=ro", uri=True)) as db:
        return db.execute(sql, args).fetchall()


def schema_url(postgres_url: str, schema: str, port: int | None = None) -> str:
    """POSTGRES_URL with SCHEMA as its search path, through PORT on 127.0.0.1 if given."""
    if port is not None:
        assert "127.0.0.1:5432" in postgres_url, "the test database must be on 127.0.0.1:5432"
        postgres_url = postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{port}")
    return f"{postgres_url}?options=-csearch_path%3D{schema}"


class SocketBlocker:
    """Cuts and restores a browser context's Socket.IO traffic; pages load as usual.

    Routing is per context, so it holds across a page reload. While blocked, a new
    WebSocket is closed at once and a polling request fails, as on a dead network.
    """

    SOCKET_IO = re.compile(r"/socket\.io/")

    def __init__(self, context: BrowserContext):
        self.blocked = False
        self._open: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        context.route_web_socket(self.SOCKET_IO, self._web_socket)
        context.route(self.SOCKET_IO, self._request)

    def _web_socket(self, page_side: WebSocketRoute) -> None:
        if self.blocked:
            page_side.close()
            return
        server_side = page_side.connect_to_server()
        self._open.append((page_side, server_side))

    def _request(self, route) -> None:
        if self.blocked:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    def block(self) -> None:
        self.blocked = True
        self.drop()

    def drop(self) -> None:
        """Close the open WebSockets (the page reconnects at once unless blocked)."""
        open_sockets, self._open = self._open, []
        for page_side, server_side in open_sockets:
            server_side.close()
            page_side.close()

    def unblock(self) -> None:
        self.blocked = False


def offline_phone(server, phone_context, code: str) -> tuple[Page, SocketBlocker]:
    """A phone joined to CODE on the purposeful stage, whose connection has just been cut."""
    context = phone_context()
    blocker = SocketBlocker(context)
    page = join_in_browser(context, server, code)
    expect(page.get_by_role("heading", name=PURPOSEFUL)).to_be_visible()
    blocker.block()
    expect(page.locator("#connection")).to_have_text("Reconnecting…")
    return page, blocker
