"""Who is placed, when groups form, and that no group is ever too small to show."""

import numpy as np
import pytest

from facilitation.opinion.compute import compute
from facilitation.opinion.groups import Settings, find_groups
from facilitation.opinion.matrix import VoteMatrix

from .rooms import planted_room, rows_of

STATEMENTS = [10, 20, 30, 40]


def test_people_with_too_few_votes_are_not_placed_and_groups_wait_for_enough_people():
    rows = [(pid, sid, 1 if pid % 2 else -1) for pid in range(1, 7) for sid in STATEMENTS[:3]]
    rows += [(pid, sid, 1) for pid in range(7, 12) for sid in STATEMENTS[:2]]
    matrix = VoteMatrix.from_rows(rows, statements=STATEMENTS)
    result = compute(matrix, Settings(min_votes=3, min_people=7))
    grouping = result.grouping
    assert grouping.status == "waiting"
    assert grouping.placed == (1, 2, 3, 4, 5, 6)
    assert grouping.positions.shape == (6, 2)
    assert grouping.labels == () and grouping.k == 0 and grouping.sizes == {}
    assert grouping.group_of(1) is None and grouping.group_of(7) is None
    assert result.analysis is None
    # With two votes enough, the same room has 11 people placed and splits in two.
    grouping = find_groups(matrix, Settings(min_votes=2, min_people=7))
    assert grouping.status == "formed"
    assert len(grouping.placed) == 11
    assert grouping.group_of(7) is not None


def test_a_pass_is_a_vote():
    rows = [(pid, sid, 0) for pid in range(1, 8) for sid in STATEMENTS[:3]]
    grouping = find_groups(VoteMatrix.from_rows(rows, statements=STATEMENTS))
    assert len(grouping.placed) == 7


def test_a_room_that_votes_as_one_does_not_split():
    rows = [(pid, sid, 1) for pid in range(1, 11) for sid in STATEMENTS]
    result = compute(VoteMatrix.from_rows(rows))
    assert result.grouping.status == "no_split"
    assert result.grouping.labels == () and result.grouping.explained == (0.0, 0.0)
    assert result.analysis is None


def test_no_admissible_k_when_the_only_split_singles_one_person_out():
    rows = [(pid, sid, 1) for pid in range(1, 8) for sid in STATEMENTS]
    rows += [(8, sid, -1) for sid in STATEMENTS]
    matrix = VoteMatrix.from_rows(rows)
    # 8 people allow only k = 2 (8 // 3), and its groups are 7 and 1.
    assert find_groups(matrix, Settings(min_group_size=3)).status == "no_split"
    # Allowed groups of one, the same room splits.
    grouping = find_groups(matrix, Settings(min_group_size=1))
    assert grouping.status == "formed" and grouping.sizes == {"A": 7, "B": 1}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("min_group_size", [3, 6])
def test_groups_are_never_smaller_than_min_group_size(seed, min_group_size):
    # A planted group of 4 is a real group, but smaller than 6.
    room = planted_room(seed, size=[18, 12, 4], noise=0.3)
    grouping = find_groups(room.matrix, Settings(min_group_size=min_group_size, seed=seed))
    assert grouping.status == "formed"
    assert min(grouping.sizes.values()) >= min_group_size


def test_a_room_too_small_for_two_groups_of_min_size_does_not_split():
    room = planted_room(0, size=[4, 4, 4])
    grouping = find_groups(room.matrix, Settings(min_group_size=7))
    assert grouping.status == "no_split"
    assert len(grouping.placed) == 12


def test_statements_nobody_voted_on_change_nothing_but_the_scale():
    room = planted_room(2)
    wider = VoteMatrix.from_rows(rows_of(room.matrix), room.statement_ids + [1, 2, 3])
    narrow, wide = find_groups(room.matrix), find_groups(wider)
    assert wide.labels == narrow.labels
    scale = np.sqrt(len(wider.statements) / len(room.matrix.statements))
    assert np.allclose(wide.positions, narrow.positions * scale, atol=1e-6)


def test_settings_out_of_range_are_refused():
    for bad in (
        {"min_votes": 0},
        {"max_groups": 1},
        {"max_groups": 27},
        {"min_group_size": 0},
        {"min_people": 1},
    ):
        with pytest.raises(ValueError):
            Settings(**bad)


def test_a_single_statement_splits_those_who_agree_from_those_who_disagree():
    rows = [(pid, 10, 1 if pid <= 5 else -1) for pid in range(1, 11)]
    grouping = find_groups(VoteMatrix.from_rows(rows), Settings(min_votes=1))
    assert grouping.status == "formed"
    # Equal sizes: letters by the centre's x, and agreeing is on the right (the largest
    # loading is made positive), so those who disagree are A.
    assert grouping.labels == ("B",) * 5 + ("A",) * 5
    assert grouping.centres["A"][0] < 0 < grouping.centres["B"][0]
    assert grouping.explained == (1.0, 0.0)
    assert (grouping.positions[:, 1] == 0).all()
