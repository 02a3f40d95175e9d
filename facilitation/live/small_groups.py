"""No breakdown singles anyone out: the one rule every breakdown goes through.

The join page promises that the facilitator sees counts, never who answered what. A
breakdown by sector or table (or a series' sessions side by side) would break that promise
whenever a group is small: "Health · 1 person" is that person's answer, and a badge
"Health 1–0" is how they voted. So every breakdown passes its groups through
``fold_small_groups`` before anything is drawn or sent:

- a group shows on its own only when at least ``min_group_size`` people (the plan's
  setting, default 3) are in its numbers;
- smaller groups are folded together into one "Other groups" group, shown only when it
  reaches the size as well;
- the folded remainder is never left between 1 and ``min_group_size - 1`` people while
  other groups show: the room's own totals are on every screen, so the room minus the
  groups shown WOULD be that remainder's answers. The smallest shown group is folded in
  too until the remainder is empty or big enough (or nothing is left to fold, when the
  whole breakdown is smaller than the size and nothing of it is shown).

A group's "size" is the number of people behind its numbers (who answered the stage, or
voted on the comment), not how many people sit in it: a sector of ten where one person
answered would show that one person's answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..plans.model import DEFAULT_MIN_GROUP_SIZE

T = TypeVar("T")

OTHER_GROUPS = "Other groups"
OTHER_KEY = "__other__"  # the key of the folded group; ``"other": True`` marks it as well


@dataclass(frozen=True)
class Fold(Generic[T]):
    """Which groups a breakdown may show, and what happened to the rest."""

    min_size: int
    shown: list[T]  # shown on their own, in the order given
    small: list[T] = field(default_factory=list)  # below the size: folded into Other groups
    also: list[T] = field(default_factory=list)  # big enough, folded so ``small`` stays hidden
    other_size: int = 0  # people in Other groups

    @property
    def folded(self) -> list[T]:
        return self.small + self.also

    @property
    def other_shown(self) -> bool:
        """Whether "Other groups" is shown (it holds at least ``min_size`` people)."""
        return self.other_size >= self.min_size

    @property
    def hidden(self) -> list[T]:
        """Groups whose numbers are shown nowhere, not even inside Other groups."""
        return [] if self.other_shown else self.folded


def fold_small_groups(
    groups: Sequence[T],
    size: Callable[[T], int],
    min_size: int = DEFAULT_MIN_GROUP_SIZE,
    *,
    total_shown: bool = True,
) -> Fold[T]:
    """Split ``groups`` (in display order) into those shown and those folded (rule above).

    Groups of size 0 have no numbers to show and are left out. ``total_shown=False`` when
    no total over all the groups is shown anywhere (a series' sessions: there is no
    series-wide result to subtract from), so no big group needs folding in with the small.
    """
    min_size = max(int(min_size), 1)
    present = [g for g in groups if size(g) > 0]
    shown = [g for g in present if size(g) >= min_size]
    small = [g for g in present if size(g) < min_size]
    also: list[T] = []
    rest = sum(size(g) for g in small)
    while total_shown and 0 < rest < min_size and shown:
        # The smallest shown group (the later one of equal size) joins the remainder.
        pick = min(reversed(shown), key=size)
        shown.remove(pick)
        also.append(pick)
        rest += size(pick)
    order = {id(g): i for i, g in enumerate(present)}
    also.sort(key=lambda g: order[id(g)])
    return Fold(min_size, shown, small, also, rest)


def fold_note(fold: Fold, label: Callable[[object], str]) -> dict | None:
    """What the facilitator's console says about a fold (None when every group shows).

    ``small``: groups below the size; ``also``: groups folded so those stay hidden;
    ``other_shown``: whether "Other groups" is on the screen.
    """
    if not fold.folded:
        return None
    return {
        "min_group_size": fold.min_size,
        "small": [label(g) for g in fold.small],
        "also": [label(g) for g in fold.also],
        "other_shown": fold.other_shown,
    }
