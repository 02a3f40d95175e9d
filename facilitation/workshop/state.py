"""What each kind of client is shown of a session: plain dicts, ready to send as JSON."""

from __future__ import annotations

import json
from collections.abc import Collection
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, object_session

from ..activities import activity_type
from ..models import Answer, Comment, Participant, Reaction, WorkshopSession
from ..opinion import live as opinion_live
from ..opinion.priority import priorities
from ..plans.model import Plan, Scenario, Stage
from ..slides import session_pages
from . import timer as countdown
from .breakouts import effective_tables
from .consensus import add_consensus
from .flow import flow_view
from .plan_cache import plan_of
from .timer import iso, timer_view

REACTION_WORDS = {1: "agree", -1: "disagree", 0: "pass"}


def stage_view(stage: Stage) -> dict:
    activity = stage.activity
    kind = activity_type(activity.type)
    view = {
        "key": stage.key,
        "title": stage.title,
        "prompt": stage.prompt,
        "type": activity.type,
        "type_label": str(kind.label),
        "body": activity.body,
        "items": [
            {"key": i.key, "label": i.label, "description": i.description} for i in activity.items
        ],
        "multiple": activity.multiple,
        "comments": stage.takes_comments,
        "max_length": activity.max_length,
        "answerable": activity.answerable,
        "timer": stage.timer,  # the plan's suggested countdown in seconds, or None
    }
    view.update(kind.stage_view(activity))  # its own settings: a scale, a grid's axes...
    return view


def stage_list(plan: Plan) -> list[dict]:
    """The plan's stages as the console lists them."""
    return [
        {
            "index": index,
            "key": stage.key,
            "title": stage.title,
            "type": stage.activity.type,
            "type_label": str(activity_type(stage.activity.type).label),
        }
        for index, stage in enumerate(plan.stages)
    ]


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


def console_state(session: WorkshopSession, shared: dict | None = None) -> dict:
    """The `state` message as consoles get it: the ``shared`` state (session_state) with
    the flow (what the next press does, and the title of the stage it would show, which
    phones and projectors must not get) and, on a slides stage, the page after the one
    shown (``next_slide``: None on its last page)."""
    shared = shared or session_state(session)
    state = {**shared, "flow": flow_view(session)}
    if shared.get("slide") is not None:
        state["next_slide"] = next_slide_view(session)
    return state


def slide_view(
    db: Session, session: WorkshopSession, stage: Stage, index: int, audience: str
) -> dict | None:
    """Page ``index`` of a slides stage as ``audience`` ("projector" or "phone") is shown
    it: where it is in the stage, the deck's page number, its text (the image's text
    alternative) and its image's address and size. None for any other stage; an ``error``
    the room can read when the deck is missing."""
    pages = session_pages.stage_pages(db, session, stage)
    if pages is None:
        if not session_pages.is_slides(stage):
            return None
        return {"error": str(session_pages.DECK_MISSING)}
    index = min(max(index, 0), pages.count - 1)
    facts = session_pages.page_facts(db, pages, index, audience)
    if facts is None:
        return {"error": str(session_pages.DECK_MISSING)}
    return {
        "index": index,
        "of": pages.count,
        "page": pages.number(index),
        "text": facts.text,
        "image": slide_image_url(session, stage, index, audience),
        "width": facts.width,
        "height": facts.height,
    }


def slide_image_url(session: WorkshopSession, stage: Stage, index: int, audience: str) -> str:
    """The address of a page's image (slides/images.py serves it). Built by hand, not with
    url_for: the broadcaster builds states outside any request. Codes and stage keys are
    URL-safe by their own rules."""
    return f"/s/{session.code}/slides/{stage.key}/{index}/{audience}.webp"


def next_slide_view(session: WorkshopSession) -> dict | None:
    """The page after the one the room sees, for the console's preview; None on the last."""
    db = object_session(session)
    stage = plan_of(session).stages[session.stage_index]
    pages = session_pages.stage_pages(db, session, stage)
    following = session.page_index + 1
    if pages is None or following >= pages.count:
        return None
    return {
        "page": pages.number(following),
        "image": slide_image_url(session, stage, following, "projector"),
    }


def phone_state(session: WorkshopSession, shared: dict) -> dict:
    """The ``shared`` state as phones get it: a slides stage's page sized for a phone."""
    if shared.get("slide") is None:
        return shared
    stage = plan_of(session).stages[session.stage_index]
    db = object_session(session)
    return {**shared, "slide": slide_view(db, session, stage, session.page_index, "phone")}


def stage_slides(db: Session, session: WorkshopSession, stage: Stage) -> list[dict] | None:
    """Every page of a slides stage, for a phone in a self-paced run (no projector: the
    phone shows them one after another); None for any other stage (or without a database
    session to read the pages from)."""
    if db is None or not session_pages.is_slides(stage):
        return None
    pages = session_pages.stage_pages(db, session, stage)
    if pages is None:
        view = slide_view(db, session, stage, 0, "phone")
        return None if view is None else [view]
    return [slide_view(db, session, stage, index, "phone") for index in range(pages.count)]


