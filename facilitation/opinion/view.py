"""A stage's opinion groups as JSON: the ``opinion`` of a ``results`` message.

Plain data from plain data, with no request, database or Flask, so the exports can make it
from a fresh ``compute()`` as the live side does from its kept result. What it never says:
who is who. The map's points carry no ids and are sorted by (group, x, y), not by person;
the cross-tab of groups by sector follows the minimum group size rule of every breakdown
(workshop/small_groups.py):

- sectors with fewer placed people than the size are folded into "Other groups" (with
  ``fold_small_groups``, so the folded remainder is never between 1 and size - 1 while
  other sectors show); people who gave no sector are always among Other groups;
- a cell (a group's people of one sector) with 1 to size - 1 people is withheld (null);
- each group's size is on the projector, and each sector's total is known (the
  facilitator's people list; the room can add up the sector breakdown's voters), so
  cells are withheld as complements until no withheld cell of 1 to size - 1 can be worked
  out from those totals and the cells shown: every row and column has no withheld cell
  or at least two, adding up to 0 or at least the size (or all of it is: a group smaller
  than the size shows no sector at all), and no small one is pinned by the rows and
  columns taken together (``_suppress``). So a withheld cell may hold more than the size.
  A 0 is shown otherwise: nobody is behind it.

Every share in it is a head count: ``share`` = ``group_count`` / ``group_seen`` ("4 of 4
in B disagree": 100 %), what people can check against the room. The smoothed shares that
rank the statements (statements.py: (a + 1) / (s + 2), so a group of three that all agreed
does not outrank a group of thirty that nearly all did) are there beside them, as ``p_group``
/ ``p_rest`` and ``p_agree``, for whoever needs to see how the lists were ranked; they are
not for showing as "x % of B".

Lists are capped for the projector (``REPRESENTATIVE_SHOWN``...); ``full=True`` (exports)
gives all of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..plans.model import OpinionGroups
from ..workshop.small_groups import OTHER_GROUPS, fold_small_groups

REPRESENTATIVE_SHOWN = 3  # per group
CONSENSUS_SHOWN = 5
DIVISIVE_SHOWN = 5


def _r(number: float | None) -> float | None:
    return None if number is None else round(float(number), 3)


def _share(count: int, seen: int) -> float | None:
    """``count`` of ``seen`` as a share, 3 decimals; None when nobody voted (no share)."""
    return _r(count / seen) if seen else None


def opinion_view(
    result,
    texts: Mapping[int, str],
    sectors: Mapping[int, str | None],
    settings: OpinionGroups | None,
    min_group_size: int,
    *,
    plan_sectors: Sequence[str] | None = None,
    voters: int,
    full: bool = False,
) -> dict:
    """The ``opinion`` JSON (docs/protocol.md) of ``result`` (an ``OpinionResult``, or None
    before the first one is made).

    ``texts``: {statement id: text} of the statements visible now (one hidden since the
    result was made is left out); ``sectors``: {participant id: sector or None} of the
    people in the vote matrix; ``voters``: how many people voted on a statement (authors
    are in the matrix as agreeing with what they wrote, but did not vote on it:
    votes.StageVotes.voters); ``settings``: the stage's ``opinion_groups`` (None: off);
    ``plan_sectors``: the plan's sectors in order (empty: the plan has none, so no
    cross-tab; None: the sectors found, by name).
    """
    if settings is None:
        return {"status": "off"}
    view = {
        "status": "waiting",
        "min_votes": settings.min_votes,
        "min_people": settings.min_people,
        "tell_participants": settings.tell_participants,
        "voters": int(voters),
        "placed": 0,
        "groups": [],
        "points": [],
        "consensus": [],
        "divisive": [],
        "sectors": None,
        "method": {"k": 0, "silhouette": None, "explained": [0.0, 0.0]},
    }
    if result is None:
        return view
    grouping, analysis = result.grouping, result.analysis
    view["status"] = grouping.status
    view["placed"] = len(grouping.placed)
    view["method"] = {
        "k": int(grouping.k),
        "silhouette": _r(grouping.silhouette),
        "explained": [_r(share) for share in grouping.explained],
    }
    view["points"] = _points(grouping)
    if grouping.status != "formed" or analysis is None:
        return view
    cap = (lambda items, n: items) if full else (lambda items, n: items[:n])
    view["groups"] = [
        {
            "label": label,
            "size": size,
            "representative": cap(_representative(analysis, label, texts), REPRESENTATIVE_SHOWN),
        }
        for label, size in grouping.sizes.items()
    ]
    view["consensus"] = cap(_scored(analysis, analysis.consensus, texts), CONSENSUS_SHOWN)
    view["divisive"] = cap(_scored(analysis, analysis.divisive, texts), DIVISIVE_SHOWN)
    view["sectors"] = cross_tab(grouping, sectors, min_group_size, plan_sectors)
    return view


def _points(grouping) -> list[list]:
    positions = grouping.positions
    if positions is None or len(positions) != len(grouping.placed):
        return []
    labels = grouping.labels if len(grouping.labels) == len(grouping.placed) else ()
    points = [
        [_r(x), _r(y), labels[i] if labels else None] for i, (x, y) in enumerate(positions.tolist())
    ]
    points.sort(key=lambda p: (p[2] or "", p[0], p[1]))
    return points


def _representative(analysis, label: str, texts: Mapping[int, str]) -> list[dict]:
    rows = []
    for found in analysis.representative.get(label, ()):
        if found.statement not in texts:
            continue
        votes = analysis.by_group.get(found.statement, {}).get(label)
        count, seen, rest_count, rest_seen = head_counts(
            analysis, found.statement, label, found.direction
        )
        rows.append(
            {
                "id": found.statement,
                "text": texts[found.statement],
                "direction": found.direction,
                "share": _share(count, seen),
                "rest_share": _share(rest_count, rest_seen),
                "group_count": count,
                "group_seen": seen,
                "rest_count": rest_count,
                "rest_seen": rest_seen,
                "p_group": _r(found.share),
                "p_rest": _r(found.rest_share),
                "agree": votes.agree if votes else 0,
                "disagree": votes.disagree if votes else 0,
                "passes": votes.passes if votes else 0,
                "seen": seen,
            }
        )
    return rows


def head_counts(analysis, statement: int, label: str, direction: str) -> tuple[int, int, int, int]:
    """(count, seen, rest_count, rest_seen): how many of group ``label`` voted ``direction``
    ("agree" or "disagree") on ``statement`` of how many who voted on it at all, and the same
    for the rest. The rest is everyone placed outside the group, as statements.py compares
    the group with: the other groups together (everyone placed is in a group)."""
    figures = analysis.by_group.get(statement, {})
    votes = figures.get(label)
    others = [v for other, v in figures.items() if other != label]
    return (
        getattr(votes, direction) if votes else 0,
        votes.seen if votes else 0,
        sum(getattr(v, direction) for v in others),
        sum(v.seen for v in others),
    )


def _scored(analysis, scored, texts: Mapping[int, str]) -> list[dict]:
    rows = []
    for found in scored:
        if found.statement not in texts:
            continue
        figures = analysis.by_group.get(found.statement, {})
        counts = {
            label: {
                "agree": figures[label].agree if label in figures else 0,
                "seen": figures[label].seen if label in figures else 0,
            }
            for label in found.shares
        }
        rows.append(
            {
                "id": found.statement,
                "text": texts[found.statement],
                "score": _r(found.score),
                "shares": {
                    label: _share(count["agree"], count["seen"]) for label, count in counts.items()
                },
                "counts": counts,
                "p_agree": {label: _r(share) for label, share in found.shares.items()},
            }
        )
    return rows


def cross_tab(
    grouping,
    sectors: Mapping[int, str | None],
    min_group_size: int,
    plan_sectors: Sequence[str] | None = None,
) -> dict | None:
    """The groups by sector (the module states the rule); None when the plan has no
    sectors (``plan_sectors`` empty) or, not told, nobody placed gave one."""
    k = max(int(min_group_size), 1)
    people = [(grouping.labels[i], sectors.get(pid)) for i, pid in enumerate(grouping.placed)]
    found = {sector for _, sector in people if sector is not None}
    if plan_sectors is None:
        plan_sectors = sorted(found)
    if not plan_sectors:
        return None
    order = list(plan_sectors) + sorted(found - set(plan_sectors))
    total = {name: sum(1 for _, s in people if s == name) for name in order}
    fold = fold_small_groups(order, lambda name: total[name], k)
    shown = list(fold.shown)
    others = bool(fold.folded) or any(sector is None for _, sector in people)
    columns = shown + ([OTHER_GROUPS] if others else [])
    labels = list(grouping.sizes)
    counts = {(label, column): 0 for label in labels for column in columns}
    for label, sector in people:
        column = sector if sector in shown else OTHER_GROUPS
        counts[(label, column)] += 1
    withheld = _suppress(counts, labels, columns, k)
    if withheld is None:  # every cell withheld: see _suppress
        withheld = set(counts)
    rows = [
        {
            "label": label,
            "cells": [
                None if (label, column) in withheld else counts[(label, column)]
                for column in columns
            ],
        }
        for label in labels
    ]
    return {"columns": columns, "rows": rows, "min_group_size": k}


def _suppress(counts: dict, rows: list, columns: list, k: int) -> set | None:
    """The cells to withhold, or None when every cell must be (then nothing of the table
    is shown: the group sizes and the sector totals alone would pin a small cell).

    The group sizes (row totals) are on the projector and the sectors' totals (column
    totals) are known too: the facilitator has the people list and the room can add up
    the sector breakdown's voters. So a withheld cell must not be worked out from either:

    1. cells of 1 to k - 1 people are withheld;
    2. a row or column with one withheld cell gives it away (its total minus the cells
       shown), and one whose withheld cells add up to 1 to k - 1 gives away that they are
       small: a shown cell of it is withheld too, one with people if any is left (a
       withheld 0 can be solved for, as nothing can go below it), the smallest, and
       rather one whose column (or row) has a withheld cell already;
    3. rows and columns taken one at a time are not enough ("B's Health is 6 - 3, so D's
       is Health's total - 3 - 6"): a withheld cell of 1 to k - 1 must be able to move
       with every total kept (``_pinned``); while one cannot, another cell is withheld,
       the smallest one with people that frees it, else the smallest in its row or column.
    Withholding more never pins a cell that was free, so this ends; it returns None only
    when everything is withheld and the totals alone still pin a small cell.
    """
    withheld = {cell for cell, n in counts.items() if 0 < n < k}
    row_of = {r: [(r, c) for c in columns] for r in rows}
    column_of = {c: [(r, c) for r in rows] for c in columns}
    lines = list(row_of.values()) + list(column_of.values())
    # Each cell's other line: for a cell of a row, its column, and the other way round.
    across = [{cell: column_of[cell[1]] for cell in line} for line in row_of.values()]
    across += [{cell: row_of[cell[0]] for cell in line} for line in column_of.values()]

    def hidden_in(line):
        return [cell for cell in line if cell in withheld]

    def complement(cells, other_line: dict):
        # With people rather than 0 (a withheld 0 can only go up, so it frees less); then
        # one whose other line already has a withheld cell, as one alone there would need
        # a complement of its own; then the smallest.
        return min(
            cells,
            key=lambda cell: (counts[cell] == 0, not hidden_in(other_line[cell]), counts[cell]),
        )

    while True:
        added = False
        for line, other_line in zip(lines, across, strict=True):
            hidden = hidden_in(line)
            total = sum(counts[cell] for cell in hidden)
            shown = [cell for cell in line if cell not in withheld]
            if hidden and shown and (len(hidden) == 1 or 0 < total < k):
                withheld.add(complement(shown, other_line))
                added = True
        if added:
            continue
        pinned = [cell for cell in _pinned(counts, withheld) if 0 < counts[cell] < k]
        if not pinned:
            return withheld
        cell = pinned[0]
        shown = [other for other in counts if other not in withheld]
        if not shown:
            return None
        freeing = [other for other in shown if _moves(counts, withheld | {other}, cell)]
        near = [other for other in shown if other[0] == cell[0] or other[1] == cell[1]]
        withheld.add(min(freeing or near or shown, key=lambda c: (counts[c] == 0, counts[c])))


def _pinned(counts: dict, withheld: set) -> list:
    """The withheld cells whose value the row and column totals fix, given the cells
    shown (``_moves``)."""
    return [cell for cell in sorted(withheld, key=str) if not _moves(counts, withheld, cell)]


def _moves(counts: dict, withheld: set, cell) -> bool:
    """Whether withheld ``cell`` can change by some amount with every row and column total
    kept and no withheld cell below 0, i.e. whether the totals leave it open.

    A change that keeps every total is a sum of cycles row -> column -> row... through
    withheld cells, alternately up and down (and a cell may go down only if it is above
    0), so a cell can move exactly when such a cycle passes through it: up, when its
    column leads back to its row; down (if above 0), when its row leads to its column.
    This is what a linear program's min and max over the withheld cells say
    (tests/opinion/test_view.py checks it against one), with no solver in the app.
    """
    arcs: dict = {}
    for other in withheld:
        if other == cell:
            continue
        row, column = ("r", other[0]), ("c", other[1])
        arcs.setdefault(row, []).append(column)  # other goes up
        if counts[other] > 0:
            arcs.setdefault(column, []).append(row)  # other goes down
    row, column = ("r", cell[0]), ("c", cell[1])
    return _reaches(arcs, column, row) or (counts[cell] > 0 and _reaches(arcs, row, column))


def _reaches(arcs: dict, start, goal) -> bool:
    seen, todo = {start}, [start]
    while todo:
        at = todo.pop()
        if at == goal:
            return True
        for step in arcs.get(at, ()):
            if step not in seen:
                seen.add(step)
                todo.append(step)
    return False
