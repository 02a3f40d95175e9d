"""The scenario card: shows the scenario the facilitator chose; nothing to answer."""

from __future__ import annotations

from flask_babel import lazy_gettext

from ..plans.reader import join
from .base import ActivityType


class Scenario(ActivityType):
    name = "scenario"
    label = lazy_gettext("Scenario")
    editor_hint = "Shows the scenario the facilitator chose for the session."

    def check(self, reader, fields, *, has_scenarios: bool, has_framework: bool) -> None:
        if not has_scenarios:
            reader.error(
                fields.get("type")[1],
                join(fields.path, "type"),
                "a scenario stage shows the scenario chosen for the session, "
                "but the plan lists no scenarios",
            )


TYPE = Scenario()
