"""The activity registry: each activity type's name mapped to the one object that knows it.

A type lives in its own module here (``choice.py``, ``word_cloud.py``, ...) as a subclass
of ``base.ActivityType``; this module imports each one explicitly and lists them in the
order a plan's reader meets them. The rest of the app asks ``activity_type(name)`` and
never switches on a type's name. docs/activities.md shows how to add one.
"""

from __future__ import annotations

from ..charts import with_template
from . import (
    choice,
    grid,
    info,
    open_text,
    points,
    profile,
    ranking,
    rating,
    scenario,
    sector,
    slides,
    statements,
    traffic_light,
    word_cloud,
)
from .base import ActivityType, Table

REGISTRY: dict[str, ActivityType] = {
    kind.name: kind
    for kind in (
        info.TYPE,
        slides.TYPE,
        scenario.TYPE,
        sector.TYPE,
        choice.TYPE,
        rating.TYPE,
        traffic_light.TYPE,
        ranking.TYPE,
        open_text.TYPE,
        points.TYPE,
        grid.TYPE,
        word_cloud.TYPE,
        statements.TYPE,
        profile.TYPE,
    )
}
# The names a plan's ``type:`` may take, and those of the types phones answer (the exports'
# enums, the tests' walks over every type).
ACTIVITY_TYPES = tuple(REGISTRY)
ANSWERABLE_TYPES = tuple(name for name, kind in REGISTRY.items() if kind.answerable)

__all__ = [
    "ACTIVITY_TYPES",
    "ANSWERABLE_TYPES",
    "REGISTRY",
    "ActivityType",
    "Table",
    "activity_type",
    "all_types",
    "stage_figure",
    "type_labels",
    "type_names",
]


def activity_type(name: str) -> ActivityType:
    """The type named ``name`` (a plan's ``type:``); ``KeyError`` for a name not registered."""
    return REGISTRY[name]


def all_types() -> tuple[ActivityType, ...]:
    """Every type, in the plan format's order."""
    return tuple(REGISTRY.values())


def type_names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def type_labels() -> dict[str, str]:
    """Each type's name for people, by type name, in the language of the request."""
    return {name: str(kind.label) for name, kind in REGISTRY.items()}


def stage_figure(name: str, results: dict) -> dict | None:
    """The figure of a stage of type ``name`` as the pages draw it (with plotly's
    template), or None for a type without a chart."""
    return with_template(activity_type(name).figure(results))
