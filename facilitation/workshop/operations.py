"""Every change to a session, as a named function. Nothing else writes session data.

Each operation locks the session, checks that the change is allowed, appends one event to
the log, applies it to the state tables (``projection.apply``) and commits, all in one
transaction: an acknowledged change is stored, a refused one leaves nothing behind.
Operations return the event's ``seq``; they know nothing of Socket.IO or HTTP.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import clock
from ..activities import activity_type
from ..db import forget_deleted, locked_row, row_by_id, transaction, write_lock
from ..errors import Refused
from ..models import Comment, Event, Invitation, Note, Participant, WorkshopSession
from ..plans import Plan
from ..plans.model import FLOW_INPUT, FLOW_REVEAL
from ..slides import plan_decks, session_pages
from . import breakouts, flow, moderation, payloads, runs, timer
from .codes import new_join_code, new_pseudonym, normalise_invitation
from .identity import NOTES_LINK_REPLACED, link_generation
from .notes import FACILITATOR_AUTHOR, NOTETAKER_ACTOR
from .plan_cache import plan_of
from .projection import apply, apply_answers
from .reveals import stage_revealed

FACILITATOR = "facilitator"
SYSTEM = "system"  # what the server does by itself (a countdown closing input)


@dataclass(frozen=True)
class Done:
    seq: int
    duplicate: bool = False  # a retry of a submission already stored
    comment_id: int | None = None
    note_id: int | None = None


@contextmanager
def locked(db: Session, session_id: int):
    """The session row, locked until commit; rolls back whatever fails inside."""
    with transaction(db):
        session = locked_row(db, WorkshopSession, session_id)
        if session is None:
            raise Refused("This session does not exist.")
        yield session


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
        at=clock.now(),
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


def _already_stored(db: Session, session_id: int, sender: str, client_id: str) -> Event | None:
    """The event an earlier submission with this client id from the same sender stored (so
    this one is a retry). ``sender`` is the event's actor (a participant's pseudonym,
    "facilitator" or "notetaker:<label>"), the key of ``uq_event_sender_client``: another
    phone sending the same client id is someone else's submission, not a retry."""
    return db.scalar(
        select(Event).where(
            Event.session_id == session_id, Event.actor == sender, Event.client_id == client_id
        )
    )


# Why participants cannot take part, by session status (docs/running-a-workshop.md, "Pause, end").
_NOT_LIVE = {
    "draft": "This workshop has not started yet.",
    "paused": "The facilitator has paused the workshop.",
}


def _require_live(session: WorkshopSession) -> None:
    if session.status != "live":
        raise Refused(_NOT_LIVE.get(session.status, "This session has ended."))


def _require_running(session: WorkshopSession) -> None:
    """Facilitator controls work in a draft, live or paused session, not once it ended,
    and never in a self-paced run (each person moves on by themselves)."""
    _require_facilitated(session)
    if session.status not in ("draft", "live", "paused"):
        raise Refused("This session has ended.")


def _require_facilitated(session: WorkshopSession) -> None:
    """Stepping, pausing and starting are a facilitator's in a room; a self-paced run has
    none of them (it opens and closes by its dates: run_operations.py)."""
    if runs.is_run(session):
        raise Refused(
            "Nobody steps a self-paced run through its stages: people go at their own pace."
        )


def _current_stage(session: WorkshopSession, plan: Plan):
    return plan.stages[session.stage_index]


def _open_stage(session: WorkshopSession, stage_key: str, participant: Participant):
    """The stage ``stage_key`` if the participant may answer it now: in a live session, the
    current stage while its input is open; in a self-paced run, any stage they reached
    while the run is open (runs.answerable_stage)."""
    if runs.is_run(session):
        return runs.answerable_stage(session, participant, stage_key)
    _require_live(session)
    stage = _current_stage(session, plan_of(session))
    if stage.key != stage_key:
        raise Refused("The facilitator has moved on: this stage is no longer open.")
    if not session.input_open:
        raise Refused("Input is closed for this stage.")
    return stage


def _active_participant(db: Session, session: WorkshopSession, participant_id: int) -> Participant:
    return _taking_part(row_by_id(db, Participant, participant_id), session)


def _taking_part(participant: Participant | None, session: WorkshopSession) -> Participant:
    if participant is None or participant.session_id != session.id:
        raise Refused("You are not part of this session.")
    if participant.withdrawn_at is not None:
        raise Refused("You have withdrawn from this session.")
    return participant


# Sessions and participants -------------------------------------------------------------


