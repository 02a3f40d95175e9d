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
    + [(p, 20, 1) for p in (1, 2, 3, 4, 5, 6, 7)]
    + [(8, 20, 0)]
    + [(1, 30, 1)]
)
MATRIX = VoteMatrix.from_rows(ROWS, statements=[10, 20, 30])
GROUPING = Grouping(
    "formed", (1, 2, 3, 4, 5, 6, 7, 8), np.zeros((8, 2)), ("A",) * 4 + ("B",) * 4, k=2
)
ANALYSIS = analyse(MATRIX, GROUPING)
Z_3_OF_4_VS_0_OF_4 = 0.75 / math.sqrt(3 / 8 * 5 / 8 * (1 / 4 + 1 / 4))  # 2.19089
Z_4_OF_4_VS_3_OF_4 = 0.25 / math.sqrt(7 / 8 * 1 / 8 * (1 / 4 + 1 / 4))  # 1.06904


def test_two_proportion_z():
    assert two_proportion_z(3, 4, 0, 4) == pytest.approx(2.190890, abs=1e-6)
    assert two_proportion_z(0, 4, 3, 4) == pytest.approx(-2.190890, abs=1e-6)
    assert two_proportion_z(4, 4, 3, 4) == pytest.approx(Z_4_OF_4_VS_3_OF_4)
    assert two_proportion_z(40, 50, 20, 50) == pytest.approx(0.4 / math.sqrt(0.6 * 0.4 * (2 / 50)))
    # Undefined: a side without votes, or everyone on the same side.
    assert two_proportion_z(1, 1, 0, 0) == 0
    assert two_proportion_z(4, 4, 6, 6) == 0
    assert two_proportion_z(0, 4, 0, 6) == 0


def test_counts_and_smoothed_shares_per_group():
    assert ANALYSIS.by_group[10] == {
        "A": GroupVotes(3, 1, 0, 4, enough=True),
        "B": GroupVotes(0, 4, 0, 4, enough=True),
    }
    assert ANALYSIS.by_group[20]["B"] == GroupVotes(3, 0, 1, 4, enough=True)
    # One vote (and none) is fewer than the minimum group size, 3: marked, not to be shown.
    assert ANALYSIS.by_group[30] == {
        "A": GroupVotes(1, 0, 0, 1, enough=False),
        "B": GroupVotes(0, 0, 0, 0, enough=False),
    }
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
    # Statement 30's one vote does not make it separate the groups: 0, not 2/3 - 1/2.
    assert ANALYSIS.separation == pytest.approx({10: 0.5, 20: 1 / 6, 30: 0})


def test_representatives_are_capped_and_ranked_by_ratio_times_share():
    # Group A (6 people) agrees with 8 statements the rest (6) rejects, more or less firmly.
    rows = []
    for j in range(8):
        sid = 100 + j
        rows += [(p, sid, 1 if p - 1 < 6 - j % 4 else 0) for p in range(1, 7)]
        rows += [(p, sid, -1) for p in range(7, 13)]
    matrix = VoteMatrix.from_rows(rows)
    grouping = Grouping(
        "formed", tuple(range(1, 13)), np.zeros((12, 2)), ("A",) * 6 + ("B",) * 6, k=2
    )
    representatives = analyse(matrix, grouping).representative["A"]
    assert len(representatives) == 5
    assert [r.statement for r in representatives] == [100, 104, 101, 105, 102]
    ranks = [r.ratio * r.share for r in representatives]
    assert ranks == sorted(ranks, reverse=True)


def test_analyse_needs_formed_groups():
    with pytest.raises(ValueError):
        analyse(MATRIX, Grouping("waiting", (), np.zeros((0, 2))))


# Only real votes, and never fewer than the minimum group size ------------------------------

TWO_GROUPS = Grouping("formed", tuple(range(1, 9)), np.zeros((8, 2)), ("A",) * 4 + ("B",) * 4, k=2)


def wall_counts(rows, statement):
    """A statement's (agree, disagree, passes) as the wall counts them: its votes."""
    values = [value for _, sid, value in rows if sid == statement]
    return values.count(1), values.count(-1), values.count(0)


