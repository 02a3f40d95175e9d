"""The information card: text to read (``body``), nothing to answer."""

from __future__ import annotations

from flask_babel import lazy_gettext

from .base import ActivityType


class Info(ActivityType):
    name = "info"
    label = lazy_gettext("Information card")
    editor_hint = "A card to read: write it in Body."


TYPE = Info()
