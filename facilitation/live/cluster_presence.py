"""Presence across workers: connected participants and pinned projectors, through Redis.

Several workers behind nginx each hold their own connections (presence.py). A projector
on one worker must still show how many participants are connected on all of them, and a
push from any worker must reach projectors pinned to a stage on any of them. So, with a
Redis ``SOCKETIO_MESSAGE_QUEUE``, each worker writes its own figures for each session to
one Redis hash per session (``CHANNEL:presence:SESSION``, field = this worker's id, value
= JSON ``{"at", "connected", "pinned"}``):

- at the broadcaster's next tick (0.1 s) after they change, and every
  ``HEARTBEAT_SECONDS`` while it holds a connection to the session;
- a reader adds its own exact figure to the other workers' figures written within
  ``STALE_SECONDS``. A killed worker stops writing, so its phones stop counting within
  seconds while they reconnect to a live worker, and no cleanup is needed;
- on each heartbeat a worker also re-reads the other workers' figures of its sessions
  and, when they changed (a worker died, phones moved), marks the session's results
  dirty, so its projectors are sent the new count even if nothing else happens.

Timestamps are each worker's wall clock: workers on several machines need NTP. The
broadcaster's background loop drives the writes, so this needs BROADCAST_INTERVAL > 0 (the
default). Without a message queue (one process) none of this runs and Redis is never called.
A Redis failure makes a worker count only its own for RETRY_SECONDS, never wait on Redis.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
import time

from flask import Flask

from ..shared_redis import redis_client, shares_redis
from .broadcast import RESULTS, broadcaster
from .presence import Figures, Presence, presence

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0
STALE_SECONDS = 5.0
# A session's hash outlives its last writer by this much, so an ended session leaves nothing.
KEY_SECONDS = 60
RETRY_SECONDS = 2.0  # after a Redis failure, count this worker only for this long
NOBODY = Figures(connected=0, pinned=frozenset())


def worker_id() -> str:
    """Unique for this process's life: a restarted worker never reads itself as another."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def parse_figures(raw: bytes | str, now: float) -> Figures | None:
    """A worker's figures from their hash field, or None when stale or not ours."""
    try:
        data = json.loads(raw)
        at, connected, pinned = float(data["at"]), int(data["connected"]), data["pinned"]
    except (ValueError, TypeError, KeyError):
        return None
    if now - at > STALE_SECONDS or connected < 0 or not isinstance(pinned, list):
        return None
    return Figures(connected=connected, pinned=frozenset(str(key) for key in pinned))


