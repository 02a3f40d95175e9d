"""What the points, grid, word cloud and statements activities add to a stage's view.

Validation of their answers lives in ``payloads.py``, their summaries in ``aggregates.py``
and their charts in ``charts.py``, next to the other activities'; this module holds what
those share.
"""

from __future__ import annotations

from ..plans.model import GRID_SCENARIO_ITEM, Activity, Axis, GridAxes, Item

# The whole room reads the projector: a word cloud shows at most this many words.
WORD_CLOUD_MAX_CHARS = 80


def grid_items(activity: Activity) -> tuple[Item, ...]:
    """What the room places on a grid: its items, or the scenario itself when it has none."""
    return activity.items or (GRID_SCENARIO_ITEM,)


def grid_axes(activity: Activity) -> GridAxes:
    return activity.axes or GridAxes()


def _axis(axis: Axis) -> dict:
    return {"label": axis.label, "low": axis.low, "high": axis.high}


def axes_view(activity: Activity) -> dict:
    axes = grid_axes(activity)
    return {"x": _axis(axes.x), "y": _axis(axes.y)}


def stage_extras(activity: Activity) -> dict:
    """The fields of ``state.stage`` a phone needs to draw these activities."""
    if activity.type == "points":
        return {"points": activity.points}
    if activity.type == "grid":
        return {
            "axes": axes_view(activity),
            "size": activity.size,
            "items": [
                {"key": i.key, "label": i.label, "description": i.description}
                for i in grid_items(activity)
            ],
        }
    if activity.type == "word_cloud":
        return {"max_words": activity.max_words, "max_chars": WORD_CLOUD_MAX_CHARS}
    return {}
