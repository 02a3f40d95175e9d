"""The framework profile as a figure for a page: the report's and the series page's.

One row per test, per feature and for the acceptability score, top to bottom in the plan's
order; each group compared (the room; or workshops and the public online) is one
horizontal bar per row on the 0-100 scale, with its 95 % interval as an error bar. Bars
rather than dots because a score is an amount from 0; the interval says how sure it is.
A score without a number (nobody answered, or withheld for a small group) has no bar: the
table beside the figure says why. Plain JSON-ready data for plotly.js, as ``charts.py``.
"""

from __future__ import annotations

import html

from .charts import wrap
from .series.charts import FONT, SESSION_COLOURS
from .workshop.profile import Profile

ACCEPTABILITY = "Acceptability score"
ROW_HEIGHT = 26  # px per bar
ROW_GAP = 22  # px between rows


def _plain(text: str) -> str:
    return html.escape(str(text), quote=False)


def profile_rows(plan, profile: Profile) -> list[tuple[str, object]]:
    """(label, score) per test, feature and the acceptability score, in the plan's order."""
    rows = [(plan.stage(t.stage).title, t) for t in profile.tests]
    rows += [(plan.stage(f.stage).title, f) for f in profile.features]
    rows.append((ACCEPTABILITY, profile.acceptability))
    return rows


def profile_figure(plan, groups: list[tuple[str, Profile]], *, title: str = "") -> dict | None:
    """``groups``: (name, profile) to draw side by side; None when no score has a number."""
    if not any(score.score is not None for _, p in groups for _, score in profile_rows(plan, p)):
        return None
    data = []
    for index, (name, profile) in enumerate(groups):
        rows = profile_rows(plan, profile)
        labels = [
            f"<b>{wrap(_plain(label), 26)}</b>"
            if label == ACCEPTABILITY
            else wrap(_plain(label), 26)
            for label, _ in rows
        ]
        xs, plus, minus, hovers = [], [], [], []
        for label, score in rows:
            value = score.score
            interval = score.interval
            xs.append(None if value is None else round(value, 1))
            plus.append(None if interval is None or value is None else interval.high - value)
            minus.append(None if interval is None or value is None else value - interval.low)
            if value is None:
                why = "withheld: too few people" if score.withheld else "no answers"
                hovers.append(f"<b>{_plain(name)}</b><br>{_plain(label)}<br>{why}")
            else:
                span = (
                    f"<br>95 % interval {interval.low:.0f} to {interval.high:.0f}"
                    if interval is not None
                    else ""
                )
                hovers.append(
                    f"<b>{_plain(name)}</b><br>{_plain(label)}<br>"
                    f"score {value:.0f} of 100{span}<br>n = {score.n}"
                )
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": _plain(name),
                "y": labels,
                "x": xs,
                "marker": {"color": SESSION_COLOURS[index % len(SESSION_COLOURS)]},
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": plus,
                    "arrayminus": minus,
                    "color": "#222222",
                    "thickness": 1.5,
                    "width": 4,
                },
                "hovertext": hovers,
                "hoverinfo": "text",
            }
        )
    rows = len(profile_rows(plan, groups[0][1]))
    height = 70 + rows * (ROW_HEIGHT * len(groups) + ROW_GAP)
    return {
        "data": data,
        "layout": {
            "template": "none",
            "font": FONT,
            "height": height,
            "barmode": "group",
            "bargap": 0.3,
            "bargroupgap": 0.05,
            "margin": {"l": 10, "r": 20, "t": 40, "b": 40},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "showlegend": len(groups) > 1,
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            "xaxis": {
                "range": [0, 100],
                "dtick": 25,
                "title": {"text": "Score, 0-100, with its 95 % interval"},
                "gridcolor": "#d0d0d0",
                "zeroline": False,
                "fixedrange": True,
            },
            "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
            "meta": {"chart": "profile", "title": _plain(title)},
        },
    }
