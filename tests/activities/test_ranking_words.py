"""A ranking's chart speaks the room's words: no "Borda score" on the projector's axis or
bars (jargon to a room); the method is named where a researcher reads it, in the table."""

from __future__ import annotations

import json

from facilitation.activities import activity_type, stage_figure
from facilitation.charts_breakdown import breakdown_figure

RESULTS = {
    "items": [
        {"key": "speed", "label": "Speed", "borda": 12, "mean_rank": 1.5},
        {"key": "cost", "label": "Cost", "borda": 4, "mean_rank": 2.5},
    ],
    "voters": 8,
}


def _words_on(figure: dict) -> str:
    """Everything a figure writes on the screen (not the template)."""
    layout = {key: value for key, value in figure["layout"].items() if key != "template"}
    texts = [trace.get("text") for trace in figure["data"]]
    return json.dumps([layout, texts])


def test_the_ranking_chart_says_ranked_higher_not_borda_score():
    figure = stage_figure("ranking", RESULTS)
    words = _words_on(figure)
    assert "Borda" not in words
    assert figure["layout"]["xaxis"]["title"]["text"].startswith("Ranked higher by the room")
    assert figure["data"][0]["text"] == ["average position 1.5", "average position 2.5"]


def test_the_ranking_table_keeps_the_method():
    table = activity_type("ranking").table(None, RESULTS)
    assert "Borda" in table.caption
    assert table.columns == ["Item", "Borda score", "Mean rank"]


def test_the_ranking_chart_shows_no_unexplained_numbers():
    """The bars' lengths are Borda points: the axis names its direction, not their numbers,
    on the room's chart and in every panel of a breakdown."""
    figure = stage_figure("ranking", RESULTS)
    assert figure["layout"]["xaxis"]["showticklabels"] is False
    groups = [
        {"label": label, "answered": 8, "results": RESULTS} for label in ("Health", "Housing")
    ]
    layout = breakdown_figure("ranking", groups, "sector", RESULTS)["layout"]
    axes = [key for key in layout if key.startswith("xaxis")]
    assert len(axes) == 2
    assert all(layout[key]["showticklabels"] is False for key in axes)
