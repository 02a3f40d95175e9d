"""How each event changes the session's current state.

``apply`` is the single place where an event becomes state: operations call it right after
appending an event, and ``replay`` calls it for every event in order to rebuild the state
tables from the log alone.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..models import Answer, Comment, Event, Participant, Reaction, WorkshopSession


def canonical(value: dict) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def apply(db: Session, session: WorkshopSession, event: Event) -> None:
    handler = _HANDLERS.get(event.type)
    if handler is not None:
        handler(db, session, event)


def _scenario_chosen(_db, session, event):
    session.scenario_key = event.payload["scenario"]


def _stage_shown(_db, session, event):
    # A new stage starts closed and hidden, so early answers don't anchor later ones.
    session.stage_index = event.payload["index"]
    session.input_open = False
    session.revealed = False


def _setter(attribute: str, value: bool):
    def handler(_db, session, _event):
        setattr(session, attribute, value)

    return handler


def _session_ended(_db, session, event):
    session.status = "ended"
    session.input_open = False
    session.ended_at = event.at


def _participant_joined(db, _session, event):
    participant = db.get(Participant, event.participant_id)
    participant.sector = event.payload.get("sector")
    participant.display_name = event.payload.get("display_name")
    participant.withdrawn_at = None


def _participant_withdrew(db, session, event):
    participant = db.get(Participant, event.participant_id)
    participant.withdrawn_at = event.at
    participant.display_name = None
    participant.sector = None
    remove_contributions(db, session.id, event.participant_id)


def _answer_submitted(db, session, event):
    value = event.payload["value"]
    text = canonical(value)
    updated = db.execute(
        update(Answer)
        .where(
            Answer.session_id == session.id,
            Answer.stage_key == event.stage_key,
            Answer.participant_id == event.participant_id,
        )
        .values(value=text, seq=event.seq)
    ).rowcount
    if not updated:
        db.add(
            Answer(
                session_id=session.id,
                stage_key=event.stage_key,
                participant_id=event.participant_id,
                value=text,
                seq=event.seq,
            )
        )
    if "sector" in value:
        db.get(Participant, event.participant_id).sector = value["sector"]


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
    db.add(comment)
    if comment.id is None:
        # First time through: the comment's id is recorded in the event so that
        # reactions in the log keep pointing at it when the log is replayed.
        db.flush()
        event.payload = {**event.payload, "comment_id": comment.id}


def _comment_reacted(db, _session, event):
    comment_id = event.payload["comment_id"]
    comment = db.get(Comment, comment_id)
    if comment is None:
        return
    old = db.get(Reaction, (comment_id, event.participant_id))
    _count(comment, old.value if old else 0, -1)
    new_value = event.payload["reaction"]
    _count(comment, new_value, +1)
    if old is not None and new_value == 0:
        db.delete(old)
    elif old is not None:
        old.value = new_value
    elif new_value != 0:
        db.add(
            Reaction(comment_id=comment_id, participant_id=event.participant_id, value=new_value)
        )


def _count(comment: Comment, value: int, step: int) -> None:
    if value == 1:
        comment.agree += step
    elif value == -1:
        comment.disagree += step


def _comment_visibility(hidden: bool):
    def handler(db, _session, event):
        comment = db.get(Comment, event.payload["comment_id"])
        if comment is not None:
            comment.hidden = hidden

    return handler


_HANDLERS = {
    "scenario.chosen": _scenario_chosen,
    "stage.shown": _stage_shown,
    "input.opened": _setter("input_open", True),
    "input.closed": _setter("input_open", False),
    "results.revealed": _setter("revealed", True),
    "results.hidden": _setter("revealed", False),
    "session.ended": _session_ended,
    "participant.joined": _participant_joined,
    "participant.withdrew": _participant_withdrew,
    "answer.submitted": _answer_submitted,
    "comment.posted": _comment_posted,
    "comment.reacted": _comment_reacted,
    "comment.hidden": _comment_visibility(True),
    "comment.restored": _comment_visibility(False),
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
    session.stage_index = 0
    session.input_open = session.revealed = False
    session.status, session.ended_at = "live", None
    session.tables = None
    session.breakdown, session.screen_mode = "room", "auto"
    session.timer_ends_at = session.timer_remaining_ms = None
    session.timer_auto_close = False


def replay(db: Session, session: WorkshopSession) -> None:
    """Rebuild the session's state tables from its event log (not committed)."""
    comment_ids = select(Comment.id).where(Comment.session_id == session.id)
    db.execute(delete(Reaction).where(Reaction.comment_id.in_(comment_ids)))
    db.execute(delete(Comment).where(Comment.session_id == session.id))
    db.execute(delete(Answer).where(Answer.session_id == session.id))
    # Rows deleted in bulk may still sit in the identity map; forget them before re-adding.
    for stale in [
        o for o in db.identity_map.values() if isinstance(o, Answer | Comment | Reaction)
    ]:
        db.expunge(stale)
    _reset_session(session)
    events = db.scalars(
        select(Event).where(Event.session_id == session.id).order_by(Event.seq)
    ).all()
    for event in events:
        apply(db, session, event)
        db.flush()