def session_state(session: WorkshopSession) -> dict:
    """The state every client of the session sees (the `state` message); consoles get
    console_state, phones phone_state of it."""
    plan = plan_of(session)
    stage = plan.stages[session.stage_index]
    db = object_session(session)
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
        "breakdown": session.breakdown or "room",  # room | sector | table | opinion
        "min_group_size": plan.min_group_size,  # breakdowns fold smaller groups away
        "tables": effective_tables(session),  # the session's own list, else the plan's
        "screen_mode": session.screen_mode or "auto",  # what following projectors show
        "timer": timer_view(session),  # the stage's countdown, or None
        "server_time": iso(countdown.now()),  # clients correct their clock by it
        # A slides stage's page as the projector shows it (phone_state: as phones do).
        "slide": slide_view(db, session, stage, session.page_index, "projector")
        if db is not None
        else None,
    }


# The statements every phone's sync runs, built once (db.py says why).
_OWN_ANSWERS = select(Answer.stage_key, Answer.value).where(
    Answer.participant_id == bindparam("participant_id")
)
_OWN_REACTIONS = select(Reaction.comment_id, Reaction.value).where(
    Reaction.participant_id == bindparam("participant_id")
)
_OWN_COMMENTS = select(Comment.id).where(
    Comment.session_id == bindparam("session_id"),
    Comment.participant_id == bindparam("participant_id"),
)


def participant_view(db: Session, participant: Participant) -> dict:
    """A participant's own identity, answers and agreements, for resuming after a reload."""
    answers = db.execute(_OWN_ANSWERS, {"participant_id": participant.id}).all()
    reactions = db.execute(_OWN_REACTIONS, {"participant_id": participant.id}).all()
    return {
        "pseudonym": participant.pseudonym,
        "display_name": participant.display_name,
        "sector": participant.sector,
        "table": participant.table_key,
        "withdrawn": participant.withdrawn_at is not None,
        "answers": {stage: json.loads(value) for stage, value in answers},
        "reactions": {str(cid): REACTION_WORDS[value] for cid, value in reactions},
    }


def comment_wall(
    db: Session,
    session: WorkshopSession,
    stage_key: str,
    *,
    include_hidden: bool = False,
    limit: int | None = None,
    ids: Collection[int] | None = None,
) -> list[dict]:
    """The stage's comments, most agreed first; hidden ones only for facilitators; the
    first ``limit`` of them, if given (a consultation's stage may hold thousands); only
    those with ``ids``, if given."""
    params = {"session_id": session.id, "stage_key": stage_key}
    if ids is not None:
        params["ids"] = list(ids)
    if limit is not None:
        params["limit"] = limit
    query = _wall_query(include_hidden, ids is not None, limit is not None)
    wall = [
        {
            "id": comment.id,
            "text": comment.text,
            "author": display_name,  # only names participants chose to give
            "pseudonym": pseudonym if include_hidden else None,
            "agree": comment.agree,
            "disagree": comment.disagree,
            "passes": comment.passes,
            "hidden": comment.hidden,
            "highlighted": comment.highlighted,
            "seq": comment.seq,
        }
        for comment, display_name, pseudonym in db.execute(query, params)
    ]
    # Where sectors agree and where they split (workshop/consensus.py states the rule).
    plan = plan_of(session)
    add_priority(db, session, plan.stage(stage_key), wall)
    return add_consensus(db, session.id, stage_key, wall, plan.sectors, plan.min_group_size)


@cache
def _wall_query(include_hidden: bool, by_ids: bool, limited: bool) -> Select:
    """A stage's wall, most agreed first, built once for each kind of wall."""
    query = (
        select(Comment, Participant.display_name, Participant.pseudonym)
        .join(Participant, Participant.id == Comment.participant_id)
        .where(
            Comment.session_id == bindparam("session_id"),
            Comment.stage_key == bindparam("stage_key"),
        )
        .order_by(
            Comment.highlighted.desc(),  # pinned by the facilitator: first everywhere
            (Comment.agree - Comment.disagree).desc(),
            Comment.agree.desc(),
            Comment.seq,
        )
    )
    if not include_hidden:
        query = query.where(Comment.hidden.is_(False))
    if by_ids:
        query = query.where(Comment.id.in_(bindparam("ids", expanding=True)))
    if limited:
        query = query.limit(bindparam("limit"))
    return query


def add_priority(db: Session, session: WorkshopSession, stage: Stage | None, wall: list[dict]):
    """Give each statement of a statements stage's wall its ``priority``: which a phone
    offers next (opinion/priority.py: few votes, and what splits the latest opinion
    groups, first). Other stages' comments are not voted on in turn, so get none."""
    if stage is None or not activity_type(stage.activity.type).votes_are_results:
        return wall
    separation = opinion_live.separation(db, session, stage) if wall else {}
    counts = {c["id"]: (c["agree"], c["disagree"], c["passes"]) for c in wall}
    scores = priorities(counts, separation)
    for comment in wall:
        comment["priority"] = round(scores[comment["id"]], 4)
    return wall


def own_comment_ids(db: Session, session: WorkshopSession, participant_id: int) -> list[int]:
    return list(
        db.scalars(_OWN_COMMENTS, {"session_id": session.id, "participant_id": participant_id})
    )
