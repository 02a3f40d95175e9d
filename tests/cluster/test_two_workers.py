"""Two real workers on PostgreSQL and Redis behind the shipped nginx config.

Phones join and answer through nginx (the real join form; its ``route`` cookie keeps each
phone on one worker); one projector is connected to each worker directly. Every answer
must be stored exactly once and every projector must show the whole room, whichever
worker took the answer or holds the phone; and when a worker is killed mid-burst, its
phones move to the other one and resend what was not acknowledged, without a loss or a
double count.
"""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlparse

import psycopg
import pytest
import redis

from facilitation.live.cluster_presence import STALE_SECONDS
from tests.cluster.phone import Phone
from tests.support.live import FacilitatorSocket, LiveSocket, login
from tests.support.server import flask_cli

pytestmark = pytest.mark.services

PHONES = 40
STAGE = "feature-outcomes"  # a rating stage of the built-in plan
SECTORS = ("Health", "Housing", "Welfare", "Social care")
SETTLE = 20.0  # the longest a projector may take to show the final figures


class Room:
    """A live session on the cluster, at the rating stage with input open."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.code = flask_cli(cluster.env, "session", "open", "data-for-public-benefit")
        self.code = self.code.strip().splitlines()[-1].strip()
        http = login(cluster.url, cluster.email, cluster.password)
        self.facilitator = FacilitatorSocket(cluster.url, http, self.code)
        synced = self.facilitator.emit("sync")
        index = next(s["index"] for s in synced["stages"] if s["key"] == STAGE)
        assert self.facilitator.emit("goto", {"index": index})["ok"]
        assert self.facilitator.emit("open_input")["ok"]
        stage = self.facilitator.emit("sync")["state"]["stage"]
        self.items = [item["key"] for item in stage["items"]]
        self.key = parse_qs(urlparse(synced["screen_url"]).query)["key"][0]
        # One projector on each worker, straight to it (not through nginx).
        self.projectors = []
        for worker in cluster.workers:
            projector = LiveSocket(worker.url, None, self.code, role="screen", key=self.key)
            assert projector.emit("sync")["ok"]
            self.projectors.append(projector)
        self.phones: list[Phone] = []

    def join(self, count: int) -> None:
        # Made here (python-socketio clients want the main thread); joined in parallel.
        self.phones = [
            Phone(self.cluster.url, self.code, SECTORS[n % len(SECTORS)]) for n in range(count)
        ]
        with ThreadPoolExecutor(20) as pool:
            list(pool.map(Phone.connect, self.phones))

    def value(self, rng: random.Random) -> dict:
        return {"ratings": {item: rng.randint(1, 5) for item in self.items}}

    def close(self) -> None:
        # In parallel: a python-socketio client takes seconds to hear the server close.
        closers = [phone.close for phone in self.phones]
        closers += [socket.close for socket in (*self.projectors, self.facilitator)]
        with ThreadPoolExecutor(len(closers)) as pool:
            list(pool.map(lambda close: close(), closers))


@pytest.fixture
def room(workers_up):
    room = Room(workers_up)
    yield room
    room.close()


def connected_per_worker(room: Room, total: int, workers: int) -> list[int]:
    """Each live worker's own count of the room's connected phones, as it wrote it to
    Redis (cluster_presence.py); waits until WORKERS live workers' counts add up to TOTAL
    (they write at their next tick). A dead worker's figure stops being fresh."""
    with psycopg.connect(room.cluster.database_url) as connection:
        session_id = connection.execute(
            "SELECT id FROM workshop_session WHERE code = %s", (room.code,)
        ).fetchone()[0]
    client = redis.Redis.from_url(room.cluster.redis_url)
    try:
        deadline = time.monotonic() + SETTLE
        while True:
            fields = client.hgetall(f"{room.cluster.channel}:presence:{session_id}")
            figures = [json.loads(raw) for raw in fields.values()]
            counts = [
                figure["connected"]
                for figure in figures
                if time.time() - figure["at"] < STALE_SECONDS
            ]
            if (len(counts), sum(counts)) == (workers, total) or time.monotonic() > deadline:
                return counts
            time.sleep(0.1)
    finally:
        client.close()


def shown(projector: LiveSocket) -> dict:
    """The results a projector page shows: the last message not older (by seq) than one
    already shown, as static/js/live.js drops stale ones."""
    latest, showing = 0, {}
    with projector._arrived:
        messages = [m for name, m in projector.messages if name == "results"]
    for message in messages:
        if message.get("stage") == STAGE and message["seq"] >= latest:
            latest, showing = message["seq"], message
    return showing


def wait_until_shown(projector: LiveSocket, answered: int, connected: int) -> dict:
    """Wait (bounded) until the projector shows ANSWERED and CONNECTED; return what it
    shows then, for the assertion."""
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        showing = shown(projector)
        if showing.get("answered") == answered and showing.get("connected") == connected:
            break
        time.sleep(0.1)
    return shown(projector)


