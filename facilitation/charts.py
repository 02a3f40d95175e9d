"""Plotly figures of a stage's results, built once on the server.

The projector, the console and the HTML report draw the same figure, so chart design lives
here only. Figures are built as the plain JSON-ready dicts plotly.js takes
(``{"data": [...], "layout": {...}}``), not as plotly graph objects: the broadcaster
rebuilds a chart up to ten times a second while a room votes, and plotly's objects cost
about 7 ms a rating chart where plain dicts cost a few hundredths of that.
tests/test_charts_schema.py has plotly's schema check every chart instead.
"""

from __future__ import annotations

import json
import math

import plotly.io as pio

# Colours pass WCAG contrast against white text; each light also carries its word.
LIGHT_COLOURS = {"met": "#1b7a3a", "partly": "#9a5b00", "not_met": "#b3261e"}
SCALE_COLOURS = ["#b3261e", "#d9734e", "#8a8a8a", "#4f8fc0", "#1d5e9e"]
BAR_COLOUR = "#1d5e9e"
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=22)

_templates: dict[str, str] = {}


def template() -> dict:
    """Plotly's default template as JSON, as ``go.Figure`` put it into every figure.

    The pages have always drawn with it (it sets the hover labels, colourway and axis
    lines), so it stays. Made once per process; each figure gets its own copy, as callers
    may change a figure in place.
    """
    name = pio.templates.default
    if name not in _templates:
        _templates[name] = json.dumps(pio.templates[name].to_plotly_json())
    return json.loads(_templates[name])


def figure(data: list[dict], layout: dict) -> dict:
    return {"data": data, "layout": layout}


def with_template(built: dict | None) -> dict | None:
    """The figure as sent: with the template (added last, so the breakdowns' panels, built
    from these charts, do not each copy it)."""
    if built is not None:
        built["layout"]["template"] = template()
    return built


def _bar(**properties) -> dict:
    return {"type": "bar", "orientation": "h", **properties}


def _layout(
    data: list[dict],
    *,
    stacked: bool = False,
    height_per_row: int = 70,
    rows: int = 1,
    xaxis: dict | None = None,
    **extra,
) -> dict:
    """The bar charts' figure: horizontal bars, one row per option or item."""
    # Every chart counts people (or Borda points): whole numbers, no 0.2 ticks.
    x_axis = {"automargin": True, "rangemode": "tozero", "gridcolor": "#d0d0d0", "tickformat": ",d"}
    step = _count_step(data, stacked)
    if step is not None:
        x_axis["dtick"] = step
    layout = dict(
        barmode="stack" if stacked else "group",
        font=dict(FONT),
        margin=dict(l=20, r=20, t=20, b=20),
        height=max(260, 140 + height_per_row * rows),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        # Stacked bars default to a reversed legend; keep it in scale order (1..5, met..not met).
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
        showlegend=stacked,
        yaxis={"automargin": True, "autorange": "reversed"},
        xaxis={**(xaxis or {}), **x_axis},
        **extra,
    )
    return figure(data, layout)


def _count_step(data: list[dict], stacked: bool) -> int | None:
    """A tick at every whole number for small totals; plotly's own choice for large ones."""
    rows = zip(*(trace.get("x") or () for trace in data), strict=False)
    largest = max((sum(row) if stacked else max(row) for row in rows), default=0)
    return 1 if largest <= 10 else None


def _wrap(label: str, width: int = 28) -> str:
    """Break long labels over lines so they fit beside the bars."""
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _texts(values) -> list[str]:
    # Plotly's schema takes bar text as strings (go.Bar turned numbers into them).
    return [str(value) for value in values]


def options_figure(results: dict) -> dict:
    options = results["options"]
    bar = _bar(
        x=[o["count"] for o in options],
        y=[_wrap(o["label"]) for o in options],
        marker={"color": BAR_COLOUR},
        text=_texts(o["count"] for o in options),
        textposition="auto",
    )
    return _layout([bar], rows=len(options))


def rating_figure(results: dict) -> dict:
    items, points = results["items"], results["points"]
    colours = _spread(SCALE_COLOURS, len(points))
    labels = [_wrap(f"{item['label']} (median {_fmt(item['median'])})") for item in items]
    data = [
        _bar(
            name=str(point),
            x=[item["counts"][str(point)] for item in items],
            y=list(labels),
            marker={"color": colour},
            text=_texts(item["counts"][str(point)] or "" for item in items),
            textposition="inside",
        )
        for point, colour in zip(points, colours, strict=True)
    ]
    return _layout(data, stacked=True, rows=len(items), height_per_row=90)


def traffic_light_figure(results: dict) -> dict:
    items = results["items"]
    labels = [_wrap(item["label"]) for item in items]
    data = [
        _bar(
            name=light["label"],
            x=[item[light["key"]] for item in items],
            y=list(labels),
            marker={"color": LIGHT_COLOURS[light["key"]]},
            text=[
                f"{light['label']}: {item[light['key']]}" if item[light["key"]] else ""
                for item in items
            ],
            textposition="inside",
        )
        for light in results["lights"]
    ]
    return _layout(data, stacked=True, rows=len(items), height_per_row=110)


