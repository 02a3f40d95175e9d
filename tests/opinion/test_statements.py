"""The per-statement formulas on a small room computed by hand (docs/opinion-groups.md)."""

import math

import numpy as np
import pytest

from facilitation.opinion.groups import Grouping
from facilitation.opinion.matrix import VoteMatrix
from facilitation.opinion.statements import GroupVotes, analyse, two_proportion_z

# Statement 10: A agrees 3 to 1, B disagrees 4 to 0.
# Statement 20: A agrees 4 to 0, B agrees 3 with one pass.
# Statement 30: only one person (in A) voted: agree.
ROWS = (
    [(1, 10, 1), (2, 10, 1), (3, 10, 1), (4, 10, -1)]
    + [(p, 10, -1) for p in (5, 6, 7, 8)]
    + [(p, 20, 1) for p in (1, 2, 3, 4, 5, 6, 7)] + [(8, 20, 0)]
    + [(1, 30, 1)]
)
MATRIX = VoteMatrix.from_rows(ROWS, statements=[10, 20, 30])
GROUPING = Grouping("formed", (1, 2, 3, 4, 5, 6, 7, 8), np.zeros((8, 2)),
                    ("A",) * 4 + ("B",) * 4, k=2)
ANALYSIS = analyse(MATRIX, GROUPING)
Z_3_OF_4_VS_0_OF_4 = 0.75 / math.sqrt(3 / 8 * 5 / 8 * (1 / 4 + 1 / 4))  # 2.19089
Z_4_OF_4_VS_3_OF_4 = 0.25 / math.sqrt(7 / 8 * 1 / 8 * (1 / 4 + 1 / 4))  # 1.06904


def test_two_proportion_z():
    assert two_proportion_z(3, 4, 0, 4) == pytest.approx(2.190890, abs=1e-6)
    assert two_proportion_z(0, 4, 3, 4) == pytest.approx(-2.190890, abs=1e-6)
    assert two_proportion_z(4, 4, 3, 4) == pytest.approx(Z_4_OF_4_VS_3_OF_4)
    assert two_proportion_z(40, 50, 20, 50) == pytest.approx(
        0.4 / math.sqrt(0.6 * 0.4 * (2 / 50)))
    # Undefined: a side without votes, or everyone on the same side.
    assert two_proportion_z(1, 1, 0, 0) == 0
    assert two_proportion_z(4, 4, 6, 6) == 0
    assert two_proportion_z(0, 4, 0, 6) == 0


def test_counts_and_smoothed_shares_per_group():
    assert ANALYSIS.by_group[10] == {"A": GroupVotes(3, 1, 0, 4), "B": GroupVotes(0, 4, 0, 4)}
    assert ANALYSIS.by_group[20]["B"] == GroupVotes(3, 0, 1, 4)
    assert ANALYSIS.by_group[30] == {"A": GroupVotes(1, 0, 0, 1), "B": GroupVotes(0, 0, 0, 0)}
    assert ANALYSIS.by_group[10]["A"].p_agree == pytest.approx(4 / 6)
    assert ANALYSIS.by_group[10]["A"].p_disagree == pytest.approx(2 / 6)
    assert ANALYSIS.by_group[20]["B"].p_agree == pytest.approx(4 / 6)
    assert ANALYSIS.by_group[20]["B"].p_disagree == pytest.approx(1 / 6)
    assert ANALYSIS.by_group[30]["B"].p_agree == 0.5  # nobody voted: no opinion


def test_representative_statements():
    [a] = ANALYSIS.representative["A"]
    assert (a.statement, a.direction) == (10, "agree")
    assert a.share == pytest.approx(4 / 6)
    assert a.rest_share == pytest.approx(1 / 6)
    assert a.ratio == pytest.approx(4)
    assert a.z == pytest.approx(Z_3_OF_4_VS_0_OF_4)
    [b] = ANALYSIS.representative["B"]
    assert (b.statement, b.direction) == (10, "disagree")
    assert b.share == pytest.approx(5 / 6)
    assert b.rest_share == pytest.approx(2 / 6)
    assert b.ratio == pytest.approx(2.5)
    # B disagrees 4 of 4 against A's 1 of 4: the same z as A's agreement, mirrored.
    assert b.z == pytest.approx(Z_3_OF_4_VS_0_OF_4)
    # Statement 20 (A agrees 4 of 4, B 3 of 4) is not significant: z 1.07 < 1.645.


def test_consensus_is_the_product_of_the_groups_agreement():
    [scored] = ANALYSIS.consensus
    assert scored.statement == 20
    assert scored.shares == pytest.approx({"A": 5 / 6, "B": 4 / 6})
    assert scored.score == pytest.approx(5 / 6 * 4 / 6)
    # Statement 30 is not consensus: B has no votes, p_agree 0.5 is not > 0.5.


def test_divisive_needs_the_extreme_groups_to_differ_significantly():
    [scored] = ANALYSIS.divisive
    assert scored.statement == 10
    assert scored.score == pytest.approx(4 / 6 - 1 / 6)
    assert scored.shares == pytest.approx({"A": 4 / 6, "B": 1 / 6})


def test_separation_of_every_statement():
    assert ANALYSIS.separation == pytest.approx({10: 0.5, 20: 1 / 6, 30: 1 / 6})


def test_representatives_are_capped_and_ranked_by_ratio_times_share():
    # Group A (6 people) agrees with 8 statements the rest (6) rejects, more or less firmly.
    rows = []
    for j in range(8):
        sid = 100 + j
        rows += [(p, sid, 1 if p - 1 < 6 - j % 4 else 0) for p in range(1, 7)]
        rows += [(p, sid, -1) for p in range(7, 13)]
    matrix = VoteMatrix.from_rows(rows)
    grouping = Grouping("formed", tuple(range(1, 13)), np.zeros((12, 2)),
                        ("A",) * 6 + ("B",) * 6, k=2)
    representatives = analyse(matrix, grouping).representative["A"]
    assert len(representatives) == 5
    assert [r.statement for r in representatives] == [100, 104, 101, 105, 102]
    ranks = [r.ratio * r.share for r in representatives]
    assert ranks == sorted(ranks, reverse=True)


def test_analyse_needs_formed_groups():
    with pytest.raises(ValueError):
        analyse(MATRIX, Grouping("waiting", (), np.zeros((0, 2))))
