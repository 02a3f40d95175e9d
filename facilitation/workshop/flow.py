"""How a stage runs from one press of the console's big button to the next.

The plan's ``flow:`` (plans/model.py ``Flow``) says whether input opens when the next press
shows a stage (``on_show``) or by hand, and whether results are revealed by the press after
input (``next_press``), as soon as input closes (``on_close``) or by hand. The console can
override either for one session (a ``flow.set`` event; the last one counts). ``next_action``
is the rule, one pure function; static/js/console-flow.js labels the button from its answer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from ..activities import activity_type
from ..models import Event, WorkshopSession
from ..plans.model import FLOW_INPUT, FLOW_REVEAL, Flow, Stage
from ..slides import session_pages
from .plan_cache import plan_of

# What a press does: open input, close it, close it and reveal, reveal, show the next page
# of a slides stage, show the next stage, or nothing (the last stage, its work done).
OPEN, CLOSE, CLOSE_REVEAL, REVEAL, PAGE, NEXT, END = (
    "open",
    "close",
    "close_reveal",
    "reveal",
    "page",
    "next",
    "end",
)


def takes_input(stage: Stage) -> bool:
    return stage.activity.answerable or stage.takes_comments


def has_results(stage: Stage) -> bool:
    """Whether the stage has results to reveal (``ActivityType.has_results``). An
    information or scenario card has none, so it never offers Reveal."""
    return activity_type(stage.activity.type).has_results


def next_action(
    stage: Stage,
    *,
    input_open: bool,
    revealed: bool,
    opened: bool,
    flow: Flow,
    last: bool,
    run_before: bool = False,
    pages_left: bool = False,
) -> str:
    """What the next press does on ``stage``; ``opened``: input was opened on this visit;
    ``run_before``: on an earlier visit. A facilitator who steps back to a stage already run
    (a glance with a clicker) wants the press to go on, not to reopen phones' input or to
    reveal: the results stay as they were (R and O still do either by hand).
    ``pages_left``: a slides stage is not on its last page, so the press turns the page."""
    if pages_left:
        return PAGE
    if run_before and not opened and not input_open:
        return END if last else NEXT
    results = has_results(stage)
    if takes_input(stage) and not revealed:
        if input_open and results:
            return CLOSE_REVEAL if flow.reveal != "manual" else CLOSE
        if not input_open and not opened:  # manual input, or reached from the stage list
            return OPEN
        # Open for comments only (a scenario card): showing the next stage closes it.
    if results and not revealed and flow.reveal == "next_press":
        return REVEAL
    return END if last else NEXT


def session_flow(db: Session, session: WorkshopSession) -> Flow:
    """The plan's flow, with the session's own choices (the last ``flow.set``) over it."""
    plan_flow = plan_of(session).flow
    payload = db.scalar(
        select(Event.payload)
        .where(Event.session_id == session.id, Event.type == "flow.set")
        .order_by(Event.seq.desc())
        .limit(1)
    )
    if not payload:
        return plan_flow
    return Flow(
        input=payload.get("input") or plan_flow.input,
        reveal=payload.get("reveal") or plan_flow.reveal,
    )


def opened_on_this_visit(db: Session, session: WorkshopSession) -> bool:
    """Whether input was opened since the stage was last shown."""
    last_shown = _last_shown(db, session)
    return (
        db.scalar(
            select(Event.seq)
            .where(
                Event.session_id == session.id,
                Event.type == "input.opened",
                Event.seq > last_shown,
            )
            .limit(1)
        )
        is not None
    )


def _last_shown(db: Session, session: WorkshopSession) -> int:
    shown = select(Event.seq).where(Event.session_id == session.id, Event.type == "stage.shown")
    return db.scalar(shown.order_by(Event.seq.desc()).limit(1)) or 0


def run_on_an_earlier_visit(db: Session, session: WorkshopSession, stage: Stage) -> bool:
    """Whether the stage's input was opened, or its results revealed, before it was last
    shown: it has been run, and the facilitator has come back to it."""
    return (
        db.scalar(
            select(Event.seq)
            .where(
                Event.session_id == session.id,
                Event.stage_key == stage.key,
                Event.type.in_(("input.opened", "results.revealed")),
                Event.seq < _last_shown(db, session),
            )
            .limit(1)
        )
        is not None
    )


def pages_left(db: Session, session: WorkshopSession, stage: Stage) -> bool:
    """Whether ``stage`` is a slides stage with pages after the one the room sees."""
    pages = session_pages.stage_pages(db, session, stage)
    return pages is not None and session.page_index < pages.count - 1


def current_action(db: Session, session: WorkshopSession, flow: Flow | None = None) -> str:
    stages = plan_of(session).stages
    stage = stages[session.stage_index]
    return next_action(
        stage,
        input_open=session.input_open,
        revealed=session.revealed,
        opened=opened_on_this_visit(db, session),
        flow=flow or session_flow(db, session),
        last=session.stage_index == len(stages) - 1,
        run_before=run_on_an_earlier_visit(db, session, stage),
        pages_left=pages_left(db, session, stage),
    )


def flow_view(session: WorkshopSession) -> dict:
    """The flow as the console shows it: the settings, what the next press does, and the
    title of the stage it would show next."""
    plan = plan_of(session)
    stage = plan.stages[session.stage_index]
    db = object_session(session)
    flow = session_flow(db, session) if db is not None else plan.flow
    following = plan.stages[session.stage_index + 1 : session.stage_index + 2]
    return {
        "input": flow.input,
        "reveal": flow.reveal,
        "next": current_action(db, session, flow) if db is not None else NEXT,
        "next_title": following[0].title if following else None,
        "has_results": has_results(stage),
        "choices": {"input": list(FLOW_INPUT), "reveal": list(FLOW_REVEAL)},
    }