def ranking_figure(results: dict) -> dict:
    items = results["items"]
    bar = _bar(
        x=[item["borda"] for item in items],
        y=[_wrap(item["label"]) for item in items],
        marker={"color": BAR_COLOUR},
        text=[f"mean rank {_fmt(item['mean_rank'])}" for item in items],
        textposition="auto",
    )
    title = {"title": {"text": "Borda score (higher = more important)"}}
    return _layout([bar], rows=len(items), xaxis=title)


def _fmt(number) -> str:
    return "–" if number is None else f"{number:g}"


def _spread(colours: list[str], n: int) -> list[str]:
    if n <= len(colours):
        step = (len(colours) - 1) / max(n - 1, 1)
        return [colours[round(i * step)] for i in range(n)]
    return [colours[min(i * len(colours) // n, len(colours) - 1)] for i in range(n)]


def points_figure(results: dict) -> dict:
    items = results["items"]
    bar = _bar(
        x=[item["total"] for item in items],
        y=[_wrap(item["label"]) for item in items],
        marker={"color": BAR_COLOUR},
        text=[_points_text(item) for item in items],
        textposition="auto",
    )
    return _layout([bar], rows=len(items), xaxis={"title": {"text": "Points given"}})


def _points_text(item: dict) -> str:
    if not item["total"]:
        return ""
    people = "1 person" if item["voters"] == 1 else f"{item['voters']} people"
    return f"{item['total']} · {people}"


# One colour per item placed on a grid (the first is the bars' blue).
ITEM_COLOURS = ["#1d5e9e", "#b3261e", "#1b7a3a", "#9a5b00", "#6a3d9a", "#00707a", "#8a4a6b"]
STATEMENT_COLOURS = {"agree": "#1b7a3a", "passes": "#6b6b6b", "disagree": "#b3261e"}
STATEMENTS_SHOWN = 10
GRID_HEIGHT = 640


def _cell_offsets(n: int) -> list[tuple[float, float]]:
    """Where in a cell each item's dot sits, so several items in one cell stay apart."""
    if n == 1:
        return [(0.0, 0.0)]
    radius = 0.22
    return [
        (radius * math.cos(2 * math.pi * i / n), radius * math.sin(2 * math.pi * i / n))
        for i in range(n)
    ]


def _dot_size(count: int, largest: int, cell: float, several: bool) -> int:
    """A dot's diameter: its area grows with the count; several items share a cell."""
    low, span = (0.2, 0.25) if several else (0.3, 0.5)
    return round(cell * (low + span * math.sqrt(count / largest)))


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
        for cell in item["cells"]:
            density[cell["y"] - 1][cell["x"] - 1] += cell["count"]
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


def _grid_dots(item: dict, colour: str, offset, largest: int, cell: float, several: bool):
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
            size=[_dot_size(c["count"], largest, cell, several) for c in cells],
            color=colour,
            line={"color": "#ffffff", "width": 2},
        ),
        hovertemplate=f"{item['label']}<br>%{{text}} here<extra></extra>",
        showlegend=several,
    )


def _grid_average(item: dict, colour: str, cell: float) -> dict:
    return dict(
        type="scatter",
        name=f"{item['label']}: average",
        legendgroup=item["key"],
        x=[item["mean_x"]],
        y=[item["mean_y"]],
        mode="markers",
        marker=dict(
            symbol="x-thin",
            size=round(0.35 * cell),
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


def grid_figure(results: dict) -> dict:
    """Each item's dots on the grid, sized by how many put it in that cell, over a shaded
    density of all the dots; a cross marks each item's average position."""
    items, size, axes = results["items"], results["size"], results["axes"]
    largest = max((c["count"] for item in items for c in item["cells"]), default=0)
    data = [_density(items, size)]
    several = len(items) > 1
    offsets = _cell_offsets(len(items))
    cell = (GRID_HEIGHT - 100) / size  # a cell's side in pixels, less the axes
    for index, item in enumerate(items):
        colour = ITEM_COLOURS[index % len(ITEM_COLOURS)]
        data.append(_grid_dots(item, colour, offsets[index], largest, cell, several))
        if item["n"]:
            data.append(_grid_average(item, colour, cell))
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


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def statements_figure(results: dict) -> dict | None:
    statements = [s for s in results["statements"] if s["votes"]][:STATEMENTS_SHOWN]
    if not statements:
        return None
    labels = [_wrap(f"{rank}. {_shorten(s['text'])}", 36) for rank, s in enumerate(statements, 1)]
    data = [
        _bar(
            name=name,
            x=[s[key] for s in statements],
            y=list(labels),
            marker={"color": STATEMENT_COLOURS[key]},
            text=_texts(s[key] or "" for s in statements),
            textposition="inside",
        )
        for key, name in (("agree", "Agree"), ("passes", "Pass"), ("disagree", "Disagree"))
    ]
    return _layout(
        data,
        stacked=True,
        rows=len(statements),
        height_per_row=90,
        meta={"chart": "statements"},
    )


_FIGURES = {
    "sector": options_figure,
    "choice": options_figure,
    "rating": rating_figure,
    "traffic_light": traffic_light_figure,
    "ranking": ranking_figure,
    "points": points_figure,
    "grid": grid_figure,
    "statements": statements_figure,
}


def stage_figure(activity_type: str, results: dict) -> dict | None:
    """The figure as JSON-ready data and layout, or None for stages without a chart."""
    build = _FIGURES.get(activity_type)
    return None if build is None else with_template(build(results))