def create_session(
    db: Session,
    plan: Plan,
    facilitator_id: int | None,
    scenario_key: str | None = None,
    *,
    draft: bool = False,
    settings: list[tuple[str, dict]] = (),
    origin: str | None = None,
) -> WorkshopSession:
    """A new session of ``plan``: live at once, or a ``draft`` phones cannot join until
    the facilitator starts it. ``settings`` are further events (type, payload) recorded
    in the same transaction; ``origin`` the code of the session it duplicates."""
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
        plan_decks.copy_to_session(db, plan, session, origin)  # refused if a deck is missing
        created = {"plan": plan.slug}
        if draft:
            created["status"] = "draft"
        if origin:
            created["duplicate_of"] = origin
        _append(db, session, "session.created", payload=created)
        if scenario_key:
            _append(db, session, "scenario.chosen", payload={"scenario": scenario_key})
        for type_, payload in settings:
            _append(db, session, type_, payload=payload)
        first = session_pages.stage_pages(db, session, plan.stages[0])
        if first is not None and not runs.is_run(session):
            _show_page(db, session, first, 0)  # a plan that opens on slides: the room's page 1
        db.commit()
    return session


def join(
    db: Session,
    session_id: int,
    sector: str | None,
    display_name: str | None = None,
    table: str | None = None,
    name_consent: bool = False,
    invitation: str | None = None,
) -> Participant:
    """``name_consent``: the participant allows their display name in research exports;
    ``invitation``: the code that lets them into a run open by invitation only."""
    display_name = payloads.clean_display_name(display_name)
    with locked(db, session_id) as session:
        if runs.is_run(session):
            refusal = runs.window_refusal(session)
            if refusal is not None:
                raise Refused(refusal)
        elif session.status != "paused":  # people arriving during a break may join
            _require_live(session)
        invited = None
        if runs.is_run(session) and runs.RunSettings.of(session).invitation_only:
            invited = _unused_invitation(db, session, invitation)
        if sector is not None and sector not in plan_of(session).sectors:
            raise Refused("Please choose one of the sectors listed.")
        moderation.check_display_name(plan_of(session), display_name)
        if table is not None and table not in breakouts.effective_tables(session):
            raise Refused("Please choose one of the tables listed.")
        for _ in range(20):
            pseudonym = new_pseudonym()
            taken = db.scalar(
                select(Participant.id).where(
                    Participant.session_id == session.id, Participant.pseudonym == pseudonym
                )
            )
            if not taken:
                break
        # Made as the joined event's projection leaves it, so that applying the event
        # changes nothing and the commit writes no UPDATE of the row just inserted.
        participant = Participant(
            session_id=session.id,
            pseudonym=pseudonym,
            sector=sector,
            display_name=display_name,
            table_key=table,
            name_consent=bool(name_consent),
            withdrawn_at=None,
        )
        db.add(participant)
        db.flush()
        _append(
            db,
            session,
            "participant.joined",
            actor=pseudonym,
            participant_id=participant.id,
            payload={
                "sector": sector,
                "display_name": display_name,
                "table": table,
                "name_consent": bool(name_consent),
                **({"invited": True} if invited is not None else {}),
            },
        )
        if invited is not None:
            invited.used = True  # and neither when nor by whom (models.Invitation)
        if sector is not None:
            _answer_sector_stages(db, session, participant, sector)
    return participant


# The refusals of an invitation code: the join page shows them next to its field.
INVITATION_NOT_VALID = "That invitation code is not valid for this consultation."
INVITATION_USED = "That invitation code has already been used."


def _unused_invitation(db: Session, session: WorkshopSession, code: str | None) -> Invitation:
    """The run's invitation with ``code``, if nobody has used it yet."""
    found = None
    if code:
        found = db.scalar(
            select(Invitation).where(
                Invitation.session_id == session.id,
                Invitation.code == normalise_invitation(code),
            )
        )
    if found is None:
        raise Refused(INVITATION_NOT_VALID)
    if found.used:
        raise Refused(INVITATION_USED)
    return found


def _answer_sector_stages(
    db: Session, session: WorkshopSession, participant: Participant, sector: str
) -> None:
    """The sector chosen at join is the participant's answer to every sector stage of the
    plan, so they are never asked twice: an ``answer.submitted`` per stage, in the join's
    transaction, like any answer (counted in the results and the report, exported,
    replayed, removed by a withdrawal; a later answer at the stage replaces it). No
    client id: the join is not retried by the phone's resend loop."""
    plan = plan_of(session)
    for stage in plan.stages:
        kind = activity_type(stage.activity.type)
        if kind.records_sector:
            value = kind.clean(stage.activity, plan, {"sector": sector})
            _append(
                db,
                session,
                "answer.submitted",
                actor=participant.pseudonym,
                participant_id=participant.id,
                stage_key=stage.key,
                payload={"value": value},
            )


def withdraw(db: Session, session_id: int, participant_id: int) -> Done:
    """Remove everything a participant contributed; the log keeps only that they withdrew."""
    with locked(db, session_id) as session:
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
                    & Event.type.in_(
                        (
                            "answer.submitted",
                            "comment.posted",
                            "comment.reacted",
                            "participant.moved",  # where they sat goes too
                            "participant.paced",  # and how far they went in a run
                        )
                    ),
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
    forget_deleted(db)  # committed: now off the disk too (SQLite's -wal file)
    return Done(event.seq)


