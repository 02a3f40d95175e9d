"""kick.py: a room's sockets disconnected here and, through the manager's channel, on every
other worker (two real workers: tests/cluster/test_login_two_workers.py)."""

from __future__ import annotations

import json

from facilitation.live import kick


class FakeServer:
    def __init__(self, rooms: dict[str, list[str]]):
        self.rooms = rooms
        self.manager = self
        self.disconnected: list[str] = []

    def get_participants(self, namespace, room):
        yield from ((sid, f"eio-{sid}") for sid in self.rooms.get(room, []))

    def disconnect(self, sid, namespace=None, ignore_queue=False):
        assert ignore_queue  # each worker disconnects only its own
        self.disconnected.append(sid)
        for sids in self.rooms.values():
            if sid in sids:
                sids.remove(sid)


class Channel:
    """What the pub/sub manager's own _listen yields: the channel's raw messages."""

    def __init__(self, messages):
        self.messages = messages

    def _listen(self):
        yield from self.messages


class Worker(kick.RoomKick, Channel):
    def __init__(self, server, messages, host_id="this-worker"):
        Channel.__init__(self, messages)
        self.server, self.host_id, self.json = server, host_id, json


def test_disconnect_here_takes_every_sid_of_the_room_and_no_other():
    server = FakeServer({"account:1": ["a", "b"], "account:2": ["c"]})
    assert kick.disconnect_here(server, "account:1") == 2
    assert server.disconnected == ["a", "b"]
    assert server.rooms["account:2"] == ["c"]


def test_another_workers_kick_is_done_here_and_not_passed_on():
    server = FakeServer({"login:7": ["x"], "login:8": ["y"]})
    emit = json.dumps({"method": "emit", "event": "state", "data": ["disconnect_room"]}).encode()
    kick_message = json.dumps(
        {"method": "disconnect_room", "room": "login:7", "namespace": "/", "host_id": "other"}
    ).encode()
    own = json.dumps(
        {"method": "disconnect_room", "room": "login:8", "namespace": "/", "host_id": "this-worker"}
    ).encode()
    worker = Worker(server, [emit, own, kick_message, b"not json"])

    passed_on = list(worker._listen())

    assert passed_on == [emit, b"not json"]  # python-socketio's own messages, untouched
    assert server.disconnected == ["x"]  # not "y": our own message was done when published