def test_an_authors_own_statement_is_not_among_their_groups_votes():
    # Person 1 (group A) wrote statement 10; the rest of A agree, B disagree. Person 5
    # (group B) wrote statement 20; A disagree, two of B agree.
    rows = (
        [(p, 10, 1) for p in (2, 3, 4)]
        + [(p, 10, -1) for p in (5, 6, 7, 8)]
        + [(p, 20, -1) for p in (1, 2, 3, 4)]
        + [(p, 20, 1) for p in (6, 7)]
    )
    matrix = VoteMatrix.from_rows(rows, authored=[(1, 10), (5, 20)])
    # The author counts as agreeing where people are placed on the map...
    assert matrix.seen[0, 0] and matrix.values[0, 0] == 1
    analysis = analyse(matrix, TWO_GROUPS)
    # ...but not in a figure: the groups' counts add up to the wall's, so no group's count
    # is one higher than the wall's (which would say the author is in that group).
    for statement in (10, 20):
        figures = analysis.by_group[statement].values()
        assert (
            sum(v.agree for v in figures),
            sum(v.disagree for v in figures),
            sum(v.passes for v in figures),
        ) == wall_counts(rows, statement)
    assert analysis.by_group[10]["A"] == GroupVotes(3, 0, 0, 3, enough=True)
    assert analysis.by_group[10]["A"].p_agree == pytest.approx(4 / 5)
    # B has two votes on statement 20 without its author: too few to show.
    assert analysis.by_group[20]["B"] == GroupVotes(2, 0, 0, 2, enough=False)
    assert 20 not in {r.statement for r in analysis.representative["B"]}
    assert 20 not in {r.statement for r in analysis.representative["A"]}  # rest: 2 votes
    assert 20 not in {s.statement for s in analysis.divisive}
    # Counting the author, B would have agreed 3 of 3 against A's 0 of 4: representative.
    with_author = VoteMatrix.from_rows(rows + [(5, 20, 1)])
    assert 20 in {r.statement for r in analyse(with_author, TWO_GROUPS).representative["B"]}


# Statement 40: two of A agree, all of B disagree. Statement 50: two of A agree, all of B
# agree. Statement 10 (A agrees, B disagrees, 4 votes each) keeps the lists from being empty.
FEW = (
    [(p, 10, 1) for p in (1, 2, 3, 4)]
    + [(p, 10, -1) for p in (5, 6, 7, 8)]
    + [(p, 40, 1) for p in (1, 2)]
    + [(p, 40, -1) for p in (5, 6, 7, 8)]
    + [(p, 50, 1) for p in (1, 2)]
    + [(p, 50, 1) for p in (5, 6, 7, 8)]
)


def listed(analysis):
    representative = {
        (g, r.statement) for g, found in analysis.representative.items() for r in found
    }
    return (
        representative,
        {s.statement for s in analysis.consensus},
        {s.statement for s in analysis.divisive},
    )


def test_two_votes_of_a_group_never_make_a_statement_representative_consensus_or_divisive():
    matrix = VoteMatrix.from_rows(FEW)
    representative, consensus, divisive = listed(analyse(matrix, TWO_GROUPS, min_group_size=3))
    assert representative == {("A", 10), ("B", 10)}
    assert consensus == set()
    assert divisive == {10}
    assert analyse(matrix, TWO_GROUPS).by_group == analyse(matrix, TWO_GROUPS, 3).by_group
    # The same votes with a minimum of 2: A's two votes now count, and each list takes
    # them (2 of 2 against 0 of 4 is z = 2.45).
    representative, consensus, divisive = listed(analyse(matrix, TWO_GROUPS, min_group_size=2))
    assert representative == {("A", 10), ("B", 10), ("A", 40), ("B", 40)}
    assert consensus == {50}
    assert divisive == {10, 40}


def test_a_group_with_too_few_votes_is_left_out_of_the_divisive_comparison():
    groups = Grouping(
        "formed", tuple(range(1, 10)), np.zeros((9, 2)), ("A",) * 3 + ("B",) * 3 + ("C",) * 3, k=3
    )
    # Statement 60: A agrees, B disagrees, one person of C agrees. Statement 70: A and B
    # agree, one person of C disagrees. The rest of C pass on statement 80.
    rows = (
        [(p, 60, 1) for p in (1, 2, 3)]
        + [(p, 60, -1) for p in (4, 5, 6)]
        + [(7, 60, 1)]
        + [(p, 70, 1) for p in (1, 2, 3, 4, 5, 6)]
        + [(7, 70, -1)]
        + [(8, 80, 0), (9, 80, 0)]
    )
    matrix = VoteMatrix.from_rows(rows)
    analysis = analyse(matrix, groups)
    [scored] = analysis.divisive
    assert scored.statement == 60
    assert scored.score == pytest.approx(4 / 5 - 1 / 5)
    assert scored.shares == pytest.approx({"A": 4 / 5, "B": 1 / 5})  # C's one vote: not shown
    assert analysis.by_group[60]["C"] == GroupVotes(1, 0, 0, 1, enough=False)
    # Statement 70 splits nobody (A and B agree alike) and is no consensus (C: too few).
    assert analysis.consensus == []
    assert analysis.separation == pytest.approx({60: 3 / 5, 70: 0, 80: 0})
    # Were one vote enough, C's would split statement 70: 3 of 3 in A agree against 0 of 1
    # in C, z = 2.0.
    assert {s.statement for s in analyse(matrix, groups, min_group_size=1).divisive} == {60, 70}


def test_analyse_needs_a_minimum_of_at_least_one():
    with pytest.raises(ValueError):
        analyse(MATRIX, GROUPING, min_group_size=0)
