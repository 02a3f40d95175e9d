"""The benefit-risk grid: each item (or, without items, the scenario) placed in one cell of
a square grid, ``size`` cells a side, with the plan's two axes (benefit across, risk up).

Answer: ``{"cells": {"<item key>": [x, y]}}``, 1 <= x, y <= ``activity.size``.
"""

from __future__ import annotations

import math
from collections import Counter

from flask_babel import lazy_gettext

from ..charts import FONT, figure
from ..errors import Refused
from ..plans.model import GRID_SCENARIO_ITEM, Activity, Axis, GridAxes, Item
from ..plans.reader import MAX_AXIS_TEXT, join
from ..series import charts as series_charts
from .answers import known_items, only, whole
from .base import ActivityType, Table, cell, item_label

# One colour per item placed on a grid (the first is the bars' blue).
ITEM_COLOURS = ["#1d5e9e", "#b3261e", "#1b7a3a", "#9a5b00", "#6a3d9a", "#00707a", "#8a4a6b"]
GRID_HEIGHT = 640


def grid_items(activity: Activity) -> tuple[Item, ...]:
    """What the room places on a grid: its items, or the scenario itself when it has none."""
    return activity.items or (GRID_SCENARIO_ITEM,)


def grid_axes(activity: Activity) -> GridAxes:
    return activity.axes or GridAxes()


def _axis(axis: Axis) -> dict:
    return {"label": axis.label, "low": axis.low, "high": axis.high}


def axes_view(activity: Activity) -> dict:
    axes = grid_axes(activity)
    return {"x": _axis(axes.x), "y": _axis(axes.y)}


def _item_summary(item: Item, tally: Counter) -> dict:
    n = sum(tally.values())
    return {
        "key": item.key,
        "label": item.label,
        "cells": [{"x": x, "y": y, "count": count} for (x, y), count in sorted(tally.items())],
        "n": n,
        "mean_x": round(sum(x * c for (x, _), c in tally.items()) / n, 2) if n else None,
        "mean_y": round(sum(y * c for (_, y), c in tally.items()) / n, 2) if n else None,
    }


# The figure -------------------------------------------------------------------------------


