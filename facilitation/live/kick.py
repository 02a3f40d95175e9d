"""Disconnecting every socket in a Socket.IO room, on every worker.

When a login ends (logout, a new password, a changed role, a deleted account) or a link is
revoked, the sockets that rely on it must go at once, wherever they are. python-socketio
can disconnect one sid across workers, but a room's sids live on several workers and each
worker knows only its own. So ``disconnect_room`` disconnects this worker's sockets in the
room and, with a Redis message queue, publishes ``{"method": "disconnect_room"}`` on
Socket.IO's own channel (``SOCKETIO_CHANNEL``): every worker's manager (``RoomKick``, mixed
into socket_rooms' managers) reads it on the subscription it already holds, with its
reconnects, and disconnects its own. The channel is ordered, so anything emitted to the
room before the kick reaches its sockets before they go.

Works from any process with the app's config: a CLI command (a password set with
``flask facilitator set-password``) publishes the same message and holds no sockets itself.
Without a message queue (one process) nothing leaves the process; a CLI command then reaches
no socket, and the per-event login check (events.handles) refuses and disconnects them on
their next event instead.
"""

from __future__ import annotations

import logging

from socketio.pubsub_manager import PubSubManager

from ..extensions import socketio

log = logging.getLogger(__name__)

NAMESPACE = "/"
METHOD = "disconnect_room"  # python-socketio ignores methods it does not know
METHOD_BYTES = f'"{METHOD}"'.encode()


def disconnect_room(room: str) -> None:
    """Disconnect every socket in ``room``, on this worker and on every other one."""
    server = socketio.server
    if server is None:  # Socket.IO not set up in this process: no socket to reach
        return
    manager = server.manager
    if isinstance(manager, RoomKick):
        manager.disconnect_room(room, NAMESPACE)
    else:
        disconnect_here(server, room, NAMESPACE)


def disconnect_here(server, room: str, namespace: str = NAMESPACE) -> int:
    """Disconnect this worker's sockets in ``room``; how many there were."""
    # A copy: each disconnect takes its sid out of the room being read.
    sids = [sid for sid, _eio_sid in server.manager.get_participants(namespace, room)]
    for sid in sids:
        server.disconnect(sid, namespace=namespace, ignore_queue=True)
    return len(sids)


class RoomKick:
    """Mixed in before a python-socketio manager: ``disconnect_room`` across workers."""

    def disconnect_room(self, room: str, namespace: str = NAMESPACE) -> None:
        disconnect_here(self.server, room, namespace)
        if isinstance(self, PubSubManager):
            self._publish(
                {"method": METHOD, "room": room, "namespace": namespace, "host_id": self.host_id}
            )

    def _listen(self):
        # The pub/sub manager's listening loop reads every message of the channel through
        # _listen and drops methods it does not know: ours are taken out here.
        for message in super()._listen():
            data = _kick_message(self.json, message)
            if data is None:
                yield message
            elif data.get("host_id") != self.host_id:  # our own was done when published
                try:
                    disconnect_here(self.server, str(data["room"]), str(data["namespace"]))
                except Exception:  # noqa: BLE001  (never stop the listening loop)
                    log.exception("disconnecting room %r failed", data.get("room"))


def _kick_message(json, message) -> dict | None:
    """The decoded message when it is a ``disconnect_room``, else None (left as it is)."""
    if isinstance(message, dict):
        data = message
    else:
        raw = message.encode() if isinstance(message, str) else message
        # Every broadcast passes here: a substring test, not a second JSON decode of each.
        if not isinstance(raw, bytes) or METHOD_BYTES not in raw:
            return None
        try:
            data = json.loads(message)
        except (TypeError, ValueError):
            return None
    if isinstance(data, dict) and data.get("method") == METHOD and "room" in data:
        data.setdefault("namespace", NAMESPACE)
        return data
    return None
