"""The stage countdown: its arithmetic, and what clients are shown of it.

The countdown itself is session state (``timer_ends_at`` while running,
``timer_remaining_ms`` while paused, ``timer_auto_close``), changed only by timer events
(operations.py). This module adds:

- ``now``: the clock the timer reads (``clock.now``, named here so tests monkeypatch it
  instead of sleeping);
- ``timer_view``: the ``timer`` key of the state object;
- ``pending`` and ``pending_countdowns``: when a countdown with auto-close must close
  input. Closing it is ``operations.expire_timer``; the background task that calls it when
  the moment comes is transport (live/countdown_closer.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..clock import aware, now
from ..models import WorkshopSession

MIN_SECONDS, MAX_SECONDS = 10, 3600
DEFAULT_EXTRA_SECONDS = 60
# The longest a countdown may be made with "+1 min" presses: two hours.
MAX_REMAINING_MS = 2 * MAX_SECONDS * 1000


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


def pending_countdowns(db: Session) -> dict[int, datetime]:
    """Every session whose countdown with auto-close is running: id -> when it runs out."""
    rows = db.execute(
        select(WorkshopSession.id, WorkshopSession.timer_ends_at).where(
            WorkshopSession.status == "live",
            WorkshopSession.timer_auto_close.is_(True),
            WorkshopSession.timer_ends_at.is_not(None),
        )
    ).all()
    return {session_id: aware(ends_at) for session_id, ends_at in rows}
