"""The room's answers to a stage, summed with one grouped query.

Equal answers are stored as equal canonical JSON, so ``GROUP BY value`` returns each
distinct answer once with its count; the per-type summaries below fold those few rows.
"""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Answer, Comment, Participant, Reaction, WorkshopSession
from ..plans.model import TRAFFIC_LIGHT_LABELS, TRAFFIC_LIGHTS, Activity, Plan, Stage
from .activities import axes_view, grid_items
from .breakouts import effective_tables
from .plan_cache import plan_of
from .small_groups import OTHER_GROUPS, OTHER_KEY, fold_crossed, fold_note
from .words import count_words


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
    plan = plan_of(session)
    if stage.activity.type == "statements":  # its answers are the wall's votes
        return statement_results(db, session.id, stage.key)
    summarise = _SUMMARIES.get(stage.activity.type)
    if summarise is None:
        return {"answered": commenter_count(db, session.id, stage.key)}
    counts = answer_counts(db, session.id, stage.key)
    results = summarise(stage.activity, plan, counts)
    results["answered"] = sum(n for _, n in counts)
    return results


def _options(labels: list[tuple[str, str]], tally: Counter) -> dict:
    return {"options": [{"key": k, "label": label, "count": tally[k]} for k, label in labels]}


def _sector(_activity: Activity, plan: Plan, counts) -> dict:
    tally = Counter()
    for value, n in counts:
        tally[value["sector"]] += n
    return _options([(s, s) for s in plan.sectors], tally)


def _choice(activity: Activity, _plan: Plan, counts) -> dict:
    tally = Counter()
    for value, n in counts:
        for key in value["choices"]:
            tally[key] += n
    return _options([(i.key, i.label) for i in activity.items], tally)


def _quantile(distribution: dict[int, int], q: float) -> float | None:
    """The q-quantile of a distribution of whole-number ratings (linear interpolation)."""
    values = [point for point, n in sorted(distribution.items()) for _ in range(n)]
    if not values:
        return None
    position = q * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _rating(activity: Activity, _plan: Plan, counts) -> dict:
    points = list(activity.scale.points)
    tallies = {i.key: Counter() for i in activity.items}
    for value, n in counts:
        for key, rating in value["ratings"].items():
            tallies[key][rating] += n
    items = []
    for item in activity.items:
        distribution = {p: tallies[item.key][p] for p in points}
        total = sum(distribution.values())
        items.append(
            {
                "key": item.key,
                "label": item.label,
                "counts": {str(p): c for p, c in distribution.items()},
                "n": total,
                "mean": round(sum(p * c for p, c in distribution.items()) / total, 2)
                if total
                else None,
                "median": _quantile(distribution, 0.5),
                "q1": _quantile(distribution, 0.25),
                "q3": _quantile(distribution, 0.75),
            }
        )
    return {"items": items, "points": points}


def _traffic_light(activity: Activity, _plan: Plan, counts) -> dict:
    tallies = {i.key: Counter() for i in activity.items}
    for value, n in counts:
        for key, light in value["lights"].items():
            tallies[key][light] += n
    return {
        "lights": [{"key": k, "label": TRAFFIC_LIGHT_LABELS[k]} for k in TRAFFIC_LIGHTS],
        "items": [
            {
                "key": item.key,
                "label": item.label,
                **{light: tallies[item.key][light] for light in TRAFFIC_LIGHTS},
                "n": sum(tallies[item.key].values()),
            }
            for item in activity.items
        ],
    }


def _ranking(activity: Activity, _plan: Plan, counts) -> dict:
    size = len(activity.items)
    borda, rank_sum, voters = Counter(), Counter(), 0
    for value, n in counts:
        voters += n
        for position, key in enumerate(value["order"]):
            borda[key] += (size - 1 - position) * n
            rank_sum[key] += (position + 1) * n
    items = [
        {
            "key": item.key,
            "label": item.label,
            "borda": borda[item.key],
            "mean_rank": round(rank_sum[item.key] / voters, 2) if voters else None,
        }
        for item in activity.items
    ]
    items.sort(key=lambda item: -item["borda"])
    return {"items": items, "voters": voters}


