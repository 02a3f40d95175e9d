"""Plotly figures of a stage's results, built once on the server.

The projector, the console and (later) the HTML report draw the same figure, so chart
design lives here only. Figures are sent as plain JSON for plotly.js to render.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

# Colours pass WCAG contrast against white text; each light also carries its word.
LIGHT_COLOURS = {"met": "#1b7a3a", "partly": "#9a5b00", "not_met": "#b3261e"}
SCALE_COLOURS = ["#b3261e", "#d9734e", "#8a8a8a", "#4f8fc0", "#1d5e9e"]
BAR_COLOUR = "#1d5e9e"
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=22)


def _new_figure(*traces) -> go.Figure:
    """A figure that skips plotly's per-property schema checks as it is built.

    Checking every property as it is set made a rating chart cost about 38 ms, and the
    broadcaster rebuilds the chart up to ten times a second while a room votes (about 9 ms
    without). The properties set in this module are fixed, and tests/test_charts_schema.py
    builds every chart with the checks on and compares.
    """
    return go.Figure(*traces, _validate=False)


def _layout(
    fig: go.Figure,
    *,
    stacked: bool = False,
    height_per_row: int = 70,
    rows: int = 1,
):
    fig.update_layout(
        barmode="stack" if stacked else "group",
        font=FONT,
        margin=dict(l=20, r=20, t=20, b=20),
        height=max(260, 140 + height_per_row * rows),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        # Stacked bars default to a reversed legend; keep it in scale order (1..5, met..not met).
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
        showlegend=stacked,
    )
    fig.update_yaxes(automargin=True, autorange="reversed")
    fig.update_xaxes(automargin=True, rangemode="tozero", gridcolor="#d0d0d0")
    # Every chart counts people (or Borda points): whole numbers, no 0.2 ticks.
    fig.update_xaxes(tickformat=",d", dtick=_count_step(fig, stacked))
    return fig


def _count_step(fig: go.Figure, stacked: bool) -> int | None:
    """A tick at every whole number for small totals; plotly's own choice for large ones."""
    rows = zip(*(trace.x or () for trace in fig.data), strict=False)
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


def options_figure(results: dict) -> go.Figure:
    options = results["options"]
    fig = _new_figure(
        go.Bar(
            x=[o["count"] for o in options],
            y=[_wrap(o["label"]) for o in options],
            orientation="h",
            marker_color=BAR_COLOUR,
            text=[o["count"] for o in options],
            textposition="auto",
        )
    )
    return _layout(fig, rows=len(options))


def rating_figure(results: dict) -> go.Figure:
    items, points = results["items"], results["points"]
    colours = _spread(SCALE_COLOURS, len(points))
    fig = _new_figure()
    for point, colour in zip(points, colours, strict=True):
        fig.add_bar(
            name=str(point),
            x=[item["counts"][str(point)] for item in items],
            y=[_wrap(f"{item['label']} (median {_fmt(item['median'])})") for item in items],
            orientation="h",
            marker_color=colour,
            text=[item["counts"][str(point)] or "" for item in items],
            textposition="inside",
        )
    return _layout(fig, stacked=True, rows=len(items), height_per_row=90)


def traffic_light_figure(results: dict) -> go.Figure:
    items = results["items"]
    fig = _new_figure()
    for light in results["lights"]:
        fig.add_bar(
            name=light["label"],
            x=[item[light["key"]] for item in items],
            y=[_wrap(item["label"]) for item in items],
            orientation="h",
            marker_color=LIGHT_COLOURS[light["key"]],
            text=[
                f"{light['label']}: {item[light['key']]}" if item[light["key"]] else ""
                for item in items
            ],
            textposition="inside",
        )
    return _layout(fig, stacked=True, rows=len(items), height_per_row=110)


def ranking_figure(results: dict) -> go.Figure:
    items = results["items"]
    fig = _new_figure(
        go.Bar(
            x=[item["borda"] for item in items],
            y=[_wrap(item["label"]) for item in items],
            orientation="h",
            marker_color=BAR_COLOUR,
            text=[f"mean rank {_fmt(item['mean_rank'])}" for item in items],
            textposition="auto",
        )
    )
    fig.update_xaxes(title_text="Borda score (higher = more important)")
    return _layout(fig, rows=len(items))


def _fmt(number) -> str:
    return "–" if number is None else f"{number:g}"