# Participant input ---------------------------------------------------------------------


def record_answer(
    db: Session, session_id: int, participant_id: int, answer: payloads.AnswerPayload
) -> Done:
    outcome = record_answers(db, session_id, [(participant_id, answer)])[0]
    if isinstance(outcome, Refused):
        raise outcome
    return outcome


def record_answers(
    db: Session, session_id: int, submissions: list[tuple[int, payloads.AnswerPayload]]
) -> list[Done | Refused]:
    """Several answers to one session in one transaction: one lock, one commit.

    This is the group commit behind a burst of votes (live/answer_writer.py). Each answer
    is checked exactly as a single one would be; a refused answer comes back as its
    ``Refused`` and the others are still stored. Outcomes are in ``submissions``' order.
    The accepted answers' events are written with one INSERT and projected with one upsert
    (``projection.apply_answers``): in a burst, per-answer ORM objects and statements were
    most of the server's work.
    """
    outcomes: list[Done | Refused] = []
    with locked(db, session_id) as session:
        plan = plan_of(session)
        # One query loads every sender, not one query per answer.
        senders = {
            participant.id: participant
            for participant in db.scalars(
                select(Participant).where(Participant.id.in_({pid for pid, _ in submissions}))
            )
        }
        # Earlier submissions, keyed like _already_stored: by sender and client id.
        stored = {
            (actor, client_id): seq
            for actor, client_id, seq in db.execute(
                select(Event.actor, Event.client_id, Event.seq).where(
                    Event.session_id == session.id,
                    Event.actor.in_({p.pseudonym for p in senders.values()}),
                    Event.client_id.in_({answer.client_id for _, answer in submissions}),
                )
            )
        }
        events: list[dict] = []
        for participant_id, answer in submissions:
            try:
                participant = _taking_part(senders.get(participant_id), session)
                key = (participant.pseudonym, answer.client_id)
                if key in stored:
                    outcomes.append(Done(stored[key], duplicate=True))
                    continue
                stage = _open_stage(session, answer.stage, participant)
                activity = stage.activity
                value = activity_type(activity.type).clean(activity, plan, answer.value)
            except Refused as refusal:
                outcomes.append(refusal)
                continue
            event = _answer_event(session, participant, stage.key, answer.client_id, value)
            events.append(event)
            stored[key] = event["seq"]
            outcomes.append(Done(event["seq"]))
        if events:
            # The table, not the class: one plain Core executemany, not the ORM's bulk path.
            db.execute(insert(Event.__table__), events)
            apply_answers(db, session, events)
    return outcomes


def _answer_event(
    session: WorkshopSession, participant: Participant, stage_key: str, client_id: str, value
) -> dict:
    """An answer.submitted event as a row of the log: what ``_append`` makes, without the
    ORM object (the batch is inserted in one statement)."""
    session.last_seq += 1
    return {
        "session_id": session.id,
        "seq": session.last_seq,
        "at": clock.now(),
        "actor": participant.pseudonym,
        "participant_id": participant.id,
        "type": "answer.submitted",
        "stage_key": stage_key,
        "client_id": client_id,
        "payload": {"value": value},
    }


def post_comment(
    db: Session, session_id: int, participant_id: int, comment: payloads.CommentPayload
) -> Done:
    with locked(db, session_id) as session:
        participant = _active_participant(db, session, participant_id)
        earlier = _already_stored(db, session.id, participant.pseudonym, comment.client_id)
        if earlier is not None:
            return Done(earlier.seq, duplicate=True, comment_id=earlier.payload.get("comment_id"))
        stage = _open_stage(session, comment.stage, participant)
        if runs.is_run(session) and not activity_type(stage.activity.type).always_comments:
            runs.require_comments(session)  # an open question's answers are its comments
        if not stage.takes_comments:
            raise Refused("This stage does not take comments.")
        text = payloads.clean_comment_text(comment.text, stage.activity.max_length)
        moderation.check_for_plan(plan_of(session), text)
        event = _append(
            db,
            session,
            "comment.posted",
            actor=participant.pseudonym,
            participant_id=participant_id,
            stage_key=stage.key,
            client_id=comment.client_id,
            payload={"text": text, **_awaiting(session)},
        )
    return Done(event.seq, comment_id=event.payload["comment_id"])


def _awaiting(session: WorkshopSession) -> dict:
    """A new comment's mark when it waits for a moderator (a run that approves first)."""
    if runs.is_run(session) and runs.RunSettings.of(session).approve_comments:
        return {"awaiting": True}
    return {}


