"""Projectors pinned to one stage (``/s/CODE/screen?key=...&stage=STAGE_KEY``).

Any number of projectors may show a session. By default they follow the facilitator
(the current stage, in the session's screen mode). A pinned projector instead keeps
showing one stage: its prompt, its comment wall and, once revealed, its results,
whatever stage the room is on. It says so with ``sync {stage}``; the server then moves
its connection from the session's screens room to the stage's own room
(``rooms.pinned_stage``) and the broadcaster's coalesced push of a dirty session also
sends each pinned stage's results and comments to its room (one grouped query per
pinned stage per push, at most ten a second, and none while nothing changes).

When are a pinned stage's results shown? As the domain says (workshop/reveals.py): while
it is the current stage, when the room sees them; otherwise when the facilitator's last
reveal or hide of that stage was a reveal.
"""

from __future__ import annotations

from flask import Flask, request
from flask_socketio import join_room, leave_room
from sqlalchemy.orm import Session

from ..errors import Refused
from ..extensions import socketio
from ..models import WorkshopSession
from ..workshop.payloads import parse_pinned_stage
from ..workshop.plan_cache import plan_of
from ..workshop.reveals import stage_revealed
from ..workshop.state import stage_view
from . import rooms
from .broadcast import COMMENTS, RESULTS, broadcaster, comments_message, results_message
from .presence import Connection, presence


def _results(db: Session, session: WorkshopSession, stage) -> dict:
    revealed = stage_revealed(db, session, stage.key)
    message = results_message(db, session, with_results=revealed, stage=stage, revealed=revealed)
    if not revealed:
        message.pop("groups", None)
    return message


def pinned_view(db: Session, session: WorkshopSession, stage_key: str) -> dict:
    """What a pinned projector's ``sync`` returns under ``pinned``."""
    plan = plan_of(session)
    stage = plan.stage(stage_key)
    results = _results(db, session, stage)
    return {
        "stage": stage_view(stage),
        "index": plan.stage_index(stage_key),
        "revealed": results["revealed"],
        "results": results,
        "comments": comments_message(db, session, include_hidden=False, stage_key=stage_key),
    }


def pin_screen(db: Session, session: WorkshopSession, connection: Connection, payload) -> dict:
    """Handle a projector's ``sync {stage?}``: pin it to that stage (or let it follow
    again) and return the extra sync fields (``pinned``)."""
    stage_key = parse_pinned_stage(payload)
    if stage_key is not None and plan_of(session).stage(stage_key) is None:
        raise Refused(
            "This projector link names a stage that is not in the plan; "
            "copy the link again from the console."
        )
    if connection.stage != stage_key:
        if connection.stage is None:
            leave_room(rooms.screens(session.id))
        else:
            leave_room(rooms.pinned_stage(session.id, connection.stage))
        if stage_key is None:
            join_room(rooms.screens(session.id))
        else:
            join_room(rooms.pinned_stage(session.id, stage_key))
        presence.pin(request.sid, stage_key)
    if stage_key is None:
        return {}
    return {"pinned": pinned_view(db, session, stage_key)}


def push_pinned(db: Session, session: WorkshopSession, kinds: set[str]) -> None:
    """The broadcaster's hook: pinned stages' results and comments to their rooms."""
    if not (RESULTS in kinds or COMMENTS in kinds):
        return
    plan = plan_of(session)
    for stage_key in presence.pinned_stages(session.id):
        stage = plan.stage(stage_key)
        if stage is None:
            continue
        room = rooms.pinned_stage(session.id, stage_key)
        if RESULTS in kinds:
            socketio.emit("results", _results(db, session, stage), to=room)
        if COMMENTS in kinds:
            message = comments_message(db, session, include_hidden=False, stage_key=stage_key)
            socketio.emit("comments", message, to=room)


def init_app(_app: Flask) -> None:
    """Each push of a dirty session also reaches the projectors pinned to its stages."""
    broadcaster.hook(push=push_pinned)
