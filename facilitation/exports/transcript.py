"""The transcript: a session's event log in order, pseudonymised, as CSV or JSON.

Rows are streamed from the database in seq order, so a long session is never held in
memory whole. Participants appear by their per-session pseudonym and sector, and the table
they sat at when the event happened; display names appear only in the join event of a
participant who gave one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..live.plan_cache import plan_of
from ..models import Event, Participant, WorkshopSession

COLUMNS = ("seq", "time", "actor", "sector", "table", "stage", "stage_title", "type", "content")


def transcript_rows(db: Session, session: WorkshopSession) -> Iterator[dict]:
    plan = plan_of(session)
    titles = {stage.key: stage.title for stage in plan.stages}
    sectors = dict(
        db.execute(
            select(Participant.id, Participant.sector).where(Participant.session_id == session.id)
        ).all()
    )
    events = db.scalars(
        select(Event)
        .where(Event.session_id == session.id)
        .order_by(Event.seq)
        .execution_options(yield_per=1000)
    )
    seats = _Seats(plan)
    for event in events:
        seats.follow(event)
        yield {
            "seq": event.seq,
            "time": event.at.isoformat(),
            "actor": event.actor,
            "sector": sectors.get(event.participant_id) if event.participant_id else None,
            "table": seats.of(event.participant_id),
            "stage": event.stage_key,
            "stage_title": titles.get(event.stage_key) if event.stage_key else None,
            "type": event.type,
            "content": event.payload,
        }


class _Seats:
    """Who sits at which table as the log goes by (people move during a session)."""

    def __init__(self, plan):
        self.plan_tables = list(getattr(plan, "tables", ()) or ())
        self.seats: dict[int, str | None] = {}

    def follow(self, event: Event) -> None:
        if event.type in ("participant.joined", "participant.moved"):
            self.seats[event.participant_id] = event.payload.get("table")
        elif event.type == "tables.set":
            listed = event.payload.get("tables")
            listed = self.plan_tables if listed is None else listed
            for participant_id, table in self.seats.items():
                if table not in listed:
                    self.seats[participant_id] = None

    def of(self, participant_id: int | None) -> str | None:
        return self.seats.get(participant_id) if participant_id else None


def _guard(cell: str) -> str:
    """Stop spreadsheet programs reading participant text as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return _guard(str(value))


def transcript_csv(db: Session, session: WorkshopSession) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    for row in transcript_rows(db, session):
        writer.writerow([_csv_cell(row[column]) for column in COLUMNS])
        if buffer.tell() > 64 * 1024:
            yield flush()
    yield flush()


def transcript_json(db: Session, session: WorkshopSession) -> Iterator[str]:
    header = {
        "session": session.code,
        "plan": session.plan_slug,
        "plan_title": session.plan_title,
        "scenario": session.scenario_key,
        "created_at": session.created_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
    }
    opening = json.dumps(header, ensure_ascii=False)[:-1]
    yield opening + ', "events": ['
    for index, row in enumerate(transcript_rows(db, session)):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


FORMATS = {
    "csv": ("transcript.csv", "text/csv; charset=utf-8", transcript_csv),
    "json": ("transcript.json", "application/json", transcript_json),
}


def write_transcripts(db: Session, session: WorkshopSession, directory) -> list:
    """Write every transcript format into ``directory``; returns the paths written."""
    paths = []
    for filename, _mimetype, produce in FORMATS.values():
        path = Path(directory) / filename
        with path.open("w", encoding="utf-8", newline="") as handle:
            for chunk in produce(db, session):
                handle.write(chunk)
        paths.append(path)
    return paths