def react(
    db: Session, session_id: int, participant_id: int, reaction: payloads.ReactionPayload
) -> Done:
    with locked(db, session_id) as session:
        participant = _active_participant(db, session, participant_id)
        earlier = _already_stored(db, session.id, participant.pseudonym, reaction.client_id)
        if earlier is not None:
            return Done(earlier.seq, duplicate=True)
        comment = db.get(Comment, reaction.comment_id)
        if comment is None or comment.session_id != session.id or comment.hidden:
            raise Refused("That comment is not available.")
        stage = _open_stage(session, comment.stage_key, participant)
        if runs.is_run(session):
            runs.require_comments(session)
        if reaction.is_pass and not activity_type(stage.activity.type).pass_allowed:
            raise Refused("You can pass only on statements; agree or disagree instead.")
        if comment.participant_id == participant_id:
            raise Refused("You cannot agree or disagree with your own comment.")
        content = {"comment_id": comment.id, "reaction": reaction.reaction}
        if reaction.is_pass:
            content["pass"] = True  # a stored 0, unlike "none" (0 without it) which takes back
        event = _append(
            db,
            session,
            "comment.reacted",
            actor=participant.pseudonym,
            participant_id=participant_id,
            stage_key=comment.stage_key,
            client_id=reaction.client_id,
            payload=content,
        )
    return Done(event.seq)


# Facilitator controls ------------------------------------------------------------------


def go_to_stage(db: Session, session_id: int, index: int) -> Done:
    with locked(db, session_id) as session:
        _require_running(session)
        event = _show_stage(db, session, index)
    return Done(event.seq)


def _show_stage(db: Session, session: WorkshopSession, index: int, *, last_page=False) -> Event:
    """Show stage ``index``, closed for input; its results as the room last saw them, so
    going back to a stage whose chart was revealed shows the chart again. A slides stage
    opens on its first page, or with ``last_page`` on its last (stepping back into it)."""
    stages = plan_of(session).stages
    if not 0 <= index < len(stages):
        raise Refused(f"There is no stage {index + 1}; the plan has {len(stages)}.")
    payload = {"index": index}
    if stage_revealed(db, session, stages[index].key):
        payload["revealed"] = True
    event = _append(db, session, "stage.shown", stage_key=stages[index].key, payload=payload)
    pages = session_pages.stage_pages(db, session, stages[index])
    if pages is not None:
        event = _show_page(db, session, pages, pages.count - 1 if last_page else 0)
    return event


def _show_page(db: Session, session: WorkshopSession, pages, index: int) -> Event:
    """A ``slide.shown`` for page ``index`` of the current (slides) stage: which page of the
    deck and its text, so the transcript says what the room saw (docs/protocol.md)."""
    stage = _current_stage(session, plan_of(session))
    payload = {
        "index": index,
        "page": pages.number(index),
        "of": pages.count,
        "deck": pages.deck_name,
        "text": session_pages.page_text(db, pages, index),
    }
    return _append(db, session, "slide.shown", stage_key=stage.key, payload=payload)


def back_press(db: Session, session_id: int) -> tuple[str, Done]:
    """The console's back key: the previous page of a slides stage past its first page,
    else the previous stage (a slides stage on its last page, as a presenter expects).
    Returns what it did ("page" or "stage") and the event's seq."""
    with locked(db, session_id) as session:
        _require_running(session)
        stage = _current_stage(session, plan_of(session))
        pages = session_pages.stage_pages(db, session, stage)
        if pages is not None and session.page_index > 0:
            index = min(session.page_index, pages.count) - 1
            return flow.PAGE, Done(_show_page(db, session, pages, index).seq)
        if session.stage_index == 0:
            raise Refused("This is the first stage of the plan.")
        event = _show_stage(db, session, session.stage_index - 1, last_page=True)
    return "stage", Done(event.seq)


def _control(type_: str, *, needs: str | None = None):
    """A facilitator control that appends one event about the current stage."""

    def operation(db: Session, session_id: int) -> Done:
        with locked(db, session_id) as session:
            _require_running(session)
            stage = _current_stage(session, plan_of(session))
            if needs == "input" and not (stage.activity.answerable or stage.takes_comments):
                raise Refused("This stage takes no input.")
            event = _append(db, session, type_, stage_key=stage.key)
        return Done(event.seq)

    operation.__name__ = type_.replace(".", "_")
    return operation


open_input = _control("input.opened", needs="input")
reveal_results = _control("results.revealed")
hide_results = _control("results.hidden")


def close_input(db: Session, session_id: int) -> Done:
    """Close the stage's input; with the flow's ``reveal: on_close``, reveal its results too."""
    with locked(db, session_id) as session:
        _require_running(session)
        stage = _current_stage(session, plan_of(session))
        if not flow.takes_input(stage):
            raise Refused("This stage takes no input.")
        event = _append(db, session, "input.closed", stage_key=stage.key)
        event = _reveal_on_close(db, session, stage) or event
    return Done(event.seq)


