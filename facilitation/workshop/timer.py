"""The stage countdown: what clients are shown of it, and the scheduler that closes input
when a countdown with auto-close reaches zero.

The countdown itself is session state (``timer_ends_at`` while running,
``timer_remaining_ms`` while paused, ``timer_auto_close``), changed only by timer events
(operations.py). This module adds:

- ``now()``: the one clock the timer reads (tests monkeypatch it instead of sleeping);
- ``timer_view``: the ``timer`` key of the state object;
- ``Scheduler``: remembers which sessions have a running countdown with auto-close and,
  on each ``tick`` (driven by the broadcaster's background loop every 0.1 s), closes input
  for those that reached zero through ``operations.expire_timer``. That operation locks the
  session and checks again, so a countdown is closed exactly once, however many workers
  or ticks race for it. The scheduler rebuilds its list from the database on first use
  (so a restart loses nothing) and again every ``REBUILD_SECONDS`` (so a countdown started
  through another worker is seen too).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from ..db import database
from ..models import WorkshopSession

log = logging.getLogger(__name__)

MIN_SECONDS, MAX_SECONDS = 10, 3600
DEFAULT_EXTRA_SECONDS = 60
# The longest a countdown may be made with "+1 min" presses: two hours.
MAX_REMAINING_MS = 2 * MAX_SECONDS * 1000
REBUILD_SECONDS = 30.0


def now() -> datetime:
    """The current time in UTC (the timer's only clock)."""
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC: SQLite hands back naive datetimes for what was stored as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a Z, as JavaScript's Date parses it."""
    return aware(moment).astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return aware(datetime.fromisoformat(text.replace("Z", "+00:00")))


def remaining_ms(session: WorkshopSession, at: datetime | None = None) -> int | None:
    """Milliseconds left on the session's countdown at ``at`` (never below 0); None if
    there is no countdown."""
    if session.timer_ends_at is not None:
        left = aware(session.timer_ends_at) - (at or now())
        return max(0, int(left / timedelta(milliseconds=1)))
    return session.timer_remaining_ms


def timer_view(session: WorkshopSession) -> dict | None:
    """The ``timer`` key of the state: ``{running, ends_at, remaining_ms, auto_close}``.

    Running: ``ends_at`` is when it reaches zero (clients count down to it, corrected by
    the state's ``server_time``). Paused: ``ends_at`` is null and ``remaining_ms`` holds.
    A running countdown at ``remaining_ms == 0`` means time is up.
    """
    if session.timer_ends_at is None and session.timer_remaining_ms is None:
        return None
    running = session.timer_ends_at is not None
    return {
        "running": running,
        "ends_at": iso(session.timer_ends_at) if running else None,
        "remaining_ms": remaining_ms(session),
        "auto_close": bool(session.timer_auto_close),
    }


def pending(session: WorkshopSession) -> datetime | None:
    """When the scheduler must act on this session's countdown, or None."""
    if session.status != "live" or not session.timer_auto_close:
        return None
    return aware(session.timer_ends_at)


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
        due = pending(session)
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
        import time

        with database(app).sessionmaker() as db:
            rows = db.execute(
                select(WorkshopSession.id, WorkshopSession.timer_ends_at).where(
                    WorkshopSession.status == "live",
                    WorkshopSession.timer_auto_close.is_(True),
                    WorkshopSession.timer_ends_at.is_not(None),
                )
            ).all()
        with self._lock:
            self._due = {session_id: aware(ends_at) for session_id, ends_at in rows}
            self._rebuilt_at = time.monotonic()

    def tick(self, app: Flask, on_closed=None) -> list[int]:
        """Close input for every countdown that has run out; returns their session ids.

        ``on_closed(session)`` is called for each (the broadcaster pushes the new state).
        """
        import time

        if self._rebuilt_at is None or time.monotonic() - self._rebuilt_at > REBUILD_SECONDS:
            self.rebuild(app)
        moment = now()
        expired = [sid for sid, due in self.due().items() if due <= moment]
        closed = []
        for session_id in expired:
            from . import operations  # operations imports this module

            with app.app_context(), database(app).sessionmaker() as db:
                try:
                    done = operations.expire_timer(db, session_id, at=moment)
                except Exception:
                    log.exception("closing input at the end of the countdown failed")
                    continue
                session = db.get(WorkshopSession, session_id)
                if session is not None:
                    self.note(session)
                if done is not None:
                    closed.append(session_id)
                    if on_closed is not None and session is not None:
                        on_closed(session)
        return closed


scheduler = Scheduler()
