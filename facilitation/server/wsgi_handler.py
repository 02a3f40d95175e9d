"""gevent's WSGI handler, told that a WebSocket connection is not HTTP any more.

simple-websocket serves a WebSocket on a duplicate of the connection's socket; when the
WebSocket ends, gevent's handler would go on reading the same connection for a next HTTP
request and swallow the client's closing frame ("Invalid HTTP method: '\\x88…'"), so the
client waits for a close reply that never comes (3 s for python-socketio) and the server
logs an error for every phone that leaves. Closing the connection after a WebSocket ends
is what the protocol means anyway.
"""

from __future__ import annotations

from gevent import pywsgi


class WSGIHandler(pywsgi.WSGIHandler):
    def run_application(self):
        try:
            super().run_application()
        finally:
            if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
                self.close_connection = True