def _reveal_on_close(db: Session, session: WorkshopSession, stage, actor: str = FACILITATOR):
    """The ``results.revealed`` event a closing of input brings with ``reveal: on_close``."""
    if session.revealed or not flow.has_results(stage):
        return None
    if flow.session_flow(db, session).reveal != "on_close":
        return None
    return _append(db, session, "results.revealed", actor=actor, stage_key=stage.key)


def next_press(db: Session, session_id: int) -> tuple[str, Done]:
    """One press of the console's big button (or its keys): what the flow says comes next
    on this stage (workshop/flow.py ``next_action``), done. Returns what it did and the
    last event's seq."""
    with locked(db, session_id) as session:
        _require_running(session)
        plan = plan_of(session)
        stage = _current_stage(session, plan)
        current = flow.session_flow(db, session)
        action = flow.current_action(db, session, current)
        if action == flow.END:
            raise Refused("This is the last stage of the plan.")
        if action == flow.PAGE:
            pages = session_pages.stage_pages(db, session, stage)
            event = _show_page(db, session, pages, session.page_index + 1)
        elif action == flow.NEXT:
            event = _show_stage(db, session, session.stage_index + 1)
            shown = _current_stage(session, plan)
            if current.input == "on_show" and flow.takes_input(shown) and not session.revealed:
                event = _append(db, session, "input.opened", stage_key=shown.key)
        elif action == flow.OPEN:
            event = _append(db, session, "input.opened", stage_key=stage.key)
        else:
            event = None
            if action in (flow.CLOSE, flow.CLOSE_REVEAL):
                event = _append(db, session, "input.closed", stage_key=stage.key)
            if action in (flow.CLOSE_REVEAL, flow.REVEAL):
                event = _append(db, session, "results.revealed", stage_key=stage.key)
    return action, Done(event.seq)


def set_flow(db: Session, session_id: int, input_: str | None, reveal: str | None) -> Done:
    """The session's own flow settings over the plan's (``None`` leaves one as it is)."""
    if input_ is not None and input_ not in FLOW_INPUT:
        raise Refused(f"'input' must be {' or '.join(FLOW_INPUT)}.")
    if reveal is not None and reveal not in FLOW_REVEAL:
        raise Refused(f"'reveal' must be {' or '.join(FLOW_REVEAL)}.")
    with locked(db, session_id) as session:
        _require_running(session)
        current = flow.session_flow(db, session)
        payload = {"input": input_ or current.input, "reveal": reveal or current.reveal}
        event = _append(db, session, "flow.set", payload=payload)
    return Done(event.seq)


def choose_scenario(db: Session, session_id: int, scenario_key: str) -> Done:
    with locked(db, session_id) as session:
        _require_running(session)
        if plan_of(session).scenario(scenario_key) is None:
            raise Refused("That scenario is not in the plan.")
        event = _append(db, session, "scenario.chosen", payload={"scenario": scenario_key})
    return Done(event.seq)


def _moderate(type_: str, not_hidden: str | None = None):
    """An operation on one comment of the session, recorded as ``type_``; with
    ``not_hidden``, refused with that message when the comment is hidden."""

    def operation(db: Session, session_id: int, comment_id: int) -> Done:
        with locked(db, session_id) as session:
            if session.status == "archived":
                raise Refused("This session is archived: it can no longer be changed.")
            comment = db.get(Comment, comment_id)
            if comment is None or comment.session_id != session.id:
                raise Refused("That comment does not exist.")
            if not_hidden is not None and comment.hidden:
                raise Refused(not_hidden)
            event = _append(
                db, session, type_, stage_key=comment.stage_key, payload={"comment_id": comment_id}
            )
        return Done(event.seq)

    operation.__name__ = type_.replace(".", "_")
    return operation


hide_comment = _moderate("comment.hidden")
restore_comment = _moderate("comment.restored")


def end_session(db: Session, session_id: int) -> Done:
    with locked(db, session_id) as session:
        _require_running(session)
        event = _append(db, session, "session.ended")
    return Done(event.seq)


# Breakout tables and breakdowns ---------------------------------------------------------


def _require_open_session(session: WorkshopSession) -> None:
    """Tables and breakdowns can be arranged before, during and between parts of a session."""
    if session.status in ("ended", "archived"):
        raise Refused("This session has ended.")


def set_tables(db: Session, session_id: int, names: list[str] | None) -> Done:
    """The session's own table list (``None``: the plan's again). People at a table that is
    no longer listed are left without a table until they are moved."""
    names = breakouts.clean_tables(names)
    with locked(db, session_id) as session:
        _require_open_session(session)
        event = _append(db, session, "tables.set", payload={"tables": names})
    return Done(event.seq)


