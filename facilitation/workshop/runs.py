"""Self-paced runs: a plan run as a public consultation, each person at their own pace.

A run is a session with ``pace = "self"``: it opens at ``opens_at`` and closes at
``closes_at`` (or when the facilitator closes it early), nobody steps the room through the
stages, and each participant moves through them in order with Back and Next
(``participant.paced`` events; ``Participant.stage_index`` and ``furthest_index``). What a
person sees is theirs alone (``paced_state``): their stage, open while the run is; the
stage's results once they have answered it, if the run shows results; comments, if it takes
them, new ones waiting for approval if it moderates first.

This module holds the rules (settings, the window, what a person sees); the operations that
change a run are in run_operations.py. docs/self-paced-runs.md describes runs for people.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from .. import clock
from ..activities import activity_type
from ..errors import Refused
from ..models import Answer, Comment, Participant, WorkshopSession
from ..plans.model import Plan, Stage
from .plan_cache import plan_of

SELF = "self"  # WorkshopSession.pace of a run; "live" is a facilitated session
# The longest a run may stay open, and how far ahead it may be scheduled.
MAX_RUN_DAYS = 366


@dataclass(frozen=True)
class RunSettings:
    """A run's settings: the plan's ``self_paced:`` (plans/model.SelfPaced) as the
    facilitator published them, and who may take part."""

    results: bool = True
    comments: bool = True
    approve_comments: bool = True
    profile: bool = True
    invitation_only: bool = False  # only with a single-use invitation code

    @classmethod
    def from_plan(cls, plan: Plan, **overrides) -> RunSettings:
        return cls(**{**asdict(plan.self_paced), **overrides})

    @classmethod
    def of(cls, session: WorkshopSession) -> RunSettings:
        stored = session.run_settings or {}
        names = {f.name for f in fields(cls)}
        return cls(**{k: bool(v) for k, v in stored.items() if k in names})

    def as_json(self) -> dict:
        return asdict(self)


def is_run(session: WorkshopSession) -> bool:
    return session.pace == SELF


NOT_OPEN_YET = "This consultation has not opened yet."
CLOSED = "This consultation has closed. Thank you for your interest."


def window_refusal(session: WorkshopSession, now: datetime | None = None) -> str | None:
    """Why nobody can take part in the run now (not open yet, closed), or None. The
    pages say the dates beside it (the message goes through the catalogue as it is)."""
    now = now or clock.now()
    if session.status in ("ended", "archived") or session.purged_at is not None:
        return CLOSED
    opens_at, closes_at = clock.aware(session.opens_at), clock.aware(session.closes_at)
    if opens_at is not None and now < opens_at:
        return NOT_OPEN_YET
    if closes_at is not None and now >= closes_at:
        return CLOSED
    return None


def is_open(session: WorkshopSession, now: datetime | None = None) -> bool:
    return window_refusal(session, now) is None


def answerable_stage(session: WorkshopSession, participant: Participant, stage_key: str) -> Stage:
    """The run's stage ``stage_key``, if the participant may answer or comment on it now:
    the run is open and they have reached the stage."""
    refusal = window_refusal(session)
    if refusal is not None:
        raise Refused(refusal)
    plan = plan_of(session)
    index = plan.stage_index(stage_key)
    if index is None:
        raise Refused("That question is not part of this consultation.")
    if index > participant.furthest_index:
        raise Refused("Please answer the questions in order.")
    return plan.stages[index]


def require_comments(session: WorkshopSession) -> None:
    """Refused in a run that takes no comments (nor agreeing with others')."""
    if not RunSettings.of(session).comments:
        raise Refused("This consultation does not take comments.")


def answered(db: Session, participant: Participant, stage: Stage) -> bool:
    """Whether the participant has answered the stage (or commented on it, for a stage
    whose comments are its answers)."""
    if activity_type(stage.activity.type).answerable:
        model, key = Answer, Answer.stage_key
    else:
        model, key = Comment, Comment.stage_key
    return (
        db.scalar(
            select(model.id).where(
                model.session_id == participant.session_id,
                model.participant_id == participant.id,
                key == stage.key,
            )
        )
        is not None
    )


def shows_results(db: Session, session: WorkshopSession, participant: Participant) -> bool:
    """Whether the participant sees the results of the stage they are on: the run shows
    results (profile stages: the profile) and they have answered it; a stage that asks
    nothing has no results to wait for."""
    settings = RunSettings.of(session)
    stage = plan_of(session).stages[participant.stage_index]
    kind = activity_type(stage.activity.type)
    if getattr(kind, "from_framework", False):
        return settings.profile
    if not settings.results:
        return False
    if not kind.asks_people:
        return True
    return answered(db, participant, stage)


def paced_state(session: WorkshopSession, shared: dict, participant: Participant, revealed: bool):
    """The `state` message as a run's participant gets it: the session's ``shared`` state
    (state.session_state) with their own stage, open while the run is, and their progress."""
    from .state import stage_slides, stage_view  # state.py imports this module's callers

    plan = plan_of(session)
    settings = RunSettings.of(session)
    at = plan.stages[participant.stage_index]
    stage = stage_view(at)
    # No projector in a run: a slides stage's phone shows all its pages, one after another.
    slides = stage_slides(object_session(session), session, at)
    if slides is not None:
        stage["slides"] = slides
    # Without comments, an open question still takes its answers (which are comments).
    if not settings.comments and not activity_type(at.activity.type).always_comments:
        stage["comments"] = False
    return {
        **shared,
        "stage_index": participant.stage_index,
        "stage": stage,
        "input_open": is_open(session),
        "revealed": revealed,
        "screen_mode": "auto",
        "timer": None,
        "slide": None,  # the room's page means nothing here: see stage["slides"]
        "pace": {
            "index": participant.stage_index,
            "count": len(plan.stages),
            "furthest": participant.furthest_index,
            "opens_at": _iso(session.opens_at),
            "closes_at": _iso(session.closes_at),
            "closed": window_refusal(session),
            "approve_comments": settings.approve_comments,
        },
    }


def _iso(moment: datetime | None) -> str | None:
    moment = clock.aware(moment)
    return moment.isoformat() if moment is not None else None
