"""Every change to a series, as a named function. Nothing else writes series data.

A series groups sessions run from the same plan (six workshops in six areas, each with a
place and a date). The rules:

- A series holds sessions of ONE plan: a session may join only if its ``plan_slug`` is the
  plan of the sessions already there (an empty series takes any session).
- A session belongs to at most one series; to move it, remove it from the first.
- Adding a session that is already in the series updates its place and date.
- Removing a session keeps its place and date (they are facts about the session).
- Only an empty series can be deleted; its researchers' grants go with it.

These are facilitator actions over HTTP, not live events: membership is research
metadata, so it is kept out of the sessions' event logs (the transcript of the room).
Each function validates, writes and commits in one transaction, or raises ``Invalid``
(a ``Refused`` naming the form field at fault) and leaves nothing behind.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..db import locked_row, transaction
from ..errors import Refused
from ..models import Grant, Series, WorkshopSession
from ..text import clean_text

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
PLACE_MAX = 200


class Invalid(Refused):
    """A change refused because of one field; ``field`` names it for the form."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _locked_series(db: Session, series_id: int) -> Series:
    series = locked_row(db, Series, series_id)
    if series is None:
        raise Invalid("series", "This series does not exist.")
    return series


def _locked_session(db: Session, session_id: int) -> WorkshopSession:
    session = locked_row(db, WorkshopSession, session_id)
    if session is None:
        raise Invalid("session", "There is no such session.")
    return session


def _text(
    field: str, text: str | None, most: int, *, missing: str | None = None, lines: bool = False
) -> str:
    """``text.clean_text`` and a length check, each refusal naming the form field; with
    ``missing``, an empty text is refused with that message."""
    try:
        text = clean_text(text or "", lines=lines)
    except Refused as refused:
        raise Invalid(field, refused.message) from None
    if missing and not text:
        raise Invalid(field, missing)
    if len(text) > most:
        raise Invalid(field, f"Keep the {field} to {most} characters or fewer.")
    return text


def clean_title(title: str | None) -> str:
    missing = "Give the series a title, e.g. “Data sharing workshops 2025”."
    return _text("title", title, TITLE_MAX, missing=missing)


def clean_description(description: str | None) -> str:
    return _text("description", description, DESCRIPTION_MAX, lines=True)


def clean_place(place: str | None) -> str:
    return _text("place", place, PLACE_MAX, missing="Say where the session was held, e.g. “Leeds”.")


def clean_held_on(held_on: date | str | None) -> date:
    if isinstance(held_on, date):
        return held_on
    text = (held_on or "").strip()
    if not text:
        raise Invalid("held_on", "Give the date the session was held.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid("held_on", "Give the date as day, month and year, e.g. 2025-06-12.") from None


def series_plan(db: Session, series_id: int) -> tuple[str, str] | None:
    """The (slug, title) of the plan a series' sessions run, or None while it is empty."""
    row = db.execute(
        select(WorkshopSession.plan_slug, WorkshopSession.plan_title)
        .where(WorkshopSession.series_id == series_id)
        .order_by(WorkshopSession.created_at, WorkshopSession.id)
        .limit(1)
    ).first()
    return None if row is None else (row[0], row[1])


def create_series(
    db: Session, title: str, description: str = "", facilitator_id: int | None = None
) -> Series:
    title, description = clean_title(title), clean_description(description)
    with transaction(db):
        series = Series(title=title, description=description, created_by_id=facilitator_id)
        db.add(series)
        db.flush()
    return series


def rename_series(
    db: Session, series_id: int, title: str, description: str | None = None
) -> Series:
    """A new title, and a new description unless ``description`` is None."""
    title = clean_title(title)
    description = None if description is None else clean_description(description)
    with transaction(db):
        series = _locked_series(db, series_id)
        series.title = title
        if description is not None:
            series.description = description
    return series


def add_session(
    db: Session, series_id: int, session_id: int, place: str, held_on: date | str
) -> WorkshopSession:
    """Put a session in a series with where and when it was held (same plan only)."""
    place, held_on = clean_place(place), clean_held_on(held_on)
    with transaction(db):
        series = _locked_series(db, series_id)
        session = _locked_session(db, session_id)
        if session.series_id is not None and session.series_id != series.id:
            other = db.get(Series, session.series_id)
            raise Invalid(
                "session",
                f"Session {session.code} is already in the series “{other.title}”. "
                "A session belongs to one series: remove it from that series first.",
            )
        plan = series_plan(db, series.id)
        if plan is not None and session.series_id != series.id and plan[0] != session.plan_slug:
            raise Invalid(
                "session",
                f"Session {session.code} runs the plan “{session.plan_title}” "
                f"({session.plan_slug}), but this series compares sessions of “{plan[1]}” "
                f"({plan[0]}). A series holds sessions of one plan only, so that their "
                "stages can be compared.",
            )
        session.series_id = series.id
        session.place = place
        session.held_on = held_on
    return session


def remove_session(db: Session, series_id: int, session_id: int) -> WorkshopSession:
    """Take a session out of its series (its place and date stay on the session)."""
    with transaction(db):
        _locked_series(db, series_id)
        session = _locked_session(db, session_id)
        if session.series_id != series_id:
            raise Invalid("session", f"Session {session.code} is not in this series.")
        session.series_id = None
    return session


def delete_series(db: Session, series_id: int) -> None:
    """Delete an empty series, and the researchers' grants to it."""
    with transaction(db):
        series = _locked_series(db, series_id)
        members = db.scalar(
            select(func.count())
            .select_from(WorkshopSession)
            .where(WorkshopSession.series_id == series.id)
        )
        if members:
            sessions = "1 session" if members == 1 else f"{members} sessions"
            raise Invalid(
                "series",
                f"The series “{series.title}” still holds {sessions}. "
                "Remove them first: only an empty series can be deleted.",
            )
        db.execute(delete(Grant).where(Grant.series_id == series.id))
        db.delete(series)
