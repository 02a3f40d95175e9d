"""The tidy CSV files: one per kind of thing, one row per thing, the session code in each.

- ``participants.csv``: one row per participant (pseudonym, sector, table, joined,
  withdrawn); a withdrawn participant keeps only pseudonym, joined and withdrawn.
- ``stages.csv``: one row per stage of the plan each session ran.
- ``responses.csv``: one row per answered item (a rating of one item, one chosen option,
  one item's rank ...), with the time of the answer.
- ``comments.csv``: one row per comment or statement, with its agree / disagree / pass
  counts, moderation state (hidden; awaiting a moderator's approval) and cross-sector
  consensus status.
- ``notes.csv``: one row per note-taker's note.

Rows are streamed (``yield_per``) and written as CSV in chunks; participants appear as
``people.py`` says (pseudonym; display name only with consent). ``datapackage.py``
describes every column.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..activities import activity_type
from ..models import Answer, Comment, Event, Note, WorkshopSession
from ..workshop.consensus import consensus_of, sector_votes
from ..workshop.plan_cache import plan_of
from .common import YIELD_PER, as_sessions, csv_stream, in_log_order, moment
from .people import people

PARTICIPANTS = (
    "session",
    "pseudonym",
    "display_name",
    "sector",
    "table",
    "joined_at",
    "withdrawn",
    "withdrawn_at",
)
STAGES = (
    "session",
    "index",
    "key",
    "title",
    "type",
    "prompt",
    "items",
    "scale_min",
    "scale_max",
    "plan",
    "plan_title",
)
RESPONSES = (
    "session",
    "pseudonym",
    "sector",
    "table",
    "stage",
    "stage_type",
    "item",
    "item_label",
    "value",
    "answered_at",
)
COMMENTS = (
    "session",
    "comment_id",
    "stage",
    "kind",
    "pseudonym",
    "display_name",
    "sector",
    "table",
    "text",
    "agree",
    "disagree",
    "passes",
    "hidden",
    "awaiting",
    "highlighted",
    "consensus",
    "created_at",
)
NOTES = ("session", "note_id", "stage", "table", "author", "text", "shown", "created_at")


# Participants --------------------------------------------------------------------------


def participants_rows(db: Session, sessions) -> Iterator[dict]:
    for session in as_sessions(sessions):
        for person in people(db, session.id).values():
            yield {
                "session": session.code,
                "pseudonym": person.pseudonym,
                "display_name": person.display_name,
                "sector": person.sector,
                "table": person.table,
                "joined_at": moment(person.joined_at),
                "withdrawn": person.withdrawn,
                "withdrawn_at": moment(person.withdrawn_at),
            }


def participants_csv(db: Session, sessions) -> Iterator[str]:
    return csv_stream(PARTICIPANTS, participants_rows(db, sessions))


# Stages --------------------------------------------------------------------------------


def stages_rows(db: Session, sessions) -> Iterator[dict]:
    for session in as_sessions(sessions):
        plan = plan_of(session)
        for index, stage in enumerate(plan.stages):
            activity = stage.activity
            scale = activity.scale  # only a rating stage has one
            yield {
                "session": session.code,
                "index": index,
                "key": stage.key,
                "title": stage.title,
                "type": activity.type,
                "prompt": stage.prompt,
                "items": activity_type(activity.type).item_count(activity, plan),
                "scale_min": scale.min if scale else None,
                "scale_max": scale.max if scale else None,
                "plan": session.plan_slug,
                "plan_title": session.plan_title,
            }


def stages_csv(db: Session, sessions) -> Iterator[str]:
    return csv_stream(STAGES, stages_rows(db, sessions))


# Responses -----------------------------------------------------------------------------


def responses_rows(db: Session, sessions) -> Iterator[dict]:
    for session in as_sessions(sessions):
        plan = plan_of(session)
        who = people(db, session.id)
        answers = db.execute(
            select(Answer.participant_id, Answer.stage_key, Answer.value, Event.at)
            .join(Event, (Event.session_id == Answer.session_id) & (Event.seq == Answer.seq))
            .where(Answer.session_id == session.id)
            .order_by(Answer.seq)
            .execution_options(yield_per=YIELD_PER)
        )
        for participant_id, stage_key, text, at in answers:
            person = who.get(participant_id)
            stage = plan.stage(stage_key)
            if person is None or person.withdrawn or stage is None:
                continue
            kind = activity_type(stage.activity.type)
            for item, label, value in kind.export_items(stage.activity, json.loads(text)):
                yield {
                    "session": session.code,
                    "pseudonym": person.pseudonym,
                    "sector": person.sector,
                    "table": person.table,
                    "stage": stage_key,
                    "stage_type": stage.activity.type,
                    "item": item,
                    "item_label": label,
                    "value": value,
                    "answered_at": moment(at),
                }


def responses_csv(db: Session, sessions) -> Iterator[str]:
    return csv_stream(RESPONSES, responses_rows(db, sessions))


# Comments and statements ---------------------------------------------------------------


def consensus_statuses(db: Session, session: WorkshopSession) -> dict[int, str]:
    """Each voted-on comment's cross-sector consensus status, by the rule the screens use
    (``workshop/consensus.py``, small sectors folded as everywhere); comments nobody voted on
    are ``too_few``."""
    plan = plan_of(session)
    return {
        comment_id: consensus_of(votes, plan.sectors, plan.min_group_size)["status"]
        for comment_id, votes in sector_votes(db, session.id).items()
    }


def comments_rows(db: Session, sessions) -> Iterator[dict]:
    for session in as_sessions(sessions):
        plan = plan_of(session)
        who = people(db, session.id)
        statuses = consensus_statuses(db, session)
        for comment in in_log_order(db, Comment, session):
            person = who.get(comment.participant_id)
            if person is None or person.withdrawn:
                continue
            stage = plan.stage(comment.stage_key)
            statement = stage is not None and activity_type(stage.activity.type).votes_are_results
            yield {
                "session": session.code,
                "comment_id": comment.id,
                "stage": comment.stage_key,
                "kind": "statement" if statement else "comment",
                "pseudonym": person.pseudonym,
                "display_name": person.display_name,
                "sector": person.sector,
                "table": person.table,
                "text": comment.text,
                "agree": comment.agree,
                "disagree": comment.disagree,
                "passes": comment.passes or 0,
                "hidden": comment.hidden,
                # Hidden alone cannot tell a run's comment still waiting for approval from
                # one a moderator rejected.
                "awaiting": comment.awaiting,
                "highlighted": comment.highlighted,
                "consensus": statuses.get(comment.id, "too_few"),
                "created_at": moment(comment.created_at),
            }


def comments_csv(db: Session, sessions) -> Iterator[str]:
    return csv_stream(COMMENTS, comments_rows(db, sessions))


# Notes ---------------------------------------------------------------------------------


def notes_rows(db: Session, sessions) -> Iterator[dict]:
    for session in as_sessions(sessions):
        for note in in_log_order(db, Note, session):
            yield {
                "session": session.code,
                "note_id": note.id,
                "stage": note.stage_key,
                "table": note.table_key,
                "author": note.author,
                "text": note.text,
                "shown": note.shown,
                "created_at": moment(note.created_at),
            }


def notes_csv(db: Session, sessions) -> Iterator[str]:
    return csv_stream(NOTES, notes_rows(db, sessions))


# Each CSV file by name, with its columns.
CSV_FILES = {
    "participants.csv": PARTICIPANTS,
    "stages.csv": STAGES,
    "responses.csv": RESPONSES,
    "comments.csv": COMMENTS,
    "notes.csv": NOTES,
}
