"""The opinion groups of a running session's statements stages, kept up to date off the loop.

One result is kept per (session id, session code, stage key): the code as well as the id,
because another database (a test's) may reuse an id. A result stands while the session's
``last_seq`` is the one it was computed at; a self-paced run changes with every vote for
weeks, so there a result stands for ``RUN_REFRESH`` seconds (a consultation's map need not
move by the second).

``latest`` never makes its caller wait under the server (gevent): it returns what is kept,
stale or not (None before the first result), and asks for a fresh one. The fresh one is
made by a greenlet of its own, which reads the votes with a database session of its own
(votes.py reads in batches and yields between them) and runs the computation in a real
thread of gevent's pool, so the loop that carries everyone's votes keeps turning; when
it is done the session is marked dirty (``init_app``'s ``on_ready``: the broadcaster),
and the next push carries it to the projector and the phones. Coalesced: one computation
per key at a time; asked meanwhile for votes newer than those it read, it runs once more
after it, however many times it was asked, but only after a rest (``MIN_GAP``, ``REST``).
Without gevent's patching (tests, the CLI)
the result is computed here and now, so a push shows the result of the votes it pushes.

The previous result's groups are passed to each computation, so group letters stay with
the same people from one update to the next (groups.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask
from sqlalchemy.orm import Session

from ..db import database
from ..models import WorkshopSession
from ..plans.model import Stage
from ..workshop.plan_cache import plan_of
from ..workshop.sessions import session_by_id
from .compute import OpinionResult, compute, settings_for
from .groups import Settings
from .view import opinion_view
from .votes import VoteRows, read_vote_rows, read_votes, visible_statements

log = logging.getLogger(__name__)

RUN_REFRESH = 10.0  # seconds a run's result is shown before it is computed again
# workshop/runs.py's SELF, the pace of a self-paced run: not imported from there, because
# runs.py imports workshop/state.py, which imports this module (comment walls' priority).
RUN_PACE = "self"
MAX_KEPT = 256  # keys kept; the oldest go first
# A computation in a thread still holds Python's lock for part of its time: the first
# version (scikit-learn's k-means), back to back through a burst of votes, doubled every
# vote's latency in the load benchmark (docs/benchmarks.md). So after each one the next
# waits REST times as long as it took, and at least MIN_GAP seconds: the groups take at
# most a sixth of the process's time, and the map is at most a second or two behind.
MIN_GAP = 1.0
REST = 5.0


@dataclass
class _Kept:
    version: int | None = None  # the session's last_seq the result was computed at
    made_at: float = 0.0
    result: OpinionResult | None = None
    sectors: dict[int, str | None] | None = None  # each person's sector, as read then
    voters: int = 0  # how many people had voted then (votes.StageVotes.voters)
    running: bool = False  # a computation of this key is under way (off the loop)
    reading: int | None = None  # the last_seq the running one read its votes at, once read
    again: bool = False  # asked for newer votes meanwhile: run once more when it is done
    not_before: float = 0.0  # monotonic time before which the next computation waits


_kept: dict[Hashable, _Kept] = {}
_locks: dict[Hashable, threading.Lock] = {}
_guard = threading.Lock()
_app: Flask | None = None
_on_ready: list[Callable[[int], None]] = []


def init_app(app: Flask, on_ready: Callable[[int], None]) -> None:
    """Where a computation off the loop opens its database session (``app``'s), and what
    it calls with the session id when its result is kept (the broadcaster's mark). Once
    per callback: create_app runs for every app of a process."""
    global _app
    _app = app
    if on_ready not in _on_ready:
        _on_ready.append(on_ready)


def latest(db: Session, session: WorkshopSession, stage: Stage) -> OpinionResult | None:
    """The latest opinion groups of ``stage`` (see the module); None when the stage has
    none, or before the first result under the server."""
    settings = settings_for(plan_of(session), stage)
    if settings is None:
        return None
    return _latest(db, session, stage, settings)[0]


def latest_with_sectors(
    db: Session, session: WorkshopSession, stage: Stage
) -> tuple[OpinionResult | None, dict[int, str | None], int]:
    """``latest``, with the sector of each person behind it (for the cross-tab) and how
    many people had voted."""
    settings = settings_for(plan_of(session), stage)
    if settings is None:
        return None, {}, 0
    return _latest(db, session, stage, settings)


def separation(db: Session, session: WorkshopSession, stage: Stage) -> dict[int, float]:
    """How much each statement separates the latest groups (0 to 1); empty without groups."""
    result = latest(db, session, stage)
    if result is None or result.analysis is None:
        return {}
    return dict(result.analysis.separation)


def _key(session: WorkshopSession, stage: Stage) -> Hashable:
    return (session.id, session.code, stage.key)


def _fresh(kept: _Kept | None, session: WorkshopSession) -> bool:
    if kept is None or kept.version is None:
        return False
    if kept.version == session.last_seq:
        return True
    run = session.pace == RUN_PACE
    return run and time.monotonic() - kept.made_at < RUN_REFRESH


def _shown(kept: _Kept | None) -> tuple[OpinionResult | None, dict, int]:
    if kept is None:
        return None, {}, 0
    return kept.result, kept.sectors or {}, kept.voters


def _latest(db, session, stage, settings) -> tuple[OpinionResult | None, dict, int]:
    key = _key(session, stage)
    if session.purged_at is not None:  # by the CLI, in another process: nothing forgot it
        forget(session.id)
        return None, {}, 0
    kept = _kept.get(key)
    if _fresh(kept, session):
        return _shown(kept)
    if _off_the_loop():
        _ask(key, session.id, stage.key, settings, session.last_seq)
        return _shown(kept)
    # Here and now; threads of a threaded server asking together wait for one another.
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        kept = _kept.get(key)
        if _fresh(kept, session):
            return _shown(kept)
        previous = kept.result.grouping if kept is not None and kept.result else None
        version = session.last_seq
        votes = read_votes(db, session, stage.key)
        try:
            result = compute(votes.matrix, settings, previous)
        except Exception:  # the room's results are pushed without the groups
            log.exception("opinion groups of %s failed", stage.key)
            return _shown(kept)
        _keep(key, version, result, votes.sectors, len(votes.voters))
    return result, votes.sectors, len(votes.voters)


def _off_the_loop() -> bool:
    """Whether this is the server under gevent, with an app to read the votes with."""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return False
    return _app is not None and monkey.is_module_patched("threading")


def _ask(key: Hashable, session_id: int, stage_key: str, settings: Settings, version: int) -> None:
    """Start a computation of ``key`` in a greenlet of its own; or, one is running that
    read older votes than ``version``'s, have it run once more when done (one that has
    not read them yet will read these)."""
    with _guard:
        kept = _kept.setdefault(key, _Kept())
        if kept.running:
            if kept.reading is not None and version > kept.reading:
                kept.again = True
            return
        kept.running, kept.reading = True, None
    import gevent

    gevent.spawn(_refresh, _app, key, session_id, stage_key, settings)


def _refresh(app: Flask, key: Hashable, session_id: int, stage_key: str, settings) -> None:
    import gevent

    while True:
        with _guard:
            kept = _kept.get(key)
            wait = kept.not_before - time.monotonic() if kept is not None else 0.0
        if wait > 0:
            gevent.sleep(wait)  # votes that arrive meanwhile are read when it wakes
        started = time.monotonic()
        try:
            _compute_once(app, key, session_id, stage_key, settings)
        except Exception:  # the next push asks again
            log.exception("opinion groups of %s failed", stage_key)
        took = time.monotonic() - started
        with _guard:
            kept = _kept.get(key)
            if kept is not None:
                kept.not_before = time.monotonic() + max(MIN_GAP, REST * took)
        with _guard:
            kept = _kept.get(key)
            if kept is None or not kept.again:
                if kept is not None:
                    kept.running, kept.reading = False, None
                return
            kept.again, kept.reading = False, None


def _compute_once(app: Flask, key: Hashable, session_id: int, stage_key: str, settings) -> None:
    with database(app).sessionmaker() as db:
        session = session_by_id(db, session_id)
        if session is None or session.purged_at is not None:
            return
        version = session.last_seq
        with _guard:
            kept = _kept.get(key)
            if kept is not None:
                kept.reading = version
        votes = read_vote_rows(db, session, stage_key)
    previous = kept.result.grouping if kept is not None and kept.result else None
    # In a real thread of gevent's pool, the matrix built too: the loop carries everyone's
    # votes meanwhile.
    from gevent import get_hub

    result = get_hub().threadpool.apply(_build_and_compute, (votes, settings, previous))
    if key not in _kept:  # forgotten meanwhile (the session was purged)
        return
    _keep(key, version, result, votes.sectors, len(votes.voters))
    for on_ready in _on_ready:
        on_ready(session_id)


def _build_and_compute(votes: VoteRows, settings: Settings, previous) -> OpinionResult:
    return compute(votes.matrix(), settings, previous)


def _keep(key: Hashable, version: int, result: OpinionResult, sectors: dict, voters: int) -> None:
    with _guard:
        kept = _kept.setdefault(key, _Kept())
        kept.version, kept.made_at = version, time.monotonic()
        kept.result, kept.sectors, kept.voters = result, sectors, voters
        while len(_kept) > MAX_KEPT:
            oldest = next((k for k, v in _kept.items() if not v.running), None)
            if oldest is None:
                break
            _kept.pop(oldest, None)
            _locks.pop(oldest, None)


def forget(session_id: int) -> None:
    """Drop what is kept of a session (its raw data was purged, say)."""
    with _guard:
        for key in [key for key in _kept if key[0] == session_id]:
            _kept.pop(key, None)
            _locks.pop(key, None)


def opinion_message(db: Session, session: WorkshopSession, stage: Stage) -> dict | None:
    """The ``opinion`` of ``stage``'s results message (view.py), or None when the stage
    has no opinion groups."""
    plan = plan_of(session)
    if settings_for(plan, stage) is None:
        return None
    result, sectors, voters = latest_with_sectors(db, session, stage)
    return opinion_view(
        result,
        visible_statements(db, session.id, stage.key),
        sectors,
        stage.activity.opinion_groups,
        plan.min_group_size,
        plan_sectors=plan.sectors,
        voters=voters,
    )
