"""Words the app puts around a number, spelled in one place.

The browser's counterpart is in static/js (the phone's ``tn``); this is the server's, for
figures, the report and pages. It goes through gettext so a page in Welsh says it in Welsh;
outside a participant's request (the projector's figures, exports) it is English.
"""

from __future__ import annotations

from flask_babel import ngettext


def people(n: int) -> str:
    """A head count: "1 person", "3 people"."""
    return ngettext("%(num)d person", "%(num)d people", n)
