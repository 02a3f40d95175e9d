"""Closing input when a countdown with auto-close runs out: the background side of the
stage countdown, whose arithmetic is the domain's (workshop/timer.py).

``Scheduler`` remembers which sessions have a running countdown with auto-close and, on
each ``tick`` (driven by the broadcaster's background loop every 0.1 s), closes input for
those that reached zero through ``operations.expire_timer``. That operation locks the
session and checks again, so a countdown is closed exactly once, however many workers or
ticks race for it. The scheduler rebuilds its list from the database on first use (so a
restart loses nothing) and again every ``REBUILD_SECONDS`` (so a countdown started through
another worker is seen too). Each close is pushed to the session's clients at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from flask import Flask

from ..db import database
from ..models import WorkshopSession
from ..workshop import operations, timer
from ..workshop.sessions import session_by_id
from .broadcast import broadcaster

log = logging.getLogger(__name__)

REBUILD_SECONDS = 30.0


class Scheduler:
    """Closes input when a countdown with auto-close runs out (see the module's notes)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._due: dict[int, datetime] = {}
        self._rebuilt_at: float | None = None  # time.monotonic() of the last rebuild

    def reset(self) -> None:
        """Forget everything, as a restarted process would (tests)."""
        with self._lock:
            self._due.clear()
            self._rebuilt_at = None

    def note(self, session: WorkshopSession) -> None:
        """Remember (or forget) the session's countdown after a change to it."""
        due = timer.pending(session)
        with self._lock:
            if due is None:
                self._due.pop(session.id, None)
            else:
                self._due[session.id] = due

    def due(self) -> dict[int, datetime]:
        with self._lock:
            return dict(self._due)

    def rebuild(self, app: Flask) -> None:
        """Read every pending countdown from the database."""
        with database(app).sessionmaker() as db:
            due = timer.pending_countdowns(db)
        with self._lock:
            self._due = due
            self._rebuilt_at = time.monotonic()

    def tick(
        self, app: Flask, on_closed: Callable[[WorkshopSession], None] | None = None
    ) -> list[int]:
        """Close input for every countdown that has run out; returns their session ids.

        ``on_closed(session)`` is called for each (the broadcaster pushes the new state).
        """
        if self._rebuilt_at is None or time.monotonic() - self._rebuilt_at > REBUILD_SECONDS:
            self.rebuild(app)
        moment = timer.now()
        expired = [sid for sid, due in self.due().items() if due <= moment]
        return [
            session_id for session_id in expired if self._close(app, session_id, moment, on_closed)
        ]

    def _close(self, app: Flask, session_id: int, moment: datetime, on_closed) -> bool:
        """Close one session's countdown; whether this call was the one that closed it."""
        with app.app_context(), database(app).sessionmaker() as db:
            try:
                done = operations.expire_timer(db, session_id, at=moment)
            except Exception:
                log.exception("closing input at the end of the countdown failed")
                return False
            session = session_by_id(db, session_id)
            if session is not None:
                self.note(session)
            if done is None:
                return False
            if on_closed is not None and session is not None:
                on_closed(session)
            return True


scheduler = Scheduler()


def tick_timers(app: Flask) -> list[int]:
    """Close input where a countdown with auto-close ran out, and tell everyone."""
    return scheduler.tick(app, on_closed=broadcaster.push_state)


def init_app(_app: Flask) -> None:
    """The broadcaster's background loop runs ``tick_timers`` on every wake."""
    broadcaster.hook(tick=tick_timers)
