"""Results broken down by sector or by table: one figure for the projector and the console.

Two designs, chosen for what a room must read from its back rows (each activity type says
which is its own: ``ActivityType.breakdown_shares``):

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
them out). Figures are plain JSON-ready dicts for plotly.js, laid out as plotly's ``make_subplots``
lays out a grid of panels (built by hand for speed, as in ``charts``); ``layout.meta`` says
they are breakdowns so the pages size them for their screens.
"""

from __future__ import annotations

import math

from .activities import ActivityType, activity_type
from .charts import FONT, TOO_SMALL_LEFT_OFF, bar, figure, with_template, wrap
from .wording import people

# "session": the sessions of a series side by side, in series reports.
GROUP_WORDS = {"sector": "sector", "table": "table", "session": "session"}
MAX_COLUMNS = 4


def _group_label(label: str, detail: str) -> str:
    return f"<b>{wrap(label, 22)}</b><br>{detail}"


def _axis_name(kind: str, index: int) -> str:
    """Plotly's name for panel ``index``'s axis as traces and shapes refer to it: x, x2..."""
    return kind if index == 1 else f"{kind}{index}"


def _axis_key(kind: str, index: int) -> str:
    """The panel's axis in the layout: xaxis, xaxis2..."""
    return f"{kind}axis" if index == 1 else f"{kind}axis{index}"


def _panels(
    rows: int,
    columns: int,
    *,
    horizontal_spacing: float,
    vertical_spacing: float,
    shared_yaxes: bool = False,
    titles: list[str] | None = None,
) -> dict:
    """The layout of a grid of panels: axes and title annotations, numbered row by row from
    the top left, with the same numbers (to the last digit) as plotly's ``make_subplots``
    gives, so the figures did not change when it stopped being used."""
    width = (1.0 - horizontal_spacing * (columns - 1)) / columns
    height = (1.0 - vertical_spacing * (rows - 1)) / rows
    widths, heights = [width] * columns, [height] * rows
    layout, annotations = {}, []
    for row in range(rows):
        below = rows - 1 - row  # rows are stacked from the bottom of the paper
        # float(): a spacing of 0 must still give 0.0, as plotly's domains are floats.
        bottom = float(sum(heights[:below]) + below * vertical_spacing)
        y0, y1 = min(max(bottom, 0.0), 1.0), min(max(bottom + height, 0.0), 1.0)
        for column in range(columns):
            index = row * columns + column + 1
            x0 = float(sum(widths[:column]) + column * horizontal_spacing)
            x1 = x0 + width
            x_axis = {"anchor": _axis_name("y", index), "domain": [max(0.0, x0), min(1.0, x1)]}
            y_axis = {"anchor": _axis_name("x", index), "domain": [y0, y1]}
            if shared_yaxes and column:  # one column of labels at the left of each row
                y_axis.update(matches=_axis_name("y", index - column), showticklabels=False)
            layout[_axis_key("x", index)] = x_axis
            layout[_axis_key("y", index)] = y_axis
            title = titles[index - 1] if titles and index <= len(titles) else None
            if title:
                annotations.append(_panel_title(title, (x0 + x1) / 2.0, y1))
    if annotations:
        layout["annotations"] = annotations
    return layout


def _panel_title(text: str, x: float, y: float) -> dict:
    # Panel titles take the page's type (the pages size it), in bold.
    return {
        "font": {"size": FONT["size"], "color": "#0b0d10"},
        "showarrow": False,
        "text": f"<b>{text}</b>",
        "x": x,
        "xanchor": "center",
        "xref": "paper",
        "y": y,
        "yanchor": "bottom",
        "yref": "paper",
    }


def _every_axis(layout: dict, kind: str, **settings) -> None:
    """Settings for every panel's ``kind`` ("x" or "y") axis, empty panels' too."""
    prefix = f"{kind}axis"
    for key, axis in layout.items():
        if key.startswith(prefix):
            axis.update(settings)


