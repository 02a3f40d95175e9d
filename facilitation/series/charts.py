"""Plotly figures that put a series' sessions side by side, one figure per stage.

Built on the server like the live charts (``facilitation/charts.py``), sized for a laptop
page. Sessions are compared by SHARES (a session of 30 and one of 8 sit on one scale), with
the counts in each bar's text and hover:

- traffic light: per session, the share of answers met / partly met / not met;
- rating: per item, each session's median as a bar from the bottom of the scale, with
  the middle half of the ratings (quartiles) as a whisker and the whole distribution in
  the hover;
- sector and choice: per option, the share of each session's answerers who picked it;
- ranking: per item, each session's average Borda points per person;
- points: per item, each session's average points per person;
- grid: per item and axis, each session's mean position;
- word cloud: the series' most used words, how many answers in each session used them.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from ..charts import LIGHT_COLOURS
from ..plans.model import TRAFFIC_LIGHT_LABELS, TRAFFIC_LIGHTS, Stage
from .comparison import StageSession

# One colour per session, distinct for colour-blind readers and dark enough for white text.
SESSION_COLOURS = [
    "#1d5e9e",
    "#c05a00",
    "#1b7a3a",
    "#8e3b8e",
    "#00707a",
    "#b3261e",
    "#6b5a00",
    "#4a4a4a",
]
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=14)
WORDS_SHOWN = 10


def plain(text: str) -> str:
    """Text as plotly shows it: its own few tags (<br>, <b>...) escaped, never markup."""
    return html.escape(str(text), quote=False)


def wrap(label: str, width: int = 22) -> str:
    words, lines, line = plain(label).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def colour(index: int) -> str:
    return SESSION_COLOURS[index % len(SESSION_COLOURS)]


def fmt(number) -> str:
    if number is None:
        return "–"
    return f"{number:g}" if isinstance(number, int) else f"{round(number, 2):g}"


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _layout(fig: go.Figure, *, title: str, height: int = 380, y_title: str = "", **yaxis):
    fig.update_layout(
        barmode="group",
        # plotly.js's own defaults, not plotly.py's theme: a much smaller page.
        template="none",
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal"),
        bargap=0.25,
        bargroupgap=0.08,
        meta={"chart": "series", "stage": plain(title)},
    )
    fig.update_xaxes(automargin=True, tickangle=0)
    fig.update_yaxes(
        automargin=True, gridcolor="#d0d0d0", title_text=y_title, zeroline=False, **yaxis
    )
    return fig


def _tally(entry: StageSession, item_key: str) -> dict | None:
    results = entry.results or {}
    return next((i for i in results.get("items", []) if i["key"] == item_key), None)


def traffic_light_figure(stage: Stage, entries: list[StageSession]) -> go.Figure:
    """Grouped bars: per session (and per item when the stage lights several), the share
    of answers for each light, the count as the bar's text."""
    items = stage.activity.items
    several = len(items) > 1
    fig = go.Figure()
    for light in TRAFFIC_LIGHTS:
        label = TRAFFIC_LIGHT_LABELS[light]
        x_items, x_sessions, shares, texts, counts, totals = [], [], [], [], [], []
        for item in items:
            for entry in entries:
                tally = _tally(entry, item.key) or {}
                n = tally.get("n", 0)
                count = tally.get(light, 0)
                x_items.append(wrap(item.label))
                x_sessions.append(f"{wrap(entry.column.label, 16)}<br>n = {n}")
                shares.append(percent(count, n))
                texts.append(str(count) if n else "")
                counts.append(count)
                totals.append(n)
        fig.add_bar(
            name=label,
            x=[x_items, x_sessions] if several else x_sessions,
            y=shares,
            marker_color=LIGHT_COLOURS[light],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=list(zip(counts, totals, strict=True)),
            hovertemplate=(
                f"{label}: %{{customdata[0]}} of %{{customdata[1]}} (%{{y:.0f}}%)<extra></extra>"
            ),
        )
    return _layout(
        fig,
        title=stage.title,
        y_title="Share of answers (%)",
        range=[0, 108],
        ticksuffix="%",
        height=380 + (60 if several else 0),
    )


def rating_figure(stage: Stage, entries: list[StageSession]) -> go.Figure:
    """Grouped bars: per item, each session's median rating, with the quartiles as a
    whisker; the distribution of ratings and the count in the hover."""
    scale = stage.activity.scale
    low, high = (scale.min, scale.max) if scale else (1, 5)
    base = low - 0.5
    fig = go.Figure()
    for index, entry in enumerate(entries):
        medians, up, down, texts, hovers = [], [], [], [], []
        for item in stage.activity.items:
            tally = _tally(entry, item.key)
            median = tally.get("median") if tally else None
            n = tally.get("n", 0) if tally else 0
            if median is None:
                medians.append(None)
                up.append(None)
                down.append(None)
                texts.append("")
                hovers.append(f"{plain(entry.column.label)}: no ratings")
                continue
            medians.append(median - base)
            up.append(tally["q3"] - median)
            down.append(median - tally["q1"])
            texts.append(fmt(median))
            spread = " · ".join(f"{p}: {c}" for p, c in tally["counts"].items())
            hovers.append(
                f"<b>{plain(entry.column.label)}</b><br>{plain(item.label)}<br>"
                f"median {fmt(median)} (middle half {fmt(tally['q1'])}–{fmt(tally['q3'])}), "
                f"{n} rating{'' if n == 1 else 's'}<br>{spread}"
            )
        fig.add_bar(
            name=plain(entry.column.label),
            x=[wrap(item.label) for item in stage.activity.items],
            y=medians,
            base=base,
            marker_color=colour(index),
            error_y=dict(
                type="data", symmetric=False, array=up, arrayminus=down, color="#333", width=4
            ),
            text=texts,
            textposition="inside",
            insidetextanchor="start",  # at the foot of the bar, clear of the whisker
            hovertext=hovers,
            hoverinfo="text",
        )
    labels = {low: scale.min_label if scale else "", high: scale.max_label if scale else ""}
    ticks = list(range(low, high + 1))
    return _layout(
        fig,
        title=stage.title,
        y_title="Median rating",
        range=[base, high + 0.3],
        tickvals=ticks,
        ticktext=[f"{t} {wrap(labels[t], 12)}" if labels.get(t) else str(t) for t in ticks],
    )


