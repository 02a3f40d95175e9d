"""The room index of facilitation/live/socket_rooms.py: a disconnect leaves exactly the rooms
the stock python-socketio manager would leave, without scanning every room."""

from __future__ import annotations

import random

import socketio as python_socketio

from facilitation.extensions import socketio
from facilitation.live import rooms, socket_rooms

NS = "/"


def _apply(manager, steps) -> None:
    for step, sid, room in steps:
        if step == "connect":
            manager.basic_enter_room(sid, NS, None, eio_sid=f"eio-{sid}")
            manager.basic_enter_room(sid, NS, sid, eio_sid=f"eio-{sid}")
        elif step == "enter":
            manager.basic_enter_room(sid, NS, room)
        elif step == "leave":
            manager.basic_leave_room(sid, NS, room)
        else:
            manager.basic_disconnect(sid, NS)


def _steps(seed: int, count: int = 400) -> list[tuple[str, str, str | None]]:
    """Random connects, joins, leaves and disconnects of a few clients over a few rooms."""
    rng = random.Random(seed)
    connected: set[str] = set()
    steps = []
    for number in range(count):
        if not connected or rng.random() < 0.2:
            sid = f"s{number}"
            connected.add(sid)
            steps.append(("connect", sid, None))
            continue
        sid = rng.choice(sorted(connected))
        kind = rng.choice(["enter", "enter", "leave", "disconnect"])
        if kind == "disconnect":
            connected.discard(sid)
        steps.append((kind, sid, rng.choice(["session-1", "screens-1", f"participant-{sid}"])))
    return steps


def _rooms(manager) -> dict:
    return {
        ns: {room: dict(members) for room, members in by_room.items()}
        for ns, by_room in manager.rooms.items()
    }


def test_the_index_gives_the_same_rooms_as_the_stock_manager():
    for seed in range(20):
        steps = _steps(seed)
        stock, indexed = python_socketio.Manager(), socket_rooms.IndexedManager()
        _apply(stock, steps)
        _apply(indexed, steps)
        assert _rooms(indexed) == _rooms(stock), f"seed {seed}"
        # Nothing is kept for clients that are gone.
        live = {sid for members in indexed.rooms.get(NS, {}).values() for sid in members}
        assert {sid for _, sid in indexed._rooms_of} == live


def test_a_disconnect_does_not_scan_the_other_rooms(monkeypatch):
    manager = socket_rooms.IndexedManager()
    _apply(manager, [("connect", f"s{n}", None) for n in range(50)])
    _apply(manager, [("enter", "s7", "session-1"), ("enter", "s8", "session-1")])

    def scan(*_args):  # the stock manager's way: a look at every room
        raise AssertionError("scanned every room")

    monkeypatch.setattr(manager, "get_rooms", scan)
    rooms_before = manager.rooms[NS]
    manager.rooms[NS] = _NoCopy(rooms_before)
    manager.basic_disconnect("s7", NS)
    assert "s7" not in manager.rooms[NS] and "s7" not in manager.rooms[NS][None]
    assert list(manager.rooms[NS]["session-1"]) == ["s8"]


class _NoCopy(dict):
    """A namespace's rooms that refuse the full copy the stock disconnect makes."""

    def copy(self):
        raise AssertionError("copied every room to scan them")


def test_the_app_uses_it_and_pushes_still_reach_the_right_phones(workshop):
    assert isinstance(socketio.server.manager, socket_rooms.IndexedManager)
    leaving, staying = workshop.phone(), workshop.phone()
    leaving.disconnect()
    manager = socketio.server.manager
    gone = leaving.participant.id
    assert not manager.rooms[NS].get(rooms.participant(gone))
    socketio.emit("ping-test", {"n": 1}, to=rooms.participants(workshop.session_id))
    assert staying.received("ping-test") == [{"n": 1}]


def test_with_a_message_queue_it_is_the_redis_manager_indexed():
    manager = socket_rooms.client_manager("redis://127.0.0.1:6379/0", "facilitation-test")
    assert isinstance(manager, python_socketio.RedisManager)
    assert isinstance(manager, socket_rooms.RoomIndex)
