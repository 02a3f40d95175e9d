"""The room's answers to a stage, summed with one grouped query.

Equal answers are stored as equal canonical JSON, so ``GROUP BY value`` returns each
distinct answer once with its count; the per-type summaries below fold those few rows.
"""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Answer, Comment, Participant, WorkshopSession
from ..plans.model import TRAFFIC_LIGHT_LABELS, TRAFFIC_LIGHTS, Activity, Plan, Stage
from .plan_cache import plan_of


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


_SUMMARIES = {
    "sector": _sector,
    "choice": _choice,
    "rating": _rating,
    "traffic_light": _traffic_light,
    "ranking": _ranking,
}
