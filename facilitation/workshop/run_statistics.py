"""What a run's dashboard counts: responses over time, completion per stage, drop-off,
the moderation queue and the invitations, each in one grouped query.

Read-only, for facilitator/run_views.py. A public consultation may have 20,000 people and
half a million events, so nothing here loops over rows in Python: the database groups and
counts (the hourly buckets too), and Python only lays out the few rows that come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..activities import activity_type
from ..models import Answer, Comment, Event, Invitation, Participant, WorkshopSession
from . import runs
from .plan_cache import plan_of

JOINED, ANSWERED = "participant.joined", "answer.submitted"
# A run shorter than this is counted per hour, a longer one per day.
HOURLY_UP_TO = timedelta(days=3)
QUEUE_SHOWN = 100  # the oldest comments awaiting approval listed at once


def run_status(session: WorkshopSession, now: datetime | None = None) -> str:
    """``scheduled`` (not open yet), ``open`` or ``closed``."""
    refusal = runs.window_refusal(session, now)
    if refusal is None:
        return "open"
    return "scheduled" if refusal == runs.NOT_OPEN_YET else "closed"


@dataclass(frozen=True)
class Bucket:
    start: datetime  # in UTC
    joins: int
    answers: int


@dataclass(frozen=True)
class Timeline:
    unit: str  # "hour" or "day"
    buckets: list[Bucket]


def _bucket_expression(db: Session, unit: str):
    """The start (UTC) of the hour or day an event falls in, for the database to group by."""
    if db.get_bind().dialect.name == "postgresql":
        return func.date_trunc(unit, func.timezone("UTC", Event.at))  # UTC, without a zone
    # SQLite keeps moments as UTC text: 'YYYY-MM-DD HH:MM:SS...'.
    return func.strftime("%Y-%m-%d %H:00" if unit == "hour" else "%Y-%m-%d 00:00", Event.at)


def timeline(db: Session, session: WorkshopSession, now: datetime | None = None) -> Timeline:
    """Joins and answers per hour (a run of up to three days) or per day, from its opening
    to now or its close, empty hours or days included so the chart's gaps are real."""
    now = now or clock.now()
    opens_at = clock.aware(session.opens_at) or clock.aware(session.created_at)
    ends_at = min(now, clock.aware(session.closes_at) or now)
    if session.ended_at is not None:
        ends_at = min(ends_at, clock.aware(session.ended_at))
    unit = "hour" if ends_at - opens_at <= HOURLY_UP_TO else "day"
    bucket = _bucket_expression(db, unit)
    rows = db.execute(
        select(bucket, Event.type, func.count())
        .where(Event.session_id == session.id, Event.type.in_((JOINED, ANSWERED)))
        .group_by(bucket, Event.type)
    ).all()
    counts: dict[datetime, dict[str, int]] = {}
    for start, kind, count in rows:
        if isinstance(start, str):
            start = datetime.strptime(start, "%Y-%m-%d %H:%M")
        moment = start.replace(tzinfo=UTC)
        counts.setdefault(moment, {})[kind] = count
    step = timedelta(hours=1) if unit == "hour" else timedelta(days=1)
    first = opens_at.replace(minute=0, second=0, microsecond=0)
    if unit == "day":
        first = first.replace(hour=0)
    if counts:
        first = min(first, min(counts))
    last = max([ends_at, *counts]) if counts else ends_at
    buckets = []
    moment = first
    while moment <= last and len(buckets) < 400:  # a year of days at most (MAX_RUN_DAYS)
        found = counts.get(moment, {})
        buckets.append(Bucket(moment, found.get(JOINED, 0), found.get(ANSWERED, 0)))
        moment += step
    return Timeline(unit, buckets)


@dataclass(frozen=True)
class StageCount:
    index: int
    key: str
    title: str
    asks: bool  # the stage asks something (answers, or comments as its answers)
    answered: int | None  # people who answered it (None: it asks nothing)
    stopped: int  # people whose furthest stage is this one


@dataclass(frozen=True)
class Progress:
    joined: int  # taking part (withdrawn people left out: their answers are gone)
    finished: int  # reached the last stage
    stages: list[StageCount]


def progress(db: Session, session: WorkshopSession) -> Progress:
    """Completion per stage (who answered it, of those who joined) and drop-off (how many
    got no further than each stage), in three grouped queries."""
    plan = plan_of(session)
    taking_part = (Participant.session_id == session.id, Participant.withdrawn_at.is_(None))
    furthest = dict(
        db.execute(
            select(Participant.furthest_index, func.count())
            .where(*taking_part)
            .group_by(Participant.furthest_index)
        ).all()
    )
    answers = dict(
        db.execute(
            select(Answer.stage_key, func.count())
            .where(Answer.session_id == session.id)
            .group_by(Answer.stage_key)
        ).all()
    )
    # Stages whose answers are comments (open text): people who wrote at least one.
    commenters = dict(
        db.execute(
            select(Comment.stage_key, func.count(func.distinct(Comment.participant_id)))
            .where(Comment.session_id == session.id)
            .group_by(Comment.stage_key)
        ).all()
    )
    stages = []
    for index, stage in enumerate(plan.stages):
        kind = activity_type(stage.activity.type)
        if kind.answerable:
            answered = answers.get(stage.key, 0)
        elif kind.asks_people:
            answered = commenters.get(stage.key, 0)
        else:
            answered = None
        stages.append(
            StageCount(
                index,
                stage.key,
                stage.title,
                answered is not None,
                answered,
                furthest.get(index, 0),
            )
        )
    last = len(plan.stages) - 1
    return Progress(sum(furthest.values()), furthest.get(last, 0), stages)


@dataclass(frozen=True)
class Waiting:
    id: int
    stage_title: str
    text: str
    created_at: datetime


def _awaiting(session: WorkshopSession) -> tuple:
    return (Comment.session_id == session.id, Comment.awaiting.is_(True))


def awaiting_count(db: Session, session: WorkshopSession) -> int:
    """How many comments await approval."""
    return db.scalar(select(func.count()).select_from(Comment).where(*_awaiting(session)))


def moderation_queue(db: Session, session: WorkshopSession) -> list[Waiting]:
    """The oldest ``QUEUE_SHOWN`` comments awaiting approval, each with its stage's title."""
    plan = plan_of(session)
    rows = db.execute(
        select(Comment.id, Comment.stage_key, Comment.text, Comment.created_at)
        .where(*_awaiting(session))
        .order_by(Comment.created_at, Comment.id)
        .limit(QUEUE_SHOWN)
    ).all()
    titles = {stage.key: stage.title for stage in plan.stages}
    return [
        Waiting(cid, titles.get(key, key), text, clock.aware(created))
        for cid, key, text, created in rows
    ]


@dataclass(frozen=True)
class InvitationCounts:
    made: int
    used: int


def invitation_counts(db: Session, session: WorkshopSession) -> InvitationCounts:
    made, used = db.execute(
        select(func.count(), func.count().filter(Invitation.used)).where(
            Invitation.session_id == session.id
        )
    ).one()
    return InvitationCounts(made, used)


def unused_invitations(db: Session, session: WorkshopSession) -> list[str]:
    return list(
        db.scalars(
            select(Invitation.code)
            .where(Invitation.session_id == session.id, Invitation.used.is_(False))
            .order_by(Invitation.id)
        )
    )
