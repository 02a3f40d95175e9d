"""Behind nginx (facilitation/proxy.py): the routing cookie that keeps a browser on one
worker, and the forwarded headers of a trusted proxy."""

from __future__ import annotations

from flask import Flask, request

from facilitation import proxy

QUEUE = "redis://127.0.0.1:6379/0"  # only read as a setting here; nothing connects


def app_with(**config) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config.update(config)
    proxy.init_app(app)

    @app.get("/j/CODE")
    def join_page():
        return f"{request.remote_addr} {request.scheme}"

    @app.get("/static/<path:name>", endpoint="static")
    def static(name):
        return name

    return app


def route_cookie(response) -> str | None:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("route=")]
    assert len(found) <= 1
    return found[0] if found else None


def test_a_browser_without_the_cookie_is_given_one_and_keeps_it():
    client = app_with(SOCKETIO_MESSAGE_QUEUE=QUEUE).test_client()
    first = route_cookie(client.get("/j/CODE"))
    assert first is not None
    value = first.split(";")[0].removeprefix("route=")
    assert len(value) >= 16  # random, nothing else
    attributes = [part.strip() for part in first.split(";")[1:]]
    assert "HttpOnly" in attributes and "SameSite=Lax" in attributes and "Path=/" in attributes
    assert "Secure" not in attributes
    # The browser sends it back: no new cookie, so it stays on its worker.
    assert route_cookie(client.get("/j/CODE")) is None
    assert client.get_cookie("route").value == value


def test_two_browsers_get_different_cookies():
    app = app_with(SOCKETIO_MESSAGE_QUEUE=QUEUE)
    one = route_cookie(app.test_client().get("/j/CODE"))
    other = route_cookie(app.test_client().get("/j/CODE"))
    assert one.split(";")[0] != other.split(";")[0]


def test_the_cookie_is_secure_over_https_and_never_on_static_files():
    client = app_with(SOCKETIO_MESSAGE_QUEUE=QUEUE, SESSION_COOKIE_SECURE=True).test_client()
    assert route_cookie(client.get("/static/app.css")) is None
    assert "Secure" in route_cookie(client.get("/j/CODE"))


def test_one_process_sets_no_routing_cookie(app):
    assert app.config["SOCKETIO_MESSAGE_QUEUE"] is None
    assert route_cookie(app.test_client().get("/healthz")) is None
    assert route_cookie(app_with().test_client().get("/j/CODE")) is None


def test_a_trusted_proxy_gives_the_phones_address_and_scheme():
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    behind = app_with(TRUSTED_PROXIES=1).test_client()
    assert behind.get("/j/CODE", headers=headers).text == "203.0.113.7 https"
    # Without TRUSTED_PROXIES the headers are anyone's to forge: ignored.
    direct = app_with().test_client()
    assert direct.get("/j/CODE", headers=headers).text == "127.0.0.1 http"
