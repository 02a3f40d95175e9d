"""The operations that make and change a self-paced run (runs.py holds its rules).

Like operations.py: each locks the session, checks, appends its event and commits.
Invitation codes are access control, not the transcript: they are rows of their own, and
the log only says that a participant joined by invitation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import clock
from ..errors import Refused
from ..models import Invitation, Participant, WorkshopSession
from ..plans import Plan
from . import runs
from .codes import new_invitation_code
from .operations import SYSTEM, Done, _append, _taking_part, create_session, locked
from .plan_cache import plan_of

MAX_INVITATIONS = 5000  # per run; a citizens' panel is hundreds
MAX_BATCH = 1000  # made at once


def _check_window(opens_at: datetime, closes_at: datetime, now: datetime) -> None:
    if opens_at.tzinfo is None or closes_at.tzinfo is None:
        raise Refused("A run's dates need a time zone.")
    if closes_at <= opens_at:
        raise Refused("The closing date must be after the opening date.")
    if closes_at <= now:
        raise Refused("The closing date must be in the future.")
    if closes_at - now > timedelta(days=runs.MAX_RUN_DAYS) or (
        closes_at - opens_at > timedelta(days=runs.MAX_RUN_DAYS)
    ):
        raise Refused(f"A run can stay open for at most {runs.MAX_RUN_DAYS} days.")


def publish_run(
    db: Session,
    plan: Plan,
    facilitator_id: int | None,
    *,
    opens_at: datetime,
    closes_at: datetime,
    settings: runs.RunSettings,
    scenario_key: str | None = None,
) -> WorkshopSession:
    """A new self-paced run of ``plan``, open from ``opens_at`` until ``closes_at``."""
    _check_window(opens_at, closes_at, clock.now())
    scheduled = {
        "opens_at": opens_at.isoformat(),
        "closes_at": closes_at.isoformat(),
        "settings": settings.as_json(),
    }
    return create_session(
        db, plan, facilitator_id, scenario_key, settings=[("run.scheduled", scheduled)]
    )


def extend_run(db: Session, session_id: int, closes_at: datetime) -> Done:
    """Move the closing date; a run closed (early or by its date) opens again until then."""
    with locked(db, session_id) as session:
        _require_run(session)
        _check_window(clock.aware(session.opens_at), closes_at, clock.now())
        event = _append(db, session, "run.extended", payload={"closes_at": closes_at.isoformat()})
    return Done(event.seq)


def close_run(db: Session, session_id: int) -> Done:
    """Close the run now, before its closing date."""
    with locked(db, session_id) as session:
        _require_run(session)
        if session.status == "ended":
            raise Refused("This run is already closed.")
        event = _append(db, session, "session.ended", payload={"run": "closed early"})
    return Done(event.seq)


def close_expired_runs(db: Session, now: datetime | None = None) -> list[int]:
    """End every run whose closing date has passed (a tick of the background loop), so
    its retention period starts and its pages say it closed. The ids of those ended."""
    now = now or clock.now()
    due = db.scalars(
        select(WorkshopSession.id).where(
            WorkshopSession.pace == runs.SELF,
            WorkshopSession.status == "live",
            WorkshopSession.closes_at <= now,
        )
    ).all()
    ended = []
    for session_id in due:
        with locked(db, session_id) as session:
            closes_at = clock.aware(session.closes_at)
            if session.status != "live" or closes_at is None or closes_at > now:
                continue  # extended or closed meanwhile
            _append(db, session, "session.ended", actor=SYSTEM, payload={"run": "closing date"})
            ended.append(session_id)
    return ended


def _require_run(session: WorkshopSession) -> None:
    if not runs.is_run(session):
        raise Refused("This session is not a self-paced run.")
    if session.status == "archived" or session.purged_at is not None:
        raise Refused("This run is archived: it can no longer be changed.")


def pace_to(db: Session, session_id: int, participant_id: int, index: int) -> Done:
    """The participant moves to stage ``index`` (Back, Next, or back to a stage they
    reached): at most one past the furthest they reached. Moving to where they are
    already is not an event."""
    with locked(db, session_id) as session:
        if not runs.is_run(session):
            raise Refused("The facilitator moves this workshop from stage to stage.")
        participant = _taking_part(db.get(Participant, participant_id), session)
        stages = plan_of(session).stages
        if not 0 <= index < len(stages):
            raise Refused("There is no such question.")
        if index > participant.furthest_index + 1:
            raise Refused("Please answer the questions in order.")
        if index == participant.stage_index:
            return Done(session.last_seq, duplicate=True)
        refusal = runs.window_refusal(session)
        if refusal is not None:
            raise Refused(refusal)
        event = _append(
            db,
            session,
            "participant.paced",
            actor=participant.pseudonym,
            participant_id=participant.id,
            stage_key=stages[index].key,  # the transcript names the stage they went to
            payload={"index": index},
        )
    return Done(event.seq)


def create_invitations(db: Session, session_id: int, count: int) -> list[str]:
    """``count`` new single-use invitation codes for the run (its own rows, not events)."""
    if not 1 <= count <= MAX_BATCH:
        raise Refused(f"Make between 1 and {MAX_BATCH} invitations at a time.")
    with locked(db, session_id) as session:
        _require_run(session)
        made = db.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.session_id == session.id)
        )
        if made + count > MAX_INVITATIONS:
            raise Refused(
                f"A run can have at most {MAX_INVITATIONS} invitations ({made} made so far)."
            )
        codes = []
        for _ in range(count):
            for _attempt in range(20):
                code = new_invitation_code()
                try:
                    with db.begin_nested():
                        db.add(Invitation(session_id=session.id, code=code))
                        db.flush()
                except IntegrityError:  # taken by another run: draw again
                    continue
                codes.append(code)
                break
            else:
                raise Refused("Could not make unique invitation codes; please try again.")
    return codes


def invitations(db: Session, session_id: int) -> list[Invitation]:
    return list(
        db.scalars(
            select(Invitation).where(Invitation.session_id == session_id).order_by(Invitation.id)
        )
    )
