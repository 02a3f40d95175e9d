"""Which statement a phone is offered next, computed by hand."""

import pytest

from facilitation.opinion.priority import priorities, priority


def test_priority_by_hand():
    # S = 0: p_pass = 0 / 1, so a new statement gets the whole boost 1 + 8 = 9.
    assert priority(0, 0, 0) == pytest.approx(1 * 1 * 9)
    # S = 5, p_pass = 1/6; separation 0.5 -> x3; boost 1 + 8 / 2 = 5.
    assert priority(3, 1, 1, 0.5) == pytest.approx(5 / 6 * 3 * 5)
    # S = 10 passes: p_pass = 10/11; boost 1 + 8 / 4 = 3.
    assert priority(0, 0, 10) == pytest.approx(1 / 11 * 3)
    # No passes: p_pass = 0; separation 1 -> x5; S = 40 -> boost 1 + 8 / 2^8.
    assert priority(20, 20, 0, 1.0) == pytest.approx(1 * 5 * (1 + 8 / 2**8))


def test_fewer_votes_and_more_separation_come_first():
    assert priority(1, 1, 0) > priority(10, 10, 0)
    assert priority(10, 10, 0, 0.8) > priority(10, 10, 0, 0.1)
    assert priority(5, 5, 0) > priority(3, 2, 5)  # often passed: probably unclear


def test_priorities_default_to_no_separation():
    assert priorities({1: (0, 0, 0), 2: (3, 1, 1)}, {2: 0.5, 9: 1.0}) == pytest.approx(
        {1: 9.0, 2: 5 / 6 * 3 * 5}
    )


def test_odd_input_never_gives_nan_or_a_negative_priority():
    for separation in (float("nan"), float("inf"), -1.0, 2.0):
        value = priority(1, 1, 0, separation)
        assert value == value and 0 < value <= priority(1, 1, 0, 1.0)
    assert priority(-5, 0, -2) == priority(0, 0, 0)