def move_participant(db: Session, session_id: int, pseudonym: str, table: str | None) -> Done:
    with locked(db, session_id) as session:
        _require_open_session(session)
        participant = db.scalar(
            select(Participant).where(
                Participant.session_id == session.id, Participant.pseudonym == pseudonym
            )
        )
        if participant is None:
            raise Refused("Nobody in this session has that pseudonym.")
        if participant.withdrawn_at is not None:
            raise Refused("That participant has withdrawn from the session.")
        if table is not None and table not in breakouts.effective_tables(session):
            raise Refused("That table is not in this session's list.")
        event = _append(
            db,
            session,
            "participant.moved",
            participant_id=participant.id,
            payload={"pseudonym": pseudonym, "table": table},
        )
    return Done(event.seq)


def set_breakdown(db: Session, session_id: int, breakdown: str) -> Done:
    """Show results for the whole room, by sector, by table or by opinion group (the map
    of a statements stage's opinion groups) on every projector."""
    if breakdown not in breakouts.BREAKDOWNS:
        raise Refused("'breakdown' must be room, sector, table or opinion.")
    with locked(db, session_id) as session:
        _require_open_session(session)
        if breakdown == "sector" and not plan_of(session).sectors:
            raise Refused("This plan lists no sectors to break results down by.")
        if breakdown == "table" and not breakouts.effective_tables(session):
            raise Refused("This session has no tables yet: add them under People and tables.")
        if breakdown == "opinion" and not any(
            stage.activity.opinion_groups is not None for stage in plan_of(session).stages
        ):
            raise Refused(
                "This plan has no statements stage with opinion groups to show "
                "(opinion_groups is off, or there is no statements stage)."
            )
        event = _append(db, session, "breakdown.set", payload={"breakdown": breakdown})
    return Done(event.seq)


# Notes ---------------------------------------------------------------------------------


def post_note(
    db: Session,
    session_id: int,
    author: str | None,
    note: payloads.NotePayload,
    link: int | None = None,
) -> Done:
    """A note-taker (``author`` = their label) or a facilitator (``author`` None) notes
    what a table said. Returns ``Done`` with ``note_id``; a retry is stored once.
    ``link``: the generation of the invitation link the note-taker came through; once
    that link is revoked their notes are refused, even on a connection still open."""
    # Notes have no participant: their sender is the actor the log records.
    sender = f"{NOTETAKER_ACTOR}{author}" if author else FACILITATOR
    with locked(db, session_id) as session:
        earlier = _already_stored(db, session.id, sender, note.client_id)
        if earlier is not None:
            return Done(earlier.seq, duplicate=True, note_id=earlier.payload.get("note_id"))
        if session.status in ("ended", "archived"):
            raise Refused("This session has ended; notes can no longer be added.")
        if link is not None and link != link_generation(session, "notes"):
            raise Refused(NOTES_LINK_REPLACED)
        plan = plan_of(session)
        if note.stage is None:
            stage_key = _current_stage(session, plan).key
        elif plan.stage(note.stage) is not None:
            stage_key = note.stage
        else:
            raise Refused("That stage is not in the plan.")
        if note.table is not None and note.table not in breakouts.effective_tables(session):
            raise Refused("Please choose one of the session's tables, or no table.")
        text = payloads.clean_note_text(note.text, plan.moderation.word_limit)
        event = _append(
            db,
            session,
            "note.posted",
            actor=sender,
            stage_key=stage_key,
            client_id=note.client_id,
            payload={"text": text, "table": note.table, "author": author or FACILITATOR_AUTHOR},
        )
    return Done(event.seq, note_id=event.payload["note_id"])


def _note_visibility(type_: str):
    def operation(db: Session, session_id: int, note_id: int) -> Done:
        with locked(db, session_id) as session:
            note = db.get(Note, note_id)
            if note is None or note.session_id != session.id:
                raise Refused("That note does not exist.")
            event = _append(
                db, session, type_, stage_key=note.stage_key, payload={"note_id": note_id}
            )
        return Done(event.seq)

    operation.__name__ = type_.replace(".", "_")
    return operation


show_note = _note_visibility("note.shown")
hide_note = _note_visibility("note.hidden")


# Countdown timer -------------------------------------------------------------------------
# Every timer event carries the countdown as it is after the event: ``ends_at`` (ISO, while
# running) or ``remaining_ms`` (while paused), and ``auto_close``; the projection copies
# them, so replaying the log rebuilds the countdown exactly. See workshop/timer.py.


def _timer_payload(
    *, ends_at=None, remaining: int | None = None, auto_close: bool = False, **extra
) -> dict:
    return {
        **extra,
        "ends_at": timer.iso(ends_at) if ends_at is not None else None,
        "remaining_ms": remaining,
        "auto_close": auto_close,
    }


def _timer_event(db: Session, session: WorkshopSession, type_: str, payload: dict) -> Done:
    stage = _current_stage(session, plan_of(session))
    event = _append(db, session, type_, stage_key=stage.key, payload=payload)
    return Done(event.seq)


