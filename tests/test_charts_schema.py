"""Charts are built as plain dicts, with no plotly objects (each activity type's ``figure``
from the parts in charts.py, for speed under load); here plotly's schema checks every one:
``go.Figure`` with its checks on must accept the figure and give back exactly the same JSON,
so a misspelt or invalid property, a value plotly would change (a number where it wants
text) or a missing template still fails a test."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from facilitation.activities import all_types, stage_figure
from facilitation.charts_breakdown import breakdown_figure

# The activity types that draw a chart (each type's ``figure``, in its registry module).
CHARTED = {kind.name for kind in all_types() if kind.has_figure}

RATING = {
    "points": [1, 2, 3, 4, 5],
    "items": [
        {
            "key": key,
            "label": f"Outcome {key}",
            "n": 17,
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
    "items": [{"label": "Safety", "n": 5, "met": 3, "partly": 0, "not_met": 2}],
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


def _score(stage: str, score, n: int, **more) -> dict:
    interval = None if score is None else {"low": max(0, score - 12.5), "high": min(100, score + 8)}
    return {"stage": stage, "title": f"Stage {stage}", "n": n, "score": score,
            "interval": interval, "withheld": False, **more}  # fmt: skip


PROFILE = {
    "n": 6,
    "answered": 6,
    "tests": [_score("t1", 62.5, 6, shares={}), _score("t2", None, 0, shares={})],
    "features": [_score("f1", 75.0, 5), {**_score("f2", None, 2), "withheld": True}],
    "acceptability": {"n": 5, "score": None, "interval": None, "withheld": False},
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
    ("profile", PROFILE),
]


def _groups(results: dict, count: int) -> list[dict]:
    return [
        {"key": f"g{n}", "label": f"Group {n}", "answered": 5 + n, "results": results}
        for n in range(count)
    ]


def _one_item(results: dict) -> dict:
    return {**results, "items": results["items"][:1]}


# Every shape of breakdown: a 100%-stacked panel per item (one item, one row, several rows),
# and each other chart once per group (one row, several rows, a last row not full).
BREAKDOWNS = [
    ("rating", _groups(_one_item(RATING), 2), "sector"),
    ("rating", _groups(RATING, 3), "table"),
    ("rating", _groups({**RATING, "items": RATING["items"] * 2}, 2), "session"),
    ("traffic_light", _groups(LIGHTS, 2), "sector"),
    ("traffic_light", _groups({**LIGHTS, "items": LIGHTS["items"] * 4}, 2), "table"),
    ("choice", _groups(OPTIONS, 3), "sector"),
    ("sector", _groups(OPTIONS, 9), "table"),
    ("ranking", _groups(RANKING, 5), "sector"),
    ("points", _groups(POINTS, 2), "session"),
    ("grid", _groups(GRID, 6), "sector"),
    ("statements", _groups(STATEMENTS, 2), "table"),
    ("profile", _groups(PROFILE, 3), "sector"),
]


def _json(figure: dict) -> str:
    return json.dumps(figure, sort_keys=True)


def _assert_plotly_takes_it_as_it_is(figure: dict) -> None:
    checked = go.Figure(figure)  # raises on any property plotly's schema does not know
    assert checked._validate  # the checks were really on
    assert _json(checked.to_plotly_json()) == _json(figure)


def test_every_chart_type_is_covered():
    assert {kind for kind, _ in CASES} == CHARTED
    assert {kind for kind, _, _ in BREAKDOWNS} == CHARTED


@pytest.mark.parametrize(("kind", "results"), CASES)
def test_plotlys_schema_takes_every_chart_as_it_is(kind, results):
    figure = stage_figure(kind, results)
    assert figure is not None and figure["data"]
    _assert_plotly_takes_it_as_it_is(figure)


@pytest.mark.parametrize(("kind", "groups", "breakdown"), BREAKDOWNS)
def test_plotlys_schema_takes_every_breakdown_as_it_is(kind, groups, breakdown):
    figure = breakdown_figure(kind, groups, breakdown, room=groups[0]["results"])
    assert figure is not None and figure["layout"]["meta"]["breakdown"] == breakdown
    _assert_plotly_takes_it_as_it_is(figure)


def _figures():
    for kind, results in CASES:
        yield kind, stage_figure(kind, results)
    for kind, groups, breakdown in BREAKDOWNS:
        yield (
            f"{kind} by {breakdown}",
            breakdown_figure(kind, groups, breakdown, room=groups[0]["results"]),
        )


def test_no_chart_turns_a_bars_number_on_its_side():
    # Plotly's default turns a bar's text 90 degrees to fit a short bar or segment: unreadable
    # on a console across a table or a screen across a room. A count that does not fit
    # level is left off instead, where the bars are stacked (it shows on hover).
    for name, figure in _figures():
        for trace in figure["data"]:
            if trace["type"] == "bar" and trace.get("text"):
                assert trace.get("textangle") == 0, name
        if figure["layout"].get("barmode") == "stack":
            assert figure["layout"]["uniformtext"]["mode"] == "hide", name


@pytest.mark.parametrize(
    ("kind", "results", "count", "rows", "columns"),
    [("choice", OPTIONS, 3, 1, 3), ("choice", OPTIONS, 7, 2, 4), ("grid", GRID, 5, 2, 3)],
)
def test_the_panels_are_laid_out_as_plotlys_make_subplots_lays_them_out(
    kind, results, count, rows, columns
):
    # charts_breakdown places the panels itself; plotly's own grid is the reference.
    from plotly.subplots import make_subplots

    figure = breakdown_figure(kind, _groups(results, count), "sector")
    bars = kind != "grid"
    reference = make_subplots(
        rows=rows,
        cols=columns,
        shared_yaxes=bars,
        horizontal_spacing=0.03 if bars else 0.06,
        vertical_spacing=0.18 if rows > 1 else 0,
        subplot_titles=[f"Group {n}<br>{5 + n} people" for n in range(count)],
    ).to_plotly_json()["layout"]
    axes = [key for key in reference if "axis" in key]
    assert len(axes) == 2 * rows * columns  # an empty last panel's axes too
    for key in axes:
        mine = figure["layout"][key]
        assert _json({k: mine.get(k) for k in reference[key]}) == _json(reference[key]), key
    places = [(a["x"], a["y"]) for a in figure["layout"]["annotations"]]
    assert _json(places) == _json([(a["x"], a["y"]) for a in reference["annotations"]])


def test_plotlys_checks_reject_a_bad_property():
    # What the tests above rely on: the checks refuse an unknown property, in data or layout.
    figure = stage_figure("rating", RATING)
    figure["data"][0]["colour"] = "red"
    with pytest.raises(ValueError):
        go.Figure(figure)
    figure = stage_figure("rating", RATING)
    figure["layout"]["xaxis"]["tickformatt"] = ",d"
    with pytest.raises(ValueError):
        go.Figure(figure)


def test_a_value_plotly_would_change_is_caught():
    # Bar text as numbers: plotly takes it, but turns it into strings; the JSON differs.
    figure = stage_figure("choice", OPTIONS)
    figure["data"][0]["text"] = [4, 0]
    with pytest.raises(AssertionError):
        _assert_plotly_takes_it_as_it_is(figure)


def test_each_figure_has_its_own_template():
    # Callers may change a figure in place (the report rescales fonts); no shared parts.
    first, second = (stage_figure("choice", OPTIONS) for _ in range(2))
    assert first["layout"]["template"] == second["layout"]["template"]
    assert first["layout"]["template"] is not second["layout"]["template"]
