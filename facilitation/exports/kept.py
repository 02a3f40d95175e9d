"""``kept_aggregates.csv``: the aggregate counts kept when a session's raw data was purged.

After ``flask --app facilitation purge --keep-aggregates`` a session has no events,
answers, comments, notes or participants left; what remains of its results is one row per
stage participants answered or commented on, with the counts the projector showed (no
participant text). A session that has not been purged has no rows here: its results are in
the other files. (The framework profile kept at the purge is in ``profile.csv``.) Opinion
groups are not kept: they are found from each person's votes (``opinion_csv.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import KeptAggregate, WorkshopSession
from ..workshop.plan_cache import plan_of
from ..workshop.profile import PROFILE_KEPT_KEY
from .common import csv_stream, moment

COLUMNS = (
    "session",
    "purged_at",
    "stage",
    "stage_title",
    "activity",
    "answered",
    "comments",
    "results",
)


def kept_rows(db: Session, sessions: list[WorkshopSession]) -> Iterator[dict]:
    for session in sessions:
        if session.purged_at is None:
            continue
        stages = {stage.key: stage for stage in plan_of(session).stages}
        kept = db.scalars(
            select(KeptAggregate)
            .where(
                KeptAggregate.session_id == session.id,
                KeptAggregate.stage_key != PROFILE_KEPT_KEY,  # in profile.csv
            )
            .order_by(KeptAggregate.id)
        )
        for row in kept:
            stage = stages.get(row.stage_key)
            results = row.results or {}
            yield {
                "session": session.code,
                "purged_at": moment(session.purged_at),
                "stage": row.stage_key,
                "stage_title": stage.title if stage else None,
                "activity": stage.activity.type if stage else None,
                "answered": results.get("answered"),
                "comments": results.get("comments"),
                "results": json.dumps(results, ensure_ascii=False, sort_keys=True),
            }


def has_kept_aggregates(db: Session, sessions: list[WorkshopSession]) -> bool:
    """Whether any of ``sessions`` was purged with its aggregate counts kept."""
    purged = [session.id for session in sessions if session.purged_at is not None]
    if not purged:  # the common case, without a query
        return False
    found = db.scalar(select(KeptAggregate.id).where(KeptAggregate.session_id.in_(purged)).limit(1))
    return found is not None


def kept_aggregates_csv(db: Session, sessions: list[WorkshopSession]) -> Iterator[str]:
    return csv_stream(COLUMNS, kept_rows(db, sessions))
