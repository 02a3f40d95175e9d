"""``profile.csv``: each session's framework profile (docs/framework.md), one row per score.

One row per (breakdown, group, part, stage): the room's profile (breakdown ``room``), then
each sector's and each table's, as the console shows them (small groups folded into
"Other groups", scores behind too few people withheld), except a breakdown that only
repeats the room (``repeats_the_room``). ``part`` is ``test``, ``feature`` or
``acceptability``. Only sessions whose plan declares a ``framework:`` have rows. A
session whose raw data was purged has the profile kept at the purge, when the purge kept
aggregates (``privacy/retention.py``); otherwise none. ``datapackage.py`` describes every
column.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import KeptAggregate, WorkshopSession
from ..workshop.plan_cache import plan_of
from ..workshop.profile import PROFILE_KEPT_KEY, session_profile, session_profile_json
from .common import csv_stream

COLUMNS = (
    "session",
    "breakdown",
    "group",
    "part",
    "stage",
    "title",
    "n",
    "score",
    "ci_low",
    "ci_high",
    "share_met",
    "share_partly",
    "share_not_met",
    "median",
    "q1",
    "q3",
    "withheld",
)
ACCEPTABILITY_TITLE = "Acceptability score"
DECIMALS = 4  # scores 0-100 and shares 0-1: far finer than any interval


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS)


def has_profile(db: Session, sessions: list[WorkshopSession]) -> bool:
    """Whether any of ``sessions`` ran a plan with a framework."""
    return any(plan_of(session).framework is not None for session in sessions)


def kept_profile(db: Session, session: WorkshopSession) -> dict | None:
    """The profile a purge kept of ``session`` (``session_profile_json``), if it kept one."""
    return db.scalar(
        select(KeptAggregate.results).where(
            KeptAggregate.session_id == session.id, KeptAggregate.stage_key == PROFILE_KEPT_KEY
        )
    )


def profile_data(db: Session, session: WorkshopSession) -> dict | None:
    """The session's profile as plain data: computed from its answers, or as kept at a
    purge; None when its plan has no framework or nothing was kept."""
    if plan_of(session).framework is None:
        return None
    if session.purged_at is not None:
        return kept_profile(db, session)
    return session_profile_json(session_profile(db, session))


def _score_rows(plan, profile: dict) -> Iterator[dict]:
    def title(key: str) -> str | None:
        stage = plan.stage(key)
        return stage.title if stage is not None else None

    def common(score: dict) -> dict:
        interval = score.get("interval") or {}
        return {
            "n": score["n"],
            "score": _number(score["score"]),
            "ci_low": _number(interval.get("low")),
            "ci_high": _number(interval.get("high")),
            "withheld": score.get("withheld", False),
        }

    for test in profile["tests"]:
        shares = test.get("shares") or {}
        yield {
            "part": "test",
            "stage": test["stage"],
            "title": title(test["stage"]),
            **common(test),
            "share_met": _number(shares.get("met")),
            "share_partly": _number(shares.get("partly")),
            "share_not_met": _number(shares.get("not_met")),
        }
    for feature in profile["features"]:
        yield {
            "part": "feature",
            "stage": feature["stage"],
            "title": title(feature["stage"]),
            **common(feature),
            "median": _number(feature.get("median")),
            "q1": _number(feature.get("q1")),
            "q3": _number(feature.get("q3")),
        }
    yield {
        "part": "acceptability",
        "stage": None,
        "title": ACCEPTABILITY_TITLE,
        **common(profile["acceptability"]),
    }


def repeats_the_room(breakdown: dict, room: dict) -> bool:
    """Whether a breakdown's only group is everyone, under no name of its own: "No table
    yet" when nobody sits at a table (every self-paced run, a workshop without tables), "No
    sector given" when nobody gave one, or "Other groups" when every sector is smaller than
    min_group_size. Its rows would be the room's again, read as if they were a group's."""
    shown = breakdown["groups"]
    if len(shown) != 1:
        return False
    only = shown[0]
    unnamed = only["key"] is None or only.get("other", False)
    return unnamed and only["profile"]["n"] == room["n"]


def profile_rows(db: Session, sessions: list[WorkshopSession]) -> Iterator[dict]:
    for session in sessions:
        data = profile_data(db, session)
        if data is None:
            continue
        plan = plan_of(session)
        for row in _score_rows(plan, data["room"]):
            yield {"session": session.code, "breakdown": "room", "group": None, **row}
        for breakdown in (data["by_sector"], data["by_table"]):
            if repeats_the_room(breakdown, data["room"]):
                continue
            for group in breakdown["groups"]:
                for row in _score_rows(plan, group["profile"]):
                    yield {
                        "session": session.code,
                        "breakdown": breakdown["by"],
                        "group": group["label"],
                        **row,
                    }


def profile_csv(db: Session, sessions: list[WorkshopSession]) -> Iterator[str]:
    return csv_stream(COLUMNS, profile_rows(db, sessions))
