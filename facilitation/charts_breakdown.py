"""Results broken down by sector or by table: one figure for the projector and the console.

Two designs, chosen for what a room must read from its back rows:

- Traffic lights and ratings ask "how far does each group think this is met?". Each item
  gets a panel in which every group has ONE 100%-stacked bar (met / partly / not met, or
  the scale's points), the groups one under another. Equal-length bars compare groups of
  different sizes directly; the counts of people are printed in the segments, and each
  group's name carries its number of people (and, for ratings, its median), so a group of
  one is never mistaken for a majority.
- Every other activity with a chart (choice, sector, ranking, points, grid, ...) is drawn
  as small multiples: the room's own chart of that activity, once per group, side by side
  with the group's name and number of people as the panel's title. Options share one axis
  of labels at the left, so a row reads across the groups, and no colour has to be looked
  up in a legend (grouped bars with one colour per group were harder to read beyond three
  groups, and a projector washes similar colours out).

Groups without answers never get a panel (``aggregates.stage_results_by_group`` leaves
them out). Figures are JSON for plotly.js; ``layout.meta`` says they are breakdowns so the
pages size them for their screens.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .charts import _FIGURES, FONT, LIGHT_COLOURS, SCALE_COLOURS, _spread, _wrap

# "session": the sessions of a series side by side, in series reports.
GROUP_WORDS = {"sector": "sector", "table": "table", "session": "session"}
MAX_COLUMNS = 4


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def _fmt(number) -> str:
    return "–" if number is None else f"{number:g}"


def _group_label(label: str, detail: str) -> str:
    return f"<b>{_wrap(label, 22)}</b><br>{detail}"


def _base_layout(
    fig: go.Figure,
    breakdown: str,
    activity_type: str,
    height: int,
    titles: list[list[str]] | None = None,
) -> None:
    """``titles``: each panel title's lines before wrapping, for pages that rewrap them."""
    meta = {"chart": "breakdown", "breakdown": breakdown, "activity": activity_type}
    if titles:
        meta["titles"] = titles
    fig.update_layout(
        meta=meta,
        font=FONT,
        margin=dict(l=20, r=20, t=40, b=20),
        height=height,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
    )
    # Panel titles take the page's type (the pages size it), in bold.
    for annotation in fig.layout.annotations:
        annotation.font = dict(size=FONT["size"], color="#0b0d10")
        annotation.text = f"<b>{annotation.text}</b>"


# Traffic lights and ratings: one 100%-stacked bar per group ---------------------------------


def _segments(activity_type: str, results: dict) -> list[tuple[str, str, str]]:
    """(key in an item's counts, legend name, colour) for each part of a bar."""
    if activity_type == "traffic_light":
        return [(lt["key"], lt["label"], LIGHT_COLOURS[lt["key"]]) for lt in results["lights"]]
    points = results["points"]
    colours = _spread(SCALE_COLOURS, len(points))
    return [(str(p), str(p), colour) for p, colour in zip(points, colours, strict=True)]


def _count(activity_type: str, item: dict, key: str) -> int:
    return item["counts"][key] if activity_type == "rating" else item[key]


SHARE_COLUMNS = 3  # items side by side, so each group's bar keeps a readable height


def _share_figure(activity_type: str, groups: list[dict], breakdown: str) -> go.Figure | None:
    first = groups[0]["results"]
    items = [item["label"] for item in first["items"]]
    segments = _segments(activity_type, first)
    answered = [i for i in range(len(items)) if any(g["results"]["items"][i]["n"] for g in groups)]
    if not answered:
        return None
    single = len(items) == 1
    columns = min(len(answered), SHARE_COLUMNS)
    rows = math.ceil(len(answered) / columns)
    fig = make_subplots(
        rows=rows,
        cols=columns,
        # Groups in the same order in every panel, named once at the left of each row.
        shared_yaxes=True,
        subplot_titles=None if single else [_wrap(items[i], 38) for i in answered],
        horizontal_spacing=0.07,
        vertical_spacing=0.22 if rows > 1 else 0,
    )

    def label(group: dict, item: dict) -> str:
        if single:  # one item: its numbers can sit in the label
            detail = _people(item["n"])
            if activity_type == "rating":
                detail += f" · median {_fmt(item['median'])}"
            return _group_label(group["label"], detail)
        return _group_label(group["label"], _people(group["answered"]))

    for panel, index in enumerate(answered):
        row, col = panel // columns + 1, panel % columns + 1
        bars = [(group, group["results"]["items"][index]) for group in groups]
        y = [label(group, item) for group, item in bars]
        for key, name, colour in segments:
            counts = [_count(activity_type, item, key) for _, item in bars]
            sizes = [item["n"] for _, item in bars]
            fig.add_bar(
                name=name,
                legendgroup=key,
                showlegend=panel == 0,
                x=[100 * c / n if n else 0 for c, n in zip(counts, sizes, strict=True)],
                y=y,
                orientation="h",
                marker_color=colour,
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"{name}: %{{text}} (%{{x:.0f}}%)<extra></extra>",
                row=row,
                col=col,
            )
    fig.update_layout(barmode="stack", showlegend=True)
    fig.update_yaxes(automargin=True, autorange="reversed")
    fig.update_xaxes(
        range=[0, 100.5],
        tickmode="array",
        tickvals=[0, 50, 100] if columns > 1 else [0, 25, 50, 75, 100],
        ticktext=["0%", "50%", "100%"] if columns > 1 else ["0%", "25%", "50%", "75%", "100%"],
        gridcolor="#d0d0d0",
        automargin=True,
    )
    if single:
        fig.update_xaxes(title_text=f"Share of each {GROUP_WORDS[breakdown]}’s answers")
    height = 200 + 110 * len(groups) * rows + (0 if single else 80 * rows)
    titles = None if single else [[items[i]] for i in answered]
    _base_layout(fig, breakdown, activity_type, height, titles)
    return fig


