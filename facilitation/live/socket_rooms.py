"""Socket.IO's room bookkeeping, with an index from each connection to its rooms.

python-socketio finds the rooms a disconnecting client is in by testing every room of the
namespace, and every connection has rooms of its own (its sid, its participant's room), so
one disconnect costs O(connections). With 5,000 phones that is about 2 ms each; when a
venue's Wi-Fi drops, 5,000 disconnects cost seconds of the only thread, the server stops
answering pings, and more phones drop. Found with py-spy under bench/load.py (docs/benchmarks.md).
Here each connection's rooms are also kept per connection, so a disconnect costs O(its rooms).

``client_manager(message_queue, channel)`` is what ``socketio.init_app`` gets: the same
manager python-socketio would pick (in-process, or Redis with a message queue) plus the index,
and kick.RoomKick's ``disconnect_room`` (a room's sockets disconnected on every worker).
"""

from __future__ import annotations

import socketio

from .kick import RoomKick


class RoomIndex:
    """Mixed in before a python-socketio manager: keeps ``(namespace, sid) -> rooms``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rooms_of: dict[tuple[str, str], set] = {}

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self._rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid, namespace, room):
        super().basic_leave_room(sid, namespace, room)
        rooms = self._rooms_of.get((namespace, sid))
        if rooms is not None:
            rooms.discard(room)
            if not rooms:
                del self._rooms_of[(namespace, sid)]

    def basic_disconnect(self, sid, namespace, **kwargs):
        # As BaseManager.basic_disconnect (python-socketio 5.x), but the rooms come from the
        # index instead of a scan of every room. The None room (all connections) goes last.
        if namespace not in self.rooms:
            return
        rooms = self._rooms_of.pop((namespace, sid), set())
        for room in sorted(rooms, key=lambda name: name is None):
            super().basic_leave_room(sid, namespace, room)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            if namespace in pending and sid in pending[namespace]:
                pending[namespace].remove(sid)
                if not pending[namespace]:
                    del pending[namespace]


class IndexedManager(RoomKick, RoomIndex, socketio.Manager):
    """One process: the default manager, indexed."""


class IndexedRedisManager(RoomKick, RoomIndex, socketio.RedisManager):
    """Several workers on a Redis message queue, indexed."""


def client_manager(message_queue: str | None, channel: str):
    """The manager for ``socketio.init_app(client_manager=...)``."""
    if not message_queue:
        return IndexedManager()
    if not message_queue.startswith(("redis://", "rediss://")):
        raise ValueError("SOCKETIO_MESSAGE_QUEUE must be a redis:// or rediss:// URL")
    return IndexedRedisManager(message_queue, channel=channel)
