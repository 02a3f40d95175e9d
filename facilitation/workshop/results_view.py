"""A stage's results as every page shows them: the summary, its figure and its table.

The transport (live/broadcast.py) adds who is connected and the sequence number and sends
this; the room's view and each group's of a breakdown are built here, once, by the
stage's activity type (``summarise``, ``figure``, ``table``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..activities import activity_type, stage_figure
from ..charts_breakdown import breakdown_figure
from ..models import WorkshopSession
from ..plans.model import Stage
from .aggregates import grouped_results
from .breakouts import effective_tables
from .plan_cache import plan_of


def results_table(stage: Stage, results: dict) -> dict | None:
    """The results as the one table every page renders (``ActivityType.table``), as JSON."""
    table = activity_type(stage.activity.type).table(stage, results)
    return None if table is None else table.as_json()


def room_view(results: dict, stage: Stage) -> dict:
    """The room's ``results`` with their ``figure`` and ``table``."""
    return {
        "results": results,
        "figure": stage_figure(stage.activity.type, results),
        "table": results_table(stage, results),
    }


def breakdown_view(
    db: Session, session: WorkshopSession, stage: Stage, breakdown: str, room: dict
) -> dict:
    """``groups`` (results per sector or table, small ones folded: workshop/small_groups.py),
    each with its table, ``folded`` (why some groups are not shown, for the console) and,
    when the activity has one, the grouped ``figure`` in place of the room's."""
    if breakdown == "sector":
        names = list(plan_of(session).sectors)
    else:
        names = effective_tables(session)
    found = grouped_results(db, session, stage, breakdown, names)
    if found is None:
        return {}
    groups, folded = found
    for group in groups:
        group["table"] = results_table(stage, group["results"])
    fields = {"groups": groups, "folded": folded}
    figure = breakdown_figure(stage.activity.type, groups, breakdown, room)
    if figure is not None:
        fields["figure"] = figure
    return fields
