"""The vote matrix: rows, columns, values and what counts as seen."""

import numpy as np
import pytest

from facilitation.opinion.matrix import VoteMatrix


def test_rows_become_sorted_rows_and_columns_with_passes_seen():
    matrix = VoteMatrix.from_rows([(7, 30, 1), (2, 10, -1), (7, 10, 0), (2, 30, 1)])
    assert matrix.participants == (2, 7)
    assert matrix.statements == (10, 30)
    assert matrix.values.tolist() == [[-1, 1], [0, 1]]
    assert matrix.seen.tolist() == [[True, True], [True, True]]
    assert matrix.votes_per_person().tolist() == [2, 2]


def test_statements_nobody_voted_on_are_zero_columns_and_hidden_ones_are_dropped():
    matrix = VoteMatrix.from_rows(
        [(1, 10, 1), (1, 99, -1), (2, 99, 1), (3, 20, 0)], statements=[20, 10, 40]
    )
    assert matrix.statements == (10, 20, 40)
    # Person 2 voted only on the hidden statement 99: not a row.
    assert matrix.participants == (1, 3)
    assert matrix.values.tolist() == [[1, 0, 0], [0, 0, 0]]
    assert matrix.seen.tolist() == [[True, False, False], [False, True, False]]
    assert matrix.votes_per_person().tolist() == [1, 1]


def test_a_later_row_for_the_same_cell_wins():
    matrix = VoteMatrix.from_rows(
        [(1, 10, 1), (1, 10, -1), (1, 10, 0), (1, 20, 1)] * 50 + [(1, 10, -1)]
    )
    assert matrix.values.tolist() == [[-1, 1]]


def test_no_rows_give_an_empty_matrix():
    matrix = VoteMatrix.from_rows([], statements=[5, 6])
    assert matrix.participants == ()
    assert matrix.values.shape == (0, 2)
    assert matrix.votes_per_person().tolist() == []


def test_a_vote_other_than_agree_disagree_or_pass_is_refused():
    with pytest.raises(ValueError):
        VoteMatrix.from_rows([(1, 10, 2)])


def test_the_arrays_cannot_be_changed():
    matrix = VoteMatrix.from_rows([(1, 10, 1)])
    with pytest.raises(ValueError):
        matrix.values[0, 0] = -1
    assert isinstance(matrix.values, np.ndarray) and matrix.values.dtype == np.float64
