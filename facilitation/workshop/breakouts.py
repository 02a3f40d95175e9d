"""Breakout tables and who sits at them.

A session's tables are its own list once the facilitator has set one (``session.tables``),
else the plan's ``tables``. A participant's table is a table's NAME (like their sector), or
None while they have not said and the facilitator has not placed them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Refused
from ..models import Participant, WorkshopSession
from ..plans.model import MAX_TABLE_NAME, MAX_TABLES  # the plan loader's limits too
from ..text import clean_text
from .plan_cache import plan_of

# What the projector shows results for: the whole room, per sector, per table, or (on a
# statements stage with opinion groups) the opinion map and its groups.
BREAKDOWNS = ("room", "sector", "table", "opinion")


def effective_tables(session: WorkshopSession) -> list[str]:
    """The tables participants can sit at: the session's own list, else the plan's."""
    if session.tables is not None:
        return list(session.tables)
    return list(plan_of(session).tables)


def clean_tables(tables) -> list[str] | None:
    """A table list as sent by the console, tidied, or ``Refused`` saying what is wrong.

    ``None`` means "use the plan's list again"; an empty list means "no tables".
    """
    if tables is None:
        return None
    if not isinstance(tables, list):
        raise Refused("'tables' must be a list of table names.")
    if len(tables) > MAX_TABLES:
        raise Refused(f"A session can have at most {MAX_TABLES} tables ({len(tables)} sent).")
    names: list[str] = []
    for name in tables:
        if not isinstance(name, str):
            raise Refused("Each table name must be text.")
        name = clean_text(name)
        if not name:
            raise Refused("A table name cannot be empty.")
        if len(name) > MAX_TABLE_NAME:
            raise Refused(f"A table name can be at most {MAX_TABLE_NAME} characters: {name[:30]}…")
        if name.casefold() in (n.casefold() for n in names):
            raise Refused(f"Two tables are called {name!r}; each needs its own name.")
        names.append(name)
    return names


def people_view(db: Session, session: WorkshopSession) -> list[dict]:
    """The participants still taking part, for the facilitator's "People and tables" panel.

    Who they are and where they sit, never what they answered.
    """
    rows = db.execute(
        select(
            Participant.pseudonym,
            Participant.display_name,
            Participant.sector,
            Participant.table_key,
        )
        .where(Participant.session_id == session.id, Participant.withdrawn_at.is_(None))
        .order_by(Participant.id)
    ).all()
    return [
        {"pseudonym": pseudonym, "display_name": name, "sector": sector, "table": table}
        for pseudonym, name, sector, table in rows
    ]


def people_message(db: Session, session: WorkshopSession) -> dict:
    """The ``people`` push to facilitators (and part of their ``sync`` reply)."""
    return {
        "seq": session.last_seq,
        "tables": effective_tables(session),
        "people": people_view(db, session),
    }
