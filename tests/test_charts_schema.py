"""Charts are built without plotly's per-property checks (charts._new_figure, for speed
under load); here every chart is built again with the checks on and must come out the same,
so a misspelt or invalid property still fails a test."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from facilitation import charts

RATING = {
    "points": [1, 2, 3, 4, 5],
    "items": [
        {
            "key": key,
            "label": f"Outcome {key}",
            "median": 3.0,
            "counts": {"1": 2, "2": 0, "3": 5, "4": 1, "5": 9},
        }
        for key in ("a", "b", "c")
    ],
}
OPTIONS = {
    "options": [
        {"key": "x", "label": "Health", "count": 4},
        {"key": "y", "label": "Housing", "count": 0},
    ]
}
LIGHTS = {
    "lights": [
        {"key": "met", "label": "Met"},
        {"key": "partly", "label": "Partly"},
        {"key": "not_met", "label": "Not met"},
    ],
    "items": [{"label": "Safety", "met": 3, "partly": 0, "not_met": 2}],
}
RANKING = {
    "items": [
        {"label": "Speed", "borda": 12, "mean_rank": 1.5},
        {"label": "Cost", "borda": 4, "mean_rank": None},
    ]
}
POINTS = {
    "items": [
        {"label": "Training", "total": 30, "voters": 4},
        {"label": "Tools", "total": 0, "voters": 0},
    ]
}
GRID = {
    "size": 5,
    "axes": {
        "x": {"label": "Benefit", "low": "Low", "high": "High"},
        "y": {"label": "Risk", "low": "Safe", "high": "Dangerous"},
    },
    "items": [
        {
            "key": "a",
            "label": "Plan A",
            "n": 3,
            "mean_x": 2.3,
            "mean_y": 4.0,
            "cells": [{"x": 2, "y": 4, "count": 2}, {"x": 3, "y": 4, "count": 1}],
        },
        {"key": "b", "label": "Plan B", "n": 0, "mean_x": None, "mean_y": None, "cells": []},
    ],
}
STATEMENTS = {
    "statements": [{"text": "We share data", "votes": 5, "agree": 3, "passes": 1, "disagree": 1}]
}

CASES = [
    ("rating", RATING),
    ("choice", OPTIONS),
    ("sector", OPTIONS),
    ("traffic_light", LIGHTS),
    ("ranking", RANKING),
    ("points", POINTS),
    ("grid", GRID),
    ("statements", STATEMENTS),
]


def test_every_chart_type_is_covered():
    assert {kind for kind, _ in CASES} == set(charts._FIGURES)


@pytest.mark.parametrize(("kind", "results"), CASES)
def test_a_chart_built_with_plotlys_checks_on_is_the_same(kind, results, monkeypatch):
    fast = charts.stage_figure(kind, results)
    assert fast is not None and fast["data"]

    def checked(*traces):
        figure = go.Figure(*traces)
        assert figure._validate  # the checks are really on in this build
        return figure

    monkeypatch.setattr(charts, "_new_figure", checked)
    slow = charts.stage_figure(kind, results)
    assert json.dumps(fast, sort_keys=True, default=str) == json.dumps(
        slow, sort_keys=True, default=str
    )
    go.Figure(slow)  # and plotly's schema accepts the whole figure


def test_plotlys_checks_reject_a_bad_property():
    # What the comparison above relies on: a checked figure refuses an unknown property.
    with pytest.raises(ValueError):
        go.Figure(go.Bar(colour="red"))
