"""Pooled profiles and the difference between two groups (facilitation/workshop/profile.py):
the difference's point values by hand, its interval with the fixed seed against a direct
re-implementation of the two-group bootstrap, and pooling that keeps people apart."""

from __future__ import annotations

import statistics

import numpy
import pytest

from facilitation.workshop.profile import (
    RESAMPLES,
    SEED,
    Interval,
    PersonAnswers,
    compute_profile,
    difference,
    pool,
    pooled_by_sector,
    profile_from_json,
)
from tests.live.test_profile import EXAMPLE, naive_scores

# Group a (a workshop, say): three people.
A = [
    PersonAnswers(1, {"t1": {"a": "met"}, "t2": {"a": "met"}, "f1": {"x": 5}, "f2": {"p": 10}}),
    PersonAnswers(
        2, {"t1": {"a": "partly"}, "t2": {"a": "not_met"}, "f1": {"x": 3}, "f2": {"p": 4}}
    ),
    PersonAnswers(3, {"t1": {"a": "met"}, "f1": {"x": 4, "y": 2}, "f2": {"p": 6, "q": 8}}),
]
# Group b (the public online): four people, one of whom answered nothing of the framework.
B = [
    PersonAnswers(
        11, {"t1": {"a": "not_met"}, "t2": {"a": "partly"}, "f1": {"x": 1}, "f2": {"p": 0}}
    ),
    PersonAnswers(12, {"t1": {"a": "partly"}, "t2": {"a": "met"}, "f1": {"x": 2}, "f2": {"p": 5}}),
    PersonAnswers(13, {"t1": {"a": "not_met"}, "f1": {"x": 3}}),
    PersonAnswers(14, {}),
]


def test_the_difference_by_hand():
    found = {(d.part, d.stage): d for d in difference(EXAMPLE, A, B)}
    assert list(found) == [
        ("test", "t1"),
        ("test", "t2"),
        ("feature", "f1"),
        ("feature", "f2"),
        ("acceptability", None),
    ]
    # t1: a = (100 + 50 + 100)/3 = 83.33; b = (0 + 50 + 0)/3 = 16.67; b - a = -66.67.
    t1 = found[("test", "t1")]
    assert (t1.n_a, t1.n_b) == (3, 3)
    assert (t1.a, t1.b, t1.difference) == pytest.approx((250 / 3, 50 / 3, -200 / 3))
    # t2: a = (100 + 0)/2 = 50; b = (50 + 100)/2 = 75; +25.
    t2 = found[("test", "t2")]
    assert (t2.n_a, t2.n_b, t2.a, t2.b, t2.difference) == (2, 2, 50.0, 75.0, 25.0)
    # f1 on 1-5: a: x 5 -> 100; x 3 -> 50; (x 4 -> 75, y 2 -> 25) -> 50: mean 66.67.
    # b: 0, 25, 50: mean 25. Difference -41.67.
    f1 = found[("feature", "f1")]
    assert (f1.a, f1.b, f1.difference) == pytest.approx((200 / 3, 25.0, 25 - 200 / 3))
    # f2 on 0-10: a: 100, 40, (60 + 80)/2 = 70: mean 70; b: 0, 50: mean 25; -45.
    f2 = found[("feature", "f2")]
    assert (f2.n_a, f2.n_b, f2.a, f2.b, f2.difference) == (3, 2, 70.0, 25.0, -45.0)
    # Acceptability: a (66.67 + 70)/2 = 68.33; b (25 + 25)/2 = 25.
    both = found[("acceptability", None)]
    assert (both.n_a, both.n_b) == (3, 3)
    assert both.difference == pytest.approx(25 - (200 / 3 + 70) / 2)


def test_the_interval_is_a_two_group_bootstrap_with_the_fixed_seed():
    """Each group resampled on its own from one numpy default_rng(SEED): a's draw, then
    b's, per round;
    the 2.5th and 97.5th percentiles (linear interpolation) of b - a over the rounds where
    both have the score."""
    a = sorted(A, key=lambda p: p.person)
    b = sorted(B[:3], key=lambda p: p.person)  # 14 answered nothing: not behind the profile
    rng = numpy.random.default_rng(SEED)
    drawn: dict[str, list[float]] = {k: [] for k in ("t1", "t2", "f1", "f2", "acceptability")}
    for _ in range(RESAMPLES):
        a_scores = naive_scores([a[i] for i in rng.integers(0, len(a), size=len(a))])
        b_scores = naive_scores([b[i] for i in rng.integers(0, len(b), size=len(b))])
        for key, values in drawn.items():
            if a_scores[key] is not None and b_scores[key] is not None:
                values.append(b_scores[key] - a_scores[key])
    found = {d.stage or "acceptability": d for d in difference(EXAMPLE, A, B)}
    for key, values in drawn.items():
        cuts = statistics.quantiles(values, n=40, method="inclusive")
        assert found[key].interval == Interval(pytest.approx(cuts[0]), pytest.approx(cuts[-1]))
    # Rounds where a resample of a holds nobody who lit t2 (only 1 and 2 did) are left out.
    assert len(drawn["t1"]) == RESAMPLES > len(drawn["t2"])
    # t1: every resample of a scores at least 50, of b at most 50: the interval is below 0.
    assert found["t1"].interval.high < 0 and found["t1"].excludes_zero is True
    # The same answers in another order give the same numbers.
    assert difference(EXAMPLE, A[::-1], B[::-1]) == difference(EXAMPLE, A, B)


def test_an_interval_over_zero_and_an_empty_group():
    same = difference(EXAMPLE, A, A)
    assert all(d.difference == 0 for d in same if d.difference is not None)
    assert all(d.excludes_zero is False for d in same if d.interval is not None)
    empty = difference(EXAMPLE, A, [PersonAnswers(20, {})])
    assert all(d.n_b == 0 and d.b is None and d.difference is None for d in empty)
    assert all(d.interval is None and d.excludes_zero is None for d in empty)


def test_pooling_keeps_people_apart():
    pooled = pool([A, B])
    assert [p.person for p in pooled] == [1, 2, 3, 11, 12, 13, 14]
    assert compute_profile(EXAMPLE, pooled) == compute_profile(EXAMPLE, A + B)
    # Two sessions' people under one id would be read as one person: refused.
    clash = [PersonAnswers(1, {"t1": {"a": "not_met"}})]
    with pytest.raises(ValueError, match="person 1"):
        pool([A, clash])


def test_a_pooled_group_by_sector_ignores_tables():
    # Three of Health at table A in one session and table B in another: tables of different
    # sessions are not one table, and do not fold the sector away.
    people = [PersonAnswers(i, A[0].answers, "Health", "A" if i < 2 else "B") for i in range(3)] + [
        PersonAnswers(10 + i, B[0].answers, "Housing", "A") for i in range(3)
    ]
    by_sector = pooled_by_sector(EXAMPLE, people, resamples=100)
    assert [(g.label, g.profile.n) for g in by_sector.groups] == [("Health", 3), ("Housing", 3)]
    assert by_sector.groups[0].profile.tests[0].score == 100.0


def test_a_profile_goes_to_plain_data_and_back():
    profile = compute_profile(EXAMPLE, A + B, resamples=100)
    assert profile_from_json(profile.as_json()) == profile
