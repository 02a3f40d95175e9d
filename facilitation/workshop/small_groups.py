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

Two breakdowns of the same numbers (by sector and by table) are crossed by
``fold_crossed``: the facilitator can switch between them, and the console's people list
says who sits where, so "Table 1 minus Health" is one person's answer when Table 1 is
three of Health and one of Housing. A group shows only when, against every category the
OTHER breakdown shows (its groups, and its "Other groups" as one), the people they have in
common number 0 or at least the size: the complementary suppression of a cross-tabulation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ..plans.model import DEFAULT_MIN_GROUP_SIZE

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")

OTHER_GROUPS = "Other groups"
OTHER_KEY = "__other__"  # the key of the folded group; ``"other": True`` marks it as well
# The group of people with no sector or no table yet, by breakdown.
NO_GROUP_LABELS = {"sector": "No sector given", "table": "No table yet"}


@dataclass(frozen=True)
class Fold(Generic[T]):
    """Which groups a breakdown may show, and what happened to the rest."""

    min_size: int
    shown: list[T]  # shown on their own, in the order given
    small: list[T] = field(default_factory=list)  # below the size: folded into Other groups
    also: list[T] = field(default_factory=list)  # big enough, folded so ``small`` stays hidden
    other_size: int = 0  # people in Other groups
    # Big enough, but shown beside the other breakdown it would give fewer than the size
    # away (``fold_crossed``).
    crossed: list[T] = field(default_factory=list)

    @property
    def folded(self) -> list[T]:
        return self.small + self.crossed + self.also

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


def fold_crossed(
    cells: dict[tuple[A, B], int],
    rows: Sequence[A],
    columns: Sequence[B],
    min_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> tuple[Fold[A], Fold[B]]:
    """Which rows (sectors) and which columns (tables) may show, decided together.

    ``cells`` maps (row, column) to the people behind the numbers in both (None is a
    category of its own: no sector, no table); ``rows`` and ``columns`` give the display
    order. Both folds come from the same cells whichever breakdown is on the screen, so
    switching between them never shows what one of them hides.

    The published numbers are the room's totals, each shown row and column, and (derived
    from those) each breakdown's Other groups. What can be worked out from them is a sum
    over these "atoms": a cell of a shown row and a shown column, a shown row's people in
    the folded columns, a shown column's people in the folded rows, and the people in
    folded rows AND folded columns. Every atom is kept at 0 or at least the size:

    - a row (or column) shows only if its people in common with each shown column (row),
      and with the folded columns (rows) together, are 0 or at least the size; a row or
      column that fails is folded, and the check runs again, as folding changes what is
      shown (``crossed``, or ``small`` when the group itself is below the size);
    - then, if the people in folded rows and folded columns number 1 to size - 1 (the
      room minus what is shown would give them away), the smallest shown row or column
      that has people among the folded ones of the other breakdown is folded too
      (``also``; on a tie, the column, so sectors stay; failing any, the smallest shown).

    With at most one category on either side there is nothing to cross, and each
    breakdown is ``fold_small_groups``'s alone: a session without tables is unchanged.
    """
    k = max(int(min_size), 1)
    row_size, column_size = _margins(cells)
    rows = [r for r in rows if row_size.get(r, 0) > 0]
    columns = [c for c in columns if column_size.get(c, 0) > 0]
    if len(rows) <= 1 or len(columns) <= 1:
        return (
            fold_small_groups(rows, lambda r: row_size[r], k),
            fold_small_groups(columns, lambda c: column_size[c], k),
        )
    # The size rule first: a small group is folded before it is crossed with anything.
    shown_rows = [r for r in rows if row_size[r] >= k]
    shown_columns = [c for c in columns if column_size[c] >= k]
    crossed: set = set()  # ("row" | "column", group): folded by the cell rule
    also: set = set()  # folded so the remainder stays hidden

    def cell(r, c) -> int:
        return cells.get((r, c), 0)

    def risky(n: int) -> bool:
        return 0 < n < k

    while shown_rows or shown_columns:
        folded_rows = [r for r in rows if r not in shown_rows]
        folded_columns = [c for c in columns if c not in shown_columns]
        failing_rows = [
            r
            for r in shown_rows
            if any(risky(cell(r, c)) for c in shown_columns)
            or risky(sum(cell(r, c) for c in folded_columns))
        ]
        failing_columns = [
            c
            for c in shown_columns
            if any(risky(cell(r, c)) for r in shown_rows)
            or risky(sum(cell(r, c) for r in folded_rows))
        ]
        if failing_rows or failing_columns:  # both sides of a small cell fold at once
            shown_rows = [r for r in shown_rows if r not in failing_rows]
            shown_columns = [c for c in shown_columns if c not in failing_columns]
            crossed.update(("row", r) for r in failing_rows)
            crossed.update(("column", c) for c in failing_columns)
            continue
        remainder = sum(cell(r, c) for r in folded_rows for c in folded_columns)
        if not risky(remainder):
            break
        # (size, columns before rows on a tie, later before earlier): the smallest first.
        candidates = [
            (row_size[r], 1, -i, "row", r, sum(cell(r, c) for c in folded_columns))
            for i, r in enumerate(shown_rows)
        ] + [
            (column_size[c], 0, -i, "column", c, sum(cell(r, c) for r in folded_rows))
            for i, c in enumerate(shown_columns)
        ]
        growing = [candidate for candidate in candidates if candidate[5] > 0]
        *_, side, pick, _grows = min(growing or candidates, key=lambda x: x[:3])
        (shown_rows if side == "row" else shown_columns).remove(pick)
        also.add((side, pick))

    def fold_of(side: str, groups: list, shown: list, size: dict) -> Fold:
        folded = [g for g in groups if g not in shown]
        small = [g for g in folded if size[g] < k]
        by_cells = [g for g in folded if size[g] >= k and (side, g) in crossed]
        pulled = [g for g in folded if size[g] >= k and (side, g) not in crossed]
        return Fold(k, shown, small, pulled, sum(size[g] for g in folded), by_cells)

    return (
        fold_of("row", rows, shown_rows, row_size),
        fold_of("column", columns, shown_columns, column_size),
    )


def _margins(cells: dict) -> tuple[dict, dict]:
    rows: dict = {}
    columns: dict = {}
    for (r, c), n in cells.items():
        rows[r] = rows.get(r, 0) + n
        columns[c] = columns.get(c, 0) + n
    return rows, columns


def fold_note(fold: Fold, label: Callable[[object], str], across: str = "") -> dict | None:
    """What the facilitator's console says about a fold (None when every group shows).

    ``small``: groups below the size; ``also``: groups folded so those stay hidden;
    ``other_shown``: whether "Other groups" is on the screen; ``crossed`` (only when there
    are some): groups folded because, shown beside the other breakdown (``across``, its
    name in the plural, e.g. "sectors"), they would give fewer than the size away.
    """
    if not fold.folded:
        return None
    note = {
        "min_group_size": fold.min_size,
        "small": [label(g) for g in fold.small],
        "also": [label(g) for g in fold.also],
        "other_shown": fold.other_shown,
    }
    if fold.crossed:
        note["crossed"] = [label(g) for g in fold.crossed]
        note["across"] = across
    return note
