"""Framework profiles computed once and kept while the answers behind them stay the same.

A profile bootstraps 2,000 resamples of everyone behind it: a tenth of a second for a
room of 300, about 2 s for a consultation of 20,000 and as much again per breakdown
(docs/benchmarks.md). The projector's pushes, every participant of a run who reaches a
profile stage, the run's dashboard and the series page all ask for one, so each is kept
under a key (the session and what is asked: the room, a breakdown, a series comparison)
until the session's ``version`` moves on:

- a session's version is that of its framework answers and of who sits where, so a
  profile stage on the projector is computed again only when something behind it changed;
- a self-paced run changes with every answer for a week, so its profiles are computed at
  most once every ``RUN_REFRESH`` seconds once someone has answered: the picture of a
  consultation need not move by the second (each participant's own scores,
  ``profile_stage.own_profile``, are exact).

Under gevent (``python -m facilitation``) the computation runs in a real thread of
gevent's pool, so the loop that carries everyone's votes keeps turning meanwhile; the
answers are read from the database before, in the calling greenlet. One computation per
key at a time: others asking meanwhile wait for it rather than start their own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Answer, Event, WorkshopSession
from .plan_cache import plan_of
from .runs import is_run

T = TypeVar("T")

RUN_REFRESH = 60.0  # seconds a run's profile is shown before it is computed again
MAX_KEPT = 256  # keys kept; the oldest go first
# Events that change who sits in which group (the breakdowns), besides the answers.
_SEATING = ("participant.joined", "participant.moved", "participant.withdrew", "tables.set")

_kept: dict[Hashable, tuple[Hashable, float, object]] = {}
_locks: dict[Hashable, threading.Lock] = {}
_guard = threading.Lock()


def version(db: Session, session: WorkshopSession) -> Hashable:
    """What a profile of ``session`` depends on: its framework answers (how many, the
    latest) and its seating events (the latest), and whether it was purged."""
    framework = plan_of(session).framework
    keys = framework.stage_keys if framework is not None else ()
    answers = db.execute(
        select(func.count(Answer.id), func.max(Answer.seq)).where(
            Answer.session_id == session.id, Answer.stage_key.in_(keys)
        )
    ).one()
    seating = db.scalar(
        select(func.max(Event.seq)).where(Event.session_id == session.id, Event.type.in_(_SEATING))
    )
    return (session.purged_at is not None, *answers, seating)


def _fresh(entry, current: tuple, run: bool) -> bool:
    """Whether a kept value still stands: made from the same answers; or, in a run, made
    less than ``RUN_REFRESH`` ago from some answers (one made from none would show "no
    answers yet" beside the first person's own scores)."""
    if entry is None:
        return False
    kept_version, made_at, _value = entry
    if kept_version == current:
        return True
    answered = all(version[1] for version in kept_version)  # each session's answer count
    return run and answered and time.monotonic() - made_at < RUN_REFRESH


def cached(
    db: Session,
    sessions: WorkshopSession | list[WorkshopSession],
    what: Hashable,
    read: Callable[[], object],
    compute: Callable[[object], T],
) -> T:
    """``compute(read())`` for ``sessions`` (one, or several: a series) and ``what``, or
    the value kept from the last time while it is still fresh (a run among them: by age).
    ``read`` runs here (it may use ``db``); ``compute`` gets only what ``read`` returned
    and may run in another thread, so it must not touch the database or lazy attributes."""
    together = sessions if isinstance(sessions, list) else [sessions]
    # The code as well as the id: another database (a test's) may reuse the id.
    key = (tuple((session.id, session.code) for session in together), what)
    current = tuple(version(db, session) for session in together)
    run = any(is_run(session) for session in together)
    entry = _kept.get(key)
    if _fresh(entry, current, run):
        return entry[2]
    with _guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        entry = _kept.get(key)  # made while this one waited
        if _fresh(entry, current, run):
            return entry[2]
        value = off_the_loop(compute, read())
        _kept[key] = (current, time.monotonic(), value)
        while len(_kept) > MAX_KEPT:
            _locks.pop(next(iter(_kept)), None)
            _kept.pop(next(iter(_kept)), None)
    return value


def forget(session_id: int) -> None:
    """Drop what is kept of a session (its raw data was purged, say)."""
    for key in [key for key in _kept if any(sid == session_id for sid, _ in key[0])]:
        _kept.pop(key, None)


def off_the_loop(compute: Callable[[object], T], data) -> T:
    """``compute(data)`` in a real thread when gevent has patched threading (the server),
    so other greenlets run meanwhile; here and now otherwise (tests, the CLI)."""
    try:
        from gevent import get_hub, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return compute(data)
    if not monkey.is_module_patched("threading"):
        return compute(data)
    return get_hub().threadpool.apply(compute, (data,))