def _spread(colours: list[str], n: int) -> list[str]:
    if n <= len(colours):
        step = (len(colours) - 1) / max(n - 1, 1)
        return [colours[round(i * step)] for i in range(n)]
    return [colours[min(i * len(colours) // n, len(colours) - 1)] for i in range(n)]


def points_figure(results: dict) -> go.Figure:
    items = results["items"]
    fig = _new_figure(
        go.Bar(
            x=[item["total"] for item in items],
            y=[_wrap(item["label"]) for item in items],
            orientation="h",
            marker_color=BAR_COLOUR,
            text=[_points_text(item) for item in items],
            textposition="auto",
        )
    )
    fig.update_xaxes(title_text="Points given")
    return _layout(fig, rows=len(items))


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


def _grid_ticks(size: int, low: str, high: str) -> dict:
    words = [""] * size
    words[0], words[-1] = low, high
    return dict(
        tickmode="array",
        tickvals=list(range(1, size + 1)),
        ticktext=words,
        range=[0.5, size + 0.5],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )


def grid_figure(results: dict) -> go.Figure:
    """Each item's dots on the grid, sized by how many put it in that cell, over a shaded
    density of all the dots; a cross marks each item's average position."""
    items, size, axes = results["items"], results["size"], results["axes"]
    largest = max((c["count"] for item in items for c in item["cells"]), default=0)
    density = [[0] * size for _ in range(size)]
    for item in items:
        for cell in item["cells"]:
            density[cell["y"] - 1][cell["x"] - 1] += cell["count"]
    fig = _new_figure(
        go.Heatmap(
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
    )
    several = len(items) > 1
    offsets = _cell_offsets(len(items))
    cell = (GRID_HEIGHT - 100) / size  # a cell's side in pixels, less the axes
    for index, item in enumerate(items):
        colour = ITEM_COLOURS[index % len(ITEM_COLOURS)]
        dx, dy = offsets[index]
        cells = item["cells"]
        fig.add_scatter(
            name=item["label"],
            legendgroup=item["key"],
            x=[c["x"] + dx for c in cells],
            y=[c["y"] + dy for c in cells],
            mode="markers+text",
            text=[str(c["count"]) for c in cells],
            textposition="middle center",
            textfont=dict(color="#ffffff"),
            marker=dict(
                size=[_dot_size(c["count"], largest, cell, several) for c in cells],
                color=colour,
                line=dict(color="#ffffff", width=2),
            ),
            hovertemplate=f"{item['label']}<br>%{{text}} here<extra></extra>",
            showlegend=several,
        )
        if item["n"]:
            fig.add_scatter(
                name=f"{item['label']}: average",
                legendgroup=item["key"],
                x=[item["mean_x"]],
                y=[item["mean_y"]],
                mode="markers",
                marker=dict(
                    symbol="x-thin",
                    size=round(0.35 * cell),
                    color=colour,
                    line=dict(color=colour, width=4),
                ),
                hovertemplate="Average<extra></extra>",
                showlegend=False,
            )
    if largest:  # a key to the crosses
        fig.add_scatter(
            name="Average",
            x=[None],
            y=[None],
            mode="markers",
            marker=dict(
                symbol="x-thin", size=18, color="#57606a", line=dict(color="#57606a", width=3)
            ),
            hoverinfo="skip",
            showlegend=True,
        )
    for k in range(size + 1):  # the cells' borders
        edge = k + 0.5
        line = dict(color="#9aa3ad", width=1)
        fig.add_shape(type="line", x0=edge, x1=edge, y0=0.5, y1=size + 0.5, line=line)
        fig.add_shape(type="line", x0=0.5, x1=size + 0.5, y0=edge, y1=edge, line=line)
    fig.update_layout(
        meta={"chart": "grid"},
        font=FONT,
        margin=dict(l=20, r=20, t=20, b=20),
        height=GRID_HEIGHT,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        showlegend=bool(largest),
    )
    # The grid stays square and its axes hug it (the plot area shrinks, not the ranges grow).
    fig.update_xaxes(constrain="domain")
    fig.update_yaxes(constrain="domain")
    fig.update_xaxes(
        title_text=f"{axes['x']['label']} →",
        automargin=True,
        **_grid_ticks(size, axes["x"]["low"], axes["x"]["high"]),
    )
    fig.update_yaxes(
        title_text=f"{axes['y']['label']} →",
        automargin=True,
        scaleanchor="x",
        scaleratio=1,
        **_grid_ticks(size, axes["y"]["low"], axes["y"]["high"]),
    )
    return fig


def _shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def statements_figure(results: dict) -> go.Figure | None:
    statements = [s for s in results["statements"] if s["votes"]][:STATEMENTS_SHOWN]
    if not statements:
        return None
    labels = [_wrap(f"{rank}. {_shorten(s['text'])}", 36) for rank, s in enumerate(statements, 1)]
    fig = _new_figure()
    for key, name in (("agree", "Agree"), ("passes", "Pass"), ("disagree", "Disagree")):
        fig.add_bar(
            name=name,
            x=[s[key] for s in statements],
            y=labels,
            orientation="h",
            marker_color=STATEMENT_COLOURS[key],
            text=[s[key] or "" for s in statements],
            textposition="inside",
        )
    fig.update_layout(meta={"chart": "statements"})
    return _layout(fig, stacked=True, rows=len(statements), height_per_row=90)


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
    if build is None:
        return None
    figure = build(results)
    return None if figure is None else figure.to_plotly_json()
