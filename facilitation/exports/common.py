"""What every export shares: the session list it covers, safe CSV cells, times, streaming."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..models import WorkshopSession

# Rows are read from the database in batches of this many, never all at once.
YIELD_PER = 1000
# What an export sends is gathered into chunks of about this many characters: a response of
# many tiny writes is slow, one of a single huge string is held whole in memory.
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


def in_log_order(db: Session, model, session: WorkshopSession, *where):
    """A session's rows of ``model`` (events, comments, notes) in the order the log
    recorded them, read in batches of ``YIELD_PER``; ``where``: further conditions."""
    return db.scalars(
        select(model)
        .where(model.session_id == session.id, *where)
        .order_by(model.seq)
        .execution_options(yield_per=YIELD_PER)
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
    return clock.aware(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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


def chunked(pieces: Iterable[str]) -> Iterator[str]:
    """Many small strings (a template's output, an XML document's parts) joined into chunks of
    about ``CHUNK`` characters; a piece that is a chunk's size already is passed on alone."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        if len(piece) >= CHUNK:
            if buffer:
                yield "".join(buffer)
                buffer, size = [], 0
            yield str(piece)
            continue
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)
