"""Whether a stage's results are shown, when it need not be the room's current stage (a
projector pinned to it: live/pinned.py).

While it is the current stage, exactly when the room sees them (``session.revealed``).
Otherwise, when the facilitator's last reveal or hide of that stage was a reveal: results
revealed earlier stay up after the room moves on, and results never revealed (or hidden
again) stay hidden, so nobody is shown anything the facilitator has not chosen to show.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Event, WorkshopSession
from .plan_cache import plan_of


def stage_revealed(db: Session, session: WorkshopSession, stage_key: str) -> bool:
    """Whether ``stage_key``'s results are shown (see the module)."""
    plan = plan_of(session)
    if plan.stages[session.stage_index].key == stage_key:
        return bool(session.revealed)
    last = db.scalar(
        select(Event.type)
        .where(
            Event.session_id == session.id,
            Event.stage_key == stage_key,
            Event.type.in_(("results.revealed", "results.hidden")),
        )
        .order_by(Event.seq.desc())
        .limit(1)
    )
    return last == "results.revealed"
