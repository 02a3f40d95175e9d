"""What each opinion group thinks: representative, consensus and divisive statements.

Given the groups, each statement's votes are counted per group. Shares are smoothed with
one pseudo-vote each way, p_agree = (agree + 1) / (seen + 2), so a group of three that all
agreed is not reported as "100 %" and an unseen statement sits at 0.5 (no opinion):

- **representative** statements of a group are where it differs most from everyone else
  placed (Pol.is's "repness"): in a direction (agree or disagree), its share against the
  rest's, kept only when a one-sided two-proportion z-test says the group really differs
  (z >= 1.645) and most of the group holds that view (share > 0.5); ranked by
  ratio x share, which rewards both being distinctive and being widely held;
- **consensus** (group-informed consensus): statements every group agrees with (each
  p_agree > 0.5), scored by the product of the groups' p_agree, so one lukewarm group pulls
  the score down however keen the others are;
- **divisive**: scored by the gap between the most and least agreeing groups, kept only
  when those two differ significantly (two-sided 95 %, z >= 1.96).

The z-test is the textbook pooled one on the raw counts (docs/opinion-groups.md):
z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)), p1 = x1/n1, p2 = x2/n2,
p = (x1 + x2) / (n1 + n2); 0 when either side has no votes or p is 0 or 1.

Every figure counts real votes only (``VoteMatrix.voted``). An author counts as agreeing
with their own statement for placing them on the map (groups.py), but not here: the wall
does not count it, so a group's agree count one higher than the wall's would name the
author's group. And a figure of a group resting on fewer than ``min_group_size`` votes is
one or two people's votes: such a ``GroupVotes`` is marked ``enough=False`` (kept for the
exports' full table, never to be shown), and it never makes a statement representative
(both the group and the rest need ``min_group_size`` votes), consensus (every group needs
them), divisive or separating (only groups with them are compared).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .groups import Grouping, Settings
from .matrix import VoteMatrix

REPRESENTATIVE_Z = 1.645  # one-sided 95 %
DIVISIVE_Z = 1.96  # two-sided 95 %
MAX_REPRESENTATIVE = 5


@dataclass(frozen=True)
class GroupVotes:
    """One group's votes on one statement (a pass is seen but neither agree nor disagree).

    ``seen`` counts the group's votes (an author's own statement is not among them);
    ``enough`` is False when they are fewer than the minimum group size: the figures would
    then be one or two people's votes, for a researcher's table but for no screen.
    """

    agree: int
    disagree: int
    passes: int
    seen: int
    enough: bool

    @property
    def p_agree(self) -> float:
        return (self.agree + 1) / (self.seen + 2)

    @property
    def p_disagree(self) -> float:
        return (self.disagree + 1) / (self.seen + 2)


@dataclass(frozen=True)
class Representative:
    statement: int
    direction: str  # "agree" | "disagree"
    share: float  # the group's smoothed share in that direction
    rest_share: float  # the same for everyone placed outside the group
    ratio: float  # share / rest_share
    z: float  # two-proportion z-test, group vs rest, in that direction


@dataclass(frozen=True)
class Scored:
    statement: int
    score: float
    # Each group's p_agree, of the groups with enough votes on it (all of them on the
    # consensus list; on the divisive list a group with too few is left out).
    shares: dict[str, float]


@dataclass(frozen=True)
class Analysis:
    by_group: dict[int, dict[str, GroupVotes]]
    representative: dict[str, list[Representative]]
    consensus: list[Scored]
    divisive: list[Scored]
    # Per statement, the divisive gap (0 until two groups have enough votes): phones' priority.
    separation: dict[int, float]


def two_proportion_z(x1, n1, x2, n2):
    """Pooled two-proportion z of x1/n1 against x2/n2 (arrays or numbers); 0 if undefined."""
    x1, n1, x2, n2 = (np.asarray(v, dtype=np.float64) for v in (x1, n1, x2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (x1 + x2) / (n1 + n2)
        spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (x1 / n1 - x2 / n2) / spread
    defined = (n1 > 0) & (n2 > 0) & (spread > 0)
    return np.where(defined, z, 0.0)


def analyse(
    matrix: VoteMatrix, grouping: Grouping, min_group_size: int = Settings.min_group_size
) -> Analysis:
    """The per-statement figures of a formed grouping made from ``matrix``;
    ``min_group_size``: the votes a group (and the rest) needs on a statement before its
    figures count (the plan's minimum group size, as for the groups themselves)."""
    if grouping.status != "formed":
        raise ValueError("analyse needs a formed grouping")
    if min_group_size < 1:
        raise ValueError("min_group_size must be >= 1")
    row_of = {pid: i for i, pid in enumerate(matrix.participants)}
    rows = np.array([row_of[pid] for pid in grouping.placed])
    # Only real votes: an author's implied agreement is not one (the module says why).
    cast = matrix.voted[rows]
    values = np.where(cast, matrix.values[rows], 0.0)
    letters = sorted(set(grouping.labels))
    members = np.array([[label == g for label in grouping.labels] for g in letters], float)
    # Group x statement counts as one matrix product each.
    agree = members @ (values > 0)
    disagree = members @ (values < 0)
    passes = members @ (cast & (values == 0))
    voted = members @ cast
    enough = voted >= min_group_size
    ids = matrix.statements

    by_group = {
        sid: {
            g: GroupVotes(
                int(agree[i, j]),
                int(disagree[i, j]),
                int(passes[i, j]),
                int(voted[i, j]),
                bool(enough[i, j]),
            )
            for i, g in enumerate(letters)
        }
        for j, sid in enumerate(ids)
    }
    representative = {
        g: _representative(i, agree, disagree, voted, min_group_size, ids)
        for i, g in enumerate(letters)
    }
    p_agree = (agree + 1) / (voted + 2)
    extremes = _extremes(p_agree, enough)
    return Analysis(
        by_group=by_group,
        representative=representative,
        consensus=_consensus(p_agree, enough, letters, ids),
        divisive=_divisive(p_agree, agree, voted, enough, extremes, letters, ids),
        separation={sid: float(gap) for sid, gap in zip(ids, extremes.gap, strict=True)},
    )


class _Extremes(NamedTuple):
    high: np.ndarray  # per statement, the row of the most agreeing group
    low: np.ndarray  # and of the least agreeing
    compared: np.ndarray  # two groups have enough votes to be compared
    gap: np.ndarray  # their p_agree's difference; 0 where not compared


def _extremes(p_agree, enough) -> _Extremes:
    """The most and least agreeing of the groups with enough votes on each statement (the
    first in letter order on a tie)."""
    high = np.where(enough, p_agree, -np.inf).argmax(axis=0)
    low = np.where(enough, p_agree, np.inf).argmin(axis=0)
    compared = enough.sum(axis=0) >= 2
    columns = np.arange(p_agree.shape[1])
    gap = np.where(compared, p_agree[high, columns] - p_agree[low, columns], 0.0)
    return _Extremes(high, low, compared, gap)


def _representative(group, agree, disagree, voted, min_group_size, ids) -> list[Representative]:
    found = []
    rest_voted = voted.sum(0) - voted[group]
    counted = (voted[group] >= min_group_size) & (rest_voted >= min_group_size)
    for direction, counts in (("agree", agree), ("disagree", disagree)):
        inside, outside = counts[group], counts.sum(0) - counts[group]
        share = (inside + 1) / (voted[group] + 2)
        rest_share = (outside + 1) / (rest_voted + 2)
        z = two_proportion_z(inside, voted[group], outside, rest_voted)
        for j in np.flatnonzero(counted & (z >= REPRESENTATIVE_Z) & (share > 0.5)):
            found.append(
                Representative(
                    ids[j],
                    direction,
                    float(share[j]),
                    float(rest_share[j]),
                    float(share[j] / rest_share[j]),
                    float(z[j]),
                )
            )
    found.sort(key=lambda r: (-r.ratio * r.share, r.statement))
    return found[:MAX_REPRESENTATIVE]


def _consensus(p_agree, enough, letters, ids) -> list[Scored]:
    score = p_agree.prod(axis=0)
    found = [
        Scored(ids[j], float(score[j]), _shares(p_agree[:, j], letters))
        for j in np.flatnonzero(enough.all(axis=0) & (p_agree > 0.5).all(axis=0))
    ]
    return sorted(found, key=lambda s: (-s.score, s.statement))


def _divisive(p_agree, agree, voted, enough, extremes, letters, ids) -> list[Scored]:
    high, low, columns = extremes.high, extremes.low, np.arange(len(ids))
    z = two_proportion_z(
        agree[high, columns], voted[high, columns], agree[low, columns], voted[low, columns]
    )
    found = [
        Scored(ids[j], float(extremes.gap[j]), _shares(p_agree[:, j], letters, enough[:, j]))
        for j in np.flatnonzero(extremes.compared & (z >= DIVISIVE_Z))
    ]
    return sorted(found, key=lambda s: (-s.score, s.statement))


def _shares(column, letters, shown=None) -> dict[str, float]:
    """{letter: p_agree}, leaving out the groups not ``shown`` (too few votes)."""
    if shown is None:
        shown = np.ones(len(letters), dtype=bool)
    return {g: float(p) for g, p, keep in zip(letters, column, shown, strict=True) if keep}
