"""What each kind of client is shown of a session: plain dicts, ready to send as JSON."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Answer, Comment, Participant, Reaction, WorkshopSession
from ..plans.model import Scenario, Stage
from .plan_cache import plan_of


def stage_view(stage: Stage) -> dict:
    activity = stage.activity
    view = {
        "key": stage.key,
        "title": stage.title,
        "prompt": stage.prompt,
        "type": activity.type,
        "body": activity.body,
        "items": [
            {"key": i.key, "label": i.label, "description": i.description} for i in activity.items
        ],
        "multiple": activity.multiple,
        "comments": stage.takes_comments,
        "max_length": activity.max_length,
        "answerable": activity.answerable,
    }
    if activity.scale is not None:
        scale = activity.scale
        view["scale"] = {
            "min": scale.min,
            "max": scale.max,
            "min_label": scale.min_label,
            "max_label": scale.max_label,
        }
    return view


def scenario_view(scenario: Scenario | None) -> dict | None:
    if scenario is None:
        return None
    return {
        "key": scenario.key,
        "title": scenario.title,
        "summary": scenario.summary,
        "data": scenario.data,
        "sharing": scenario.sharing,
        "anonymisation": scenario.anonymisation,
    }


def session_state(session: WorkshopSession) -> dict:
    """The shared state every client of the session sees (the `state` message)."""
    plan = plan_of(session)
    return {
        "seq": session.last_seq,
        "code": session.code,
        "plan_title": plan.title,
        "status": session.status,
        "stage_index": session.stage_index,
        "stage_count": len(plan.stages),
        "stage": stage_view(plan.stages[session.stage_index]),
        "input_open": session.input_open,
        "revealed": session.revealed,
        "scenario": scenario_view(plan.scenario(session.scenario_key)),
        "sectors": list(plan.sectors),
    }


def participant_view(db: Session, participant: Participant) -> dict:
    """A participant's own identity, answers and agreements, for resuming after a reload."""
    answers = db.execute(
        select(Answer.stage_key, Answer.value).where(Answer.participant_id == participant.id)
    ).all()
    reactions = db.execute(
        select(Reaction.comment_id, Reaction.value).where(Reaction.participant_id == participant.id)
    ).all()
    return {
        "pseudonym": participant.pseudonym,
        "display_name": participant.display_name,
        "sector": participant.sector,
        "withdrawn": participant.withdrawn_at is not None,
        "answers": {stage: json.loads(value) for stage, value in answers},
        "reactions": {str(cid): ("agree" if value > 0 else "disagree") for cid, value in reactions},
    }


def comment_wall(
    db: Session, session: WorkshopSession, stage_key: str, *, include_hidden: bool = False
) -> list[dict]:
    """The stage's comments, most agreed first; hidden ones only for facilitators."""
    query = (
        select(Comment, Participant.display_name, Participant.pseudonym)
        .join(Participant, Participant.id == Comment.participant_id)
        .where(Comment.session_id == session.id, Comment.stage_key == stage_key)
        .order_by((Comment.agree - Comment.disagree).desc(), Comment.agree.desc(), Comment.seq)
    )
    if not include_hidden:
        query = query.where(Comment.hidden.is_(False))
    return [
        {
            "id": comment.id,
            "text": comment.text,
            "author": display_name,  # only names participants chose to give
            "pseudonym": pseudonym if include_hidden else None,
            "agree": comment.agree,
            "disagree": comment.disagree,
            "hidden": comment.hidden,
            "seq": comment.seq,
        }
        for comment, display_name, pseudonym in db.execute(query)
    ]


def own_comment_ids(db: Session, session: WorkshopSession, participant_id: int) -> list[int]:
    return list(
        db.scalars(
            select(Comment.id).where(
                Comment.session_id == session.id, Comment.participant_id == participant_id
            )
        )
    )
