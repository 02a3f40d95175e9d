"""Summaries of answers, checked against hand-computed figures."""

from __future__ import annotations

from facilitation.activities.ranking import TYPE as RANKING
from facilitation.activities.rating import TYPE as RATING
from facilitation.activities.rating import _quantile
from facilitation.plans.model import Activity, Item, Scale

_rating, _ranking = RATING.summarise, RANKING.summarise


def test_rating_summary():
    activity = Activity(type="rating", items=(Item("a", "A"),), scale=Scale(1, 5))
    counts = [({"ratings": {"a": 1}}, 1), ({"ratings": {"a": 4}}, 2), ({"ratings": {"a": 5}}, 1)]
    item = _rating(activity, None, counts)["items"][0]
    assert item["counts"] == {"1": 1, "2": 0, "3": 0, "4": 2, "5": 1}
    assert item["n"] == 4 and item["mean"] == 3.5 and item["median"] == 4.0
    assert item["q1"] == 3.25 and item["q3"] == 4.25


def test_quantile_of_nothing_is_none():
    assert _quantile({1: 0, 2: 0}, 0.5) is None


def test_ranking_borda_and_mean_rank():
    activity = Activity(type="ranking", items=(Item("a", "A"), Item("b", "B"), Item("c", "C")))
    counts = [({"order": ["a", "b", "c"]}, 2), ({"order": ["c", "a", "b"]}, 1)]
    result = _ranking(activity, None, counts)
    by_key = {item["key"]: item for item in result["items"]}
    assert by_key["a"]["borda"] == 2 * 2 + 1 and by_key["a"]["mean_rank"] == round(4 / 3, 2)
    assert by_key["c"]["borda"] == 2 and by_key["b"]["borda"] == 2
    assert result["items"][0]["key"] == "a" and result["voters"] == 3
