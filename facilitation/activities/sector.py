"""The sector question: which sector a participant works in.

Answer: ``{"sector": "<one of plan.sectors>"}``. The answer is also the participant's
sector (breakdowns by sector read it), and the sector chosen when joining answers every
sector stage at once (``operations.join``). Counted, drawn and tabled as a choice.
"""

from __future__ import annotations

from collections import Counter

from flask_babel import lazy_gettext

from ..errors import Refused
from .answers import only
from .choice import Choice, options


class Sector(Choice):
    name = "sector"
    label = lazy_gettext("Sector")
    editor_hint = "Participants pick their sector from the plan's sectors."
    # A choice among the plan's sectors, not among items of its own.
    plan_fields = ()
    min_items = None
    items_rule = "it offers the plan's sectors"
    export_value = "the sector chosen (item 'sector')"
    records_sector = True

    def clean(self, activity, plan, value: dict) -> dict:
        sector = only(value, "sector", "a sector")
        if sector not in plan.sectors:
            raise Refused("Please choose one of the sectors listed.")
        return {"sector": sector}

    def summarise(self, activity, plan, counts) -> dict:
        tally = Counter()
        for value, n in counts:
            tally[value["sector"]] += n
        return options([(s, s) for s in plan.sectors], tally)

    def read_plan(self, reader, fields) -> dict:
        return {}

    def item_count(self, activity, plan) -> int:
        return len(plan.sectors)

    def export_items(self, activity, value: dict) -> list[tuple[str, str, object]]:
        return [("sector", "Sector", value.get("sector"))]


TYPE = Sector()
