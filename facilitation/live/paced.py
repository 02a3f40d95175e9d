"""What a self-paced run's participant is sent: their own stage, not the room's.

In a run nobody steps the room through the stages, so nothing is pushed to its phones
(broadcast.py leaves them out); a phone asks. The ``sync`` reply and the ``pace`` event's
ack are both ``paced_reply``: the person's state (runs.paced_state), their answers, the
comments on their stage (with their own still awaiting approval, marked) and the stage's
results once they may see them (runs.shows_results).
"""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..activities import activity_type
from ..extensions import socketio
from ..models import Comment, Participant, Reaction, WorkshopSession
from ..opinion import live as opinion_live
from ..opinion.priority import priorities
from ..workshop.plan_cache import plan_of
from ..workshop.runs import paced_state, shows_results
from ..workshop.state import comment_wall, own_comment_ids, participant_view, session_state
from . import rooms
from .broadcast import NOT_FOR_PHONES, results_message


def tell_phones_run_changed(session_id: int) -> None:
    """The run was closed, extended or reopened: its open phones ask again for what they
    see (``run_changed``; they are pushed nothing else, so they would go on showing a
    closed run's questions, or a reopened run's "closed")."""
    socketio.emit("run_changed", {}, to=rooms.participants(session_id))


# A run's stage may hold thousands of comments: a phone gets the most agreed, and its own
# (on a statements stage: those it has not voted on that most need votes, first).
COMMENTS_SHOWN = 50
# A consultation's results change with every answer: a stage's results are counted again
# at most every RESULTS_REFRESH seconds once BUSY people have answered it (one more answer
# cannot move them visibly), and at once below that.
RESULTS_REFRESH = 5.0
BUSY = 50
_results_kept: dict[tuple, tuple[float, dict]] = {}


def paced_reply(db: Session, session: WorkshopSession, participant: Participant) -> dict:
    stage = plan_of(session).stages[participant.stage_index]
    revealed = shows_results(db, session, participant)
    return {
        "seq": session.last_seq,
        "state": paced_state(session, session_state(session), participant, revealed),
        "me": participant_view(db, participant),
        "own_comments": own_comment_ids(db, session, participant.id),
        "comments": {
            "seq": session.last_seq,
            "stage": stage.key,
            "comments": _comments(db, session, stage, participant.id, revealed),
        },
        "results": _results(db, session, stage, revealed),
    }


def _results(db: Session, session: WorkshopSession, stage, revealed: bool) -> dict:
    """The stage's results as a phone draws them, only once the person may see them (the
    counting is most of a reply's cost); kept briefly for a busy stage."""
    if not revealed:
        return {"seq": session.last_seq, "stage": stage.key, "revealed": False}
    key = (session.id, session.code, stage.key)
    kept = _results_kept.get(key)
    if kept is not None and time.monotonic() - kept[0] < RESULTS_REFRESH:
        return {**kept[1], "seq": session.last_seq}
    results = results_message(db, session, with_results=True, stage=stage, revealed=True)
    for heavy in (*NOT_FOR_PHONES, "breakdown"):
        results.pop(heavy, None)
    if results.get("answered", 0) >= BUSY:
        _results_kept[key] = (time.monotonic(), results)
        while len(_results_kept) > 1024:
            _results_kept.pop(next(iter(_results_kept)))
    else:
        _results_kept.pop(key, None)
    return results


def _to_vote_on(db: Session, session: WorkshopSession, stage, participant_id: int) -> list[int]:
    """The ``COMMENTS_SHOWN`` statements of others a run's participant is offered: those
    they have not voted on, highest priority first (opinion/priority.py), then, with room
    left, those they have voted on (so they can change a vote)."""
    rows = db.execute(
        select(Comment.id, Comment.agree, Comment.disagree, Comment.passes).where(
            Comment.session_id == session.id,
            Comment.stage_key == stage.key,
            Comment.hidden.is_(False),
            Comment.participant_id != participant_id,
        )
    ).all()
    if not rows:
        return []
    voted = set(
        db.scalars(
            select(Reaction.comment_id)
            .join(Comment, Comment.id == Reaction.comment_id)
            .where(
                Reaction.participant_id == participant_id,
                Comment.session_id == session.id,
                Comment.stage_key == stage.key,
            )
        )
    )
    counts = {cid: (agree, disagree, passes) for cid, agree, disagree, passes in rows}
    scores = priorities(counts, opinion_live.separation(db, session, stage))
    order = sorted(counts, key=lambda cid: (cid in voted, -scores[cid], cid))
    return order[:COMMENTS_SHOWN]


def _comments(db: Session, session: WorkshopSession, stage, participant_id: int, revealed: bool):
    """The stage's most agreed shown comments (``COMMENTS_SHOWN``), the participant's own
    among the rest, and their own awaiting approval (marked). On a stage whose comments
    are its answers (open text), others' are its results: only once ``revealed``."""
    stage_key = stage.key
    kind = activity_type(stage.activity.type)
    others = revealed or not kind.always_comments
    if others and kind.votes_are_results:
        offered = _to_vote_on(db, session, stage, participant_id)
        wall = comment_wall(db, session, stage_key, ids=offered)
    else:
        wall = comment_wall(db, session, stage_key, limit=COMMENTS_SHOWN) if others else []
    shown = [comment["id"] for comment in wall]
    # Their own shown comments beyond the first COMMENTS_SHOWN, so they still see them.
    own = select(Comment.id).where(
        Comment.session_id == session.id,
        Comment.stage_key == stage_key,
        Comment.participant_id == participant_id,
        Comment.hidden.is_(False),
        Comment.id.not_in(shown),
    )
    beyond = list(db.scalars(own))
    if beyond:
        wall += comment_wall(db, session, stage_key, ids=beyond)
    waiting = db.scalars(
        select(Comment)
        .where(
            Comment.session_id == session.id,
            Comment.stage_key == stage_key,
            Comment.participant_id == participant_id,
            Comment.awaiting.is_(True),
        )
        .order_by(Comment.seq)
    )
    mine = [
        {
            "id": comment.id,
            "text": comment.text,
            "author": None,
            "pseudonym": None,
            "agree": 0,
            "disagree": 0,
            "passes": 0,
            "hidden": False,
            "highlighted": False,
            "awaiting": True,
            "seq": comment.seq,
        }
        for comment in waiting
    ]
    return wall + mine
