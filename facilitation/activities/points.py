"""The points activity: each participant spends a budget of points (10 by default) on items.

Answer: ``{"points": {"<item key>": whole number >= 0}}``, 1 to ``activity.points`` in all.
"""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext

from ..charts import labelled_bars
from ..errors import Refused
from ..series import charts as series_charts
from ..wording import people
from .answers import item_keys, known_items, only, whole
from .base import ActivityType, Table, item_label


def _bar_text(item: dict) -> str:
    return f"{item['total']} · {people(item['voters'])}" if item["total"] else ""


class Points(ActivityType):
    name = "points"
    label = lazy_gettext("Points")
    editor_hint = "Spread a budget of points across the items. At least 2 items."
    plan_fields = ("items", "points")
    min_items = 2
    export_value = "the points given to the item (items given none have no row)"
    answerable = True

    def stage_view(self, activity) -> dict:
        return {"points": activity.points}

    def clean(self, activity, plan, value: dict) -> dict:
        given = only(value, "points", "an object of points keyed by item")
        budget = activity.points
        if not isinstance(given, dict) or not given:
            raise Refused("Give at least one point to an item.")
        keys = item_keys(activity)
        known_items(given, keys)
        if not all(whole(n) and n >= 0 for n in given.values()):
            raise Refused("Points must be whole numbers, 0 or more.")
        spent = sum(given.values())
        if spent > budget:
            raise Refused(f"You have {budget} points; you spent {spent}.")
        if spent == 0:
            raise Refused("Give at least one point to an item.")
        # Items left at 0 are left out, so equal answers are stored (and counted) alike.
        return {"points": {k: given[k] for k in keys if given.get(k)}}

    def summarise(self, activity, plan, counts) -> dict:
        totals, givers, voters = Counter(), Counter(), 0
        for value, n in counts:
            voters += n
            for key, spent in value["points"].items():
                totals[key] += spent * n
                givers[key] += n
        items = [
            {"key": i.key, "label": i.label, "total": totals[i.key], "voters": givers[i.key]}
            for i in activity.items
        ]
        items.sort(key=lambda item: -item["total"])  # stable: equal totals keep the plan's order
        return {"items": items, "voters": voters, "budget": activity.points}

    def figure(self, results: dict) -> dict:
        items = results["items"]
        return labelled_bars(
            items,
            [item["total"] for item in items],
            [_bar_text(item) for item in items],
            xaxis={"title": {"text": "Points given"}},
        )

    def table(self, stage, results: dict) -> Table:
        each = f" ({results['budget']} points each)" if results.get("budget") else ""
        return Table(
            f"Points given to each item{each}, and by how many people",
            ["Item", "Points", "People"],
            [[item["label"], item["total"], item["voters"]] for item in results.get("items", ())],
            [False, True, True],
        )

    def read_plan(self, reader, fields) -> dict:
        return {"points": reader.integer(fields, "points", 10, 1, 100)}

    def series_figure(self, stage, entries) -> dict:
        """Per item, each session's average points per person."""
        items = [(i.key, i.label) for i in stage.activity.items]

        def value(results, key):
            voters = results.get("voters", 0)
            item = next((i for i in results["items"] if i["key"] == key), None)
            if not voters or item is None:
                return None, "", "no points given"
            average = round(item["total"] / voters, 2)
            hover = f"{item['total']} points from {people(voters)}"
            return average, series_charts.fmt(average), hover

        return series_charts.per_item_figure(
            stage, entries, items, value, y_title="Average points per person"
        ).to_plotly_json()

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        given = value.get("points", {})
        return [(key, item_label(activity, key), points) for key, points in given.items()]


TYPE = Points()