def _per_item_figure(
    stage: Stage,
    entries: list[StageSession],
    items: list[tuple[str, str]],
    value,
    *,
    y_title: str,
    **yaxis,
) -> go.Figure:
    """Grouped bars, one trace per session: ``value(results, key)`` -> (y, text, hover)."""
    fig = go.Figure()
    for index, entry in enumerate(entries):
        ys, texts, hovers = [], [], []
        for key, label in items:
            y, text, hover = value(entry.results, key) if entry.results else (None, "", "")
            ys.append(y)
            texts.append(text)
            hovers.append(f"<b>{plain(entry.column.label)}</b><br>{plain(label)}<br>{hover}")
        fig.add_bar(
            name=plain(entry.column.label),
            x=[wrap(label) for _, label in items],
            y=ys,
            marker_color=colour(index),
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=hovers,
            hoverinfo="text",
        )
    return _layout(fig, title=stage.title, y_title=y_title, **yaxis)


def options_figure(stage: Stage, entries: list[StageSession]) -> go.Figure:
    first = next((e.results for e in entries if e.results), {"options": []})
    options = [(o["key"], o["label"]) for o in first["options"]]

    def value(results, key):
        answered = results.get("answered", 0)
        count = next((o["count"] for o in results["options"] if o["key"] == key), 0)
        share = percent(count, answered)
        return share, str(count) if answered else "", f"{count} of {answered} ({fmt(share)}%)"

    return _per_item_figure(
        stage, entries, options, value, y_title="Share of those answering (%)", ticksuffix="%"
    )


def ranking_figure(stage: Stage, entries: list[StageSession]) -> go.Figure:
    items = [(i.key, i.label) for i in stage.activity.items]
    top = len(items) - 1

    def value(results, key):
        voters = results.get("voters", 0)
        item = next((i for i in results["items"] if i["key"] == key), None)
        if not voters or item is None:
            return None, "", "no rankings"
        average = round(item["borda"] / voters, 2)
        return (
            average,
            f"rank {fmt(item['mean_rank'])}",
            f"average {fmt(average)} points; mean rank {fmt(item['mean_rank'])} "
            f"({voters} ranking{'' if voters == 1 else 's'})",
        )

    return _per_item_figure(
        stage,
        entries,
        items,
        value,
        y_title=f"Average Borda points ({top} = ranked first by all)",
        range=[0, top + 0.4],
    )


def points_figure(stage: Stage, entries: list[StageSession]) -> go.Figure:
    items = [(i.key, i.label) for i in stage.activity.items]

    def value(results, key):
        voters = results.get("voters", 0)
        item = next((i for i in results["items"] if i["key"] == key), None)
        if not voters or item is None:
            return None, "", "no points given"
        average = round(item["total"] / voters, 2)
        return average, fmt(average), f"{item['total']} points from {voters} people"

    return _per_item_figure(stage, entries, items, value, y_title="Average points per person")


def grid_figure(stage: Stage, entries: list[StageSession]) -> go.Figure:
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
        return mean, fmt(mean), f"mean {fmt(mean)} of {item['n']} placements"

    return _per_item_figure(
        stage, entries, items, value, y_title="Mean position", range=[0, first.get("size", 5) + 0.4]
    )


def word_cloud_figure(stage: Stage, entries: list[StageSession]) -> go.Figure:
    totals: dict[str, int] = {}
    for entry in entries:
        for word in (entry.results or {}).get("words", []):
            totals[word["word"]] = totals.get(word["word"], 0) + word["count"]
    top = sorted(totals, key=lambda w: (-totals[w], w))[:WORDS_SHOWN]

    def value(results, key):
        count = next((w["count"] for w in results.get("words", []) if w["word"] == key), 0)
        voters = results.get("voters", 0)
        share = percent(count, voters)
        return share, str(count) if count else "", f"{count} of {voters} answers"

    return _per_item_figure(
        stage,
        entries,
        [(w, w) for w in top],
        value,
        y_title="Share of answers using the word (%)",
        ticksuffix="%",
    )


_FIGURES = {
    "traffic_light": traffic_light_figure,
    "rating": rating_figure,
    "sector": options_figure,
    "choice": options_figure,
    "ranking": ranking_figure,
    "points": points_figure,
    "grid": grid_figure,
    "word_cloud": word_cloud_figure,
}


def comparison_figure(stage: Stage, entries: list[StageSession]) -> dict | None:
    """The stage's side-by-side figure as JSON-ready data, or None for stages whose
    answers are comments (those are compared by their recurring themes)."""
    build = _FIGURES.get(stage.activity.type)
    if build is None or not entries:
        return None
    return build(stage, entries).to_plotly_json()
