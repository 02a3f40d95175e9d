"""Whole numbers from outside (ids in addresses, numbers typed in forms), kept to the range
the database holds.

A number the database cannot hold does not just miss: SQLite raises OverflowError for 2**63
and PostgreSQL a data error for 2**31, which came back as a server error and a traceback.
Every id and count that comes in is checked against a range first, so it is refused (or
not found) like any other wrong value.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# The largest id: PostgreSQL's integer (the id columns' type) holds up to 2**31 - 1.
MAX_ID = 2**31 - 1
# ASCII digits only: str.isdigit() also takes "²" and "١", which int() does not always read.
_DIGITS = frozenset("0123456789")


def whole_number(text: str | None, low: int, high: int) -> int | None:
    """The whole number typed in ``text`` (spaces around it allowed), if it lies between
    ``low`` and ``high``; else None, for the form to say what to type."""
    text = (text or "").strip()
    if not text or len(text) > len(str(high)) or not set(text) <= _DIGITS:
        return None
    number = int(text)
    return number if low <= number <= high else None


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route (``create_app`` puts it in place of werkzeug's): at most
    ``MAX_ID``, so ``/series/99999999999999999999`` is a 404, not an overflow."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002  (werkzeug's own name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