def _frozen_by_pause(db: Session, session: WorkshopSession) -> bool:
    """Whether the paused countdown is one the workshop's pause froze (or that was started
    during the pause), so that resuming the workshop resumes it."""
    if session.timer_remaining_ms is None:
        return False
    paused = db.scalar(
        select(Event)
        .where(Event.session_id == session.id, Event.type == "session.paused")
        .order_by(Event.seq.desc())
        .limit(1)
    )
    if paused is None:
        return False
    started_since = db.scalar(
        select(Event.id)
        .where(
            Event.session_id == session.id,
            Event.seq > paused.seq,
            Event.type == "timer.started",
        )
        .limit(1)
    )
    return started_since is not None or bool(paused.payload.get("timer_frozen"))


def start_timer(db: Session, session_id: int, seconds: int, auto_close: bool = False) -> Done:
    """Start (or restart) the current stage's countdown. While the workshop is paused it
    starts frozen and runs once the workshop resumes."""
    with locked(db, session_id) as session:
        _require_running(session)
        stage = _current_stage(session, plan_of(session))
        if auto_close and not (stage.activity.answerable or stage.takes_comments):
            raise Refused(
                "This stage takes no input, so there is nothing to close when time is up. "
                "Untick “Close input at zero”."
            )
        if session.status == "paused":
            payload = _timer_payload(
                remaining=seconds * 1000, auto_close=auto_close, seconds=seconds
            )
        else:
            ends_at = timer.now() + timedelta(seconds=seconds)
            payload = _timer_payload(ends_at=ends_at, auto_close=auto_close, seconds=seconds)
        done = _timer_event(db, session, "timer.started", payload)
    return done


def pause_timer(db: Session, session_id: int) -> Done:
    with locked(db, session_id) as session:
        _require_running(session)
        if session.timer_ends_at is None:
            raise Refused("The timer is not running.")
        left = timer.remaining_ms(session)
        if left == 0:
            raise Refused("Time is already up; add a minute or stop the timer.")
        payload = _timer_payload(remaining=left, auto_close=session.timer_auto_close)
        done = _timer_event(db, session, "timer.paused", payload)
    return done


def resume_timer(db: Session, session_id: int) -> Done:
    with locked(db, session_id) as session:
        _require_running(session)
        if session.timer_remaining_ms is None:
            raise Refused("The timer is not paused.")
        if session.status == "paused":
            raise Refused("Resume the workshop first: its timer then runs again.")
        ends_at = timer.now() + timedelta(milliseconds=session.timer_remaining_ms)
        payload = _timer_payload(ends_at=ends_at, auto_close=session.timer_auto_close)
        done = _timer_event(db, session, "timer.resumed", payload)
    return done


def add_time(db: Session, session_id: int, seconds: int = timer.DEFAULT_EXTRA_SECONDS) -> Done:
    """Give the countdown more time; at zero it counts down again from ``seconds``."""
    with locked(db, session_id) as session:
        _require_running(session)
        auto_close = session.timer_auto_close
        if session.timer_ends_at is not None:
            left = timer.remaining_ms(session) + seconds * 1000
            if left > timer.MAX_REMAINING_MS:
                raise Refused("A timer can run for at most two hours.")
            ends_at = timer.now() + timedelta(milliseconds=left)
            payload = _timer_payload(ends_at=ends_at, auto_close=auto_close, seconds=seconds)
        elif session.timer_remaining_ms is not None:
            left = session.timer_remaining_ms + seconds * 1000
            if left > timer.MAX_REMAINING_MS:
                raise Refused("A timer can run for at most two hours.")
            payload = _timer_payload(remaining=left, auto_close=auto_close, seconds=seconds)
        else:
            raise Refused("There is no timer to add time to; start one first.")
        done = _timer_event(db, session, "timer.extended", payload)
    return done


def stop_timer(db: Session, session_id: int) -> Done:
    with locked(db, session_id) as session:
        _require_running(session)
        if session.timer_ends_at is None and session.timer_remaining_ms is None:
            raise Refused("There is no timer to stop.")
        done = _timer_event(db, session, "timer.stopped", _timer_payload())
    return done


def expire_timer(db: Session, session_id: int, at=None) -> Done | None:
    """What the scheduler does when a countdown with auto-close reaches zero: close the
    stage's input (``input.closed`` by "system", reason "timer"), or, if input is already
    closed, note that time ran out (``timer.expired``). Either event turns auto-close off,
    and this checks again under the session's lock, so it happens once. None if there was
    nothing (any more) to do."""
    at = at or timer.now()
    with locked(db, session_id) as session:
        due = timer.pending(session)
        if due is None or due > at:
            return None
        stage = _current_stage(session, plan_of(session))
        takes_input = stage.activity.answerable or stage.takes_comments
        if session.input_open and takes_input:
            type_, payload = "input.closed", {"reason": "timer"}
        else:
            type_, payload = "timer.expired", {}
        event = _append(db, session, type_, actor=SYSTEM, stage_key=stage.key, payload=payload)
        if type_ == "input.closed":
            event = _reveal_on_close(db, session, stage, actor=SYSTEM) or event
    return Done(event.seq)


