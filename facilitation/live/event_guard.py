"""Which Socket.IO events a client may send at all: the one gate every event passes.

python-socketio hands an EVENT packet's first element, whatever it is, to the handler of
that name (``Server._handle_event`` -> ``_trigger_event``). So a client could send an
event named ``connect`` (Flask-SocketIO runs the connect handler again: a refusal there
is an exception in a background thread, a traceback each time) or ``disconnect`` (the
sender's presence dropped while it stays connected); and a name that is not a string (a
list, a dict) fails python-socketio's own handler look-up, again with a traceback.

``guard`` wraps the server's ``_handle_event``, through which every client event passes
(text and binary packets alike, in every async mode), and drops before any work, silently
(no ack, no log line): a packet that does not name an event by a string, a reserved name,
and a name that no handler is registered for (no thread is started for it either).
Connecting and disconnecting themselves are CONNECT and DISCONNECT packets, which
python-socketio handles elsewhere, so they are untouched.
"""

from __future__ import annotations

import functools

# Names with a meaning of their own: python-socketio's connect/disconnect handlers
# (Server.reserved_events), Flask-SocketIO's "message" and "json" handlers (socket.send),
# the browser client's own events, and "*" (a catch-all handler's name).
RESERVED = frozenset(
    {
        "connect",
        "disconnect",
        "connect_error",
        "disconnecting",
        "message",
        "json",
        "newListener",
        "removeListener",
        "*",
    }
)


def dispatched(server, namespace: str | None, data) -> bool:
    """Whether the event packet ``data`` may reach a handler of ``server``."""
    if not isinstance(data, list) or not data:
        return False
    name = data[0]
    if not isinstance(name, str) or name in RESERVED:
        return False
    return name in server.handlers.get(namespace or "/", {})


def guard(server) -> None:
    """Drop events that ``dispatched`` refuses before ``server`` handles them."""
    handle_event = server._handle_event

    @functools.wraps(handle_event)
    def handle_allowed_event(eio_sid, namespace, id, data):
        if dispatched(server, namespace, data):
            return handle_event(eio_sid, namespace, id, data)
        return None

    server._handle_event = handle_allowed_event
