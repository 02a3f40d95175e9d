"""Pseudonymisation: how a participant appears in every research export.

One rule, used by every exporter:

- a participant is their per-session pseudonym (random, drawn per session, so the same
  person in two sessions cannot be linked through it), with their sector and table;
- their display name appears only if they ticked "you may include my display name in
  research exports" when joining (``Participant.name_consent``);
- a withdrawn participant appears only as the fact of their withdrawal: the pseudonym,
  when they joined and withdrew, nothing else (no name, sector or table, and none of their
  answers, comments or agreements: the withdrawal removed those from the log and state).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Participant


@dataclass(frozen=True)
class Person:
    """A participant as exports show them."""

    id: int
    pseudonym: str
    display_name: str | None
    sector: str | None
    table: str | None
    joined_at: datetime
    withdrawn_at: datetime | None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def person(participant: Participant) -> Person:
    """The export view of one participant (the rule in the module's docstring)."""
    withdrawn = participant.withdrawn_at is not None
    consented = bool(participant.name_consent) and not withdrawn
    return Person(
        id=participant.id,
        pseudonym=participant.pseudonym,
        display_name=(participant.display_name or None) if consented else None,
        sector=None if withdrawn else participant.sector,
        table=None if withdrawn else participant.table_key,
        joined_at=participant.joined_at,
        withdrawn_at=participant.withdrawn_at,
    )


def people(db: Session, session_id: int) -> dict[int, Person]:
    """Everyone who joined a session, by participant id, in the order they joined.

    A session has at most a few thousand participants, so this small map is held while
    the session's (much longer) answers, comments and events stream past it.
    """
    return {
        p.id: person(p)
        for p in db.scalars(
            select(Participant)
            .where(Participant.session_id == session_id)
            .order_by(Participant.joined_at, Participant.id)
        )
    }


def public_join_payload(payload: dict, who: Person | None) -> dict:
    """A ``participant.joined`` event's content as exported: the display name only with
    consent (the withdrawal already emptied a withdrawn participant's payload)."""
    if not payload or "display_name" not in payload:
        return payload
    if who is not None and who.display_name is not None:
        return payload
    return {key: value for key, value in payload.items() if key != "display_name"}
