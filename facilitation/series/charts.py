"""What the figures comparing a series' sessions share: one figure per stage, sessions side
by side, built on the server like the live charts (``facilitation/charts.py``) and sized for
a laptop page. Each activity type draws its own (``series_figure`` in
``facilitation/activities/``) from these pieces.

Sessions are compared by SHARES (a session of 30 and one of 8 sit on one scale), with the
counts in each bar's text and hover. The ``entries`` a figure is drawn from are the stage's
``StageSession``s (``comparison.py``): each with the session's ``results`` and its
``column.label``.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from ..charts import wrap as live_wrap

# One colour per session, distinct for colour-blind readers and dark enough for white text.
SESSION_COLOURS = [
    "#1d5e9e",
    "#b85600",  # 4.8:1 with white text (WCAG 1.4.3); #c05a00 was 4.46:1
    "#1b7a3a",
    "#8e3b8e",
    "#00707a",
    "#b3261e",
    "#6b5a00",
    "#4a4a4a",
]
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=14)


def plain(text: str) -> str:
    """Text as plotly shows it: its own few tags (<br>, <b>...) escaped, never markup."""
    return html.escape(str(text), quote=False)


def wrap(label: str, width: int = 22) -> str:
    """A label as plain text, broken over lines for a series' narrower charts."""
    return live_wrap(plain(label), width)


def colour(index: int) -> str:
    return SESSION_COLOURS[index % len(SESSION_COLOURS)]


def fmt(number) -> str:
    if number is None:
        return "–"
    return f"{number:g}" if isinstance(number, int) else f"{round(number, 2):g}"


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def layout(fig: go.Figure, *, title: str, height: int = 380, y_title: str = "", **yaxis):
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


def tally(entry, item_key: str) -> dict | None:
    """The session's summary of one item, if it has one."""
    results = entry.results or {}
    return next((i for i in results.get("items", []) if i["key"] == item_key), None)


def per_item_figure(
    stage,
    entries: list,
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
    return layout(fig, title=stage.title, y_title=y_title, **yaxis)
