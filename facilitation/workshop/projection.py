"""How each event changes the session's current state.

``apply`` is the single place where an event becomes state: operations call it right after
appending an event, and ``replay`` calls it for every event in order to rebuild the state
tables from the log alone. Answers also come in batches: operations.record_answers projects
a burst of them with ``apply_answers`` (one upsert), and ``apply`` sends a single replayed
answer through that same function, so the answer logic still lives in one place.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import Answer, Comment, Event, Note, Participant, Reaction, WorkshopSession
from .breakouts import effective_tables
from .timer import parse_iso

# An answer replaces the participant's earlier one: an upsert, in each database's words.
_INSERTS = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}


def canonical(value: dict) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def apply(db: Session, session: WorkshopSession, event: Event) -> None:
    handler = _HANDLERS.get(event.type)
    if handler is not None:
        handler(db, session, event)


def _scenario_chosen(_db, session, event):
    session.scenario_key = event.payload["scenario"]


def _stage_shown(_db, session, event):
    # A stage starts closed and hidden, so early answers don't anchor later ones; one whose
    # results the room has already seen shows them again (operations._show_stage).
    session.stage_index = event.payload["index"]
    session.input_open = False
    session.revealed = bool(event.payload.get("revealed"))
    session.page_index = 0  # a slides stage's slide.shown follows with its page
    _clear_timer(session)  # a countdown belongs to the stage it was started on


def _slide_shown(_db, session, event):
    session.page_index = event.payload["index"]


def _setter(attribute: str, value: bool):
    def handler(_db, session, _event):
        setattr(session, attribute, value)

    return handler


def _session_ended(_db, session, event):
    session.status = "ended"
    session.input_open = False
    session.ended_at = event.at
    _clear_timer(session)


def _participant_joined(db, _session, event):
    participant = db.get(Participant, event.participant_id)
    participant.sector = event.payload.get("sector")
    participant.display_name = event.payload.get("display_name")
    participant.table_key = event.payload.get("table")
    participant.name_consent = bool(event.payload.get("name_consent"))
    participant.withdrawn_at = None
    participant.stage_index = participant.furthest_index = 0


def _participant_withdrew(db, session, event):
    participant = db.get(Participant, event.participant_id)
    participant.withdrawn_at = event.at
    participant.display_name = None
    participant.sector = None
    participant.table_key = None
    remove_contributions(db, session.id, event.participant_id)


@functools.cache
def _answer_upsert(dialect: str):
    """INSERT an answer, or replace the participant's earlier one: made once per database."""
    statement = _INSERTS[dialect](Answer.__table__)
    return statement.on_conflict_do_update(
        index_elements=["session_id", "stage_key", "participant_id"],
        set_={"value": statement.excluded.value, "seq": statement.excluded.seq},
    )


def _answer_submitted(db, session, event):
    apply_answers(db, session, [_answer_row(event)])


def _answer_row(event: Event) -> dict:
    """What ``apply_answers`` reads of an answer.submitted event."""
    return {
        "participant_id": event.participant_id,
        "stage_key": event.stage_key,
        "seq": event.seq,
        "payload": event.payload,
    }


def apply_answers(db: Session, session: WorkshopSession, events: Sequence[Mapping]) -> None:
    """answer.submitted events (rows with participant_id, stage_key, seq, payload), in seq
    order, into the answer table: one upsert statement for all of them.

    An answer replaces the participant's earlier one, so only the last answer per participant
    and stage is written. That also keeps the batch valid wherever a driver sends it as one
    multi-row ``INSERT ... ON CONFLICT DO UPDATE``, which PostgreSQL refuses if it touches
    the same row twice (psycopg 3 sends an executemany one row at a time, pipelined).
    """
    latest: dict[tuple[str, int], dict] = {}
    for event in events:
        latest[(event["stage_key"], event["participant_id"])] = {
            "session_id": session.id,
            "stage_key": event["stage_key"],
            "participant_id": event["participant_id"],
            "value": canonical(event["payload"]["value"]),
            "seq": event["seq"],
        }
    if not latest:
        return
    # No autoflush before the upsert: what the ORM holds (last_seq, sectors) is written at
    # commit, in one flush for the whole batch.
    with db.no_autoflush:
        db.execute(_answer_upsert(db.get_bind().dialect.name), list(latest.values()))
        for event in events:  # in order, so the last sector answered is the one kept
            value = event["payload"]["value"]
            if "sector" in value:
                db.get(Participant, event["participant_id"]).sector = value["sector"]


def _add_named_by_event(db, event, id_key: str, row) -> None:
    """Add the comment or note ``event`` posts. The first time through, its new id is
    recorded in the event (as ``id_key``), so that the reactions and show/hide events
    later in the log keep pointing at it when the log is replayed."""
    db.add(row)
    if row.id is None:
        db.flush()
        event.payload = {**event.payload, id_key: row.id}


