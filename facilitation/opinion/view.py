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
- and since each group's size is on the projector, a row whose withheld cells add up to
  1 to size - 1 would give them away (the size minus the cells shown): its smallest shown
  cell is withheld too, until what is withheld is 0 or at least the size (or all of it is:
  a group smaller than the size shows no sector at all); the same for each column. A 0
  is shown otherwise: nobody is behind it.

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


def _suppress(counts: dict, rows: list, columns: list, k: int) -> set:
    """The cells to withhold: those of 1 to k - 1 people, then (complementary) the
    smallest shown cell of any row or column whose withheld cells add up to 1 to k - 1."""
    withheld = {cell for cell, n in counts.items() if 0 < n < k}
    changed = True
    while changed:
        changed = False
        lines = [[(r, c) for c in columns] for r in rows]
        lines += [[(r, c) for r in rows] for c in columns]
        for line in lines:
            hidden = sum(counts[cell] for cell in line if cell in withheld)
            if 0 < hidden < k:
                shown = [cell for cell in line if cell not in withheld]
                if shown:
                    # The smallest cell with people; a 0 only when none is left (a line of
                    # fewer than k people in all, whose zeros would place them).
                    withheld.add(min(shown, key=lambda cell: (counts[cell] == 0, counts[cell])))
                    changed = True
    return withheld