def _points(activity: Activity, _plan: Plan, counts) -> dict:
    totals, givers, voters = Counter(), Counter(), 0
    for value, n in counts:
        voters += n
        for key, spent in value["points"].items():
            totals[key] += spent * n
            givers[key] += n
    items = [
        {"key": i.key, "label": i.label, "total": totals[i.key], "voters": givers[i.key]}
        for i in activity.items
    ]
    items.sort(key=lambda item: -item["total"])  # stable: equal totals keep the plan's order
    return {"items": items, "voters": voters, "budget": activity.points}


def _grid(activity: Activity, _plan: Plan, counts) -> dict:
    items = grid_items(activity)
    cells = {i.key: Counter() for i in items}
    for value, n in counts:
        for key, (x, y) in value["cells"].items():
            cells[key][(x, y)] += n
    summaries = []
    for item in items:
        tally = cells[item.key]
        n = sum(tally.values())
        summaries.append(
            {
                "key": item.key,
                "label": item.label,
                "cells": [
                    {"x": x, "y": y, "count": count} for (x, y), count in sorted(tally.items())
                ],
                "n": n,
                "mean_x": round(sum(x * c for (x, _), c in tally.items()) / n, 2) if n else None,
                "mean_y": round(sum(y * c for (_, y), c in tally.items()) / n, 2) if n else None,
            }
        )
    return {"items": summaries, "size": activity.size, "axes": axes_view(activity)}


def _word_cloud(activity: Activity, _plan: Plan, counts) -> dict:
    return {
        "words": count_words((value["text"], n) for value, n in counts),
        "voters": sum(n for _, n in counts),
        "max_words": activity.max_words,
    }


def agreement(agree: int, disagree: int, passes: int) -> float | None:
    """The share of a statement's votes that agree (a pass is a vote that does not)."""
    votes = agree + disagree + passes
    return round(agree / votes, 3) if votes else None


def statement_results(db: Session, session_id: int, stage_key: str) -> dict:
    """A statements stage's visible statements, most agreed first, with their votes.

    Ranked by the share of votes that agree; equal shares by the number agreeing, then
    the older statement first. Statements nobody has voted on yet come last.
    """
    rows = db.execute(
        select(
            Comment.id, Comment.text, Comment.agree, Comment.disagree, Comment.passes, Comment.seq
        ).where(
            Comment.session_id == session_id,
            Comment.stage_key == stage_key,
            Comment.hidden.is_(False),
        )
    ).all()
    statements = [
        {
            "id": cid,
            "text": text,
            "agree": agree,
            "disagree": disagree,
            "passes": passes,
            "votes": agree + disagree + passes,
            "agreement": agreement(agree, disagree, passes),
            "seq": seq,
        }
        for cid, text, agree, disagree, passes, seq in rows
    ]
    statements.sort(
        key=lambda s: (s["agreement"] is None, -(s["agreement"] or 0), -s["agree"], s["seq"])
    )
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
    return {"statements": statements, "voters": voters, "answered": taking_part}


_SUMMARIES = {
    "sector": _sector,
    "choice": _choice,
    "rating": _rating,
    "traffic_light": _traffic_light,
    "ranking": _ranking,
    "points": _points,
    "grid": _grid,
    "word_cloud": _word_cloud,
}


# Breakdowns by sector or table ---------------------------------------------------------------

# The participant's column each breakdown groups by (both hold a NAME, not a key).
_GROUP_COLUMNS = {"sector": Participant.sector, "table": Participant.table_key}
NO_GROUP_LABELS = {"sector": "No sector given", "table": "No table yet"}


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
    summarise = _SUMMARIES.get(stage.activity.type)
    if summarise is None or breakdown not in _GROUP_COLUMNS:
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
        results = summarise(stage.activity, plan, rows)
        results["answered"] = sum(n for _, n in rows)
        return {"key": key, "label": label, "answered": results["answered"], "results": results}

    def label(key) -> str:
        return key if key is not None else NO_GROUP_LABELS[breakdown]

    groups = [group(key, label(key), counts[key]) for key in fold.shown]
    if fold.other_shown:
        rows = [row for key in fold.folded for row in counts[key]]
        groups.append({**group(OTHER_KEY, OTHER_GROUPS, rows), "other": True})
    return groups, fold_note(fold, label, "tables" if breakdown == "sector" else "sectors")
