"""Presence shared between workers through Redis (facilitation/live/cluster_presence.py):
two workers' ``Presence`` in one test process, on a Redis channel of this test's own, with
the shared figures' clock moved by hand (no sleeping)."""

from __future__ import annotations

import secrets

import pytest
import redis

from facilitation.live.cluster_presence import STALE_SECONDS, SharedPresence, redis_client
from facilitation.live.presence import Connection, Presence

SESSION = 7


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Worker:
    """One worker's presence, sharing its figures on CHANNEL."""

    def __init__(self, client, channel: str, clock: Clock, name: str):
        self.presence = Presence()
        self.noticed: list[int] = []
        self.shared = SharedPresence(
            client, channel, self.presence, on_change=self.noticed.append, worker=name, clock=clock
        )
        self.presence.shared = self.shared
        self._sids = 0

    def phone(self, participant_id: int, session_id: int = SESSION) -> str:
        self._sids += 1
        sid = f"sid-{self._sids}"
        self.presence.add(sid, Connection("participant", session_id, "CODE", participant_id))
        return sid

    def projector(self, stage: str | None = None) -> str:
        self._sids += 1
        sid = f"sid-{self._sids}"
        self.presence.add(sid, Connection("screen", SESSION, "CODE"))
        self.presence.pin(sid, stage)
        return sid


@pytest.fixture
def cluster_redis(redis_url):
    client = redis.Redis.from_url(redis_url)
    channel = f"test-presence-{secrets.token_hex(4)}"
    yield client, channel
    for key in client.scan_iter(f"{channel}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def workers(cluster_redis):
    client, channel = cluster_redis
    clock = Clock()
    return clock, Worker(client, channel, clock, "a"), Worker(client, channel, clock, "b")


@pytest.mark.services
def test_each_worker_shows_every_workers_participants(workers):
    clock, a, b = workers
    for participant in (1, 2, 3):
        a.phone(participant)
    b.phone(4)
    b.phone(5)
    b.phone(5)  # a second tab of the same participant counts once
    assert a.presence.connected_participants(SESSION) == 3  # nothing written yet
    a.shared.tick()
    b.shared.tick()
    assert a.presence.connected_participants(SESSION) == 5
    assert b.presence.connected_participants(SESSION) == 5


@pytest.mark.services
def test_a_worker_that_stops_writing_stops_counting_and_is_noticed(workers):
    clock, a, b = workers
    a.phone(1)
    b.phone(2)
    b.phone(3)
    a.shared.tick()
    b.shared.tick()  # b writes its figures now, and then never again (it is killed)
    assert a.presence.connected_participants(SESSION) == 3
    assert a.noticed == []

    clock.now += 1.0  # a's heartbeat: b's phones appeared, a's projectors must be told
    a.shared.tick()
    assert a.noticed == [SESSION]
    clock.now += STALE_SECONDS - 1.5
    a.shared.tick()
    assert a.presence.connected_participants(SESSION) == 3  # still fresh enough
    assert a.noticed == [SESSION]
    clock.now += 1.0
    a.shared.tick()
    assert a.presence.connected_participants(SESSION) == 1
    assert a.noticed == [SESSION, SESSION]  # the drop is pushed without another event


@pytest.mark.services
def test_a_change_is_written_at_the_next_tick_and_leaving_removes_the_field(workers):
    clock, a, b = workers
    sid = b.phone(9)
    b.shared.tick()
    assert a.presence.connected_participants(SESSION) == 1
    clock.now += 0.1  # within the heartbeat: only what changed is written
    b.phone(10)
    b.shared.tick()
    assert a.presence.connected_participants(SESSION) == 2
    b.presence.remove(sid)
    b.presence.remove("sid-2")
    b.shared.tick()
    assert a.presence.connected_participants(SESSION) == 0
    assert b.shared.redis.hgetall(b.shared.key(SESSION)) == {}


@pytest.mark.services
def test_pinned_stages_of_every_worker_are_pushed_to(workers):
    clock, a, b = workers
    a.projector("feature-outcomes")
    b.projector("purposeful")
    b.projector(None)  # follows the room: not pinned
    a.shared.tick()
    b.shared.tick()
    assert a.presence.pinned_stages(SESSION) == ["feature-outcomes", "purposeful"]
    assert sorted(b.presence.pinned_stages(SESSION)) == ["feature-outcomes", "purposeful"]


@pytest.mark.services
def test_a_figure_that_is_not_a_workers_is_ignored(workers, cluster_redis):
    client, _ = cluster_redis
    clock, a, b = workers
    a.phone(1)
    client.hset(a.shared.key(SESSION), "intruder", "not json")
    client.hset(a.shared.key(SESSION), "negative", '{"at": 1000000, "connected": -5, "pinned": []}')
    assert a.presence.connected_participants(SESSION) == 1


def test_without_redis_a_worker_counts_its_own():
    # A Redis that is not there (a closed port): figures are this worker's, nothing raises.
    presence = Presence()
    client = redis_client("redis://127.0.0.1:1/0")
    presence.shared = SharedPresence(client, "unreachable", presence, on_change=print)
    presence.add("s1", Connection("participant", SESSION, "CODE", 1))
    presence.shared.tick()
    assert presence.connected_participants(SESSION) == 1
    assert presence.pinned_stages(SESSION) == []


def test_one_process_has_no_shared_presence(app):
    from facilitation.live.presence import presence

    assert app.config["SOCKETIO_MESSAGE_QUEUE"] is None
    assert presence.shared is None
