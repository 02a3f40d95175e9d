"""The one call the live side and the exports make: groups, then what each group thinks.

Kept apart from ``groups`` and ``statements`` so the callers depend on one function and
one result type, whatever the steps inside become.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..plans.model import Plan, Stage
from .groups import Grouping, Settings, find_groups, one_thread
from .matrix import VoteMatrix
from .statements import Analysis, analyse


def settings_for(plan: Plan, stage: Stage) -> Settings | None:
    """The settings ``stage``'s groups are computed with, live and in the exports alike;
    None when it has none (not a statements stage, or ``opinion_groups: false``). No group
    is smaller than the plan's minimum group size: a group's figures are its members'
    votes, and a group of two would single them out."""
    chosen = stage.activity.opinion_groups
    if chosen is None:
        return None
    return Settings(
        min_votes=chosen.min_votes,
        min_people=chosen.min_people,
        min_group_size=plan.min_group_size,
    )


@dataclass(frozen=True)
class OpinionResult:
    grouping: Grouping
    analysis: Analysis | None  # None unless the groups formed


def compute(
    matrix: VoteMatrix, settings: Settings | None = None, previous: Grouping | None = None
) -> OpinionResult:
    """Group the room (stable letters from ``previous``) and analyse the statements."""
    settings = settings or Settings()
    with one_thread():
        grouping = find_groups(matrix, settings, previous)
        formed = grouping.status == "formed"
        analysis = analyse(matrix, grouping, settings.min_group_size) if formed else None
    return OpinionResult(grouping, analysis)
