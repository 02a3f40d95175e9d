"""The choice activity: one option, or several when the plan says ``multiple: true``.

Answer: ``{"choices": ["<option key>", ...]}``. The sector question is a choice among the
plan's sectors (``sector.py``) and shares the summary, chart and table below.
"""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext

from ..charts import labelled_bars, texts
from ..errors import Refused
from ..series import charts as series_charts
from .answers import item_keys, only
from .base import ActivityType, Table, item_label


def options(labels: list[tuple[str, str]], tally: Counter) -> dict:
    """The summary of a choice: each (key, label) option with how many chose it."""
    return {"options": [{"key": k, "label": label, "count": tally[k]} for k, label in labels]}


class Choice(ActivityType):
    name = "choice"
    label = lazy_gettext("Choice")
    editor_hint = "Pick one option (or several, if allowed). At least 2 options."
    item_word = "option"
    series_empty = lazy_gettext("No answers")
    plan_fields = ("items", "multiple")
    min_items = 2
    export_value = "the chosen option's key, one row per option chosen"
    answerable = True

    def clean(self, activity, plan, value: dict) -> dict:
        choices = only(value, "choices", "a list of options")
        keys = item_keys(activity)
        if not isinstance(choices, list) or not choices:
            raise Refused("Please choose an option.")
        if any(c not in keys for c in choices) or len(set(choices)) != len(choices):
            raise Refused("That is not one of the options.")
        if not activity.multiple and len(choices) > 1:
            raise Refused("Please choose only one option.")
        return {"choices": sorted(choices, key=keys.index)}

    def summarise(self, activity, plan, counts) -> dict:
        tally = Counter()
        for value, n in counts:
            for key in value["choices"]:
                tally[key] += n
        return options([(i.key, i.label) for i in activity.items], tally)

    def figure(self, results: dict) -> dict:
        found = results["options"]
        counts = [o["count"] for o in found]
        return labelled_bars(found, counts, texts(counts))

    def table(self, stage, results: dict) -> Table:
        return Table(
            "People choosing each option",
            ["Option", "People"],
            [[o["label"], o["count"]] for o in results.get("options", ())],
            [False, True],
        )

    def read_plan(self, reader, fields) -> dict:
        return {"multiple": reader.boolean(fields, "multiple")}

    def series_figure(self, stage, entries) -> dict:
        """Per option, the share of each session's answerers who picked it."""
        first = next((e.results for e in entries if e.results), {"options": []})
        shown = [(o["key"], o["label"]) for o in first["options"]]

        def value(results, key):
            answered = results.get("answered", 0)
            count = next((o["count"] for o in results["options"] if o["key"] == key), 0)
            share = series_charts.percent(count, answered)
            hover = f"{count} of {answered} ({series_charts.fmt(share)}%)"
            return share, str(count) if answered else "", hover

        return series_charts.per_item_figure(
            stage, entries, shown, value, y_title="Share of those answering (%)", ticksuffix="%"
        ).to_plotly_json()

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        return [(key, item_label(activity, key), key) for key in value.get("choices", ())]

    def series_tallies(self, results: dict) -> list[tuple[str, list[tuple[str, str]]]]:
        chosen = [o for o in results["options"] if o["count"]]
        return [("", [(f"{o['label']}: {o['count']}", "")]) for o in chosen]


TYPE = Choice()
