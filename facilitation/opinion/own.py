"""What a participant is told of their own opinion group (the ``own_opinion_group`` event).

Only their own: the projector's map carries no ids, and no message names anyone's group.
And only when the plan says so (``opinion_groups: {tell_participants: true}``) and the
person may see the stage's results (live: revealed; a run: they are on the stage and its
results show to them).

Someone not placed is told why in a way they can act on: while they can still vote, to vote
on a few more statements; once they cannot (the stage's input closed, the facilitator moved
on, the run closed), that they voted on fewer than the stage's ``min_votes`` statements. That
sentence has a number in it: the ack carries it as ``why_values`` ({"n": min_votes}), for the
phone to put into the translated sentence (phone-text.js ``t(why, why_values)``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..errors import Refused
from ..models import Participant, WorkshopSession
from ..workshop.plan_cache import plan_of
from ..workshop.reveals import stage_revealed
from ..workshop.runs import is_open, is_run, shows_results
from .live import latest
from .votes import visible_statements

# What a participant is told (the phone translates them: participant/phone_text.py).
NOT_FORMED = "Opinion groups have not formed yet."
NOT_PLACED = "You are not in a group yet: vote on a few more statements."
NOT_PLACED_CLOSED = "You were not placed in a group: you voted on fewer than {n} statements."
NOT_TOLD = "This stage does not tell participants their opinion group."
NOT_SHOWN = "The results of this stage are not shown yet."
NO_STAGE = "There is no such stage."
WITHDRAWN = "You have withdrawn from this session."


def own_group(db: Session, session: WorkshopSession, participant: Participant, stage_key: str):
    """The ``own_opinion_group`` ack: the participant's own group on ``stage_key`` (its
    letter and size, how many groups there are, and what it agrees and disagrees with
    more than the rest), or ``group: None`` and why. Refused unless the plan tells
    participants their group (``tell_participants``) and they may see the stage's results
    (live: revealed; a run: they are on it and its results show). Nobody learns anyone
    else's group."""
    plan = plan_of(session)
    stage = plan.stage(stage_key)
    if stage is None:
        raise Refused(NO_STAGE)
    if participant is None or participant.withdrawn_at is not None:
        raise Refused(WITHDRAWN)
    opinion = stage.activity.opinion_groups
    if opinion is None or not opinion.tell_participants:
        raise Refused(NOT_TOLD)
    if is_run(session):
        shown = participant.stage_index == plan.stage_index(stage_key) and shows_results(
            db, session, participant
        )
    else:
        shown = stage_revealed(db, session, stage_key)
    if not shown:
        raise Refused(NOT_SHOWN)
    result = latest(db, session, stage)
    if result is None or result.grouping.status != "formed" or result.analysis is None:
        return {"group": None, "why": NOT_FORMED}
    label = result.grouping.group_of(participant.id)
    if label is None:
        if _can_vote(session, plan, stage_key):
            return {"group": None, "why": NOT_PLACED}
        return {"group": None, "why": NOT_PLACED_CLOSED, "why_values": {"n": opinion.min_votes}}
    texts = visible_statements(db, session.id, stage_key)
    found = [r for r in result.analysis.representative.get(label, ()) if r.statement in texts]
    return {
        "group": {
            "label": label,
            "size": result.grouping.sizes[label],
            "groups": result.grouping.k,
            "agrees": [texts[r.statement] for r in found if r.direction == "agree"],
            "disagrees": [texts[r.statement] for r in found if r.direction == "disagree"],
        }
    }


def _can_vote(session: WorkshopSession, plan, stage_key: str) -> bool:
    """Whether people may still vote on ``stage_key``'s statements, as operations.react
    lets them: in a run, while it is open (a person who can see the stage's results has
    reached it); live, while the session runs, the stage is the current one and its input
    is open."""
    if is_run(session):
        return is_open(session)
    return (
        session.status == "live"
        and session.input_open
        and session.stage_index == plan.stage_index(stage_key)
    )