# Everything else: the room's chart once per group ----------------------------------------------

# Axis settings a panel keeps from the activity's own chart.
_AXIS_KEYS = (
    "autorange",
    "categoryarray",
    "categoryorder",
    "dtick",
    "fixedrange",
    "gridcolor",
    "range",
    "rangemode",
    "scaleanchor",
    "scaleratio",
    "showgrid",
    "tick0",
    "tickformat",
    "tickmode",
    "ticktext",
    "tickvals",
    "title",
    "type",
    "zeroline",
)


def _axis_name(kind: str, index: int) -> str:
    """Plotly's name for panel ``index``'s axis as traces and shapes refer to it: x, x2..."""
    return kind if index == 1 else f"{kind}{index}"


def _facet_figure(
    activity_type: str, groups: list[dict], breakdown: str, room: dict | None
) -> go.Figure | None:
    build = _FIGURES[activity_type]
    panels = []
    for group in groups:
        figure = build(group["results"])
        if figure is not None:
            panels.append((group, figure))
    if not panels:
        return None
    count = len(panels)
    columns = count if count <= MAX_COLUMNS else math.ceil(count / math.ceil(count / MAX_COLUMNS))
    rows = math.ceil(count / columns)
    titles = [f"{_wrap(group['label'], 24)}<br>{_people(group['answered'])}" for group, _ in panels]
    bars = activity_type not in ("grid",)
    fig = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        shared_yaxes=bars,  # one column of option labels at the left of each row
        horizontal_spacing=0.03 if bars else 0.06,
        vertical_spacing=0.18 if rows > 1 else 0,
    )
    # Rows of options in one order for every group: the room's, when there is one.
    order = None
    if bars and room is not None:
        room_figure = build(room)
        if room_figure is not None and room_figure.data:
            order = list(room_figure.data[0].y or ())
    for index, (_group, figure) in enumerate(panels, start=1):
        row, col = (index - 1) // columns + 1, (index - 1) % columns + 1
        for trace in figure.data:
            trace.showlegend = bool(trace.showlegend is not False and index == 1)
            if trace.legendgroup is None and trace.name is not None:
                trace.legendgroup = trace.name
            fig.add_trace(trace, row=row, col=col)
        x_name, y_name = _axis_name("x", index), _axis_name("y", index)
        for axis_kind in ("xaxis", "yaxis"):
            source = figure.layout[axis_kind].to_plotly_json()
            settings = {k: v for k, v in source.items() if k in _AXIS_KEYS}
            if settings.get("scaleanchor"):
                settings["scaleanchor"] = x_name
            if axis_kind == "yaxis" and order is not None:
                settings.update(categoryorder="array", categoryarray=order)
            fig.layout[axis_kind if index == 1 else f"{axis_kind}{index}"].update(settings)
        for shape in figure.layout.shapes or ():
            fig.add_shape(shape.update(xref=x_name, yref=y_name))
        if index == 1:
            fig.update_layout(
                barmode=figure.layout.barmode or "group",
                showlegend=bool(figure.layout.showlegend),
            )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    per_row = 140 + 70 * max(len(f.data[0].y or ()) if bars and f.data else 6 for _, f in panels)
    titles = [[group["label"], _people(group["answered"])] for group, _ in panels]
    _base_layout(fig, breakdown, activity_type, 120 + per_row * rows, titles)
    return fig


def breakdown_figure(
    activity_type: str, groups: list[dict], breakdown: str, room: dict | None = None
) -> dict | None:
    """The stage's results per group as a JSON-ready figure, or None without a chart.

    ``groups`` as made by ``aggregates.stage_results_by_group``; ``room`` the room's
    results (their order of options is kept in every panel).
    """
    if not groups:
        return None
    if activity_type in ("traffic_light", "rating"):
        figure = _share_figure(activity_type, groups, breakdown)
    elif activity_type in _FIGURES:
        figure = _facet_figure(activity_type, groups, breakdown, room)
    else:
        return None
    return None if figure is None else figure.to_plotly_json()
