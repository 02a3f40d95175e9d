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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .groups import Grouping
from .matrix import VoteMatrix

REPRESENTATIVE_Z = 1.645  # one-sided 95 %
DIVISIVE_Z = 1.96  # two-sided 95 %
MAX_REPRESENTATIVE = 5


@dataclass(frozen=True)
class GroupVotes:
    """One group's votes on one statement (a pass is seen but neither agree nor disagree)."""

    agree: int
    disagree: int
    passes: int
    seen: int

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
    shares: dict[str, float]  # each group's p_agree


@dataclass(frozen=True)
class Analysis:
    by_group: dict[int, dict[str, GroupVotes]]
    representative: dict[str, list[Representative]]
    consensus: list[Scored]
    divisive: list[Scored]
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


def analyse(matrix: VoteMatrix, grouping: Grouping) -> Analysis:
    """The per-statement figures of a formed grouping made from ``matrix``."""
    if grouping.status != "formed":
        raise ValueError("analyse needs a formed grouping")
    row_of = {pid: i for i, pid in enumerate(matrix.participants)}
    rows = np.array([row_of[pid] for pid in grouping.placed])
    values, seen = matrix.values[rows], matrix.seen[rows]
    letters = sorted(set(grouping.labels))
    members = np.array([[label == g for label in grouping.labels] for g in letters], float)
    # Group x statement counts as one matrix product each.
    agree = members @ (values > 0)
    disagree = members @ (values < 0)
    passes = members @ (seen & (values == 0))
    voted = members @ seen
    ids = matrix.statements

    by_group = {
        sid: {
            g: GroupVotes(
                int(agree[i, j]), int(disagree[i, j]), int(passes[i, j]), int(voted[i, j])
            )
            for i, g in enumerate(letters)
        }
        for j, sid in enumerate(ids)
    }
    representative = {
        g: _representative(i, agree, disagree, voted, ids) for i, g in enumerate(letters)
    }
    p_agree = (agree + 1) / (voted + 2)
    return Analysis(
        by_group=by_group,
        representative=representative,
        consensus=_consensus(p_agree, letters, ids),
        divisive=_divisive(p_agree, agree, voted, letters, ids),
        separation={
            sid: float(gap) for sid, gap in zip(ids, p_agree.max(0) - p_agree.min(0), strict=True)
        },
    )


def _representative(group, agree, disagree, voted, ids) -> list[Representative]:
    found = []
    rest_voted = voted.sum(0) - voted[group]
    for direction, counts in (("agree", agree), ("disagree", disagree)):
        inside, outside = counts[group], counts.sum(0) - counts[group]
        share = (inside + 1) / (voted[group] + 2)
        rest_share = (outside + 1) / (rest_voted + 2)
        z = two_proportion_z(inside, voted[group], outside, rest_voted)
        for j in np.flatnonzero((z >= REPRESENTATIVE_Z) & (share > 0.5)):
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


def _consensus(p_agree, letters, ids) -> list[Scored]:
    score = p_agree.prod(axis=0)
    found = [
        Scored(ids[j], float(score[j]), _shares(p_agree[:, j], letters))
        for j in np.flatnonzero((p_agree > 0.5).all(axis=0))
    ]
    return sorted(found, key=lambda s: (-s.score, s.statement))


def _divisive(p_agree, agree, voted, letters, ids) -> list[Scored]:
    # The first group in letter order when two tie for most or least agreeing.
    high, low = p_agree.argmax(axis=0), p_agree.argmin(axis=0)
    columns = np.arange(len(ids))
    z = two_proportion_z(
        agree[high, columns], voted[high, columns], agree[low, columns], voted[low, columns]
    )
    gap = p_agree[high, columns] - p_agree[low, columns]
    found = [
        Scored(ids[j], float(gap[j]), _shares(p_agree[:, j], letters))
        for j in np.flatnonzero(z >= DIVISIVE_Z)
    ]
    return sorted(found, key=lambda s: (-s.score, s.statement))


def _shares(column, letters) -> dict[str, float]:
    return {g: float(p) for g, p in zip(letters, column, strict=True)}