def _comment_posted(db, session, event):
    comment = Comment(
        id=event.payload.get("comment_id"),
        session_id=session.id,
        stage_key=event.stage_key,
        participant_id=event.participant_id,
        text=event.payload["text"],
        seq=event.seq,
        created_at=event.at,
    )
    if event.payload.get("awaiting"):  # a run that approves comments before showing them
        comment.hidden = comment.awaiting = True
    _add_named_by_event(db, event, "comment_id", comment)


def _moderated(hidden: bool):
    """Hide or restore a comment; either way, one awaiting approval is decided (restoring
    it approves it, hiding it rejects it)."""

    def handler(db, _session, event):
        comment = db.get(Comment, event.payload["comment_id"])
        if comment is not None:
            comment.hidden, comment.awaiting = hidden, False

    return handler


def _comment_reacted(db, _session, event):
    comment_id = event.payload["comment_id"]
    comment = db.get(Comment, comment_id)
    if comment is None:
        return
    old = db.get(Reaction, (comment_id, event.participant_id))
    if old is not None:
        _count(comment, old.value, -1)
    new_value = event.payload["reaction"]
    # 0 takes a reaction back, unless it is a statement's "pass", which is a stored vote.
    if new_value == 0 and not event.payload.get("pass"):
        if old is not None:
            db.delete(old)
        return
    _count(comment, new_value, +1)
    if old is not None:
        old.value = new_value
    else:
        db.add(
            Reaction(comment_id=comment_id, participant_id=event.participant_id, value=new_value)
        )


def _count(comment: Comment, value: int, step: int) -> None:
    """Move a stored reaction's counter: +1 agree, -1 disagree, 0 pass (statements)."""
    if value == 1:
        comment.agree += step
    elif value == -1:
        comment.disagree += step
    elif value == 0:
        comment.passes = (comment.passes or 0) + step


def _flag(model, id_key: str, attribute: str, value: bool):
    """Set a flag on the comment or note the event names, if it is still there."""

    def handler(db, _session, event):
        row = db.get(model, event.payload[id_key])
        if row is not None:
            setattr(row, attribute, value)

    return handler


def _note_posted(db, session, event):
    note = Note(
        id=event.payload.get("note_id"),
        session_id=session.id,
        stage_key=event.stage_key,
        table_key=event.payload.get("table"),
        author=event.payload["author"],
        text=event.payload["text"],
        seq=event.seq,
        created_at=event.at,
    )
    _add_named_by_event(db, event, "note_id", note)


def _tables_set(db, session, event):
    session.tables = event.payload["tables"]  # None: the plan's list again
    # Whoever sat at a table that is no longer listed has no table until moved.
    db.execute(
        update(Participant)
        .where(
            Participant.session_id == session.id,
            Participant.table_key.is_not(None),
            Participant.table_key.not_in(effective_tables(session)),
        )
        .values(table_key=None)
        .execution_options(synchronize_session="fetch")
    )
    if session.breakdown == "table" and not effective_tables(session):
        session.breakdown = "room"  # nothing left to break down by


def _participant_moved(db, _session, event):
    participant = db.get(Participant, event.participant_id)
    if participant is not None:
        participant.table_key = event.payload.get("table")


def _breakdown_set(_db, session, event):
    session.breakdown = event.payload["breakdown"]


# Timer, highlights, screen modes and the session's lifecycle (workshop/timer.py) -----


def _parse_moment(text: str | None):
    return parse_iso(text) if text else None


def _clear_timer(session) -> None:
    session.timer_ends_at = session.timer_remaining_ms = None
    session.timer_auto_close = False


def _timer_set(_db, session, event):
    """Every timer event carries the countdown as it is after it (operations.py)."""
    payload = event.payload
    session.timer_ends_at = _parse_moment(payload.get("ends_at"))
    session.timer_remaining_ms = payload.get("remaining_ms")
    session.timer_auto_close = bool(payload.get("auto_close"))


def _timer_expired(_db, session, _event):
    session.timer_auto_close = False  # time is up: nothing left to close


def _input_closed(_db, session, event):
    session.input_open = False
    if event.payload.get("reason") == "timer":
        session.timer_auto_close = False  # closed once; reopening input stays open


def _screen_mode_set(_db, session, event):
    session.screen_mode = event.payload["mode"]


def _link_reissued(_db, session, event):
    # The generation is in the event, so a replay lands on the same one.
    if event.payload["link"] == "screen":
        session.screen_key_version = event.payload["generation"]
    else:
        session.notes_key_version = event.payload["generation"]


def _run_scheduled(_db, session, event):
    payload = event.payload
    session.pace = "self"
    session.opens_at = _parse_moment(payload["opens_at"])
    session.closes_at = _parse_moment(payload["closes_at"])
    session.run_settings = dict(payload["settings"])


def _run_extended(_db, session, event):
    # Extending a run that was closed opens it again until the new date.
    session.closes_at = _parse_moment(event.payload["closes_at"])
    if session.status == "ended":
        session.status, session.ended_at = "live", None


