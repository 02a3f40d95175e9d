"""The app's one clock: every moment it stores or compares is time-zone aware, in UTC.

SQLite hands back naive datetimes for what was stored as UTC (PostgreSQL keeps the zone),
so a moment read from the database goes through ``aware`` before it is compared with
``now()`` or written out.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC: a naive datetime is taken to be UTC already; None stays None."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