def _base_layout(
    layout: dict,
    breakdown: str,
    kind: ActivityType,
    height: int,
    titles: list[list[str]] | None = None,
) -> None:
    """``titles``: each panel title's lines before wrapping, for pages that rewrap them."""
    meta = {"chart": "breakdown", "breakdown": breakdown, "activity": kind.name}
    if titles:
        meta["titles"] = titles
    layout.update(
        meta=meta,
        font=dict(FONT),
        margin=dict(l=20, r=20, t=40, b=20),
        height=height,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
    )


# Traffic lights and ratings: one 100%-stacked bar per group ---------------------------------


SHARE_COLUMNS = 3  # items side by side, so each group's bar keeps a readable height


def _share_bar(name: str, key: str, colour: str, counts: list, sizes: list, **properties):
    """One part (met, partly...) of every group's bar in a panel: its share, its count."""
    return bar(
        name=name,
        legendgroup=key,
        x=[100 * c / n if n else 0 for c, n in zip(counts, sizes, strict=True)],
        marker={"color": colour},
        text=[str(c) if c else "" for c in counts],
        textposition="inside",
        insidetextanchor="middle",
        hovertemplate=f"{name}: %{{text}} (%{{x:.0f}}%)<extra></extra>",
        **properties,
    )


def _share_figure(kind: ActivityType, groups: list[dict], breakdown: str) -> dict | None:
    first = groups[0]["results"]
    items = [item["label"] for item in first["items"]]
    segments = kind.share_segments(first)
    answered = [i for i in range(len(items)) if any(g["results"]["items"][i]["n"] for g in groups)]
    if not answered:
        return None
    single = len(items) == 1
    columns = min(len(answered), SHARE_COLUMNS)
    rows = math.ceil(len(answered) / columns)
    layout = _panels(
        rows,
        columns,
        # Groups in the same order in every panel, named once at the left of each row.
        shared_yaxes=True,
        titles=None if single else [wrap(items[i], 38) for i in answered],
        horizontal_spacing=0.08,
        vertical_spacing=0.22 if rows > 1 else 0,
    )

    def label(group: dict, item: dict) -> str:
        if single:  # one item: its numbers can sit in the label
            return _group_label(group["label"], people(item["n"]) + kind.share_detail(item))
        return _group_label(group["label"], people(group["answered"]))

    data = []
    for panel, index in enumerate(answered, start=1):
        bars = [(group, group["results"]["items"][index]) for group in groups]
        y = [label(group, item) for group, item in bars]
        sizes = [item["n"] for _, item in bars]
        for key, name, colour in segments:
            counts = [kind.share_count(item, key) for _, item in bars]
            data.append(
                _share_bar(
                    name,
                    key,
                    colour,
                    counts,
                    sizes,
                    showlegend=panel == 1,
                    y=list(y),
                    xaxis=_axis_name("x", panel),
                    yaxis=_axis_name("y", panel),
                )
            )
    layout.update(barmode="stack", showlegend=True, uniformtext=dict(TOO_SMALL_LEFT_OFF))
    _every_axis(layout, "y", automargin=True, autorange="reversed")
    wide = columns > 1
    _every_axis(
        layout,
        "x",
        range=[0, 100.5],
        tickmode="array",
        tickvals=[0, 50, 100] if wide else [0, 25, 50, 75, 100],
        ticktext=["0%", "50%", "100%"] if wide else ["0%", "25%", "50%", "75%", "100%"],
        gridcolor="#d0d0d0",
        automargin=True,
    )
    if single:
        title = f"Share of each {GROUP_WORDS[breakdown]}’s answers"
        _every_axis(layout, "x", title={"text": title})
    height = 200 + 110 * len(groups) * rows + (0 if single else 80 * rows)
    titles = None if single else [[items[i]] for i in answered]
    _base_layout(layout, breakdown, kind, height, titles)
    return figure(data, layout)


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
    "showticklabels",
    "tick0",
    "tickformat",
    "tickmode",
    "ticktext",
    "tickvals",
    "title",
    "type",
    "zeroline",
)