def _participant_paced(db, _session, event):
    participant = db.get(Participant, event.participant_id)
    index = event.payload["index"]
    participant.stage_index = index
    participant.furthest_index = max(participant.furthest_index or 0, index)


def _session_created(_db, session, event):
    if event.payload.get("status") == "draft":
        session.status = "draft"


def _status(status: str):
    def handler(_db, session, _event):
        session.status = status

    return handler


def _session_paused(_db, session, event):
    session.status = "paused"
    if event.payload.get("timer_frozen"):
        session.timer_ends_at = None
        session.timer_remaining_ms = event.payload["remaining_ms"]


def _session_resumed(_db, session, event):
    session.status = "live"
    ends_at = _parse_moment(event.payload.get("timer_ends_at"))
    if ends_at is not None:
        session.timer_ends_at, session.timer_remaining_ms = ends_at, None


_HANDLERS = {
    "scenario.chosen": _scenario_chosen,
    "stage.shown": _stage_shown,
    "slide.shown": _slide_shown,
    "input.opened": _setter("input_open", True),
    "input.closed": _input_closed,
    "results.revealed": _setter("revealed", True),
    "results.hidden": _setter("revealed", False),
    "session.ended": _session_ended,
    "participant.joined": _participant_joined,
    "participant.withdrew": _participant_withdrew,
    "answer.submitted": _answer_submitted,
    "comment.posted": _comment_posted,
    "comment.reacted": _comment_reacted,
    "comment.hidden": _moderated(True),
    "comment.restored": _moderated(False),
    "note.posted": _note_posted,
    "note.shown": _flag(Note, "note_id", "shown", True),
    "note.hidden": _flag(Note, "note_id", "shown", False),
    "tables.set": _tables_set,
    "participant.moved": _participant_moved,
    "breakdown.set": _breakdown_set,
    "timer.started": _timer_set,
    "timer.paused": _timer_set,
    "timer.resumed": _timer_set,
    "timer.extended": _timer_set,
    "timer.stopped": _timer_set,
    "timer.expired": _timer_expired,
    "comment.highlighted": _flag(Comment, "comment_id", "highlighted", True),
    "comment.unhighlighted": _flag(Comment, "comment_id", "highlighted", False),
    "screen.mode_set": _screen_mode_set,
    "session.created": _session_created,
    "session.started": _status("live"),
    "session.paused": _session_paused,
    "session.resumed": _session_resumed,
    "session.archived": _status("archived"),
    "link.reissued": _link_reissued,
    "run.scheduled": _run_scheduled,
    "run.extended": _run_extended,
    "participant.paced": _participant_paced,
}


def remove_contributions(db: Session, session_id: int, participant_id: int) -> None:
    """Delete a participant's answers, comments and agreements from the state tables."""
    own_comments = select(Comment.id).where(
        Comment.session_id == session_id, Comment.participant_id == participant_id
    )
    # Their agreements come off the counters of the comments they reacted to.
    for reaction in db.scalars(
        select(Reaction).where(Reaction.participant_id == participant_id)
    ).all():
        comment = db.get(Comment, reaction.comment_id)
        if comment is not None:
            _count(comment, reaction.value, -1)
        db.delete(reaction)
    db.flush()
    db.execute(delete(Reaction).where(Reaction.comment_id.in_(own_comments)))
    db.execute(delete(Comment).where(Comment.id.in_(own_comments)))
    db.execute(
        delete(Answer).where(
            Answer.session_id == session_id, Answer.participant_id == participant_id
        )
    )


def _reset_session(session: WorkshopSession) -> None:
    """The session's columns as they are before its first event."""
    session.scenario_key = None
    session.stage_index = session.page_index = 0
    session.input_open = session.revealed = False
    session.status, session.ended_at = "live", None
    session.tables = None
    session.breakdown, session.screen_mode = "room", "auto"
    session.timer_ends_at = session.timer_remaining_ms = None
    session.timer_auto_close = False
    session.screen_key_version = session.notes_key_version = 0
    session.pace, session.opens_at, session.closes_at, session.run_settings = (
        "live",
        None,
        None,
        None,
    )


def replay(db: Session, session: WorkshopSession) -> None:
    """Rebuild the session's state tables from its event log (not committed)."""
    comment_ids = select(Comment.id).where(Comment.session_id == session.id)
    db.execute(delete(Reaction).where(Reaction.comment_id.in_(comment_ids)))
    db.execute(delete(Comment).where(Comment.session_id == session.id))
    db.execute(delete(Answer).where(Answer.session_id == session.id))
    db.execute(delete(Note).where(Note.session_id == session.id))
    # Rows deleted in bulk may still sit in the identity map; forget them before re-adding.
    for stale in [
        o for o in db.identity_map.values() if isinstance(o, Answer | Comment | Reaction | Note)
    ]:
        db.expunge(stale)
    _reset_session(session)
    events = db.scalars(
        select(Event).where(Event.session_id == session.id).order_by(Event.seq)
    ).all()
    for event in events:
        apply(db, session, event)
        db.flush()