def _cell_offsets(n: int) -> list[tuple[float, float]]:
    """Where in a cell each item's dot sits, so several items in one cell stay apart."""
    if n == 1:
        return [(0.0, 0.0)]
    radius = 0.22
    return [
        (radius * math.cos(2 * math.pi * i / n), radius * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]


def _dot_size(count: int, largest: int, side: float, several: bool) -> int:
    """A dot's diameter: its area grows with the count; several items share a cell."""
    low, span = (0.2, 0.25) if several else (0.3, 0.5)
    return round(side * (low + span * math.sqrt(count / largest)))


def _grid_axis(size: int, title: str, low: str, high: str) -> dict:
    words = [""] * size
    words[0], words[-1] = low, high
    return dict(
        title={"text": f"{title} →"},
        automargin=True,
        # The grid stays square and its axes hug it (the plot area shrinks, not the ranges).
        constrain="domain",
        tickmode="array",
        tickvals=list(range(1, size + 1)),
        ticktext=words,
        range=[0.5, size + 0.5],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )


def _density(items: list[dict], size: int) -> dict:
    """The shaded squares under the dots: how many dots of any item fell in each cell."""
    density = [[0] * size for _ in range(size)]
    for item in items:
        for found in item["cells"]:
            density[found["y"] - 1][found["x"] - 1] += found["count"]
    return dict(
        type="heatmap",
        x=list(range(1, size + 1)),
        y=list(range(1, size + 1)),
        z=density,
        zmin=0,
        zmax=max(1, max(max(row) for row in density)),
        colorscale=[[0, "rgba(29,94,158,0)"], [1, "rgba(29,94,158,0.28)"]],
        showscale=False,
        hoverinfo="skip",
        xgap=3,
        ygap=3,
    )


def _grid_dots(item: dict, colour: str, offset, largest: int, side: float, several: bool):
    """An item's dots, one per cell it was put in, sized and labelled by the count."""
    dx, dy = offset
    cells = item["cells"]
    return dict(
        type="scatter",
        name=item["label"],
        legendgroup=item["key"],
        x=[c["x"] + dx for c in cells],
        y=[c["y"] + dy for c in cells],
        mode="markers+text",
        text=[str(c["count"]) for c in cells],
        textposition="middle center",
        textfont={"color": "#ffffff"},
        marker=dict(
            size=[_dot_size(c["count"], largest, side, several) for c in cells],
            color=colour,
            line={"color": "#ffffff", "width": 2},
        ),
        hovertemplate=f"{item['label']}<br>%{{text}} here<extra></extra>",
        showlegend=several,
    )


def _grid_average(item: dict, colour: str, side: float) -> dict:
    return dict(
        type="scatter",
        name=f"{item['label']}: average",
        legendgroup=item["key"],
        x=[item["mean_x"]],
        y=[item["mean_y"]],
        mode="markers",
        marker=dict(
            symbol="x-thin",
            size=round(0.35 * side),
            color=colour,
            line={"color": colour, "width": 4},
        ),
        hovertemplate="Average<extra></extra>",
        showlegend=False,
    )


# A key to the crosses: a legend entry with no point on the grid.
def _average_key() -> dict:
    return dict(
        type="scatter",
        name="Average",
        x=[None],
        y=[None],
        mode="markers",
        marker=dict(
            symbol="x-thin", size=18, color="#57606a", line={"color": "#57606a", "width": 3}
        ),
        hoverinfo="skip",
        showlegend=True,
    )


def _cell_borders(size: int) -> list[dict]:
    shapes = []
    for k in range(size + 1):
        edge = k + 0.5
        for x0, x1, y0, y1 in ((edge, edge, 0.5, size + 0.5), (0.5, size + 0.5, edge, edge)):
            line = {"color": "#9aa3ad", "width": 1}
            shapes.append(dict(type="line", x0=x0, x1=x1, y0=y0, y1=y1, line=line))
    return shapes


def _cells_used(item: dict) -> str:
    return "; ".join(f"({c['x']}, {c['y']}): {c['count']}" for c in item.get("cells", ())) or "–"


AXES_FIELDS = ("x", "y")
AXIS_FIELDS = ("label", "low", "high")


def _read_axes(reader, fields) -> GridAxes:
    """The stage's ``axes:``, each part not given the default's (Benefit across, Risk up)."""
    default = GridAxes()
    entry = fields.get("axes")
    if entry is None:
        return default
    path = join(fields.path, "axes")
    axes = reader.mapping(entry[1], path, AXES_FIELDS, "the grid's axes: x and y")
    if axes is None:
        return default
    return GridAxes(
        x=_read_axis(reader, axes, "x", default.x), y=_read_axis(reader, axes, "y", default.y)
    )


def _read_axis(reader, fields, name: str, default: Axis) -> Axis:
    entry = fields.get(name)
    if entry is None:
        return default
    path = join(fields.path, name)
    axis = reader.mapping(entry[1], path, AXIS_FIELDS, "an axis: label, low and high")
    if axis is None:
        return default
    label, low, high = (
        reader.text(axis, part, required=False, max_length=MAX_AXIS_TEXT) for part in AXIS_FIELDS
    )
    return Axis(label or default.label, low or default.low, high or default.high)


class Grid(ActivityType):
    name = "grid"
    label = lazy_gettext("Benefit-risk grid")
    editor_hint = (
        "Place each item on a benefit-risk grid. With no items, the room places the scenario."
    )
    plan_fields = ("items", "axes", "size")
    # Items are optional: without any, the room places the scenario itself.
    min_items = 0
    items_rule = "leave items out to place the scenario"
    default_items = (GRID_SCENARIO_ITEM,)
    export_value = (
        "the cell 'x,y', 1 <= x, y <= the grid's size (x is the horizontal axis, e.g. "
        "benefit; y the vertical, e.g. risk)"
    )
    answerable = True
    panels_share_labels = False  # each group's grid keeps its own axes

    def stage_view(self, activity) -> dict:
        return {
            "axes": axes_view(activity),
            "size": activity.size,
            "items": [
                {"key": i.key, "label": i.label, "description": i.description}
                for i in grid_items(activity)
            ],
        }

    def clean(self, activity, plan, value: dict) -> dict:
        given = only(value, "cells", "an object of [x, y] cells keyed by item")
        size = activity.size
        if not isinstance(given, dict) or not given:
            raise Refused("Tap the grid to place it.")
        keys = [item.key for item in grid_items(activity)]
        known_items(given, keys)
        for place in given.values():
            if (
                not isinstance(place, list)
                or len(place) != 2
                or not all(whole(n) and 1 <= n <= size for n in place)
            ):
                raise Refused(f"Place it inside the grid (1 to {size}).")
        return {"cells": {k: list(given[k]) for k in keys if k in given}}

    def summarise(self, activity, plan, counts) -> dict:
        items = grid_items(activity)
        tallies = {i.key: Counter() for i in items}
        for value, n in counts:
            for key, (x, y) in value["cells"].items():
                tallies[key][(x, y)] += n
        return {
            "items": [_item_summary(item, tallies[item.key]) for item in items],
            "size": activity.size,
            "axes": axes_view(activity),
        }

    def figure(self, results: dict) -> dict:
        """Each item's dots on the grid, sized by how many put it in that cell, over a shaded
        density of all the dots; a cross marks each item's average position."""
        items, size, axes = results["items"], results["size"], results["axes"]
        largest = max((c["count"] for item in items for c in item["cells"]), default=0)
        data = [_density(items, size)]
        several = len(items) > 1
        offsets = _cell_offsets(len(items))
        side = (GRID_HEIGHT - 100) / size  # a cell's side in pixels, less the axes
        for index, item in enumerate(items):
            colour = ITEM_COLOURS[index % len(ITEM_COLOURS)]
            data.append(_grid_dots(item, colour, offsets[index], largest, side, several))
            if item["n"]:
                data.append(_grid_average(item, colour, side))
        if largest:
            data.append(_average_key())
        x, y = axes["x"], axes["y"]
        layout = dict(
            meta={"chart": "grid"},
            font=dict(FONT),
            margin=dict(l=20, r=20, t=20, b=20),
            height=GRID_HEIGHT,
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
            showlegend=bool(largest),
            shapes=_cell_borders(size),
            xaxis=_grid_axis(size, x["label"], x["low"], x["high"]),
            yaxis={
                **_grid_axis(size, y["label"], y["low"], y["high"]),
                "scaleanchor": "x",
                "scaleratio": 1,
            },
        )
        return figure(data, layout)

    def table(self, stage, results: dict) -> Table:
        axes = results.get("axes") or {}
        x_name = (axes.get("x") or {}).get("label", "x")
        y_name = (axes.get("y") or {}).get("label", "y")
        size = f", 1 to {results['size']}" if results.get("size") else ""
        return Table(
            f"Where people placed each item on the grid ({x_name} across, {y_name} up{size}): "
            "how many, their average cell and the cells used",
            ["Item", "People", f"Average {x_name}", f"Average {y_name}", "Cells used"],
            [
                [
                    item["label"],
                    item["n"],
                    cell(item["mean_x"]),
                    cell(item["mean_y"]),
                    _cells_used(item),
                ]
                for item in results.get("items", ())
            ],
            [False, True, True, True, False],
        )

    def read_plan(self, reader, fields) -> dict:
        return {
            "axes": _read_axes(reader, fields),
            "size": reader.integer(fields, "size", 5, 3, 11),
        }

    def series_figure(self, stage, entries) -> dict:
        """Per item and axis, each session's mean position."""
        first = next((e.results for e in entries if e.results), None) or {"items": [], "axes": {}}
        axes = first.get("axes") or {"x": {"label": "Benefit"}, "y": {"label": "Risk"}}
        items = [
            (f"{item['key']}|{axis}", f"{item['label']}: {axes[axis]['label']}")
            for item in first["items"]
            for axis in ("x", "y")
        ]

        def value(results, key):
            item_key, axis = key.split("|")
            item = next((i for i in results["items"] if i["key"] == item_key), None)
            if item is None or not item["n"]:
                return None, "", "not placed"
            mean = item[f"mean_{axis}"]
            number = series_charts.fmt
            return mean, number(mean), f"mean {number(mean)} of {item['n']} placements"

        return series_charts.per_item_figure(
            stage,
            entries,
            items,
            value,
            y_title="Mean position",
            range=[0, first.get("size", 5) + 0.4],
        ).to_plotly_json()

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        cells = value.get("cells", {})
        return [(key, item_label(activity, key), f"{x},{y}") for key, (x, y) in cells.items()]


TYPE = Grid()