# Highlights and screen modes -------------------------------------------------------------


highlight_comment = _moderate(
    "comment.highlighted", not_hidden="That comment is hidden; restore it before highlighting it."
)
unhighlight_comment = _moderate("comment.unhighlighted")

SCREEN_MODES = ("auto", "join", "question", "results", "wall", "notes", "black")


def set_screen_mode(db: Session, session_id: int, mode: str) -> Done:
    """What projectors that follow the facilitator show (pinned ones keep their stage)."""
    if mode not in SCREEN_MODES:
        raise Refused("'mode' must be auto, join, question, results, wall or notes, or black.")
    with locked(db, session_id) as session:
        _require_running(session)
        event = _append(db, session, "screen.mode_set", payload={"mode": mode})
    return Done(event.seq)


# Session lifecycle: draft -> live <-> paused -> ended -> archived ------------------------


def start_session(db: Session, session_id: int) -> Done:
    """A draft session goes live: phones can join and take part."""
    with locked(db, session_id) as session:
        _require_facilitated(session)
        if session.status != "draft":
            raise Refused(
                "The session has already started."
                if session.status in ("live", "paused")
                else "This session has ended."
            )
        event = _append(db, session, "session.started")
    return Done(event.seq)


def pause_session(db: Session, session_id: int) -> Done:
    """Phones keep their place but cannot answer or comment; a running countdown stops
    where it is and runs on when the workshop resumes."""
    with locked(db, session_id) as session:
        _require_facilitated(session)
        if session.status == "paused":
            raise Refused("The workshop is already paused.")
        if session.status == "draft":
            raise Refused("The session has not started yet; start it first.")
        _require_live(session)
        payload = {}
        if session.timer_ends_at is not None and timer.remaining_ms(session) > 0:
            payload = {"timer_frozen": True, "remaining_ms": timer.remaining_ms(session)}
        event = _append(db, session, "session.paused", payload=payload)
    return Done(event.seq)


def resume_session(db: Session, session_id: int) -> Done:
    with locked(db, session_id) as session:
        _require_facilitated(session)
        if session.status != "paused":
            raise Refused("The workshop is not paused.")
        payload = {}
        if _frozen_by_pause(db, session):
            ends_at = timer.now() + timedelta(milliseconds=session.timer_remaining_ms)
            payload = {"timer_ends_at": timer.iso(ends_at)}
        event = _append(db, session, "session.resumed", payload=payload)
    return Done(event.seq)


def archive_session(db: Session, session_id: int) -> Done:
    """An ended session leaves the dashboard's list; it stays read-only, and its
    transcript can still be downloaded."""
    with locked(db, session_id) as session:
        if session.status == "archived":
            raise Refused("This session is already archived.")
        if session.status != "ended":
            raise Refused("Only an ended session can be archived; end it first.")
        event = _append(db, session, "session.archived")
    return Done(event.seq)


def duplicate_session(db: Session, session_id: int, facilitator_id: int | None) -> WorkshopSession:
    """A new draft session (new code) of the same frozen plan, with the same scenario,
    tables and breakdown: the next workshop of a series."""
    source = db.get(WorkshopSession, session_id)
    if source is None:
        raise Refused("This session does not exist.")
    settings: list[tuple[str, dict]] = []
    if source.tables is not None:
        settings.append(("tables.set", {"tables": list(source.tables)}))
    if source.breakdown and source.breakdown != "room":
        settings.append(("breakdown.set", {"breakdown": source.breakdown}))
    return create_session(
        db,
        plan_of(source),
        facilitator_id,
        source.scenario_key,
        draft=True,
        settings=settings,
        origin=source.code,
    )


# Projector and note-taker links ---------------------------------------------------------

LINKS = ("screen", "notes")  # the projector link and the note-taker invitation link


def reissue_link(db: Session, session_id: int, link: str) -> Done:
    """Revoke the session's projector (``screen``) or note-taker (``notes``) link and make
    a new one: its generation moves on (workshop/identity.py), so every key of the old link,
    and every note-taker cookie set through it, stops working. Allowed in every status:
    a link that got out may need shutting after the session ended too."""
    if link not in LINKS:
        raise Refused("'link' must be screen or notes.")
    with locked(db, session_id) as session:
        generation = link_generation(session, link) + 1
        event = _append(
            db, session, "link.reissued", payload={"link": link, "generation": generation}
        )
    return Done(event.seq)
