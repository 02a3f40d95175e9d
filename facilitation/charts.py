"""What every Plotly figure of a stage's results is built from, on the server.

The projector, the console and the HTML report draw the same figure. Each activity type
draws its own (``ActivityType.figure``, in ``facilitation/activities/``) from the parts
here: the template, the colours, the horizontal bars and their layout, label wrapping.
Figures are built as the plain JSON-ready dicts plotly.js takes
(``{"data": [...], "layout": {...}}``), not as plotly graph objects: the broadcaster
rebuilds a chart up to ten times a second while a room votes, and plotly's objects cost
about 7 ms a rating chart where plain dicts cost a few hundredths of that.
tests/test_charts_schema.py has plotly's schema check every chart instead.
"""

from __future__ import annotations

import json

import plotly.io as pio

# Each light also carries its word. The numbers on a bar are white or ink, whichever meets
# WCAG 1.4.3 on its colour (text_on): ink on the scale's three light middle colours.
LIGHT_COLOURS = {"met": "#1b7a3a", "partly": "#9a5b00", "not_met": "#b3261e"}
SCALE_COLOURS = ["#b3261e", "#d9734e", "#8a8a8a", "#4f8fc0", "#1d5e9e"]
BAR_COLOUR = "#1d5e9e"
WHITE = "#ffffff"
INK = "#0b0d10"
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=22)
# Stacked bars: a count too long for its segment is left off (it shows on hover) rather than
# shrunk past legible; the projector sets its own smallest size (screen.js).
TOO_SMALL_LEFT_OFF = {"mode": "hide", "minsize": 12}

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


def bar(**properties) -> dict:
    if "text" in properties:
        # Plotly turns a label on its side to fit a short bar: never, for a room to read.
        properties.setdefault("textangle", 0)
        colour = properties.get("marker", {}).get("color")
        if isinstance(colour, str):
            # Plotly's own choice puts dark grey on mid-tone bars, under 3:1; say it instead.
            properties.setdefault("insidetextfont", {"color": text_on(colour)})
    return {"type": "bar", "orientation": "h", **properties}


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    darker, lighter = sorted((_luminance(one), _luminance(other)))
    return (lighter + 0.05) / (darker + 0.05)


def text_on(colour: str) -> str:
    """White or ink, whichever contrasts more with a bar of ``colour``."""
    return WHITE if contrast(colour, WHITE) >= contrast(colour, INK) else INK


def bar_layout(
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
    if stacked:
        layout["uniformtext"] = dict(TOO_SMALL_LEFT_OFF)
    return figure(data, layout)


def _count_step(data: list[dict], stacked: bool) -> int | None:
    """A tick at every whole number for small totals; plotly's own choice for large ones."""
    rows = zip(*(trace.get("x") or () for trace in data), strict=False)
    largest = max((sum(row) if stacked else max(row) for row in rows), default=0)
    return 1 if largest <= 10 else None


def wrap(label: str, width: int = 28) -> str:
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


def labelled_bars(rows: list[dict], values: list, labels: list[str], **layout) -> dict:
    """One blue bar per option or item (``rows``, each with its ``label``), longest first as
    given, with ``labels`` written on the bars: choice, points and ranking all look so."""
    chart = bar(
        x=values,
        y=[wrap(row["label"]) for row in rows],
        marker={"color": BAR_COLOUR},
        text=labels,
        textposition="auto",
    )
    return bar_layout([chart], rows=len(rows), **layout)


def texts(values) -> list[str]:
    # Plotly's schema takes bar text as strings (go.Bar turned numbers into them).
    return [str(value) for value in values]


def fmt(number) -> str:
    """A summary's number as a chart label shows it ("–" for none yet)."""
    return "–" if number is None else f"{number:g}"


def spread(colours: list[str], n: int) -> list[str]:
    """``n`` colours picked evenly from ``colours`` (a scale of 3 uses its ends and middle)."""
    if n <= len(colours):
        step = (len(colours) - 1) / max(n - 1, 1)
        return [colours[round(i * step)] for i in range(n)]
    return [colours[min(i * len(colours) // n, len(colours) - 1)] for i in range(n)]


def scale_colours(points) -> list[str]:
    """One colour per point of a rating scale, from red (lowest) to blue (highest)."""
    return spread(SCALE_COLOURS, len(points))
