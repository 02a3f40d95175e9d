"""Every change to a session, as a named function. Nothing else writes session data.

Each operation locks the session, checks that the change is allowed, appends one event to
the log, applies it to the state tables (``projection.apply``) and commits, all in one
transaction: an acknowledged change is stored, a refused one leaves nothing behind.
Operations return the event's ``seq``; they know nothing of Socket.IO or HTTP.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import write_lock
from ..models import Comment, Event, Participant, WorkshopSession, utcnow
from ..plans import Plan
from . import payloads
from .codes import new_join_code, new_pseudonym
from .errors import Refused
from .plan_cache import plan_of
from .projection import apply

FACILITATOR = "facilitator"


@dataclass(frozen=True)
class Done:
    seq: int
    duplicate: bool = False  # a retry of a submission already stored
    comment_id: int | None = None


@contextmanager
def _locked(db: Session, session_id: int):
    """The session row, locked until commit; rolls back whatever fails inside."""
    with write_lock(db):
        try:
            session = db.execute(
                select(WorkshopSession)
                .where(WorkshopSession.id == session_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            ).scalar_one_or_none()
            if session is None:
                raise Refused("This session does not exist.")
            yield session
            db.commit()
        except BaseException:
            db.rollback()
            raise


def _append(
    db: Session,
    session: WorkshopSession,
    type_: str,
    *,
    actor: str = FACILITATOR,
    participant_id: int | None = None,
    stage_key: str | None = None,
    client_id: str | None = None,
    payload: dict | None = None,
) -> Event:
    session.last_seq += 1
    event = Event(
        session_id=session.id,
        seq=session.last_seq,
        at=utcnow(),
        actor=actor,
        participant_id=participant_id,
        type=type_,
        stage_key=stage_key,
        client_id=client_id,
        payload=payload or {},
    )
    db.add(event)
    apply(db, session, event)
    return event


def _already_stored(db: Session, session_id: int, client_id: str) -> int | None:
    return db.scalar(
        select(Event.seq).where(Event.session_id == session_id, Event.client_id == client_id)
    )


def _require_live(session: WorkshopSession) -> None:
    if session.status != "live":
        raise Refused("This session has ended.")


def _current_stage(session: WorkshopSession, plan: Plan):
    return plan.stages[session.stage_index]


def _open_stage(session: WorkshopSession, stage_key: str):
    """The current stage if it is ``stage_key`` and open for input."""
    _require_live(session)
    stage = _current_stage(session, plan_of(session))
    if stage.key != stage_key:
        raise Refused("The facilitator has moved on: this stage is no longer open.")
    if not session.input_open:
        raise Refused("Input is closed for this stage.")
    return stage


def _active_participant(db: Session, session: WorkshopSession, participant_id: int) -> Participant:
    participant = db.get(Participant, participant_id)
    if participant is None or participant.session_id != session.id:
        raise Refused("You are not part of this session.")
    if participant.withdrawn_at is not None:
        raise Refused("You have withdrawn from this session.")
    return participant


# Sessions and participants -------------------------------------------------------------


def create_session(
    db: Session, plan: Plan, facilitator_id: int | None, scenario_key: str | None = None
) -> WorkshopSession:
    if scenario_key is not None and plan.scenario(scenario_key) is None:
        raise Refused("That scenario is not in the plan.")
    with write_lock(db):
        for _ in range(20):
            session = WorkshopSession(
                code=new_join_code(),
                plan_slug=plan.slug,
                plan_title=plan.title,
                plan_source=plan.source,
                created_by_id=facilitator_id,
            )
            db.add(session)
            try:
                db.flush()
                break
            except IntegrityError:  # the code is taken; draw another
                db.rollback()
        else:
            raise Refused("Could not find a free join code; please try again.")
        _append(db, session, "session.created", payload={"plan": plan.slug})
        if scenario_key:
            _append(db, session, "scenario.chosen", payload={"scenario": scenario_key})
        db.commit()
    return session


def join(
    db: Session, session_id: int, sector: str | None, display_name: str | None = None
) -> Participant:
    display_name = payloads.clean_display_name(display_name)
    with _locked(db, session_id) as session:
        _require_live(session)
        if sector is not None and sector not in plan_of(session).sectors:
            raise Refused("Please choose one of the sectors listed.")
        for _ in range(20):
            pseudonym = new_pseudonym()
            taken = db.scalar(
                select(Participant.id).where(
                    Participant.session_id == session.id, Participant.pseudonym == pseudonym
                )
            )
            if not taken:
                break
        participant = Participant(session_id=session.id, pseudonym=pseudonym)
        db.add(participant)
        db.flush()
        _append(
            db,
            session,
            "participant.joined",
            actor=pseudonym,
            participant_id=participant.id,
            payload={"sector": sector, "display_name": display_name},
        )
    return participant


def withdraw(db: Session, session_id: int, participant_id: int) -> Done:
    """Remove everything a participant contributed; the log keeps only that they withdrew."""
    with _locked(db, session_id) as session:
        participant = _active_participant(db, session, participant_id)
        own_comments = select(Comment.id).where(
            Comment.session_id == session.id, Comment.participant_id == participant_id
        )
        comment_ids = [str(cid) for cid in db.scalars(own_comments)]
        # Their answers, comments and agreements leave the log too, as do others'
        # reactions to their comments (which point at text that no longer exists).
        reactions_to_theirs = [
            e.id
            for e in db.scalars(
                select(Event).where(Event.session_id == session.id, Event.type == "comment.reacted")
            )
            if str(e.payload.get("comment_id")) in comment_ids
        ]
        db.execute(
            delete(Event).where(
                Event.session_id == session.id,
                or_(
                    Event.id.in_(reactions_to_theirs),
                    (Event.participant_id == participant_id)
                    & Event.type.in_(("answer.submitted", "comment.posted", "comment.reacted")),
                ),
            )
        )
        for joined in db.scalars(
            select(Event).where(
                Event.participant_id == participant_id, Event.type == "participant.joined"
            )
        ):
            joined.payload = {"withdrawn": True}
        event = _append(
            db,
            session,
            "participant.withdrew",
            actor=participant.pseudonym,
            participant_id=participant_id,
        )
    return Done(event.seq)


# Participant input ---------------------------------------------------------------------


def record_answer(
    db: Session, session_id: int, participant_id: int, answer: payloads.AnswerPayload
) -> Done:
    with _locked(db, session_id) as session:
        stored = _already_stored(db, session.id, answer.client_id)
        if stored is not None:
            return Done(stored, duplicate=True)
        stage = _open_stage(session, answer.stage)
        participant = _active_participant(db, session, participant_id)
        value = payloads.clean_answer(stage.activity, plan_of(session), answer.value)
        event = _append(
            db,
            session,
            "answer.submitted",
            actor=participant.pseudonym,
            participant_id=participant_id,
            stage_key=stage.key,
            client_id=answer.client_id,
            payload={"value": value},
        )
    return Done(event.seq)


def post_comment(
    db: Session, session_id: int, participant_id: int, comment: payloads.CommentPayload
) -> Done:
    with _locked(db, session_id) as session:
        stored = _already_stored(db, session.id, comment.client_id)
        if stored is not None:
            event = db.scalar(
                select(Event).where(Event.session_id == session.id, Event.seq == stored)
            )
            return Done(stored, duplicate=True, comment_id=event.payload.get("comment_id"))
        stage = _open_stage(session, comment.stage)
        if not stage.takes_comments:
            raise Refused("This stage does not take comments.")
        participant = _active_participant(db, session, participant_id)
        text = payloads.clean_comment_text(comment.text, stage.activity.max_length)
        event = _append(
            db,
            session,
            "comment.posted",
            actor=participant.pseudonym,
            participant_id=participant_id,
            stage_key=stage.key,
            client_id=comment.client_id,
            payload={"text": text},
        )
    return Done(event.seq, comment_id=event.payload["comment_id"])


def react(
    db: Session, session_id: int, participant_id: int, reaction: payloads.ReactionPayload
) -> Done:
    with _locked(db, session_id) as session:
        stored = _already_stored(db, session.id, reaction.client_id)
        if stored is not None:
            return Done(stored, duplicate=True)
        comment = db.get(Comment, reaction.comment_id)
        if comment is None or comment.session_id != session.id or comment.hidden:
            raise Refused("That comment is not available.")
        _open_stage(session, comment.stage_key)
        participant = _active_participant(db, session, participant_id)
        if comment.participant_id == participant_id:
            raise Refused("You cannot agree or disagree with your own comment.")
        event = _append(
            db,
            session,
            "comment.reacted",
            actor=participant.pseudonym,
            participant_id=participant_id,
            stage_key=comment.stage_key,
            client_id=reaction.client_id,
            payload={"comment_id": comment.id, "reaction": reaction.reaction},
        )
    return Done(event.seq)


# Facilitator controls ------------------------------------------------------------------


def go_to_stage(db: Session, session_id: int, index: int) -> Done:
    with _locked(db, session_id) as session:
        _require_live(session)
        stages = plan_of(session).stages
        if not 0 <= index < len(stages):
            raise Refused(f"There is no stage {index + 1}; the plan has {len(stages)}.")
        event = _append(
            db, session, "stage.shown", stage_key=stages[index].key, payload={"index": index}
        )
    return Done(event.seq)


def _control(type_: str, *, needs: str | None = None):
    """A facilitator control that appends one event about the current stage."""

    def operation(db: Session, session_id: int) -> Done:
        with _locked(db, session_id) as session:
            _require_live(session)
            stage = _current_stage(session, plan_of(session))
            if needs == "input" and not (stage.activity.answerable or stage.takes_comments):
                raise Refused("This stage takes no input.")
            event = _append(db, session, type_, stage_key=stage.key)
        return Done(event.seq)

    operation.__name__ = type_.replace(".", "_")
    return operation


open_input = _control("input.opened", needs="input")
close_input = _control("input.closed", needs="input")
reveal_results = _control("results.revealed")
hide_results = _control("results.hidden")


def choose_scenario(db: Session, session_id: int, scenario_key: str) -> Done:
    with _locked(db, session_id) as session:
        _require_live(session)
        if plan_of(session).scenario(scenario_key) is None:
            raise Refused("That scenario is not in the plan.")
        event = _append(db, session, "scenario.chosen", payload={"scenario": scenario_key})
    return Done(event.seq)


def _moderate(type_: str):
    def operation(db: Session, session_id: int, comment_id: int) -> Done:
        with _locked(db, session_id) as session:
            comment = db.get(Comment, comment_id)
            if comment is None or comment.session_id != session.id:
                raise Refused("That comment does not exist.")
            event = _append(
                db, session, type_, stage_key=comment.stage_key, payload={"comment_id": comment_id}
            )
        return Done(event.seq)

    return operation


hide_comment = _moderate("comment.hidden")
restore_comment = _moderate("comment.restored")


def end_session(db: Session, session_id: int) -> Done:
    with _locked(db, session_id) as session:
        _require_live(session)
        event = _append(db, session, "session.ended")
    return Done(event.seq)
