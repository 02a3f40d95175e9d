"""The ranking activity: every item put in order, most important first.

Answer: ``{"order": ["<item key>", ...]}``, each item exactly once. Summarised by Borda
score (an item gets one point for each item ranked below it) and mean rank.
"""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext

from ..charts import fmt, labelled_bars
from ..errors import Refused
from ..series import charts as series_charts
from .answers import item_keys, only
from .base import ActivityType, Table, cell, item_label


class Ranking(ActivityType):
    name = "ranking"
    label = lazy_gettext("Ranking")
    editor_hint = "Put the items in order, most important first. At least 2 items."
    series_empty = lazy_gettext("No rankings")
    plan_fields = ("items",)
    min_items = 2
    export_value = "the item's position, 1 = most important"
    answerable = True

    def clean(self, activity, plan, value: dict) -> dict:
        order = only(value, "order", "a list of every item")
        if (
            not isinstance(order, list)
            or not all(isinstance(key, str) for key in order)
            or sorted(order) != sorted(item_keys(activity))
        ):
            raise Refused("A ranking must put every item in order, each exactly once.")
        return {"order": order}

    def summarise(self, activity, plan, counts) -> dict:
        size = len(activity.items)
        borda, rank_sum, voters = Counter(), Counter(), 0
        for value, n in counts:
            voters += n
            for position, key in enumerate(value["order"]):
                borda[key] += (size - 1 - position) * n
                rank_sum[key] += (position + 1) * n
        items = [
            {
                "key": item.key,
                "label": item.label,
                "borda": borda[item.key],
                "mean_rank": round(rank_sum[item.key] / voters, 2) if voters else None,
            }
            for item in activity.items
        ]
        items.sort(key=lambda item: -item["borda"])
        return {"items": items, "voters": voters}

    def figure(self, results: dict) -> dict:
        # A room reads plain words; the method (Borda) is named in the table's caption.
        # The bars' lengths are Borda points, which no one in the room was told about: the
        # axis shows no numbers, only which way is higher (each bar says its position).
        items = results["items"]
        return labelled_bars(
            items,
            [item["borda"] for item in items],
            [f"average position {fmt(item['mean_rank'])}" for item in items],
            xaxis={"title": {"text": "Ranked higher by the room →"}, "showticklabels": False},
        )

    def table(self, stage, results: dict) -> Table:
        return Table(
            "Ranking: Borda score (higher is more important) and mean rank (1 is first)",
            ["Item", "Borda score", "Mean rank"],
            [
                [item["label"], item["borda"], cell(item["mean_rank"])]
                for item in results.get("items", ())
            ],
            [False, True, True],
        )

    def series_figure(self, stage, entries) -> dict:
        """Per item, each session's average Borda points per person."""
        number = series_charts.fmt
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
                f"rank {number(item['mean_rank'])}",
                f"average {number(average)} points; mean rank {number(item['mean_rank'])} "
                f"({voters} ranking{'' if voters == 1 else 's'})",
            )

        return series_charts.per_item_figure(
            stage,
            entries,
            items,
            value,
            y_title=f"Average Borda points ({top} = ranked first by all)",
            range=[0, top + 0.4],
        ).to_plotly_json()

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        order = value.get("order", ())
        return [(key, item_label(activity, key), place) for place, key in enumerate(order, 1)]

    def series_tallies(self, results: dict) -> list[tuple[str, list[tuple[str, str]]]]:
        """The three ranked highest."""
        if not results.get("voters"):
            return []
        top = results["items"][:3]
        return [("", [(f"{place}. {item['label']}", "")]) for place, item in enumerate(top, 1)]


TYPE = Ranking()
