"""The transcript: the event log of one or more sessions in order, pseudonymised, as CSV
or JSON.

Rows are streamed from the database in seq order, so a long session is never held in
memory whole. Participants appear by their per-session pseudonym and sector, and the table
they sat at when the event happened (``people.py``); display names appear only in the join
event of a participant who gave one and allowed it in exports. Every row names its session
by its code, so a series export is the sessions' logs one after another.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..models import Event, WorkshopSession
from ..workshop.plan_cache import plan_of
from .common import as_sessions, csv_stream, guard, in_log_order, moment
from .people import people, public_join_payload

COLUMNS = (
    "session",
    "seq",
    "time",
    "actor",
    "sector",
    "table",
    "stage",
    "stage_title",
    "type",
    "content",
)


def transcript_rows(db: Session, sessions) -> Iterator[dict]:
    """The events of ``sessions`` (a list, or one session), session by session, in order."""
    for session in as_sessions(sessions):
        yield from _session_rows(db, session)


def _session_rows(db: Session, session: WorkshopSession) -> Iterator[dict]:
    plan = plan_of(session)
    titles = {stage.key: stage.title for stage in plan.stages}
    who = people(db, session.id)
    events = in_log_order(db, Event, session)
    seats = _Seats(plan)
    for event in events:
        seats.follow(event)
        person = who.get(event.participant_id) if event.participant_id else None
        content = event.payload
        if event.type == "participant.joined":
            content = public_join_payload(content, person)
        yield {
            "session": session.code,
            "seq": event.seq,
            "time": moment(event.at),
            "actor": event.actor,
            "sector": person.sector if person else None,
            "table": seats.of(event.participant_id),
            "stage": event.stage_key,
            "stage_title": titles.get(event.stage_key) if event.stage_key else None,
            "type": event.type,
            "content": content,
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


_guard = guard  # the one formula guard, shared by every CSV export


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    return guard(str(value))


def transcript_csv(db: Session, sessions) -> Iterator[str]:
    return csv_stream(COLUMNS, transcript_rows(db, sessions), cell=_csv_cell)


def session_header(session: WorkshopSession) -> dict:
    """What a JSON export says about a session before its events."""
    return {
        "session": session.code,
        "plan": session.plan_slug,
        "plan_title": session.plan_title,
        "scenario": session.scenario_key,
        "series_id": session.series_id,
        "place": session.place,
        "held_on": session.held_on.isoformat() if session.held_on else None,
        "created_at": moment(session.created_at),
        "ended_at": moment(session.ended_at),
    }


def transcript_json(db: Session, sessions) -> Iterator[str]:
    """``{"sessions": [...], "events": [...]}``; a one-session export also carries that
    session's header at the top level (``"session": CODE``, ``"plan"`` ...)."""
    sessions = as_sessions(sessions)
    headers = [session_header(session) for session in sessions]
    top = dict(headers[0]) if len(headers) == 1 else {}
    top["sessions"] = headers
    opening = json.dumps(top, ensure_ascii=False)[:-1]
    yield opening + ', "events": ['
    for index, row in enumerate(transcript_rows(db, sessions)):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


# The transcript's own download URLs: /facilitator/sessions/<code>/transcript.<csv|json>.
FORMATS = {
    "csv": ("transcript.csv", "text/csv; charset=utf-8", transcript_csv),
    "json": ("transcript.json", "application/json", transcript_json),
}


def write_transcripts(db: Session, sessions, directory) -> list:
    """Write every transcript format into ``directory``; returns the paths written.
    Through the registry, whose producers write only what a file can hold."""
    from .formats import write_export

    return write_export(db, sessions, directory, [name for name, *_ in FORMATS.values()])
