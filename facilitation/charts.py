"""Plotly figures of a stage's results, built once on the server.

The projector, the console and (later) the HTML report draw the same figure, so chart
design lives here only. Figures are sent as plain JSON for plotly.js to render.
"""

from __future__ import annotations

import plotly.graph_objects as go

# Colours pass WCAG contrast against white text; each light also carries its word.
LIGHT_COLOURS = {"met": "#1b7a3a", "partly": "#9a5b00", "not_met": "#b3261e"}
SCALE_COLOURS = ["#b3261e", "#d9734e", "#8a8a8a", "#4f8fc0", "#1d5e9e"]
BAR_COLOUR = "#1d5e9e"
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=22)


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
    fig = go.Figure(
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
    fig = go.Figure()
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
    fig = go.Figure()
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
    fig = go.Figure(
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


_FIGURES = {
    "sector": options_figure,
    "choice": options_figure,
    "rating": rating_figure,
    "traffic_light": traffic_light_figure,
    "ranking": ranking_figure,
}


def stage_figure(activity_type: str, results: dict) -> dict | None:
    """The figure as JSON-ready data and layout, or None for stages without a chart."""
    build = _FIGURES.get(activity_type)
    if build is None:
        return None
    return build(results).to_plotly_json()
