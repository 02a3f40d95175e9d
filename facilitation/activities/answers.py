"""Checks the answer cleaners of several activity types share (``ActivityType.clean``).

Each raises ``Refused`` with a message a person can read; the type modules compose them.
"""

from __future__ import annotations

from ..errors import Refused
from ..plans.model import Activity


def only(value: dict, field: str, shape: str):
    """The answer's one field (``{field: ...}`` and nothing else)."""
    if set(value) != {field}:
        raise Refused(f"The answer must be {{'{field}': {shape}}}.")
    return value[field]


def item_keys(activity: Activity) -> list[str]:
    return [item.key for item in activity.items]


def known_items(given: dict, keys: list[str]) -> None:
    """Refuses the first key of ``given`` that is not one of ``keys``."""
    unknown = [k for k in given if k not in keys]
    if unknown:
        raise Refused(f"Unknown item: {unknown[0]!r}.")


def keyed(value: dict, field: str, activity: Activity, check) -> dict:
    """``{field: {item key: answer}}`` for at least one item, each answer ``check``-ed,
    in the plan's order of items."""
    given = only(value, field, "an object keyed by item")
    if not isinstance(given, dict) or not given:
        raise Refused("Please answer at least one item.")
    keys = item_keys(activity)
    known_items(given, keys)
    return {field: {k: check(given[k]) for k in keys if k in given}}


def whole(value) -> bool:
    """A whole number (JSON's ``true`` is not one, though Python counts it as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)
