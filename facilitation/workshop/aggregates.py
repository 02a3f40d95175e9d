"""The room's answers to a stage, summed with one grouped query.

Equal answers are stored as equal canonical JSON, so ``GROUP BY value`` returns each
distinct answer once with its count; each activity type's ``summarise`` folds those few rows.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..activities import activity_type
from ..activities.statements import ranked
from ..models import Answer, Comment, Participant, Reaction, WorkshopSession
from ..plans.model import Stage
from . import profile_stage
from .breakouts import effective_tables
from .plan_cache import plan_of
from .small_groups import NO_GROUP_LABELS, OTHER_GROUPS, OTHER_KEY, fold_crossed, fold_note


def answer_counts(db: Session, session_id: int, stage_key: str) -> list[tuple[dict, int]]:
    rows = db.execute(
        select(Answer.value, func.count())
        .where(Answer.session_id == session_id, Answer.stage_key == stage_key)
        .group_by(Answer.value)
    ).all()
    return [(json.loads(value), count) for value, count in rows]


def participant_count(db: Session, session_id: int) -> int:
    return db.scalar(
        select(func.count())
        .select_from(Participant)
        .where(Participant.session_id == session_id, Participant.withdrawn_at.is_(None))
    )


def commenter_count(db: Session, session_id: int, stage_key: str) -> int:
    return db.scalar(
        select(func.count(func.distinct(Comment.participant_id))).where(
            Comment.session_id == session_id, Comment.stage_key == stage_key
        )
    )


def stage_results(db: Session, session: WorkshopSession, stage: Stage) -> dict:
    """Counts and summaries of the stage's answers; ``answered`` is how many answered."""
    kind = activity_type(stage.activity.type)
    if kind.votes_are_results:  # its answers are the wall's votes
        return statement_results(db, session.id, stage.key)
    if kind.from_framework:  # the framework profile of the answers to other stages
        return profile_stage.room_results(db, session)
    if not kind.answerable:
        return {"answered": commenter_count(db, session.id, stage.key)}
    counts = answer_counts(db, session.id, stage.key)
    results = kind.summarise(stage.activity, plan_of(session), counts)
    results["answered"] = sum(n for _, n in counts)
    return results


def statement_results(db: Session, session_id: int, stage_key: str) -> dict:
    """A statements stage's visible statements, most agreed first, with their votes
    (``statements.ranked`` states the order), how many voted and how many took part."""
    rows = db.execute(
        select(
            Comment.id, Comment.text, Comment.agree, Comment.disagree, Comment.passes, Comment.seq
        ).where(
            Comment.session_id == session_id,
            Comment.stage_key == stage_key,
            Comment.hidden.is_(False),
        )
    ).all()
    on_stage = select(Comment.id).where(
        Comment.session_id == session_id, Comment.stage_key == stage_key
    )
    voters = db.scalar(
        select(func.count(func.distinct(Reaction.participant_id))).where(
            Reaction.comment_id.in_(on_stage)
        )
    )
    authors = select(Comment.participant_id).where(
        Comment.session_id == session_id, Comment.stage_key == stage_key
    )
    reactors = select(Reaction.participant_id).where(Reaction.comment_id.in_(on_stage))
    taking_part = db.scalar(select(func.count()).select_from(authors.union(reactors).subquery()))
    return {"statements": ranked(rows), "voters": voters, "answered": taking_part}


# Breakdowns by sector or table ---------------------------------------------------------------

# The participant's column each breakdown groups by (both hold a NAME, not a key).
_GROUP_COLUMNS = {"sector": Participant.sector, "table": Participant.table_key}


def grouped_answer_counts(
    db: Session, session_id: int, stage_key: str
) -> dict[tuple[str | None, str | None], list[tuple[dict, int]]]:
    """Each (sector, table) cell's distinct answers and their counts: one query grouped
    by the participant's sector and table and the answer. Both breakdowns, and the cells
    that decide which of their groups may show (``small_groups.fold_crossed``), are sums
    of these rows."""
    rows = db.execute(
        select(Participant.sector, Participant.table_key, Answer.value, func.count())
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.session_id == session_id, Answer.stage_key == stage_key)
        .group_by(Participant.sector, Participant.table_key, Answer.value)
    ).all()
    cells: dict[tuple[str | None, str | None], list[tuple[dict, int]]] = {}
    for sector, table, value, count in rows:
        cells.setdefault((sector, table), []).append((json.loads(value), count))
    return cells


def _display_order(names: list[str], found) -> list:
    """``names`` that have answers, then any others by name, then None (no group)."""
    known = [name for name in names if name in found]
    others = sorted(name for name in found if name is not None and name not in names)
    return known + others + ([None] if None in found else [])


def stage_results_by_group(
    db: Session, session: WorkshopSession, stage: Stage, breakdown: str, names: list[str]
) -> list[dict] | None:
    """The groups ``grouped_results`` shows (None when there is nothing to break down)."""
    found = grouped_results(db, session, stage, breakdown, names)
    return None if found is None else found[0]


def grouped_results(
    db: Session, session: WorkshopSession, stage: Stage, breakdown: str, names: list[str]
) -> tuple[list[dict], dict | None] | None:
    """The stage's results per sector or per table, with the room's per-type summaries,
    and the console's note on the groups folded away (``small_groups.fold_note``).

    ``names`` is the breakdown's list in order (the plan's sectors, the session's tables).
    Groups nobody in answered are left out; people with no sector or table make a last
    group (key None). Groups with fewer than the plan's ``min_group_size`` people are
    folded into one "Other groups" group (``small_groups`` states the rule), last.
    None when the activity has no answers to break down.
    """
    kind = activity_type(stage.activity.type)
    if breakdown not in _GROUP_COLUMNS:
        return None
    if kind.from_framework:  # folded, and small scores withheld, by profile.py
        return profile_stage.group_results(db, session, breakdown, names)
    if not kind.answerable:
        return None
    plan = plan_of(session)
    cells = grouped_answer_counts(db, session.id, stage.key)
    # The fold is decided on both breakdowns together, in the same order whichever is on
    # the screen, so switching between them never shows what the other one hides.
    names_of = {"sector": list(plan.sectors), "table": effective_tables(session)}
    names_of[breakdown] = list(names)
    sectors = _display_order(names_of["sector"], {s for s, _ in cells})
    tables = _display_order(names_of["table"], {t for _, t in cells})
    people = {cell: sum(n for _, n in rows) for cell, rows in cells.items()}
    by_sector, by_table = fold_crossed(people, sectors, tables, plan.min_group_size)
    fold = by_sector if breakdown == "sector" else by_table
    at = 0 if breakdown == "sector" else 1
    counts: dict[str | None, list[tuple[dict, int]]] = {}
    for cell, rows in cells.items():
        counts.setdefault(cell[at], []).extend(rows)

    def group(key, label: str, rows: list[tuple[dict, int]]) -> dict:
        results = kind.summarise(stage.activity, plan, rows)
        results["answered"] = sum(n for _, n in rows)
        return {"key": key, "label": label, "answered": results["answered"], "results": results}

    def label(key) -> str:
        return key if key is not None else NO_GROUP_LABELS[breakdown]

    groups = [group(key, label(key), counts[key]) for key in fold.shown]
    if fold.other_shown:
        rows = [row for key in fold.folded for row in counts[key]]
        groups.append({**group(OTHER_KEY, OTHER_GROUPS, rows), "other": True})
    return groups, fold_note(fold, label, "tables" if breakdown == "sector" else "sectors")