class SharedPresence:
    """This worker's side of the shared figures (see the module)."""

    def __init__(
        self,
        redis,
        channel: str,
        local: Presence,
        *,
        on_change=None,
        worker: str | None = None,
        clock=time.time,
    ):
        self.redis = redis
        self.prefix = f"{channel}:presence:"
        self.local = local  # this worker's connections, whose figures we write
        # Called with a session id when the other workers' figures for it changed.
        self.on_change = on_change or (lambda session_id: broadcaster.mark(session_id, RESULTS))
        self.worker = worker or worker_id()
        self.clock = clock
        self._lock = threading.Lock()
        self._dirty: set[int] = set()
        self._published: set[int] = set()  # sessions our field is written for
        self._seen: dict[int, Figures] = {}  # the others' figures at the last heartbeat
        self._beat_at = 0.0
        self._warned_at = 0.0
        self._down_until = 0.0  # after a Redis failure, leave it alone for a moment

    def key(self, session_id: int) -> str:
        return f"{self.prefix}{session_id}"

    # Presence's side --------------------------------------------------------------------

    def changed(self, session_id: int) -> None:
        """Called on every connect, disconnect and pin: write at the next tick."""
        with self._lock:
            self._dirty.add(session_id)

    def others(self, session_id: int) -> Figures:
        """The other workers' fresh figures for the session, added up."""
        if time.monotonic() < self._down_until:
            return NOBODY
        try:
            fields = self.redis.hgetall(self.key(session_id))
        except Exception as error:  # noqa: BLE001  (Redis down: show this worker's own)
            self._failed(error)
            return NOBODY
        return self._sum(fields)

    # The broadcaster's side --------------------------------------------------------------

    def tick(self) -> None:
        """Write what changed; every heartbeat, write everything and notice the others'
        changes (see the module)."""
        now = self.clock()
        heartbeat = now - self._beat_at >= HEARTBEAT_SECONDS
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        if not (dirty or heartbeat) or time.monotonic() < self._down_until:
            with self._lock:
                self._dirty |= dirty
            return
        figures = self.local.local_figures()
        try:
            self.publish(figures, None if heartbeat else dirty, now)
            if heartbeat:
                self._beat_at = now
                self._notice_others(figures)
        except Exception as error:  # noqa: BLE001  (Redis down: try again next tick)
            with self._lock:
                self._dirty |= dirty
            self._failed(error)

    def publish(self, figures: dict[int, Figures], sessions: set[int] | None, now: float):
        """Write this worker's figures for ``sessions`` (None: all), and remove its field
        from sessions it no longer holds a connection to."""
        sessions = set(figures) | self._published if sessions is None else sessions
        if not sessions:
            return
        pipe = self.redis.pipeline(transaction=False)
        for session_id in sessions:
            mine = figures.get(session_id)
            if mine is None:
                pipe.hdel(self.key(session_id), self.worker)
                continue
            value = {"at": now, "connected": mine.connected, "pinned": sorted(mine.pinned)}
            pipe.hset(self.key(session_id), self.worker, json.dumps(value))
            pipe.expire(self.key(session_id), KEY_SECONDS)
        pipe.execute()
        self._published = (self._published | sessions) & set(figures)

    def _notice_others(self, figures: dict[int, Figures]) -> None:
        sessions = sorted(set(figures) | set(self._seen))
        if not sessions:
            return
        pipe = self.redis.pipeline(transaction=False)
        for session_id in sessions:
            pipe.hgetall(self.key(session_id))
        for session_id, fields in zip(sessions, pipe.execute(), strict=True):
            others = self._sum(fields)
            if session_id not in figures:
                self._seen.pop(session_id, None)  # nobody of ours left to tell
                continue
            if self._seen.get(session_id, NOBODY) != others:
                self.on_change(session_id)
            self._seen[session_id] = others

    def _sum(self, fields: dict) -> Figures:
        now, connected, pinned = self.clock(), 0, set()
        for worker, raw in fields.items():
            name = worker.decode() if isinstance(worker, bytes) else worker
            if name == self.worker:
                continue  # our own figure is read exactly from presence, never from here
            figures = parse_figures(raw, now)
            if figures is not None:
                connected += figures.connected
                pinned |= figures.pinned
        return Figures(connected=connected, pinned=frozenset(pinned))

    def _failed(self, error: Exception) -> None:
        # A push must not wait on a Redis that is down at every call: skip it for a while.
        now = time.monotonic()
        self._down_until = now + RETRY_SECONDS
        # Once a minute: while Redis is down the message queue says so loudly already.
        if now - self._warned_at > 60:
            self._warned_at = now
            log.warning("shared presence unavailable, counting this worker only: %s", error)


def init_app(app: Flask) -> None:
    """Share presence when the app runs as one of several workers (a Redis queue)."""
    broadcaster.hook(tick=_tick)  # does nothing until presence is shared
    url = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if not shares_redis(url):
        if url:
            log.warning("presence is shared through Redis only; counts are per worker")
        presence.shared = None
        return
    presence.shared = SharedPresence(redis_client(url), app.config["SOCKETIO_CHANNEL"], presence)


def _tick(_app: Flask) -> None:
    shared = presence.shared
    if isinstance(shared, SharedPresence):
        shared.tick()
