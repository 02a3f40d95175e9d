"""Running behind nginx: trusted forwarded headers, and the cookie that keeps a browser
on one worker.

Socket.IO's polling transport sends several HTTP requests per connection and they must
all reach the worker that holds it. nginx's ``ip_hash`` would do that, but a whole
workshop room often shares one NAT address and would all land on one worker. So with
several workers (a message queue) the app gives every browser a random ``route`` cookie
on its first response and nginx picks the worker with ``hash $cookie_route consistent``
(deploy/nginx/facilitation.conf); when that worker is down, ``proxy_next_upstream`` moves
the browser to a live one. The cookie carries nothing but randomness and is never read
by the app. The join page sets it before the phone opens its socket.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .cookies import set_cookie

ROUTE_COOKIE = "route"


def init_app(app: Flask) -> None:
    """Call after ``socketio.init_app``, so the proxy fix also covers Socket.IO requests."""
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies < 0:
        raise ValueError("TRUSTED_PROXIES must be 0 (no proxy) or the number of proxies")
    if proxies:
        # The phone's address (rate limits) and scheme (https links, QR codes), not nginx's.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    if not app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        return  # one process: nothing to route

    @app.after_request
    def _route_cookie(response: Response) -> Response:
        # Static files stay free of Set-Cookie so any cache may keep them.
        if ROUTE_COOKIE in request.cookies or request.endpoint == "static":
            return response
        set_cookie(response, ROUTE_COOKIE, secrets.token_urlsafe(12))
        return response
