"""Note-takers' notes: what the tables said out loud, tagged with the stage and the table.

Notes are written by a note-taker (invited from the console) or a facilitator, through
``operations.post_note``; the facilitator puts one on the projector with ``show_note`` and
takes it off with ``hide_note``. This module is the read side: which tables a note may
name, and the ``notes`` message each kind of client gets.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Event, Note, WorkshopSession
from .breakouts import effective_tables
from .plan_cache import plan_of

# What a note's author is called when a facilitator writes it (the log's actor says so too).
FACILITATOR_AUTHOR = "Facilitator"
NOTETAKER_ACTOR = "notetaker:"


def note_view(note: Note, titles: dict[str, str], *, for_screen: bool = False) -> dict:
    view = {
        "id": note.id,
        "text": note.text,
        "stage": note.stage_key,
        "stage_title": titles.get(note.stage_key) if note.stage_key else None,
        "table": note.table_key,
        "shown": note.shown,
        "seq": note.seq,
        "created_at": note.created_at.isoformat() if note.created_at else None,
    }
    # A note-taker's label may be a person's name: the room sees the table, not who wrote it.
    if not for_screen:
        view["author"] = note.author
    return view


def session_notes(db: Session, session: WorkshopSession, *, shown_only: bool = False) -> list:
    """The session's notes, newest first; for screens only those on the projector, the
    most recently shown first (so the note the facilitator just chose is the one that
    surely fits)."""
    titles = {stage.key: stage.title for stage in plan_of(session).stages}
    query = select(Note).where(Note.session_id == session.id).order_by(Note.seq.desc())
    if shown_only:
        query = query.where(Note.shown.is_(True))
    notes = list(db.scalars(query))
    if shown_only and len(notes) > 1:
        shown_at = _last_shown(db, session)
        notes.sort(key=lambda note: shown_at.get(note.id, note.seq), reverse=True)
    return [note_view(note, titles, for_screen=shown_only) for note in notes]


def _last_shown(db: Session, session: WorkshopSession) -> dict[int, int]:
    """Each shown note's id -> the seq of the event that last put it on the projector."""
    shown_at: dict[int, int] = {}
    events = db.execute(
        select(Event.seq, Event.payload)
        .where(Event.session_id == session.id, Event.type == "note.shown")
        .order_by(Event.seq)
    )
    for seq, payload in events:
        shown_at[payload.get("note_id")] = seq
    return shown_at


def notes_message(db: Session, session: WorkshopSession, *, shown_only: bool = False) -> dict:
    """The ``notes`` message: every note for facilitators and note-takers, shown ones for
    screens."""
    return {"seq": session.last_seq, "notes": session_notes(db, session, shown_only=shown_only)}


def sync_extras(db: Session, session: WorkshopSession, role: str, label: str | None) -> dict:
    """What the ``sync`` reply adds for notes, by role (nothing for participants)."""
    if role == "participant":
        return {}
    extras = {"notes": notes_message(db, session, shown_only=role == "screen")}
    if role == "notetaker":
        stages = plan_of(session).stages
        extras["stages"] = [
            {"index": i, "key": s.key, "title": s.title} for i, s in enumerate(stages)
        ]
        extras["tables"] = effective_tables(session)
        extras["label"] = label or FACILITATOR_AUTHOR
    return extras
