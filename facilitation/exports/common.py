"""What every export shares: the session list it covers, safe CSV cells, times, streaming."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import WorkshopSession

# Rows of a CSV are gathered into chunks of about this many characters before being sent.
CHUNK = 64 * 1024


def as_sessions(sessions) -> list[WorkshopSession]:
    """A session export is a list of one; accept a lone session too."""
    if isinstance(sessions, WorkshopSession):
        return [sessions]
    return list(sessions)


def series_sessions(db: Session, series_id: int) -> list[WorkshopSession]:
    """A series' sessions in the order they were held (undated ones by when they opened)."""
    return list(
        db.scalars(
            select(WorkshopSession)
            .where(WorkshopSession.series_id == series_id)
            .order_by(
                WorkshopSession.held_on.is_(None),
                WorkshopSession.held_on,
                WorkshopSession.created_at,
                WorkshopSession.id,
            )
        )
    )


def guard(cell: str) -> str:
    """Stop spreadsheet programs reading participant text as a formula.

    A cell starting with = + - @ (or a tab or carriage return, which some programs skip
    before looking) gets a leading apostrophe, which spreadsheets show as text.
    """
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def moment(value: datetime | None) -> str | None:
    """An ISO 8601 UTC time with a Z, as Table Schema's datetime expects (SQLite keeps
    times without their zone; they were written in UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def csv_cell(value) -> str:
    """One CSV cell: empty for None, true/false for booleans, text guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return moment(value)
    return guard(str(value))


def csv_stream(columns: Sequence[str], rows: Iterable[dict], cell=csv_cell) -> Iterator[str]:
    """Write ``rows`` (dicts keyed by ``columns``) as CSV text in chunks, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
        if buffer.tell() > CHUNK:
            yield flush()
    yield flush()
