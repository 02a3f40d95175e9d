"""A room with planted opinion groups: the groups, consensus, divisive and representative
statements are found again despite noise and unseen statements (issue 14's "done when")."""

from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from facilitation.opinion.compute import compute
from facilitation.opinion.groups import Settings
from facilitation.opinion.matrix import VoteMatrix
from facilitation.opinion.statements import MAX_REPRESENTATIVE

from .rooms import planted_room, rows_of

SEEDS = [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", SEEDS)
def test_planted_groups_are_recovered(seed):
    room = planted_room(seed)  # 3 groups of 15, 20 % noise, a quarter of votes unseen
    assert (~room.matrix.seen).mean() > 0.15
    result = compute(room.matrix, Settings(seed=seed))
    grouping = result.grouping
    assert grouping.status == "formed"
    assert grouping.k == 3
    assert len(grouping.placed) == 45
    assert adjusted_rand_score(room.truth(grouping.placed), grouping.labels) >= 0.9
    assert sorted(grouping.sizes) == ["A", "B", "C"]
    assert 0 < grouping.explained[1] <= grouping.explained[0] < 1
    assert grouping.positions.shape == (45, 2)


@pytest.mark.parametrize("seed", SEEDS)
def test_planted_consensus_and_divisive_statements_are_found(seed):
    room = planted_room(seed)
    analysis = compute(room.matrix, Settings(seed=seed)).analysis
    consensus = {s.statement for s in analysis.consensus}
    divisive = {s.statement for s in analysis.divisive}
    assert room.planted("consensus") <= consensus
    assert room.planted("divisive") <= divisive
    # A statement some group was planted to reject is never "agreed by every group".
    assert not consensus - room.planted("consensus")
    scores = [s.score for s in analysis.consensus]
    assert scores == sorted(scores, reverse=True)
    for scored in analysis.consensus:
        assert scored.score == pytest.approx(np.prod(list(scored.shares.values())))


@pytest.mark.parametrize("seed", SEEDS)
def test_representative_statements_are_where_the_group_was_planted_to_differ(seed):
    room = planted_room(seed)
    result = compute(room.matrix, Settings(seed=seed))
    grouping, analysis = result.grouping, result.analysis
    column = {sid: j for j, sid in enumerate(room.statement_ids)}
    for label, representatives in analysis.representative.items():
        members = [p for p, g in zip(grouping.placed, grouping.labels, strict=True) if g == label]
        planted = Counter(room.group[p] for p in members).most_common(1)[0][0]
        assert 1 <= len(representatives) <= MAX_REPRESENTATIVE
        ranks = [r.ratio * r.share for r in representatives]
        assert ranks == sorted(ranks, reverse=True)
        for r in representatives:
            stance = room.preferences[:, column[r.statement]]
            assert (stance != stance[planted]).any(), "every group was planted to agree"
            assert r.direction == ("agree" if stance[planted] == 1 else "disagree")
            assert r.z >= 1.645 and r.share > 0.5
            assert r.ratio == pytest.approx(r.share / r.rest_share)


def test_the_same_votes_give_the_same_result():
    room = planted_room(3)
    first, second = compute(room.matrix), compute(room.matrix)
    assert first.grouping.labels == second.grouping.labels
    assert np.array_equal(first.grouping.positions, second.grouping.positions)
    assert first.grouping.silhouette == second.grouping.silhouette
    assert first.grouping.centres == second.grouping.centres
    assert first.analysis == second.analysis


def test_the_order_votes_are_read_in_does_not_matter():
    room = planted_room(4)
    rows = rows_of(room.matrix)
    shuffled = [rows[i] for i in np.random.default_rng(0).permutation(len(rows))]
    again = VoteMatrix.from_rows(shuffled, statements=room.statement_ids[::-1])
    first, second = compute(room.matrix), compute(again)
    assert first.grouping.labels == second.grouping.labels
    assert np.array_equal(first.grouping.positions, second.grouping.positions)
    assert first.analysis == second.analysis


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_no_list_rests_on_fewer_votes_than_the_plans_minimum_group_size(seed):
    # With a quarter of the votes unseen, a group of 15 often has fewer than 10 votes on a
    # statement; compute() passes the plan's minimum on to the figures.
    room = planted_room(seed)
    analysis = compute(room.matrix, Settings(seed=seed, min_group_size=10)).analysis
    figures = [v for by_label in analysis.by_group.values() for v in by_label.values()]
    assert all(v.enough == (v.seen >= 10) for v in figures)
    assert any(not v.enough for v in figures)
    for label, representatives in analysis.representative.items():
        for r in representatives:
            votes = analysis.by_group[r.statement]
            assert votes[label].seen >= 10
            assert sum(v.seen for other, v in votes.items() if other != label) >= 10
    for scored in analysis.consensus:
        assert all(v.enough for v in analysis.by_group[scored.statement].values())
    for scored in analysis.divisive:
        assert len(scored.shares) >= 2
        assert all(analysis.by_group[scored.statement][g].enough for g in scored.shares)