def _room_order(build, room: dict | None) -> list | None:
    """The rows of options in the room's chart, top to bottom, or None without one."""
    if room is None:
        return None
    room_figure = build(room)
    if room_figure is None or not room_figure["data"]:
        return None
    return list(room_figure["data"][0].get("y") or ())


def _add_panel(layout: dict, data: list, panel: dict, index: int, order: list | None) -> None:
    """A group's own chart as panel ``index``: its traces, axes settings and shapes."""
    x_name, y_name = _axis_name("x", index), _axis_name("y", index)
    for trace in panel["data"]:
        trace["showlegend"] = bool(trace.get("showlegend") is not False and index == 1)
        if trace.get("legendgroup") is None and trace.get("name") is not None:
            trace["legendgroup"] = trace["name"]
        trace.update(xaxis=x_name, yaxis=y_name)
        data.append(trace)
    for kind in ("x", "y"):
        source = panel["layout"].get(f"{kind}axis", {})
        settings = {k: v for k, v in source.items() if k in _AXIS_KEYS}
        if settings.get("scaleanchor"):
            settings["scaleanchor"] = x_name
        if kind == "y" and order is not None:
            settings.update(categoryorder="array", categoryarray=order)
        layout[_axis_key(kind, index)].update(settings)
    for shape in panel["layout"].get("shapes", ()):
        layout.setdefault("shapes", []).append({**shape, "xref": x_name, "yref": y_name})


def _facet_figure(
    kind: ActivityType, groups: list[dict], breakdown: str, room: dict | None
) -> dict | None:
    build = kind.figure
    panels = []
    for group in groups:
        panel = build(group["results"])
        if panel is not None:
            panels.append((group, panel))
    if not panels:
        return None
    count = len(panels)
    columns = count if count <= MAX_COLUMNS else math.ceil(count / math.ceil(count / MAX_COLUMNS))
    rows = math.ceil(count / columns)
    titles = [f"{wrap(group['label'], 24)}<br>{people(group['answered'])}" for group, _ in panels]
    bars = kind.panels_share_labels
    layout = _panels(
        rows,
        columns,
        titles=titles,
        shared_yaxes=bars,  # one column of option labels at the left of each row
        horizontal_spacing=0.03 if bars else 0.06,
        vertical_spacing=0.18 if rows > 1 else 0,
    )
    # Rows of options in one order for every group: the room's, when there is one.
    order = _room_order(build, room) if bars else None
    data = []
    for index, (_group, panel) in enumerate(panels, start=1):
        _add_panel(layout, data, panel, index, order)
    first = panels[0][1]["layout"]
    layout.update(barmode=first.get("barmode") or "group", showlegend=bool(first.get("showlegend")))
    if "uniformtext" in first:  # the group's chart leaves a number off as the room's does
        layout["uniformtext"] = first["uniformtext"]
    _every_axis(layout, "y", automargin=True)
    _every_axis(layout, "x", automargin=True)
    shown = [len(p["data"][0].get("y") or ()) if bars and p["data"] else 6 for _, p in panels]
    per_row = 140 + 70 * max(shown)
    titles = [[group["label"], people(group["answered"])] for group, _ in panels]
    _base_layout(layout, breakdown, kind, 120 + per_row * rows, titles)
    return figure(data, layout)


def breakdown_figure(
    name: str, groups: list[dict], breakdown: str, room: dict | None = None
) -> dict | None:
    """The results of a stage of type ``name`` per group as a JSON-ready figure, or None
    without a chart.

    ``groups`` as made by ``aggregates.stage_results_by_group``; ``room`` the room's
    results (their order of options is kept in every panel).
    """
    kind = activity_type(name)
    if not groups or not kind.has_figure:
        return None
    if kind.breakdown_shares:
        return with_template(_share_figure(kind, groups, breakdown))
    return with_template(_facet_figure(kind, groups, breakdown, room))
