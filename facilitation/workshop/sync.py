"""What a client is sent when it connects or reconnects (the ``sync`` event), as far as the
workshop decides it: the session's state and what each role sees besides. The transport
adds the live messages (results, comments) and the console's links."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..db import row_by_id
from ..models import Participant, WorkshopSession
from .breakouts import people_message
from .notes import sync_extras as note_sync_extras
from .plan_cache import plan_of
from .state import (
    console_state,
    own_comment_ids,
    participant_view,
    phone_state,
    session_state,
    stage_list,
)


def sync_view(
    db: Session,
    session: WorkshopSession,
    role: str,
    *,
    participant_id: int | None = None,
    label: str | None = None,
) -> dict:
    """The ``sync`` reply's fields for ``role`` (a participant's: its own answers and
    comments; a facilitator's: the plan's stages and scenarios and who takes part; notes
    for every role but participants)."""
    state = console_state(session) if role == "facilitator" else session_state(session)
    if role == "participant":
        state = phone_state(session, state)
    reply = {"seq": session.last_seq, "state": state}
    if role == "participant":
        participant = row_by_id(db, Participant, participant_id)
        reply["me"] = participant_view(db, participant)
        reply["own_comments"] = own_comment_ids(db, session, participant.id)
    if role == "facilitator":
        plan = plan_of(session)
        reply["stages"] = stage_list(plan)
        reply["scenarios"] = [{"key": s.key, "title": s.title} for s in plan.scenarios]
        reply["people"] = people_message(db, session)
    reply.update(note_sync_extras(db, session, role, label))
    return reply