def stored(cluster, code: str) -> tuple[int, list[tuple[str, int]]]:
    """Answer rows of the stage, and (client_id, seq) of every answer event: from the
    database, never from the acks."""
    with psycopg.connect(cluster.database_url) as connection:
        answers = connection.execute(
            "SELECT count(*) FROM answer JOIN workshop_session s ON s.id = answer.session_id"
            " WHERE s.code = %s AND answer.stage_key = %s",
            (code, STAGE),
        ).fetchone()[0]
        events = connection.execute(
            "SELECT e.client_id, e.seq FROM event e JOIN workshop_session s"
            " ON s.id = e.session_id"
            " WHERE s.code = %s AND e.type = 'answer.submitted' AND e.stage_key = %s",
            (code, STAGE),
        ).fetchall()
    return answers, [tuple(row) for row in events]


def test_phones_on_both_workers_reach_both_projectors(cluster, room):
    room.join(PHONES)
    assert all(phone.http.cookies.get("route") for phone in room.phones)
    per_worker = connected_per_worker(room, PHONES, workers=2)
    assert len(per_worker) == 2 and sum(per_worker) == PHONES, per_worker
    assert min(per_worker) > 0, f"nginx sent every phone to one worker: {per_worker}"

    rng = random.Random(5)
    values = [room.value(rng) for _ in room.phones]
    with ThreadPoolExecutor(PHONES) as pool:
        results = list(
            pool.map(
                lambda pair: pair[0].answer(STAGE, pair[1]), zip(room.phones, values, strict=True)
            )
        )
    assert all(ack.get("ok") for _, ack in results), [a for _, a in results if not a.get("ok")]

    answers, events = stored(cluster, room.code)
    assert answers == PHONES
    assert sorted(client_id for client_id, _ in events) == sorted(c for c, _ in results)

    for number, projector in enumerate(room.projectors):
        showing = wait_until_shown(projector, answered=PHONES, connected=PHONES)
        assert (showing.get("answered"), showing.get("connected")) == (PHONES, PHONES), (
            f"projector on worker{number} shows {showing}"
        )


def test_a_worker_killed_mid_burst_loses_and_doubles_nothing(cluster, room):
    room.join(PHONES)
    per_worker = connected_per_worker(room, PHONES, workers=2)
    assert len(per_worker) == 2 and min(per_worker) > 0, per_worker

    # Every phone answers at a random moment of a 3 s burst. 1 s into it worker1 hangs
    # (SIGSTOP: answers sent to it now get no ack), 1 s later it is killed (SIGKILL).
    # Every other phone answers in the first 0.8 s and loses that ack on the way back:
    # stored by worker1 for those on it, resent after the ack timeout to worker0.
    rng = random.Random(6)
    plan, losing = [], room.phones[::2]
    for phone in room.phones:
        phone.lose_acks = 1 if phone in losing else 0
        delay = rng.uniform(0, 0.8) if phone in losing else rng.uniform(0, 3.0)
        plan.append((phone, room.value(rng), delay))
    started = threading.Event()

    def answer(step):
        phone, value, delay = step
        started.wait()
        time.sleep(delay)
        return phone.answer(STAGE, value)

    with ThreadPoolExecutor(PHONES) as pool:
        futures = [pool.submit(answer, step) for step in plan]
        started.set()
        time.sleep(1.0)
        os.kill(cluster.workers[1].process.pid, signal.SIGSTOP)
        time.sleep(1.0)
        cluster.kill(1)
        results = [future.result() for future in futures]

    moved = [phone for phone in room.phones if phone.disconnects]
    assert moved, "no phone was on the killed worker"
    assert all(phone.connected.is_set() for phone in moved), "a phone did not reconnect"
    # Through nginx, to the live worker: it alone now holds every phone.
    assert connected_per_worker(room, PHONES, workers=1) == [PHONES]
    assert all(ack.get("ok") for _, ack in results), [a for _, a in results if not a.get("ok")]
    resent = [
        phone
        for phone, (client_id, _) in zip(room.phones, results, strict=True)
        if phone.attempts[client_id] > 1
    ]
    # Stored by worker1 before it hung, ack lost, resent to worker0 after the kill.
    lost_then_moved = [phone for phone in resent if phone in losing and phone.disconnects]
    assert lost_then_moved, "no phone on the killed worker lost an ack"

    answers, events = stored(cluster, room.code)
    assert answers == PHONES
    client_ids = [client_id for client_id, _ in events]
    assert len(client_ids) == len(set(client_ids)) == PHONES, "an answer was stored twice"
    # Each phone's final ack names the one event its answer is: a resent answer that was
    # already stored (by the killed worker or not) is acked with its first seq.
    assert dict(events) == {client_id: ack["seq"] for client_id, ack in results}
    hung = [phone for phone in resent if phone not in losing and phone.disconnects]
    print(f"moved {len(moved)}, resent {len(resent)}: {len(lost_then_moved)} after a lost ack")
    print(f"and {len(hung)} sent to the hung worker")

    survivor = room.projectors[0]
    showing = wait_until_shown(survivor, answered=PHONES, connected=PHONES)
    assert (showing.get("answered"), showing.get("connected")) == (PHONES, PHONES), (
        f"the surviving projector shows {showing}"
    )
