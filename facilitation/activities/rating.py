"""The rating activity: each item rated on the plan's scale (1 to 5 by default).

Answer: ``{"ratings": {"<item key>": whole number on the scale}}``, at least one item.
"""

from __future__ import annotations

from collections import Counter

import plotly.graph_objects as go
from flask_babel import lazy_gettext

from ..charts import bar, bar_layout, fmt, scale_colours, texts, wrap
from ..errors import Refused
from ..plans.model import Scale
from ..plans.reader import join
from ..series import charts as series_charts
from .answers import keyed, whole
from .base import ActivityType, Table, cell, item_label


def _quantile(distribution: dict[int, int], q: float) -> float | None:
    """The q-quantile of a distribution of whole-number ratings (linear interpolation)."""
    values = [point for point, n in sorted(distribution.items()) for _ in range(n)]
    if not values:
        return None
    position = q * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _item_summary(item, distribution: dict[int, int]) -> dict:
    total = sum(distribution.values())
    return {
        "key": item.key,
        "label": item.label,
        "counts": {str(p): c for p, c in distribution.items()},
        "n": total,
        "mean": round(sum(p * c for p, c in distribution.items()) / total, 2) if total else None,
        "median": _quantile(distribution, 0.5),
        "q1": _quantile(distribution, 0.25),
        "q3": _quantile(distribution, 0.75),
    }


SCALE_FIELDS = ("min", "max", "min_label", "max_label")


def _read_scale(reader, fields) -> Scale:
    """The stage's ``scale:`` (1 to 5 when it has none), from 2 to 11 points."""
    entry = fields.get("scale")
    if entry is None:
        return Scale()
    node = entry[1]
    path = join(fields.path, "scale")
    scale = reader.mapping(node, path, SCALE_FIELDS, "a scale: min, max, min_label, max_label")
    if scale is None:
        return Scale()
    low = reader.integer(scale, "min", 1)
    high = reader.integer(scale, "max", 5)
    points = high - low + 1
    if not 2 <= points <= 11:
        reader.error(
            node,
            path,
            f"scale must have from 2 to 11 points (from {low} to {high} is {max(points, 0)})",
        )
    return Scale(
        min=low,
        max=high,
        min_label=reader.text(scale, "min_label", required=False),
        max_label=reader.text(scale, "max_label", required=False),
    )


