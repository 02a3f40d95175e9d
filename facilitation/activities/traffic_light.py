"""The traffic light activity: each item judged met, partly met or not met.

Answer: ``{"lights": {"<item key>": "met" | "partly" | "not_met"}}``, at least one item.
"""

from __future__ import annotations

from collections import Counter

import plotly.graph_objects as go
from flask_babel import lazy_gettext

from ..charts import LIGHT_COLOURS, bar, bar_layout, wrap
from ..errors import Refused
from ..plans.model import TRAFFIC_LIGHT_LABELS, TRAFFIC_LIGHTS
from ..series import charts as series_charts
from .answers import keyed
from .base import ActivityType, Table, item_label


class TrafficLight(ActivityType):
    name = "traffic_light"
    label = lazy_gettext("Traffic light")
    editor_hint = "Met / partly met / not met, for each item. At least 1 item."
    plan_fields = ("items",)
    min_items = 1
    framework_part = "tests"
    export_value = "met, partly or not_met"
    answerable = True
    breakdown_shares = True

    def clean(self, activity, plan, value: dict) -> dict:
        def check(light):
            if light not in TRAFFIC_LIGHTS:
                raise Refused("Choose met, partly met or not met.")
            return light

        return keyed(value, "lights", activity, check)

    def summarise(self, activity, plan, counts) -> dict:
        tallies = {i.key: Counter() for i in activity.items}
        for value, n in counts:
            for key, light in value["lights"].items():
                tallies[key][light] += n
        return {
            "lights": [{"key": k, "label": TRAFFIC_LIGHT_LABELS[k]} for k in TRAFFIC_LIGHTS],
            "items": [
                {
                    "key": item.key,
                    "label": item.label,
                    **{light: tallies[item.key][light] for light in TRAFFIC_LIGHTS},
                    "n": sum(tallies[item.key].values()),
                }
                for item in activity.items
            ],
        }

    def figure(self, results: dict) -> dict:
        items = results["items"]
        labels = [wrap(item["label"]) for item in items]
        data = [
            bar(
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
        return bar_layout(data, stacked=True, rows=len(items), height_per_row=110)

    def share_segments(self, results: dict) -> list[tuple[str, str, str]]:
        return [(lt["key"], lt["label"], LIGHT_COLOURS[lt["key"]]) for lt in results["lights"]]

    def table(self, stage, results: dict) -> Table:
        return Table(
            "Traffic lights: how many people judged each item met, partly met or not met",
            ["Statement", *(TRAFFIC_LIGHT_LABELS[k] for k in TRAFFIC_LIGHTS), "People"],
            [
                [item["label"], *(item.get(k, 0) for k in TRAFFIC_LIGHTS), item["n"]]
                for item in results.get("items", ())
            ],
            numeric=[False, True, True, True, True],
            charted=[True, True, True, True, False],
        )

    def series_figure(self, stage, entries) -> dict:
        """Grouped bars: per session (and per item when the stage lights several), the share
        of answers for each light, the count as the bar's text."""
        percent = series_charts.percent
        items = stage.activity.items
        several = len(items) > 1
        fig = go.Figure()
        for light in TRAFFIC_LIGHTS:
            label = TRAFFIC_LIGHT_LABELS[light]
            x_items, x_sessions, shares, bar_texts, counts, totals = [], [], [], [], [], []
            for item in items:
                for entry in entries:
                    tally = series_charts.tally(entry, item.key) or {}
                    n = tally.get("n", 0)
                    count = tally.get(light, 0)
                    x_items.append(series_charts.wrap(item.label))
                    x_sessions.append(f"{series_charts.wrap(entry.column.label, 16)}<br>n = {n}")
                    shares.append(percent(count, n))
                    bar_texts.append(str(count) if n else "")
                    counts.append(count)
                    totals.append(n)
            fig.add_bar(
                name=label,
                x=[x_items, x_sessions] if several else x_sessions,
                y=shares,
                marker_color=LIGHT_COLOURS[light],
                text=bar_texts,
                textposition="outside",
                cliponaxis=False,
                customdata=list(zip(counts, totals, strict=True)),
                hovertemplate=(
                    f"{label}: %{{customdata[0]}} of %{{customdata[1]}} (%{{y:.0f}}%)"
                    "<extra></extra>"
                ),
            )
        return series_charts.layout(
            fig,
            title=stage.title,
            y_title="Share of answers (%)",
            range=[0, 108],
            ticksuffix="%",
            height=380 + (60 if several else 0),
        ).to_plotly_json()

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        lights = value.get("lights", {})
        return [(key, item_label(activity, key), light) for key, light in lights.items()]

    def series_tallies(self, results: dict) -> list[tuple[str, list[tuple[str, str]]]]:
        items = results["items"]
        return [
            (
                item["label"] if len(items) > 1 else "",
                [
                    (f"Met {item['met']}", "light-word light-met"),
                    (f"Partly {item['partly']}", "light-word light-partly"),
                    (f"Not met {item['not_met']}", "light-word light-not_met"),
                ],
            )
            for item in items
        ]


TYPE = TrafficLight()
