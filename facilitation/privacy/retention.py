"""How long a session's raw data is kept, and the purge that deletes it afterwards.

A session keeps its raw data (the event log, answers, comments, agreements, notes and the
participants' rows) for ``retention_days`` after it ends: the session's own value if the
facilitator shortened it, otherwise the plan's. ``purge`` deletes the raw data of every
ended session whose period has passed, optionally keeping each stage's aggregate counts
first (``KeptAggregate``; with the framework profile, under ``PROFILE_KEPT_KEY``); the
session row itself stays, marked ``purged_at``, so exports
and pages can say what happened and show the counts that were kept.

Participants' rows are deleted, not blanked: a pseudonym with a sector, a table and a
joining time can single someone out in a small workshop, and once the answers are gone
nothing refers to them. The counts that matter are in the kept aggregates.

Time is always passed in (``now``), so tests never wait for a period to pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..activities import activity_type
from ..db import forget_deleted, locked_row, write_lock
from ..errors import Refused
from ..models import (
    Answer,
    Comment,
    Event,
    Invitation,
    KeptAggregate,
    Note,
    Participant,
    Reaction,
    WorkshopSession,
)
from ..opinion import live as opinion_live
from ..whole_numbers import MAX_ID, whole_number
from ..workshop import profile_cache
from ..workshop.aggregates import stage_results
from ..workshop.operations import locked
from ..workshop.plan_cache import plan_of
from ..workshop.profile import PROFILE_KEPT_KEY, session_profile, session_profile_json

# What a purge deletes, in an order that respects the foreign keys.
RAW_TABLES = ("reactions", "answers", "comments", "notes", "events", "participants")


def plan_retention_days(session: WorkshopSession) -> int:
    return plan_of(session).retention_days


def retention_days(session: WorkshopSession) -> int:
    """Days the raw data is kept after the session ends."""
    if session.retention_days is not None:
        return session.retention_days
    return plan_retention_days(session)


def purge_due_at(session: WorkshopSession) -> datetime | None:
    """When the raw data may be deleted: the end plus the retention (None until it ends)."""
    if session.ended_at is None:
        return None
    return clock.aware(session.ended_at) + timedelta(days=retention_days(session))


def is_due(session: WorkshopSession, now: datetime) -> bool:
    due = purge_due_at(session)
    return session.purged_at is None and due is not None and due <= clock.aware(now)


# Shortening ----------------------------------------------------------------------------


def parse_days(text: str | None) -> int:
    """The number of days typed in a form, or ``Refused`` with what to type instead."""
    text = (text or "").strip()
    if not text:
        raise Refused("Give the number of days to keep the raw data, such as 30.")
    days = whole_number(text, 0, MAX_ID)  # too many days is refused by shorten_retention
    if days is None:
        raise Refused("Give the number of days as a whole number, such as 30.")
    return days


def shorten_retention(db: Session, session_id: int, days: int) -> WorkshopSession:
    """Keep the session's raw data for ``days`` after it ends: shorter, never longer.

    Participants are told the retention period when they join, so a period can only be
    shortened; it can never exceed the plan's, nor go back up after a shortening.
    """
    with locked(db, session_id) as session:
        if session.purged_at is not None:
            raise Refused("The raw data of this session has already been deleted.")
        current = retention_days(session)
        if days < 1:
            raise Refused("Keep the raw data for at least 1 day after the session ends.")
        if days > current:
            plan_days = plan_retention_days(session)
            limit = f"the plan's {plan_days} days" if current == plan_days else f"{current} days"
            raise Refused(
                f"The retention period can only be shortened: it is {limit} now, and "
                "participants were told their data is deleted by then."
            )
        session.retention_days = days
    return session


# Purging -------------------------------------------------------------------------------


@dataclass
class Purged:
    """What a purge did (or, in a dry run, would do) to one session."""

    code: str
    ended_at: datetime
    due_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    kept_stages: list[str] = field(default_factory=list)

    def describe(self, dry_run: bool = False) -> str:
        verb = "would delete" if dry_run else "deleted"
        counts = ", ".join(f"{self.counts[name]} {name}" for name in RAW_TABLES)
        line = (
            f"{self.code}: ended {self.ended_at:%Y-%m-%d}, due {self.due_at:%Y-%m-%d}; "
            f"{verb} {counts}"
        )
        if self.kept_stages:
            keep = "would keep" if dry_run else "kept"
            line += f"; {keep} aggregate counts of {len(self.kept_stages)} stages"
        return line


def _raw_counts(db: Session, session_id: int) -> dict[str, int]:
    def count(model, *where) -> int:
        return db.scalar(select(func.count()).select_from(model).where(*where)) or 0

    comment_ids = select(Comment.id).where(Comment.session_id == session_id)
    return {
        "reactions": count(Reaction, Reaction.comment_id.in_(comment_ids)),
        "answers": count(Answer, Answer.session_id == session_id),
        "comments": count(Comment, Comment.session_id == session_id),
        "notes": count(Note, Note.session_id == session_id),
        "events": count(Event, Event.session_id == session_id),
        "participants": count(Participant, Participant.session_id == session_id),
    }


def kept_results(db: Session, session: WorkshopSession, stage) -> dict:
    """A stage's aggregate counts, without any participant's text.

    The counts are the room's results as the projector showed them; statements keep their
    votes but not their wording (that is raw text a participant wrote), and a word cloud
    keeps only the words typed by at least the plan's ``min_group_size`` people: a rarer
    word is one person's text, not a count.
    """
    kind = activity_type(stage.activity.type)
    results = kind.kept(stage_results(db, session, stage), plan_of(session).min_group_size)
    if stage.takes_comments:
        results["comments"] = db.scalar(
            select(func.count())
            .select_from(Comment)
            .where(
                Comment.session_id == session.id,
                Comment.stage_key == stage.key,
                Comment.hidden.is_(False),
            )
        )
    return results


def kept_stages(session: WorkshopSession) -> list:
    """The stages whose counts are kept: those participants answered or commented on."""
    return [
        stage
        for stage in plan_of(session).stages
        if stage.activity.answerable or stage.takes_comments
    ]


def _delete_raw(db: Session, session_id: int) -> None:
    comment_ids = select(Comment.id).where(Comment.session_id == session_id)
    participant_ids = select(Participant.id).where(Participant.session_id == session_id)
    db.execute(
        delete(Reaction).where(
            Reaction.comment_id.in_(comment_ids) | Reaction.participant_id.in_(participant_ids)
        )
    )
    db.execute(delete(Answer).where(Answer.session_id == session_id))
    db.execute(delete(Comment).where(Comment.session_id == session_id))
    db.execute(delete(Note).where(Note.session_id == session_id))
    db.execute(delete(Event).where(Event.session_id == session_id))
    db.execute(delete(Participant).where(Participant.session_id == session_id))
    # A run's invitation codes open nothing once it is purged: they go with the people.
    db.execute(delete(Invitation).where(Invitation.session_id == session_id))


def purge_session(
    db: Session,
    session: WorkshopSession,
    *,
    now: datetime,
    keep_aggregates: bool = False,
    dry_run: bool = False,
) -> Purged:
    """Delete one session's raw data (keeping its stages' counts first, if asked)."""
    purged = Purged(
        code=session.code,
        ended_at=clock.aware(session.ended_at),
        due_at=purge_due_at(session),
        counts=_raw_counts(db, session.id),
    )
    stages = kept_stages(session) if keep_aggregates else []
    purged.kept_stages = [stage.key for stage in stages]
    if dry_run:
        return purged
    with write_lock(db):
        try:
            locked = locked_row(db, WorkshopSession, session.id)
            if locked.purged_at is not None:  # another purge got there first
                db.rollback()
                purged.counts = dict.fromkeys(RAW_TABLES, 0)
                purged.kept_stages = []
                return purged
            purged.counts = _raw_counts(db, session.id)
            db.execute(delete(KeptAggregate).where(KeptAggregate.session_id == session.id))
            for stage in stages:
                db.add(
                    KeptAggregate(
                        session_id=session.id,
                        stage_key=stage.key,
                        results=kept_results(db, locked, stage),
                        created_at=now,
                    )
                )
            if keep_aggregates and plan_of(locked).framework is not None:
                # The framework profile is scores and counts, no one's words, its small
                # groups already folded: kept whole, with its intervals, which could not
                # be computed again without the people behind them.
                db.add(
                    KeptAggregate(
                        session_id=session.id,
                        stage_key=PROFILE_KEPT_KEY,
                        results=session_profile_json(session_profile(db, locked)),
                        created_at=now,
                    )
                )
            _delete_raw(db, session.id)
            locked.purged_at = now
            locked.input_open = False
            locked.revealed = False
            db.commit()
        except BaseException:
            db.rollback()
            raise
    forget_deleted(db)  # committed: now off the disk too (SQLite's -wal file)
    profile_cache.forget(session.id)  # and out of this process's memory
    opinion_live.forget(session.id)  # the opinion groups too (who voted how, as a map)
    return purged


def due_sessions(db: Session, now: datetime) -> list[WorkshopSession]:
    candidates = db.scalars(
        select(WorkshopSession)
        .where(WorkshopSession.ended_at.is_not(None), WorkshopSession.purged_at.is_(None))
        .order_by(WorkshopSession.ended_at, WorkshopSession.id)
    )
    return [session for session in candidates if is_due(session, now)]


def purge(
    db: Session,
    *,
    now: datetime | None = None,
    keep_aggregates: bool = False,
    dry_run: bool = False,
) -> list[Purged]:
    """Purge every ended session whose retention period has passed; what was done."""
    now = clock.aware(now or clock.now())
    return [
        purge_session(db, session, now=now, keep_aggregates=keep_aggregates, dry_run=dry_run)
        for session in due_sessions(db, now)
    ]


def kept_aggregates(db: Session, session_id: int) -> list[KeptAggregate]:
    """The stages' kept counts (the framework profile kept beside them is no stage's:
    exports/profile_csv.py reads it)."""
    return list(
        db.scalars(
            select(KeptAggregate)
            .where(
                KeptAggregate.session_id == session_id,
                KeptAggregate.stage_key != PROFILE_KEPT_KEY,
            )
            .order_by(KeptAggregate.id)
        )
    )