class Rating(ActivityType):
    name = "rating"
    label = lazy_gettext("Rating")
    editor_hint = "Rate each item on a scale. At least 1 item."
    plan_fields = ("items", "scale")
    min_items = 1
    framework_part = "features"
    export_value = "the rating, a whole number from the stage's scale_min to scale_max"
    answerable = True
    breakdown_shares = True

    def stage_view(self, activity) -> dict:
        scale = activity.scale
        if scale is None:
            return {}
        return {
            "scale": {
                "min": scale.min,
                "max": scale.max,
                "min_label": scale.min_label,
                "max_label": scale.max_label,
            }
        }

    def clean(self, activity, plan, value: dict) -> dict:
        scale = activity.scale

        def check(rating):
            if not whole(rating) or rating not in scale.points:
                raise Refused(f"A rating must be a whole number from {scale.min} to {scale.max}.")
            return rating

        return keyed(value, "ratings", activity, check)

    def summarise(self, activity, plan, counts) -> dict:
        points = list(activity.scale.points)
        tallies = {i.key: Counter() for i in activity.items}
        for value, n in counts:
            for key, rating in value["ratings"].items():
                tallies[key][rating] += n
        items = [
            _item_summary(item, {p: tallies[item.key][p] for p in points})
            for item in activity.items
        ]
        return {"items": items, "points": points}

    def figure(self, results: dict) -> dict:
        items, points = results["items"], results["points"]
        labels = [wrap(f"{item['label']} (median {fmt(item['median'])})") for item in items]
        data = [
            bar(
                name=str(point),
                x=[item["counts"][str(point)] for item in items],
                y=list(labels),
                marker={"color": colour},
                text=texts(item["counts"][str(point)] or "" for item in items),
                textposition="inside",
            )
            for point, colour in zip(points, scale_colours(points), strict=True)
        ]
        return bar_layout(data, stacked=True, rows=len(items), height_per_row=90)

    def share_segments(self, results: dict) -> list[tuple[str, str, str]]:
        points = results["points"]
        return [(str(p), str(p), c) for p, c in zip(points, scale_colours(points), strict=True)]

    def share_count(self, item: dict, key: str) -> int:
        return item["counts"][key]

    def share_detail(self, item: dict) -> str:
        return f" · median {fmt(item['median'])}"

    def table(self, stage, results: dict) -> Table:
        points = results.get("points", ())
        return Table(
            "Ratings of each item: how many people gave each point of the scale",
            ["Statement", *(str(p) for p in points), "Median", "Mean", "People"],
            [
                [
                    item["label"],
                    *(item["counts"].get(str(p), 0) for p in points),
                    cell(item["median"]),
                    cell(item.get("mean")),
                    item["n"],
                ]
                for item in results.get("items", ())
            ],
            numeric=[False, *(True for _ in points), True, True, True],
            # The chart shows the counts and, in each item's label, the median.
            charted=[True, *(True for _ in points), True, False, False],
        )

    def read_plan(self, reader, fields) -> dict:
        return {"scale": _read_scale(reader, fields)}

    def series_figure(self, stage, entries) -> dict:
        """Grouped bars: per item, each session's median rating, with the quartiles as a
        whisker; the distribution of ratings and the count in the hover."""
        plain, number = series_charts.plain, series_charts.fmt
        scale = stage.activity.scale
        low, high = (scale.min, scale.max) if scale else (1, 5)
        base = low - 0.5
        fig = go.Figure()
        for index, entry in enumerate(entries):
            medians, up, down, bar_texts, hovers = [], [], [], [], []
            for item in stage.activity.items:
                tally = series_charts.tally(entry, item.key)
                median = tally.get("median") if tally else None
                n = tally.get("n", 0) if tally else 0
                if median is None:
                    medians.append(None)
                    up.append(None)
                    down.append(None)
                    bar_texts.append("")
                    hovers.append(f"{plain(entry.column.label)}: no ratings")
                    continue
                medians.append(median - base)
                up.append(tally["q3"] - median)
                down.append(median - tally["q1"])
                bar_texts.append(number(median))
                spread = " · ".join(f"{p}: {c}" for p, c in tally["counts"].items())
                hovers.append(
                    f"<b>{plain(entry.column.label)}</b><br>{plain(item.label)}<br>"
                    f"median {number(median)} "
                    f"(middle half {number(tally['q1'])}–{number(tally['q3'])}), "
                    f"{n} rating{'' if n == 1 else 's'}<br>{spread}"
                )
            fig.add_bar(
                name=plain(entry.column.label),
                x=[series_charts.wrap(item.label) for item in stage.activity.items],
                y=medians,
                base=base,
                marker_color=series_charts.colour(index),
                error_y=dict(
                    type="data", symmetric=False, array=up, arrayminus=down, color="#333", width=4
                ),
                text=bar_texts,
                textposition="inside",
                textangle=0,  # never on its side
                insidetextanchor="start",  # at the foot of the bar, clear of the whisker
                insidetextfont={"color": "#ffffff"},  # every session colour passes 4.5:1
                hovertext=hovers,
                hoverinfo="text",
            )
        labels = {low: scale.min_label if scale else "", high: scale.max_label if scale else ""}
        ticks = list(range(low, high + 1))
        return series_charts.layout(
            fig,
            title=stage.title,
            y_title="Median rating",
            range=[base, high + 0.3],
            tickvals=ticks,
            ticktext=[
                f"{t} {series_charts.wrap(labels[t], 12)}" if labels.get(t) else str(t)
                for t in ticks
            ],
        ).to_plotly_json()

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        ratings = value.get("ratings", {})
        return [(key, item_label(activity, key), rating) for key, rating in ratings.items()]

    def series_tallies(self, results: dict) -> list[tuple[str, list[tuple[str, str]]]]:
        def words(item) -> str:
            n = item["n"]
            if not n:
                return "no ratings"
            return (
                f"median {cell(item['median'])}, middle half {cell(item['q1'])}–"
                f"{cell(item['q3'])}, {n} rating{'' if n == 1 else 's'}"
            )

        return [(item["label"], [(words(item), "")]) for item in results["items"]]


TYPE = Rating()
